"""The mixed load for a long while (`make soak`, default 10 minutes), watching the process:
per minute, requests, failures, p99, resident memory and open files. RSS must level off:
the last line says how much it grew over the first minute and over the second half.

    python loadtest/soak.py [--minutes 10] [--users 50] [--backend embedded]
"""

import argparse
import json
import os
import pathlib
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import run  # noqa: E402
import servers  # noqa: E402

SAMPLE_SECS = 5


def rss_mib(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def p99(values: list) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))] if values else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--backend", choices=["embedded", "aws"], default="embedded")
    args = parser.parse_args()
    args.spawn_rate, args.time = 5, f"{args.minutes}m"
    out = servers.output_folder()
    variants = run.processed_variants(out)
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        shelf = servers.Shelf(args.backend, work, out / f"soak-{args.backend}-shelf.log")
        samples, done = [], threading.Event()

        def sample() -> None:
            while not done.is_set():
                samples.append((time.time(), rss_mib(shelf.process.pid),
                                open_files(shelf.process.pid)))
                done.wait(SAMPLE_SECS)

        try:
            run.seed(shelf.base, variants)
            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            start = time.time()
            run.locust(shelf.base, "site", args, out / f"soak-{args.backend}", variants,
                       {"SHELF_LOAD_RECORD": str(work / "record.json")})
            done.set()
            sampler.join()
            requests = json.loads((work / "record.json").read_text())["requests"]
        finally:
            shelf.stop()
    print(f"\nsoak, {args.backend}: {args.users} users, mix 'site', {args.minutes} min")
    print(f"{'minute':>6} {'requests':>9} {'failed':>7} {'p99 ms':>7} {'RSS MiB':>8} {'open files':>11}")
    per_minute_rss = []
    for minute in range(args.minutes):
        lo, hi = start + 60 * minute, start + 60 * (minute + 1)
        inside = [r for r in requests if lo <= r["t"] < hi]
        failed = sum(1 for r in inside if r["status"] not in (200, 201, 204, 304, 404))
        window = [s for s in samples if lo <= s[0] < hi] or samples[-1:]
        rss = max(s[1] for s in window)
        per_minute_rss.append(rss)
        print(f"{minute + 1:>6} {len(inside):>9} {failed:>7} {p99([r['ms'] for r in inside]):>7.0f} "
              f"{rss:>8.1f} {max(s[2] for s in window):>11}")
    first, half, last = per_minute_rss[0], per_minute_rss[len(per_minute_rss) // 2], per_minute_rss[-1]
    print(f"RSS grew {last - first:+.1f} MiB from the first minute to the last "
          f"({first:.1f} → {last:.1f}), {last - half:+.1f} MiB over the second half")
    return 0


if __name__ == "__main__":
    sys.exit(main())
