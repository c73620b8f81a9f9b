#!/usr/bin/env bash
# Peak memory per hostile photo (issue 15): natively (the `shrink` example: peak RSS from
# /usr/bin/time, and the pipeline's peak heap from its counting allocator) and in the photo
# worker in Chromium (its wasm memory afterwards).
#
#   make hostile-photos        (builds the release site first)
#
# The files are made by `cargo run -p imaging --release --example hostile`; see there.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/hostile
rm -rf "$work" && mkdir -p "$work"
cargo build -q -p imaging --release --example hostile --example shrink
target/release/examples/hostile "$work/files" 2>/dev/null

echo "natively (target/release/examples/shrink):"
printf '%-24s %7s  %-16s %6s  %8s  %9s\n' file MB result ms "RSS MiB" "heap MiB"
for file in "$work"/files/*; do
  /usr/bin/time -f '%M' -o "$work/rss" target/release/examples/shrink "$file" "$work/out" > "$work/report.json" 2>/dev/null || true
  python3 - "$file" "$work/rss" "$work/report.json" <<'PY'
import json, os, sys
path, rss, report = sys.argv[1:]
data = json.load(open(report))
kib = int(open(rss).read().split()[-1])
print(f"{os.path.basename(path):24} {os.path.getsize(path) / 1e6:7.1f}  {data.get('code', 'ok'):16} "
      f"{data.get('ms', {}).get('total', 0):6.0f}  {kib / 1024:8.0f}  {data['peak_heap_mib']:9.1f}")
PY
done

target/release/shelf --addr 127.0.0.1:3301 --metrics-addr 127.0.0.1:0 --data-dir "$work/data" \
  --site-root target/site --log-filter warn --anonymous-access edit &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:3301/readyz >/dev/null && break; sleep 0.1; done
cd end2end && node bench/hostile-photos.mjs "http://127.0.0.1:3301" "../$work/files"
