#!/usr/bin/env bash
# Checks the release tarball the way an instance's user data uses it: verify the checksum,
# unpack, install the unit under a scratch root (systemd-analyze verify), run the binary from
# the unpacked folder and see it serve a page and /readyz. Run through `make dist-check`,
# which builds the tarball first: check-dist.sh TARBALL
set -euo pipefail
tarball="${1:?usage: check-dist.sh TARBALL}"
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

(cd "$(dirname "$tarball")" && sha256sum --check --quiet "$(basename "$tarball").sha256")
mkdir -p "$work/opt/shelf" "$work/etc/systemd/system"
tar -xzf "$tarball" -C "$work/opt/shelf"
name="$(basename "$tarball" .tar.gz)"
ln -s "$work/opt/shelf/$name" "$work/opt/shelf/current"
for file in shelf site/pkg/shelf.wasm site/pkg/shelf.js site/pkg/shelf.css shelf.service shelf.env.example; do
  [ -e "$work/opt/shelf/current/$file" ] || { echo "missing from the tarball: $file" >&2; exit 1; }
done
"$work/opt/shelf/current/shelf" --version | grep -q "^shelf $(echo "$name" | cut -d- -f2) (" \
  || { echo "the binary's version does not match the tarball's name" >&2; exit 1; }

# The unit, with its paths pointing into the scratch root; the only finding allowed is none.
sed "s#/opt/shelf/current#$work/opt/shelf/current#g; s#^EnvironmentFile=.*#EnvironmentFile=-$work/shelf.env#" \
  "$work/opt/shelf/current/shelf.service" > "$work/etc/systemd/system/shelf.service"
if command -v systemd-analyze >/dev/null; then
  findings="$(systemd-analyze verify --man=no "$work/etc/systemd/system/shelf.service" 2>&1 || true)"
  if [ -n "$findings" ]; then echo "systemd-analyze: $findings" >&2; exit 1; fi
  unit="unit verified"
else
  unit="unit NOT verified (no systemd-analyze on this machine)"
fi

# Serves from the unpacked folder alone (embedded store, no Cargo.toml, no target/).
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
(cd "$work" && exec "$work/opt/shelf/current/shelf" --addr "127.0.0.1:$port" \
  --data-dir "$work/data" --site-root "$work/opt/shelf/current/site" --log-format text --log-filter warn \
  --anonymous-access edit) &
pid=$!
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null
curl -sf "http://127.0.0.1:$port/pkg/shelf.wasm" -o /dev/null
curl -sf "http://127.0.0.1:$port/" | grep -q "<html"
echo "dist ok: $(basename "$tarball") ($(du -h "$tarball" | cut -f1)), sha256 verified, $unit, serves"
