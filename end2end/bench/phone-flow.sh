#!/usr/bin/env bash
# Three phone photos from pick to saved, on an emulated phone (end2end/bench/phone-flow.mjs),
# against the release build on the embedded store.
#
#   make build setup-e2e && bash end2end/bench/phone-flow.sh
#
# The photos: the Nokia 8.3 and iPhone 6 photos from testdata/, and the Nokia's again under
# another name (testdata/ holds two phone JPEGs). To compare builds, start each and run
# `node bench/phone-flow.mjs before=http://… after=http://… -- photo …` from end2end/.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/bench/phone-flow
rm -rf "$work" && mkdir -p "$work"
cp testdata/photos/phones/nokia83_gps.jpg "$work/first.jpg"
cp testdata/photos/phones/iphone6_gps.jpg "$work/second.jpg"
cp testdata/photos/phones/nokia83_gps.jpg "$work/third.jpg"

port=3301
target/release/shelf --addr 127.0.0.1:$port --data-dir "$work/data" --site-root target/site \
  --log-filter warn --anonymous-access edit &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:$port/readyz >/dev/null && break; sleep 0.1; done
cd end2end && node bench/phone-flow.mjs "shelf=http://127.0.0.1:$port" -- \
  "../$work/first.jpg" "../$work/second.jpg" "../$work/third.jpg"
