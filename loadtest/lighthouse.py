"""Lighthouse's mobile audit of the list, item and edit pages, with photos (`make lighthouse`).

    python loadtest/lighthouse.py [--runs 1] [--min-score 90] [--out target/lighthouse]

Starts Shelf's release binary on the embedded store with 50 items (the newest 12 with a phone
photo: the list's first screenful has covers), then runs Lighthouse 12 from npm, driving
Debian's Chromium, on `/`, on the newest item's page and on its edit page, with Lighthouse's
defaults: a mobile screen and its simulated throttling (slow 4G, 4× slower CPU). Prints each
page's four category scores and its LCP, TBT and CLS (the median run's, with `--runs` above 1:
scores vary from run to run) and keeps the JSON reports in `--out`.

With `--min-score`, exits 1 if any page's score in any category is below it: `make test` runs
it with 90 (`make lighthouse-check`, the median of three runs), under the goals (95 for
performance, 100 for the rest; docs/performance.md), so that a page which became slow or lost
an accessibility property fails while run-to-run noise does not.
"""

import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import run  # noqa: E402
import servers  # noqa: E402

LIGHTHOUSE = servers.ROOT / "target" / "tools" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
ATTEMPTS = 3
# The flags Chromium needs on this machine, plus a headless window.
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update")


def audit(url: str, report: pathlib.Path) -> dict:
    """One Lighthouse run of `url`: its category scores (0–100) and metrics.

    Lighthouse now and then fails to record its own trace of a load (`NO_NAVSTART`, exit 1):
    that run is taken again, at most `ATTEMPTS` times in all; a page that does not load fails
    every attempt."""
    for attempt in range(1, ATTEMPTS + 1):
        finished = subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
            env={**os.environ, "CHROME_PATH": chromium()}, capture_output=True, text=True)
        if finished.returncode == 0:
            break
        print(f"Lighthouse attempt {attempt} of {url} failed: "
              f"{finished.stderr.strip().splitlines()[-1:] or finished.returncode}", flush=True)
    else:
        raise RuntimeError(f"Lighthouse could not audit {url} in {ATTEMPTS} attempts")
    result = json.loads(report.read_text())
    if result.get("runtimeError"):
        raise RuntimeError(f"Lighthouse could not audit {url}: {result['runtimeError']}")
    audits = result["audits"]
    return {
        **{name: round(100 * (result["categories"][name]["score"] or 0)) for name in CATEGORIES},
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "failed": [f"{name}: {audit['title']}" for name, audit in audits.items()
                   if audit.get("score") is not None and audit["score"] < 1
                   and audit.get("scoreDisplayMode") == "binary"],
    }


def chromium() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not path:
        raise SystemExit("needs Debian's Chromium: make setup-e2e")
    return path


def median_run(runs: list) -> dict:
    """The run whose performance score is the median one (its metrics belong together)."""
    middle = statistics.median_low([result["performance"] for result in runs])
    return next(result for result in runs if result["performance"] == middle)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--min-score", type=int)
    parser.add_argument("--out", type=pathlib.Path, default=servers.ROOT / "target" / "lighthouse")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    variants = run.processed_variants(servers.output_folder())

    with tempfile.TemporaryDirectory() as work:
        shelf = servers.Shelf("embedded", pathlib.Path(work), args.out / "shelf.log")
        try:
            for n in range(38):
                status, _ = servers.post_json(f"{shelf.base}/api/items", {
                    "name": f"Older item {n + 1}", "description": "Added before the photos."})
                assert status == 201, f"seeding: {status}"
            # run.seed gives its first 12 items a photo: the newest 12, listed first.
            run.seed(shelf.base, variants, count=run.SEED_WITH_PHOTOS)
            newest = json.loads(servers.get(f"{shelf.base}/api/items?limit=1")[1])[0]["id"]
            pages = {"list": "/", "item": f"/items/{newest}", "edit": f"/items/{newest}/edit"}
            results = {}
            for name, path in pages.items():
                runs = [audit(shelf.base + path, args.out / f"{name}-{n}.json")
                        for n in range(args.runs)]
                results[name] = median_run(runs)
        finally:
            shelf.stop()

    head = (f"{'page':<6} " + " ".join(f"{name:>14}" for name in CATEGORIES)
            + f" {'LCP ms':>8} {'TBT ms':>8} {'CLS':>6}")
    print(f"\nLighthouse {lighthouse_version()}, mobile, simulated throttling"
          f"{f', median of {args.runs} runs' if args.runs > 1 else ''}")
    print(head)
    print("-" * len(head))
    below = []
    for name, result in results.items():
        print(f"{name:<6} " + " ".join(f"{result[c]:>14}" for c in CATEGORIES)
              + f" {result['lcp_ms']:>8.0f} {result['tbt_ms']:>8.0f} {result['cls']:>6.3f}")
        for audit_name in result["failed"]:
            print(f"         failed audit: {audit_name}")
        if args.min_score is not None:
            below += [f"{name} {c} {result[c]}" for c in CATEGORIES
                      if result[c] < args.min_score]
    if below:
        print(f"\nBelow {args.min_score}: {', '.join(below)} (reports in {args.out})")
        return 1
    return 0


def lighthouse_version() -> str:
    return subprocess.run([str(LIGHTHOUSE), "--version"], check=True, capture_output=True,
                          text=True).stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
