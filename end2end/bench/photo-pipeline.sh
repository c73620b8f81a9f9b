#!/usr/bin/env bash
# Our Worker+WASM photo pipeline against the canvas approach, in one headless Chromium page.
#
#   make build setup-e2e && bash end2end/bench/photo-pipeline.sh
#
# Inputs: the Nokia 8.3 phone photo from testdata/ (4608 × 1976, 9.1 MP) and a
# 12 MP JPEG generated here (4000 × 3000, from the iPhone 6 photo). References for SSIM are
# full-resolution decodes resized with ImageMagick's Lanczos filter (an implementation
# independent of both pipelines). Needs ImageMagick (`apt-get install imagemagick`).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v convert >/dev/null || { echo "needs ImageMagick: apt-get install imagemagick"; exit 1; }
testdata=testdata/photos
work=target/bench/photo-pipeline
rm -rf "$work" && mkdir -p "$work"

cp "$testdata/phones/nokia83_gps.jpg" "$work/nokia.jpg"
convert "$testdata/phones/iphone6_gps.jpg" -resize '4000x3000!' -quality 92 "$work/twelve.jpg"
for name in nokia twelve; do
  read -r width height < <(identify -format '%w %h\n' "$work/$name.jpg")
  for edge in 1600 400; do
    # The same fit as imaging::resize::fit_within: long edge = edge, other side rounded.
    if (( width >= height )); then w=$edge; h=$(( (height * edge + width / 2) / width ));
    else h=$edge; w=$(( (width * edge + height / 2) / height )); fi
    convert "$work/$name.jpg" -auto-orient -filter Lanczos -resize "${w}x${h}!" -depth 8 -strip "$work/$name-ref-$edge.png"
  done
done

target/release/shelf --addr 127.0.0.1:3300 --data-dir "$work/data" --site-root target/site --log-filter warn --anonymous-access edit &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:3300/readyz >/dev/null && break; sleep 0.1; done
cd end2end && node bench/photo-pipeline.mjs "http://127.0.0.1:3300" "../$work" nokia twelve
