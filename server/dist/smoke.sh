#!/usr/bin/env bash
# Smoke test of a running Shelf at URL (the ALB after a deploy, HAProxy in the rehearsal):
# ready, a page renders, and an item can be created, read, listed and deleted through the
# REST API. Leaves nothing behind on success. Usage: smoke.sh URL [LABEL]
set -euo pipefail
url="${1:?usage: smoke.sh URL [LABEL]}"
url="${url%/}"
label="${2:-smoke test}"
curl_() { curl --silent --show-error --max-time 10 "$@"; }
fail() { echo "smoke: $*" >&2; exit 1; }

ready=$(curl_ --fail "$url/readyz") || fail "/readyz failed"
[ "$(jq -r .status <<<"$ready")" = ready ] || fail "/readyz: $ready"

curl_ --fail "$url/" | grep -q '<main' || fail "the list page did not render"

body=$(jq -n --arg name "$label $(date -u +%FT%TZ)" '{name: $name, description: "deleted at once"}')
created=$(curl_ --fail -X POST -H 'content-type: application/json' --data "$body" "$url/api/items") \
  || fail "create failed"
id=$(jq -r .id <<<"$created")
[ -n "$id" ] && [ "$id" != null ] || fail "create answered without an id: $created"
trap 'curl_ -X DELETE "$url/api/items/$id" >/dev/null || true' EXIT

curl_ --fail "$url/api/items/$id" | jq -e --arg id "$id" '.id == $id' >/dev/null \
  || fail "the new item cannot be read back"
curl_ --fail "$url/api/items?limit=100" | jq -e --arg id "$id" 'any(.[]; .id == $id)' >/dev/null \
  || fail "the new item is not listed"
status=$(curl_ -o /dev/null -w '%{http_code}' -X DELETE "$url/api/items/$id")
[ "$status" = 204 ] || fail "delete answered $status"
trap - EXIT
status=$(curl_ -o /dev/null -w '%{http_code}' "$url/api/items/$id")
[ "$status" = 404 ] || fail "the deleted item still answers $status"
echo "smoke: $url ok"
