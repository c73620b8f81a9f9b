"""How long a bulk change of 1000 items takes, and the DynamoDB calls it makes (`make bench-bulk`).

    python loadtest/bulk_bench.py [--backend embedded aws] [--items 1000]

For each backend: Shelf's release binary, `--items` items tagged "bench" created over REST,
then `POST /api/items/bulk` with `matching: {tag: [bench]}` to move them into a location, tag
them and untag them, and the first 100 picked by id and version deleted. Prints each change's
time and what it reported, and on AWS the store calls the whole run made (from /metrics).
Nothing is asserted: these are measurements. On AWS, moto answers one call at a time, so its
seconds are moto's; the calls per item carry to DynamoDB.
"""

import argparse
import json
import pathlib
import re
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import servers  # noqa: E402


def post(url: str, body: dict) -> dict:
    status, answer = servers.post_json(url, body, timeout=600)
    assert status in (200, 201), f"{url}: {status} {answer!r}"
    return answer


def measure(shelf: servers.Shelf, items: int) -> None:
    api = f"{shelf.base}/api"
    location = post(f"{api}/locations", {"name": "Bench shelf"})["id"]
    for i in range(items):
        post(f"{api}/items", {"name": f"Bench jar {i}", "tags": ["bench"]})
    every = {"matching": {"tag": ["bench"]}}
    changes = [
        (f"move {items} (every result)", {**every, "action": "move", "to": location}),
        (f"tag {items} (every result)", {**every, "action": "tag", "add_tags": ["moved"]}),
        (f"untag {items} (every result)", {**every, "action": "tag", "remove_tags": ["moved"]}),
    ]
    for label, body in changes:
        started = time.perf_counter()
        report = post(f"{api}/items/bulk", body)
        print(f"  {label:<32} {(time.perf_counter() - started) * 1000:>8.0f} ms"
              f"   changed {report['changed']}, failed {len(report['failed'])}")
    status, page = servers.get(f"{api}/items?tag=bench&limit=100")
    assert status == 200, status
    picks = [f"{item['id']}.{item['version']}" for item in json.loads(page)]
    started = time.perf_counter()
    report = post(f"{api}/items/bulk", {"items": picks, "action": "delete"})
    print(f"  {f'delete {len(picks)} (picked)':<32} "
          f"{(time.perf_counter() - started) * 1000:>8.0f} ms   changed {report['changed']}")
    if shelf.backend == "aws":
        _, metrics = servers.get(f"{shelf.metrics_base}/metrics")
        calls = re.findall(r'^shelf_aws_calls_total\{service="DynamoDB",operation="(\w+)"\} (\d+)',
                           metrics.decode(), re.MULTILINE)
        print("  DynamoDB calls over the whole run (creates included): "
              + ", ".join(f"{operation} {count}" for operation, count in calls))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    servers.backend_option(parser)
    parser.add_argument("--items", type=int, default=1000)
    args = parser.parse_args()
    out = servers.output_folder()
    for backend in args.backend:
        print(f"{backend}:")
        with tempfile.TemporaryDirectory() as work:
            shelf = servers.Shelf(backend, pathlib.Path(work), out / f"bulk-{backend}-shelf.log")
            try:
                measure(shelf, args.items)
            finally:
                shelf.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
