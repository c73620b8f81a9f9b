"""Outages under load (`make faults`): the backend goes away for a while in the middle of a
Locust run, and comes back.

    python loadtest/faults.py [--backend aws embedded] [--outage-secs 10] [--users 20]

- **aws**: moto (DynamoDB) and s3s-fs (S3) are stopped with SIGSTOP and continued with
  SIGCONT: connections hang, the worst kind of outage for timeouts. (Killing moto would lose
  its data, which lives only in its memory, and with it the "nothing lost" check.)
- **embedded**: the data folder is made read-only. Permissions do not stop root, nor writes
  through files already open, so its files are made immutable (`chattr +i`, with sudo when
  not root), which refuses writes even through open files; `chattr -R -i` ends it. SQLite's
  WAL index is left writable: see `Outage._switch`.

Checked, and printed as a timeline: while it is down, requests that need it get 503 with
`Retry-After`, never another 5xx, never a 408 or a wait past the request timeout; `/readyz`
fails and `/healthz` does not; requests started once it is back all succeed, without a
restart; and every item whose create was answered 201 (and that nobody tried to delete) is
still there afterwards. Needs moto and s3s-fs for aws: run inside
server/tests/with-aws-servers.sh, as `make faults` does.
"""

import argparse
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import run  # noqa: E402
import servers  # noqa: E402

BEFORE_SECS, AFTER_SECS = 10, 25
# Requests started this long after the backend is back must all succeed: time for the SDK's
# pooled connections to the stopped servers to be replaced.
SETTLE_SECS = 3
REQUEST_TIMEOUT_SECS = 30
OK = {200, 201, 204, 304, 404}
WINDOW = 2.5


class Outage:
    """Takes a backend down and brings it back."""

    def __init__(self, backend: str, shelf: servers.Shelf) -> None:
        self.backend, self.shelf = backend, shelf

    def begin(self) -> None:
        self._switch(down=True)

    def end(self) -> None:
        self._switch(down=False)

    def _switch(self, down: bool) -> None:
        if self.backend == "aws":
            for pid in self.pids():
                os.kill(pid, signal.SIGSTOP if down else signal.SIGCONT)
        elif down:
            freeze(self.shelf.data_dir)
        else:
            chattr("-R", "-i", self.shelf.data_dir)

    @staticmethod
    def pids() -> list:
        return [int(os.environ["SHELF_TEST_MOTO_PID"]), int(os.environ["SHELF_TEST_S3_PID"])]


def freeze(folder) -> None:
    """Makes `folder` and everything in it immutable, a folder before what it holds: once a
    folder is immutable nothing in it can be added, renamed or removed, so its listing taken
    afterwards stays true (the app renames and removes files all the time). All but SQLite's
    WAL index (`shelf.db-shm`): it is a shared memory map, and a write fault on the map of an
    immutable file kills the process with SIGBUS (seen here once in five runs), which is the
    kernel's doing, not an error SQLite sees."""
    chattr("+i", folder)
    entries = list(folder.iterdir())
    files = [p for p in entries if not p.is_dir() and not p.name.endswith("-shm")]
    if files:
        chattr("+i", *files)
    for sub in entries:
        if sub.is_dir():
            freeze(sub)


def chattr(*args) -> None:
    # Setting the immutable flag takes root (CAP_LINUX_IMMUTABLE): CI runners have sudo.
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    result = subprocess.run([*sudo, "chattr", *map(str, args)], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"cannot chattr {args[0]} here (root and ext4 needed): "
                         f"{result.stderr.strip()}")


class Prober:
    """`/healthz` and `/readyz`, each every quarter second from a thread of its own (a hung
    readiness check must not hold the liveness check up), as a load balancer would."""

    def __init__(self, base: str) -> None:
        self.base, self.samples, self.done = base, [], threading.Event()
        self.threads = [threading.Thread(target=self.probe, args=(path,), daemon=True)
                        for path in ("/healthz", "/readyz")]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.done.set()
        for thread in self.threads:
            thread.join()

    def probe(self, path: str) -> None:
        while not self.done.is_set():
            t = time.time()
            self.samples.append((t, path, servers.get(f"{self.base}{path}", timeout=10)[0]))
            self.done.wait(0.25)

    def of(self, path: str) -> list:
        """(time, status) of `path`'s checks."""
        return [(t, status) for t, p, status in self.samples if p == path]


def started(request: dict) -> float:
    return request["t"] - request["ms"] / 1000


def timeline(requests: list, probes: Prober, down: float, up: float) -> None:
    print(f"\n{'window (s)':>12} {'requests':>9} {'ok':>6} {'503':>5} {'other':>6} "
          f"{'readyz ok':>10} {'healthz ok':>11}")
    first = min(started(r) for r in requests)
    last = max(r["t"] for r in requests)
    t = first
    while t < last:
        inside = [r for r in requests if t <= r["t"] < t + WINDOW]
        statuses = Counter(r["status"] for r in inside)
        ok = sum(n for s, n in statuses.items() if s in OK)
        ready = [status for at, status in probes.of("/readyz") if t <= at < t + WINDOW]
        healthy = [status for at, status in probes.of("/healthz") if t <= at < t + WINDOW]
        mark = " down" if down <= t + WINDOW and t < up else ""
        print(f"{t - down:>+6.1f}..{t - down + WINDOW:>+4.0f} {len(inside):>9} {ok:>6} "
              f"{statuses[503]:>5} {len(inside) - ok - statuses[503]:>6} "
              f"{ready.count(200):>4}/{len(ready):<5} {healthy.count(200):>5}/{len(healthy):<5}"
              f"{mark}")
        t += WINDOW
    print("(relative to the start of the outage; a request counts in the window it ended in)")


def check(backend: str, shelf: servers.Shelf, record: dict, probes: Prober, down: float,
          up: float) -> list:
    """What went wrong, as sentences; empty if nothing did."""
    requests = record["requests"]
    problems = []
    statuses = Counter(r["status"] for r in requests)
    print(f"\n{backend}: {len(requests)} requests; by status: {dict(sorted(statuses.items()))}")
    unavailable = [r for r in requests if r["status"] == 503]
    without_retry = [r for r in unavailable if not r["retry_after"]]
    wrong = [r for r in requests if r["status"] not in OK and r["status"] != 503]
    slowest = max(r["ms"] for r in requests)
    late = [r for r in requests if started(r) >= up + SETTLE_SECS and r["status"] not in OK]
    readiness = probes.of("/readyz")
    during = [status for t, status in readiness if down + 1 <= t < up]
    print(f"503s: {len(unavailable)} ({len(without_retry)} without Retry-After); other errors: "
          f"{len(wrong)}; slowest response {slowest / 1000:.1f} s "
          f"(request timeout {REQUEST_TIMEOUT_SECS} s)")
    if not unavailable:
        problems.append("no request was answered 503 during the outage: did it happen?")
    if without_retry:
        problems.append(f"{len(without_retry)} 503s without Retry-After")
    for r in wrong[:10]:
        problems.append(f"{r['method']} {r['name']} answered {r['status']} {r['error'] or ''}")
    if slowest >= REQUEST_TIMEOUT_SECS * 1000:
        problems.append(f"a request took {slowest} ms, past the request timeout")
    if late:
        problems.append(f"{len(late)} requests started {SETTLE_SECS} s after the backend was "
                        f"back still failed, e.g. {late[0]}")
    if not any(status != 200 for status in during):
        problems.append("/readyz never failed while the backend was down")
    if any(status != 200 for _, status in probes.of("/healthz")):
        problems.append("/healthz failed")
    if not readiness or readiness[-1][1] != 200:
        problems.append("/readyz did not recover")
    kept = sorted(set(record["created"]) - set(record["delete_attempted"]))
    lost = [i for i in kept if servers.get(f"{shelf.base}/api/items/{i}")[0] != 200]
    print(f"items created (201) and never deleted: {len(kept)}; unreadable afterwards: {len(lost)}")
    if lost:
        problems.append(f"{len(lost)} created items are lost, e.g. {lost[:3]}")
    return problems


def outage_run(backend: str, args, out: pathlib.Path, variants: pathlib.Path) -> list:
    with tempfile.TemporaryDirectory() as work:
        work = pathlib.Path(work)
        shelf = servers.Shelf(backend, work, out / f"faults-{backend}-shelf.log",
                              {"SHELF_REQUEST_TIMEOUT_SECS": str(REQUEST_TIMEOUT_SECS)})
        outage = Outage(backend, shelf)
        try:
            run.seed(shelf.base, variants, count=20)
            record_path = work / "record.json"
            args.time = f"{BEFORE_SECS + args.outage_secs + AFTER_SECS}s"
            prober = Prober(shelf.base)
            prober.start()
            locust = threading.Thread(target=run.locust, args=(
                shelf.base, "site", args, out / f"faults-{backend}", variants,
                {"SHELF_LOAD_RECORD": str(record_path)}, False))
            locust.start()
            time.sleep(BEFORE_SECS)
            down = time.time()
            outage.begin()
            try:
                time.sleep(args.outage_secs)
            finally:
                outage.end()
            up = time.time()
            locust.join()
            prober.stop()
            record = json.loads(record_path.read_text())
            timeline(record["requests"], prober, down, up)
            return check(backend, shelf, record, prober, down, up)
        finally:
            shelf.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    servers.backend_option(parser, ["aws", "embedded"])
    parser.add_argument("--outage-secs", type=int, default=10)
    parser.add_argument("--users", type=int, default=20)
    args = parser.parse_args()
    args.spawn_rate = args.users
    out = servers.output_folder()
    variants = run.processed_variants(out)
    problems = []
    for backend in args.backend:
        print(f"\n== {backend}: {args.outage_secs} s outage after {BEFORE_SECS} s of load "
              f"({args.users} users, mix 'site')")
        found = outage_run(backend, args, out, variants)
        problems += [f"{backend}: {p}" for p in found]
    for problem in problems:
        print(f"PROBLEM {problem}", file=sys.stderr)
    print("\nno problems" if not problems else f"\n{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
