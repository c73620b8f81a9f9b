"""Schema fuzzing of the REST API (`make api-fuzz`, part of `make test`): schemathesis against
`/api/openapi.json` of the release binary, on each backend, with every check it has (see
schemathesis.toml for the few answers that depend on the server's state). Bounded: at most
`--max-examples` cases per operation and phase, with a fixed seed, so that a run repeats
the last one's cases (schemathesis' own `--max-time` would instead repeat cases until the
time is spent, a different set on a faster machine), and `--timeout` seconds per backend
in all. Exits non-zero on any finding.

    python loadtest/fuzz_api.py [--backend embedded aws] [--max-examples 200] [--timeout 300]
"""

import argparse
import pathlib
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import run  # noqa: E402
import servers  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    servers.backend_option(parser)
    parser.add_argument("--max-examples", type=int, default=200)
    parser.add_argument("--timeout", type=int, default=300)
    args = parser.parse_args()
    out = servers.output_folder()
    variants = run.processed_variants(out)
    failed = []
    for backend in args.backend:
        with tempfile.TemporaryDirectory() as work:
            shelf = servers.Shelf(backend, pathlib.Path(work), out / f"fuzz-{backend}-shelf.log")
            try:
                run.seed(shelf.base, variants, count=5)
                print(f"\n== schemathesis, {backend} store", flush=True)
                # One worker: with two threads, hypothesis' `ast.parse` of its lambdas hit
                # CPython 3.11's thread-unsafe AST recursion check once in CI ("AST constructor
                # recursion depth mismatch"), a crash of the tool, not a finding.
                result = subprocess.run([
                    str(pathlib.Path(sys.executable).parent / "schemathesis"),
                    "--config-file", str(HERE / "schemathesis.toml"), "run",
                    f"{shelf.base}/api/openapi.json", "--workers", "1",
                    "--max-examples", str(args.max_examples), "--seed", "1",
                ], timeout=args.timeout)
                if result.returncode != 0:
                    failed.append(backend)
            finally:
                shelf.stop()
    if failed:
        print(f"schemathesis found problems on: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
