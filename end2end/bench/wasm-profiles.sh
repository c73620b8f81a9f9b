#!/usr/bin/env bash
# Size and speed of the browser wasm under each opt-level of the `wasm-release` profile.
#
#   make setup setup-e2e && bash end2end/bench/wasm-profiles.sh
#
# Builds the site once per opt-level (s, z, 3; via CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL, so
# Cargo.toml is untouched), prints raw/gzip/brotli sizes, then serves each build from the same
# release binary on its own port over one SQLite file of 50 items and times hydration in
# Chromium (bench/hydration.mjs). Leaves target/site built with the profile as committed.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/target/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
work=target/bench/wasm-profiles
rm -rf "$work" && mkdir -p "$work"
levels=(s z 3)

printf '%-6s %10s %10s %10s\n' opt-level raw gzip brotli
for level in "${levels[@]}"; do
  CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL=$level cargo leptos build --release --split >"$work/build-$level.log" 2>&1
  cp -r target/site "$work/site-$level"
  wasm="$work/site-$level/pkg/shelf.wasm"
  printf '%-6s %10d %10d %10d\n' "$level" "$(stat -c %s "$wasm")" \
    "$(gzip -9c "$wasm" | wc -c)" \
    "$(node -e 'const z=require("zlib");process.stdout.write(String(z.brotliCompressSync(require("fs").readFileSync(process.argv[1])).length))' "$wasm")"
done
cargo leptos build --release --split >"$work/build-committed.log" 2>&1

data="$work/data"
mkdir -p "$data"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
port=3200
args=()
for level in "${levels[@]}"; do
  port=$((port + 1))
  target/release/shelf --addr "127.0.0.1:$port" --data-dir "$data" \
    --site-root "$work/site-$level" --log-filter warn --anonymous-access edit &
  pids+=($!)
  args+=("opt-$level=http://127.0.0.1:$port")
done
for _ in $(seq 50); do curl -sf http://127.0.0.1:3201/readyz >/dev/null && break; sleep 0.1; done
for i in $(seq 50); do
  curl -sf -X POST http://127.0.0.1:3201/api/items -H 'content-type: application/json' \
    -d "{\"name\": \"Benchmark item $i\", \"description\": \"A description long enough to wrap onto a second line in the card, like real ones.\"}" >/dev/null
done
cd end2end && node bench/hydration.mjs "${args[@]}"
