"""Requests/s and p99 of Shelf's hottest routes beside a baseline, in one run (`make bench`).

    python loadtest/bench.py [--backend embedded aws] [--seconds 10] [--connections 50]

For each backend: Shelf's release binary with 50 seeded items (12 with a photo), then
`wrk -c50` against `GET /api/items` (the 50), `GET /api/items/{id}`, `POST /api/items`, the
list page and an item page, each page also as a browser revalidates it (`If-None-Match` with
its `ETag`: 304; a backend whose pages have no `ETag` says so), and the list page rendered
each time (a query of its own per request, which the server keeps no page for), beside the
item page and the signed-out account page rendered the same way (the account page then only
asks to sign in: what a rendered page costs before its content); and against the baseline (loadtest/baseline: a bare axum handler
serialising the same 50 items from memory, same release profile). Prints each route's
figures and its ratio to the baseline's requests/s. On the AWS backend it first asks each
route ten times, one request after another on the idle server, and prints the DynamoDB calls
each request made (from Shelf's `/metrics`; under wrk, moto's queue spills requests from one
route's run into the next). Nothing is asserted: these are
measurements, to compare runs on one machine. The AWS backend needs moto and s3s-fs (run it
inside server/tests/with-aws-servers.sh, as `make bench` does); moto, one request at a time,
is the bottleneck there.
"""

import argparse
import itertools
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import run  # noqa: E402
import servers  # noqa: E402

BASELINE = servers.ROOT / "target" / "baseline" / "release" / "list-baseline"
# Each request a URL under `path` that no request asked for before: the page as rendered, not
# as kept. wrk's threads each run this in a Lua state of their own, so each numbers its own (a
# random number would repeat across them: they all start from the same seed).
NEW_URL_SCRIPT = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread", threads)
end
local asked = 0
request = function()
  asked = asked + 1
  return wrk.format(nil, "{path}?t=" .. thread .. "&n=" .. asked)
end
"""
POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name": "Benchmark lamp", "description": "Brass, one bulb, a bit of wear on the base."}'
"""
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, seconds: int, connections: int, script: str | None = None,
        pid: int | None = None) -> dict:
    """One wrk run; with `pid`, also that process's CPU time per request (what sizes an
    instance: it does not depend on how many cores wrk took from it)."""
    cpu_before = run.cpu_seconds(pid) if pid else 0.0
    result = _wrk(url, seconds, connections, script)
    if pid:
        result["cpu_ms"] = 1000 * (run.cpu_seconds(pid) - cpu_before) / max(result["requests"], 1)
    return result


def _wrk(url: str, seconds: int, connections: int, script: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rate": rate, "requests": requests, "p99_ms": float(p99.group(1)) * UNITS[p99.group(2)],
            "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(1) if errors else ""}


def dynamodb_calls(metrics_base: str) -> int:
    """Every DynamoDB call the server has made so far, of any operation."""
    status, body = servers.get(f"{metrics_base}/metrics")
    assert status == 200, f"/metrics: {status}"
    return sum(int(float(count)) for count in re.findall(
        r'^shelf_aws_calls_total\{service="DynamoDB",[^}]*\} (\S+)$', body.decode(),
        re.MULTILINE))


def print_calls(metrics_base: str, routes: list, times: int = 10) -> None:
    """Each route asked `times` times in a row, and the DynamoDB calls per request."""
    print(f"\nDynamoDB calls per request ({times} requests each, one at a time)")
    for name, request in routes:
        before = dynamodb_calls(metrics_base)
        statuses = sorted({request() for _ in range(times)})
        calls = (dynamodb_calls(metrics_base) - before) / times
        print(f"{name:<40} {calls:>6.2f}   status {', '.join(map(str, statuses))}")


def ask_tag(url: str, patience: float = 60.0) -> str | None:
    """The `ETag` of the page at `url`, if it has one.

    On DynamoDB, moto may still be working through the previous run's queue: Shelf then
    answers 503 with `Retry-After`, and the page is asked again, for `patience` seconds at most.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.headers.get("ETag")
        except urllib.error.HTTPError as refused:
            if refused.code != 503 or time.monotonic() > deadline:
                raise
            time.sleep(min(float(refused.headers.get("Retry-After") or 1), 5.0))


def print_aws_calls(shelf: servers.Shelf, item_id: str) -> None:
    """The DynamoDB calls per request of the routes wrk measures."""
    # A DynamoDB collection's pages get their tag once its last change has settled (10 s,
    # docs/storage.md); the seeding was that change.
    time.sleep(11)
    base = shelf.base
    tags = {label: (path, ask_tag(f"{base}{path}"))
            for label, path in [("/", "/"), ("/items/{id}", f"/items/{item_id}")]}
    new_urls = itertools.count()

    def status(url: str, headers: dict | None = None) -> int:
        return servers.get(url, timeout=30, headers=headers)[0]

    print_calls(shelf.metrics_base, [
        ("GET /api/items (50)", lambda: status(f"{base}/api/items?limit=50")),
        ("GET /api/items/{id}", lambda: status(f"{base}/api/items/{item_id}")),
        ("GET / (list page, kept)", lambda: status(f"{base}/")),
        ("GET /?… (list page rendered)", lambda: status(f"{base}/?n={next(new_urls)}")),
        ("GET /items/{id} (item page, kept)", lambda: status(f"{base}/items/{item_id}")),
        ("GET /items/{id}?… (item page rendered)",
         lambda: status(f"{base}/items/{item_id}?n={next(new_urls)}")),
    ] + [
        (f"GET {label} revalidated (304)",
         lambda path=path, tag=tag: status(f"{base}{path}", {"If-None-Match": tag}))
        for label, (path, tag) in tags.items() if tag
    ] + [
        ("POST /api/items",
         lambda: servers.post_json(f"{base}/api/items", {"name": "Counted lamp"})[0]),
    ])
    # The posts changed the collection: settled again before wrk revalidates its pages.
    time.sleep(11)


def revalidation_script(url: str, path: pathlib.Path) -> str | None:
    """A wrk script sending the page's `ETag` back as `If-None-Match`; `None` without one."""
    tag = ask_tag(url)
    if not tag:
        return None
    path.write_text(f"wrk.headers[\"If-None-Match\"] = '{tag}'\n")
    return str(path)


def print_table(title: str, rows: list, baseline_rate: float) -> None:
    print(f"\n{title}")
    head = (f"{'route':<40} {'req/s':>9} {'p99 ms':>8} {'× baseline':>11} {'CPU ms/req':>11} "
            f"{'non-2xx':>8}")
    print(head)
    print("-" * len(head))
    for name, result in rows:
        print(f"{name:<40} {result['rate']:>9.0f} {result['p99_ms']:>8.2f} "
              f"{result['rate'] / baseline_rate:>10.2f}× {result.get('cpu_ms', 0):>11.3f} "
              f"{result['non_2xx']:>8}"
              + (f"  socket errors: {result['socket_errors']}" if result["socket_errors"] else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    servers.backend_option(parser)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    out = servers.output_folder()
    variants = run.processed_variants(out)

    def measure(url: str, script: str | None = None, pid: int | None = None) -> dict:
        return wrk(url, args.seconds, args.connections, script, pid)

    for backend in args.backend:
        with tempfile.TemporaryDirectory() as work:
            work = pathlib.Path(work)
            shelf = servers.Shelf(backend, work, out / f"bench-{backend}-shelf.log")
            baseline = None
            try:
                run.seed(shelf.base, variants, count=50)
                status, page = servers.get(f"{shelf.base}/api/items?limit=50")
                items = json.loads(page)
                assert status == 200 and len(items) == 50, f"seeded list: {status}, {len(items)}"
                (work / "items.json").write_bytes(page)
                port = servers.free_port()
                baseline = subprocess.Popen([str(BASELINE), str(work / "items.json"),
                                             f"127.0.0.1:{port}"])
                servers.wait_for(f"http://127.0.0.1:{port}/api/items")
                (work / "post.lua").write_text(POST_SCRIPT)
                for name, path in [("new-url", "/"), ("new-item-url", f"/items/{items[0]['id']}"),
                                   ("new-account-url", "/account")]:
                    (work / f"{name}.lua").write_text(NEW_URL_SCRIPT.replace("{path}", path))
                item = f"{shelf.base}/api/items/{items[0]['id']}"
                if backend == "aws":
                    print_aws_calls(shelf, items[0]["id"])
                pid = shelf.process.pid
                rows = [("baseline GET /api/items (memory)",
                         measure(f"http://127.0.0.1:{port}/api/items", pid=baseline.pid))]
                rows += [
                    ("GET /api/items (50)", measure(f"{shelf.base}/api/items?limit=50", pid=pid)),
                    ("GET /api/items/{id}", measure(item, pid=pid)),
                    ("GET / (list page, 50 cards)", measure(f"{shelf.base}/", pid=pid)),
                    ("GET /?… (list page rendered)",
                     measure(f"{shelf.base}/", str(work / "new-url.lua"), pid)),
                    ("GET /items/{id}?… (item page rendered)",
                     measure(f"{shelf.base}/", str(work / "new-item-url.lua"), pid)),
                    # Signed out, the account page only asks to sign in: the frame every page
                    # is rendered in, with nothing to read or show, what a page costs before
                    # its content.
                    ("GET /account?… (no content, rendered)",
                     measure(f"{shelf.base}/", str(work / "new-account-url.lua"), pid)),
                    ("GET /items/{id} (item page)",
                     measure(f"{shelf.base}/items/{items[0]['id']}", pid=pid)),
                ]
                for name, path in [("GET / revalidated (304)", "/"),
                                   ("GET /items/{id} revalidated (304)",
                                    f"/items/{items[0]['id']}")]:
                    script = revalidation_script(f"{shelf.base}{path}", work / "revalidate.lua")
                    if script:
                        rows.append((name, measure(f"{shelf.base}{path}", script, pid)))
                    else:
                        print(f"{backend}: {path} has no ETag, so no revalidation to measure")
                rows += [
                    # Last: it adds thousands of items, which the pages would then count
                    # (their tag filter) although they show the same 50.
                    ("POST /api/items",
                     measure(f"{shelf.base}/api/items", str(work / "post.lua"), pid)),
                ]
            finally:
                if baseline:
                    baseline.terminate()
                shelf.stop()
        print_table(f"{backend}: wrk -t2 -c{args.connections} -d{args.seconds}s, one run",
                    rows, rows[0][1]["rate"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
