"""Runs Shelf's Locust mixes headless and prints what they measured.

    python loadtest/run.py                      # both backends, both mixes, 30 s each
    python loadtest/run.py --smoke              # a few users for a few seconds: fails on any failure
    python loadtest/run.py --host https://shelf.example.com --users 200 --time 10m

Without `--host` it starts the release binary (`make build`) on the embedded store and on the
AWS backend (which needs moto and s3s-fs: run it inside server/tests/with-aws-servers.sh, as
`make loadtest` does), seeds 60 items, some with photos, and after each run prints Locust's
figures per request and, from `/metrics`, Shelf's own share of each route's time. Locust's
CSV and HTML report (with its charts) go to `--out` (target/loadtest).

`--auth token` closes Shelf to anonymous visitors and sends an API token with every API request
(made through the first run and the account page); `--auth session` has every Locust user
sign in once and send its own session cookie, as browsers do; `--auth all` runs each backend
the three ways, for the cost of authentication (`make loadtest-auth`).

Mixes: `seed` is the old service's (mixed CRUD 3 : read-heavy 2 : write-heavy 1); `site`
adds people browsing pages (4) and phones adding photos (1).
"""

import argparse
import json
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import report  # noqa: E402
import servers  # noqa: E402
from shelf_load import content  # noqa: E402
from shelf_load.photos import upload_request  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
MIXES = {
    "seed": ["MixedCrudUser", "ReadHeavyUser", "WriteHeavyUser"],
    "site": ["MixedCrudUser", "ReadHeavyUser", "WriteHeavyUser", "BrowsingUser", "PhotoUser"],
}
# Photos run through the real pipeline for the photo user: a phone photo with GPS, an older
# phone's, and one that must be turned upright.
PHOTOS = ["phones/nokia83_gps.jpg", "phones/iphone6_gps.jpg", "exif-orientation/Portrait_6.jpg"]
SEED_ITEMS, SEED_WITH_PHOTOS = 60, 12


def processed_variants(out: pathlib.Path) -> pathlib.Path:
    """The test photos through `imaging` (its `shrink` example), once per output folder."""
    root = out / "variants"
    for photo in PHOTOS:
        folder = root / pathlib.Path(photo).stem
        if (folder / "meta.json").exists():
            continue
        result = subprocess.run(
            ["cargo", "run", "--quiet", "--release", "-p", "imaging", "--example", "shrink", "--",
             str(servers.ROOT / "testdata" / "photos" / photo), str(folder)],
            check=True, capture_output=True, text=True, cwd=servers.ROOT)
        (folder / "meta.json").write_text(result.stdout)
    return root


def put(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status


def seed(base: str, variants: pathlib.Path, count: int = SEED_ITEMS) -> None:
    """`count` items to list and read before the users start, the first ones with a photo."""
    rng = random.Random(7)
    photo = {"meta": json.loads((variants / "nokia83_gps" / "meta.json").read_text()),
             "display": (variants / "nokia83_gps" / "display.jpg").read_bytes(),
             "thumb": (variants / "nokia83_gps" / "thumb.jpg").read_bytes()}
    for n in range(count):
        status, item = servers.post_json(f"{base}/api/items", {
            "name": content.name(rng), "description": content.description(rng)})
        assert status == 201, f"seeding: {status} {item}"
        if n >= SEED_WITH_PHOTOS:
            continue
        status, grant = servers.post_json(f"{base}/api/items/{item['id']}/photos/uploads",
                                          upload_request(photo))
        assert status == 201, f"seeding a photo: {status} {grant}"
        for variant in ("display", "thumb"):
            assert put(grant[variant]["url"], photo[variant], grant[variant]["headers"]) == 200
        status, _ = servers.post_json(f"{base}/api/items/{item['id']}/photos",
                                      {"upload_id": grant["upload_id"]})
        assert status == 201, f"attaching a seeded photo: {status}"


def metrics(metrics_base: str | None) -> dict | None:
    """The metrics listener's figures; None for a host whose metrics are not reachable."""
    if metrics_base is None:
        return None
    status, body = servers.get(f"{metrics_base}/metrics")
    return report.parse_metrics(body.decode()) if status == 200 else None


def locust(base: str, mix: str, args, prefix: pathlib.Path, variants: pathlib.Path,
           extra_env: dict | None = None, show_failures: bool = True) -> list:
    """One headless Locust run of `mix`; returns its rows of stats. Its failures are
    printed unless the caller expects some (an outage)."""
    command = [
        sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"), "--headless",
        "--host", base, "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time,
        "--csv", str(prefix), "--html", f"{prefix}.html", "--only-summary",
        "--loglevel", "WARNING", "--stop-timeout", "10", *MIXES[mix],
    ]
    env = {**os.environ, "SHELF_LOAD_VARIANTS": str(variants), **(extra_env or {})}
    with open(f"{prefix}.log", "w") as log:
        subprocess.run(command, env=env, check=False, stdout=log, stderr=subprocess.STDOUT)
    if show_failures:
        report.print_failures(f"{prefix}_failures.csv")
    return report.locust_rows(f"{prefix}_stats.csv")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (its own, not moto's or Locust's)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_mixes(label: str, base: str, args, out: pathlib.Path, variants: pathlib.Path,
              shelf: "servers.Shelf | None" = None) -> int:
    """Each mix in turn; returns the number of failed requests. With `shelf` (a local one),
    also its own share from /metrics and the CPU time it spent per request: what sizes an
    instance (README, "Capacity")."""
    failed = 0
    pid = shelf.process.pid if shelf else None
    metrics_base = shelf.metrics_base if shelf else None
    for mix in args.mix:
        before, cpu_before = metrics(metrics_base), cpu_seconds(pid) if pid else 0.0
        rows = locust(base, mix, args, out / f"{label}-{mix}", variants)
        after, cpu_after = metrics(metrics_base), cpu_seconds(pid) if pid else 0.0
        title = f"{label}, mix '{mix}': {args.users} users, spawn {args.spawn_rate}/s, {args.time}"
        report.print_locust(title, rows)
        if pid:
            report.print_cpu(rows, cpu_after - cpu_before)
        if before is not None and after is not None:
            report.print_own_share(f"{label}, mix '{mix}': Shelf's own share", before, after)
        failed += report.failures(rows)
    return failed


def run_local(backend: str, mode: str, args, out: pathlib.Path, variants: pathlib.Path) -> int:
    """A fresh local Shelf on `backend`, seeded, under the mixes; its failed requests. `mode`
    "token": closed to anonymous visitors, every request with an API token; "session": closed,
    every user with a session of its own."""
    label = backend if mode == "anonymous" else f"{backend}, {mode}"
    closed = {"SHELF_ANONYMOUS_ACCESS": "none"} if mode != "anonymous" else None
    with tempfile.TemporaryDirectory() as work:
        shelf = servers.Shelf(backend, pathlib.Path(work), out / f"{backend}-{mode}-shelf.log",
                              closed)
        try:
            servers.AUTH.clear()
            if mode == "token":
                token = servers.api_token(shelf.base)
                servers.AUTH["Authorization"] = f"Bearer {token}"
                os.environ["SHELF_LOAD_TOKEN"] = token
            if mode == "session":
                servers.AUTH["Cookie"] = servers.first_run(shelf.base)
                os.environ["SHELF_LOAD_SIGN_IN"] = f"{servers.LOAD_EMAIL}:{servers.LOAD_PASSWORD}"
            seed(shelf.base, variants)
            return run_mixes(label, shelf.base, args, out, variants, shelf)
        finally:
            os.environ.pop("SHELF_LOAD_TOKEN", None)
            os.environ.pop("SHELF_LOAD_SIGN_IN", None)
            servers.AUTH.clear()
            shelf.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", help="run against this deployment instead of local servers")
    servers.backend_option(parser)
    parser.add_argument("--mix", nargs="+", choices=sorted(MIXES), default=["seed", "site"])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--time", default="30s", help="per mix, Locust's format (30s, 10m)")
    parser.add_argument("--out", default=str(servers.ROOT / "target" / "loadtest"))
    parser.add_argument("--auth", choices=["anonymous", "token", "session", "all"],
                        default="anonymous",
                        help="how the API users authenticate: as the old clients (anonymous "
                             "access), with an API token, each with a session of its own, or "
                             "each of these in turn to compare the cost")
    parser.add_argument("--smoke", action="store_true",
                        help="11 users (one per weight) for 10 s; exit 1 on any failure")
    args = parser.parse_args()
    if args.auth != "anonymous" and args.mix != ["seed"]:
        parser.error("--auth token|session|all is for the seed mix (the API users); add --mix seed")
    if args.smoke:
        args.users, args.spawn_rate, args.time = 11, 11, "10s"
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    variants = processed_variants(out)
    failed = 0
    if args.host:
        failed += run_mixes("host", args.host.rstrip("/"), args, out, variants)
    else:
        modes = ["anonymous", "token", "session"] if args.auth == "all" else [args.auth]
        for backend in args.backend:
            for mode in modes:
                failed += run_local(backend, mode, args, out, variants)
    print(f"\nCSV and HTML reports: {out}/")
    if failed:
        print(f"{failed} requests failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
