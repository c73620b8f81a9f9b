#!/usr/bin/env bash
# Size and speed of the photo worker's wasm under each opt-level of `worker-release`.
#
#   make build setup-e2e && bash end2end/bench/worker-profiles.sh
#
# Builds the worker at opt-level 3, s and z (CARGO_PROFILE_WORKER_RELEASE_OPT_LEVEL; the
# committed profile is untouched), prints raw and gzip sizes, then runs the photo-pipeline
# benchmark against each build (served from copies of the site by the release binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/target/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
work=target/bench/worker-profiles
rm -rf "$work" && mkdir -p "$work"
levels=(3 s z)
printf '%-9s %10s %10s\n' opt-level raw gzip
for level in "${levels[@]}"; do
  CARGO_PROFILE_WORKER_RELEASE_OPT_LEVEL=$level WORKER_OUT="$work/photo-worker-$level" \
    bash photo-worker/build.sh >"$work/build-$level.log" 2>&1
  wasm="$work/photo-worker-$level/photo_worker_bg.wasm"
  printf '%-9s %10d %10d\n' "$level" "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)"
  cp -r target/site "$work/site-$level"
  rm -rf "$work/site-$level/photo-worker" && cp -r "$work/photo-worker-$level" "$work/site-$level/photo-worker"
done
bash end2end/bench/photo-pipeline.sh >/dev/null 2>&1 || true   # prepares the inputs
inputs=target/bench/photo-pipeline
port=3400
for level in "${levels[@]}"; do
  port=$((port + 1))
  target/release/shelf --addr "127.0.0.1:$port" --data-dir "$work/data-$level" \
    --site-root "$work/site-$level" --log-filter warn --anonymous-access edit &
  pid=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  echo; echo "=== worker built at opt-level $level"
  (cd end2end && node bench/photo-pipeline.mjs "http://127.0.0.1:$port" "../$inputs" nokia twelve) | grep -v '^$'
  kill "$pid"
done
