#!/usr/bin/env bash
# Runs a command with local AWS servers on 127.0.0.1, stopping them afterwards however it ends:
#   moto_server (DynamoDB, and S3 for browsers: it answers CORS preflights; one request at a
#   time, see moto_serial.py) and
#   s3s-fs (S3 that really checks pre-signed signatures, sizes, types and expiry).
# Their URLs are passed in SHELF_TEST_MOTO_URL and SHELF_TEST_S3_URL (s3s-fs), their process
# ids in SHELF_TEST_MOTO_PID and SHELF_TEST_S3_PID (for the outage test), the venv's Python
# (boto3) in SHELF_TEST_PYTHON. Needs target/tools/venv (moto) and s3s-fs:
# `make setup-aws`.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
venv="$root/target/tools/venv"
work="$(mktemp -d)"
pids=()
stop() {
  # CONT first: a server the outage test left stopped would never act on the TERM.
  for pid in "${pids[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # url name log
  for _ in $(seq 1 100); do
    if curl -s -o /dev/null "$1"; then return 0; fi
    sleep 0.1
  done
  echo "$2 did not start; its log:" >&2
  cat "$3" >&2
  exit 1
}

moto_port="$(free_port)"
"$venv/bin/python" "$root/server/tests/moto_serial.py" 127.0.0.1 "$moto_port" >"$work/moto.log" 2>&1 &
moto_pid=$!
pids+=("$moto_pid")
s3s_port="$(free_port)"
mkdir -p "$work/s3"
s3s-fs --host 127.0.0.1 --port "$s3s_port" \
  --access-key shelf-test --secret-key shelf-test-secret-key "$work/s3" >"$work/s3s.log" 2>&1 &
s3s_pid=$!
pids+=("$s3s_pid")
wait_for "http://127.0.0.1:$moto_port/moto-api/" moto_server "$work/moto.log"
wait_for "http://127.0.0.1:$s3s_port/" s3s-fs "$work/s3s.log"

export SHELF_TEST_MOTO_URL="http://127.0.0.1:$moto_port"
export SHELF_TEST_S3_URL="http://127.0.0.1:$s3s_port"
export SHELF_TEST_MOTO_PID="$moto_pid" SHELF_TEST_S3_PID="$s3s_pid"
export SHELF_TEST_PYTHON="$venv/bin/python"
"$@"
