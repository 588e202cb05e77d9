#!/usr/bin/env bash
# fleet-rss.sh N: the peak memory of `ssoaudit scan --config` over a fleet of
# N live targets (default 1000), measured with /usr/bin/time -v against
# cmd/fakeokta in another process, and checked against the budget: 64 MiB
# plus the JSON report's size (the report may buffer results; nothing else
# may grow with the fleet).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
tmp=$(mktemp -d)
fake_pid=
cleanup() { [ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

go build -o "$tmp/ssoaudit" ./cmd/ssoaudit
go build -o "$tmp/fakeokta" ./internal/testkit/oktatest/cmd/fakeokta
"$tmp/fakeokta" -snapshot testdata/snapshots/good -cert "$tmp/ca.pem" >"$tmp/fake.env" &
fake_pid=$!
for _ in $(seq 50); do grep -q FAKEOKTA_APP_ID "$tmp/fake.env" 2>/dev/null && break; sleep 0.1; done
# shellcheck disable=SC1091
. "$tmp/fake.env"

{
  echo "targets:"
  for i in $(seq -w 1 "$n"); do
    printf '  - name: t%s\n    okta: {org_url: %s, app_id: %s}\n    druva: %s\n' \
      "$i" "$OKTA_CLIENT_ORGURL" "$FAKEOKTA_APP_ID" "$PWD/testdata/snapshots/good/druva.yaml"
  done
} >"$tmp/fleet.yaml"

set +e
OKTA_CLIENT_TOKEN=$OKTA_CLIENT_TOKEN SSL_CERT_FILE=$FAKEOKTA_CA /usr/bin/time -v \
  "$tmp/ssoaudit" scan --config "$tmp/fleet.yaml" --output "$tmp/report.json" 2>"$tmp/time.txt"
code=$?
set -e
[ -f "$tmp/report.json" ] || { head -20 "$tmp/time.txt"; exit 1; }
rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$tmp/time.txt")
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tmp/time.txt")
json=$(stat -c %s "$tmp/report.json")
budget_kb=$(( 64 * 1024 + json / 1024 ))
echo "targets: $n  exit: $code  wall: $wall  max RSS: $((rss_kb / 1024)) MiB  JSON report: $((json / 1048576)) MiB  budget: $((budget_kb / 1024)) MiB"
[ "$rss_kb" -lt "$budget_kb" ] || { echo "over budget"; exit 1; }
