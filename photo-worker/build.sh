#!/usr/bin/env bash
# Builds the photo worker into public/photo-worker/{worker.js, photo_worker.js,
# photo_worker_bg.wasm} (ignored by git). cargo-leptos copies public/ into the site (and
# precompresses it) on every build, `watch` included, so run this first; `make build` does.
#
# The worker is a separate wasm from the page's: it is only fetched when a photo is picked.
# It is compiled with wasm SIMD (fast_image_resize uses it); the page's wasm is not, so a
# browser without SIMD still gets a working page.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${WORKER_PROFILE:-worker-release}"
out="${WORKER_OUT:-public/photo-worker}"

# Its own target dir: the flags differ from the page's wasm, and sharing one would make
# each build throw away the other's artefacts.
RUSTFLAGS="--cfg erase_components -C target-feature=+simd128" \
  cargo build -p photo-worker --lib --target wasm32-unknown-unknown --profile "$profile" \
  --target-dir target/worker
rm -rf "$out" && mkdir -p "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name photo_worker \
  "target/worker/wasm32-unknown-unknown/$profile/photo_worker.wasm"
wasm-opt -O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out/photo_worker_bg.wasm" -o "$out/photo_worker_bg.wasm"
cp photo-worker/worker.js "$out/worker.js"
echo "photo worker: $(stat -c %s "$out/photo_worker_bg.wasm") bytes wasm, $(gzip -9c "$out/photo_worker_bg.wasm" | wc -c) gzipped"
