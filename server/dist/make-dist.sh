#!/usr/bin/env bash
# Packs the release build into target/dist/shelf-<version>-<commit>-<target>.tar.gz with its
# SHA-256 beside it: the `shelf` binary, the `site/` folder, the systemd unit and the env file
# template. Run through `make dist`, which builds first.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
target="${DIST_TARGET:-x86_64-unknown-linux-gnu}"
binary="target/release/shelf"
[ -x "$binary" ] && [ -d target/site/pkg ] || { echo "no release build: run make build" >&2; exit 1; }
# "shelf 0.1.0 (3f2a9c1d0b7e)" → 0.1.0 and 3f2a9c1d0b7e: the name says what the binary says.
read -r _ version commit < <("$binary" --version | tr -d '()')
[ -n "${commit:-}" ] || { echo "$binary --version names no commit: rebuild it" >&2; exit 1; }
name="shelf-$version-$commit-$target"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name"
cp "$binary" "$stage/$name/shelf"
cp -r target/site "$stage/$name/site"
cp server/dist/shelf.service server/dist/shelf.env.example "$stage/$name/"
# target/dist holds the one release just built (the rehearsal and CI pick it up by pattern).
rm -rf target/dist
mkdir -p target/dist
# Reproducible archive: fixed owner, order and times.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@0" \
  -C "$stage" -czf "target/dist/$name.tar.gz" "$name"
(cd target/dist && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "target/dist/$name.tar.gz"
