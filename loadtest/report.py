"""Tables of a load run: Locust's per-request figures from its CSV, and Shelf's own share of
each request's time from two scrapes of `/metrics` (before and after the run)."""

import csv
import math
import re

SAMPLE = re.compile(r'^(\w+)\{(.*)\} (\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def locust_rows(stats_csv: str) -> list:
    with open(stats_csv, newline="") as f:
        return list(csv.DictReader(f))


def print_locust(title: str, rows: list) -> None:
    print(f"\n{title}")
    head = f"{'request':<44} {'reqs':>7} {'fails':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}"
    print(head)
    print("-" * len(head))
    for row in rows:
        name = "overall" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        print(f"{name[:44]:<44} {row['Request Count']:>7} {row['Failure Count']:>6} "
              f"{float(row['Requests/s']):>7.1f} {row['50%']:>6} {row['95%']:>6} "
              f"{row['99%']:>6} {float(row['Max Response Time']):>7.0f}")
    print("(times in ms)")


def print_failures(failures_csv: str) -> None:
    """Locust's failures, grouped by request and message, if there were any."""
    for row in locust_rows(failures_csv):
        print(f"FAILED {row['Occurrences']}x {row['Method']} {row['Name']}: {row['Error'][:300]}")


def failures(rows: list) -> int:
    return sum(int(r["Failure Count"]) for r in rows if r["Name"] == "Aggregated")


def print_cpu(rows: list, cpu_seconds: float) -> None:
    """Shelf's CPU time per request it served (requests straight to S3 are not its own)."""
    served = sum(int(r["Request Count"]) for r in rows
                 if r["Name"] != "Aggregated" and "S3" not in r["Name"])
    if served:
        print(f"Shelf used {cpu_seconds:.2f} s of CPU for {served} requests: "
              f"{1000 * cpu_seconds / served:.3f} ms per request")


def parse_metrics(text: str) -> dict:
    """(metric name, frozenset of labels) → value."""
    samples = {}
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if match:
            name, labels, value = match.groups()
            samples[(name, frozenset(LABEL.findall(labels)))] = float(value)
    return samples


def _by_route(samples: dict, metric: str, suffix: str) -> dict:
    """(method, route) → value summed over statuses (and, for buckets, by `le`)."""
    out: dict = {}
    for (name, labels), value in samples.items():
        if name != metric + suffix:
            continue
        labels = dict(labels)
        key = (labels["method"], labels["route"])
        if suffix == "_bucket":
            key = key + (float(labels["le"]),)
        out[key] = out.get(key, 0.0) + value
    return out


def _delta(before: dict, after: dict) -> dict:
    return {k: v - before.get(k, 0.0) for k, v in after.items() if v - before.get(k, 0.0) > 0}


def _quantile(buckets: dict, q: float) -> float:
    """Prometheus' histogram_quantile: linear within the bucket the quantile falls in."""
    bounds = sorted(buckets)
    total = buckets[bounds[-1]]
    rank, lower, below = q * total, 0.0, 0.0
    for bound in bounds:
        if buckets[bound] >= rank:
            if math.isinf(bound):
                return lower
            share = (rank - below) / max(buckets[bound] - below, 1e-9)
            return lower + (bound - lower) * share
        lower, below = bound, buckets[bound]
    return lower


def print_own_share(title: str, before: dict, after: dict) -> None:
    """Per route: requests, mean and p99 time, mean time in store calls, mean and p95 of
    Shelf's own; and the p99 of all of them together (the server's side of the run's p99,
    without the load generator's own delays)."""
    request = "shelf_http_request_duration_seconds"
    own = "shelf_http_request_app_duration_seconds"
    counts = _delta(_by_route(before, request, "_count"), _by_route(after, request, "_count"))
    sums = _delta(_by_route(before, request, "_sum"), _by_route(after, request, "_sum"))
    own_sums = _by_route(after, own, "_sum")
    own_before = _by_route(before, own, "_sum")
    buckets = _delta(_by_route(before, own, "_bucket"), _by_route(after, own, "_bucket"))
    whole = _delta(_by_route(before, request, "_bucket"), _by_route(after, request, "_bucket"))
    print(f"\n{title}")
    head = (f"{'route':<44} {'reqs':>7} {'mean':>7} {'p99':>7} {'store':>7} {'own':>7} "
            f"{'own p95':>8} {'own %':>6}")
    print(head)
    print("-" * len(head))
    served = [key for key in counts if key[1] not in ("/metrics", "/readyz", "/healthz")]
    for key in sorted(served, key=lambda k: -counts[k]):
        method, route = key
        n = counts[key]
        mean = sums.get(key, 0.0) / n
        mine = (own_sums.get(key, 0.0) - own_before.get(key, 0.0)) / n
        route_buckets = {le: v for (m, r, le), v in buckets.items() if (m, r) == key}
        p95 = _quantile(route_buckets, 0.95) if route_buckets else 0.0
        p99 = _quantile({le: v for (m, r, le), v in whole.items() if (m, r) == key}, 0.99)
        print(f"{(method + ' ' + route)[:44]:<44} {n:>7.0f} {mean * 1e3:>7.2f} {p99 * 1e3:>7.2f} "
              f"{(mean - mine) * 1e3:>7.2f} {mine * 1e3:>7.2f} {p95 * 1e3:>8.2f} "
              f"{100 * mine / mean if mean else 0:>5.0f}%")
    together: dict = {}
    for (method, route, le), value in whole.items():
        if (method, route) in served:
            together[le] = together.get(le, 0.0) + value
    if together:
        print(f"{'all of them':<44} {sum(counts[k] for k in served):>7.0f} {'':>7} "
              f"{_quantile(together, 0.99) * 1e3:>7.2f}")
    print("(ms, from /metrics: time to response headers; 'store' = waiting on the item and "
          "photo stores, 'own' = the rest; p99 and p95 interpolated within histogram buckets)")
