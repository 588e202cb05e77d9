#!/usr/bin/env bash
# nightly.sh: a scheduled compliance scan of the Okta ↔ Druva SSO set-up.
#
# Each run:
#   1. saves the live Okta apps as snapshots, evidence/YYYY-MM-DD/users/ and
#      evidence/YYYY-MM-DD/admin/ (read-only API calls), with the Druva console's
#      druva.yaml copied beside them as evidence/YYYY-MM-DD/druva.yaml, so the
#      audit can be reproduced and shown to an auditor later;
#   2. audits them with the config (examples/nightly/ssoaudit.yaml by default),
#      whose paths read ${SSOAUDIT_EVIDENCE} — this night's directory, exported
#      here — so the config is the same every night; into reports/YYYY-MM-DD.json
#      (and .html for people) and the run's Prometheus metrics to metrics.prom
#      (in METRICS_DIR: point it at node_exporter's --collector.textfile.directory
#      to alert on them, e.g. with examples/prometheus/ssoaudit.rules.yml);
#   3. compares it with the previous night's report (ssoaudit diff) and writes
#      the difference to reports/YYYY-MM-DD.diff.md.
#
# Druva recommends one Okta app for users and one for administrators (relay
# state adminlogin on inSync): both are audited, as one deployment, so
# druva.admin.sign-in-path sees the administrators' way in.
#
# Exit status (for cron's MAILTO, a Kubernetes Job's failure alert, etc.):
#   0  nothing new: no new fail or error at or above FAIL_ON (findings that were
#      already failing yesterday do not page anyone twice; they stay in the report)
#   1  new findings since the previous report (or, on the first run, any finding
#      at or above FAIL_ON)
#   2  usage or configuration error (bad druva.yaml, missing settings)
#   3  incomplete: Okta data was missing, unreadable or refused
#
# Settings (environment):
#   OKTA_CLIENT_ORGURL  https://acme.okta.com                        (required for live)
#   OKTA_CLIENT_TOKEN   read-only API token (okta.apps.read, okta.users.read,
#                       okta.policies.read, okta.domains.read)
#   OKTA_APP_ID         the users' Druva app (0oa…)
#   OKTA_ADMIN_APP_ID   the administrators' Druva app (0oa…)
#   DRUVA_YAML          the Druva console's settings (required: both targets read it)
#   SSOAUDIT_CONFIG     the config (default: ssoaudit.yaml beside this script); its
#                       targets' snapshot names must be users and admin
#   DATA_DIR            where reports/ and evidence/ live (default: .)
#   METRICS_DIR         where metrics.prom goes (default: DATA_DIR/reports); or
#                       METRICS_FILE, the file itself (e.g. .../ssoaudit.prom)
#   FAIL_ON             severity threshold (default: high)
#   SSOAUDIT            the ssoaudit binary (default: ssoaudit on PATH)
#   REPORT_DATE         the report's date (default: today, UTC), e.g. to re-run a day
#   SOURCE_SNAPSHOT, SOURCE_ADMIN_SNAPSHOT
#                       dry run: copy these snapshot directories instead of calling
#                       Okta (DRUVA_YAML defaults to SOURCE_SNAPSHOT/druva.yaml), e.g.
#                       SOURCE_SNAPSHOT=testdata/snapshots/good
#                       SOURCE_ADMIN_SNAPSHOT=testdata/snapshots/admin
#
# The evidence directories hold Okta's responses verbatim: okta/app.json
# contains the Druva SSO token (as Okta's attribute value) and okta/users.json
# the assigned users' emails. They are created readable by the owner only.
# Reports never contain the token (at most its first 6 characters and SHA-256).
#
# Example crontab line (02:30 UTC every day):
#   30 2 * * *  cd /srv/ssoaudit && ./nightly.sh >>nightly.log 2>&1
set -uo pipefail
umask 077

ssoaudit=${SSOAUDIT:-ssoaudit}
data=${DATA_DIR:-.}
fail_on=${FAIL_ON:-high}
day=${REPORT_DATE:-$(date -u +%F)}
config=${SSOAUDIT_CONFIG:-$(dirname "$0")/ssoaudit.yaml}

log() { printf '%s nightly: %s\n' "$(date -u +%FT%TZ)" "$*" >&2; }

case "$day" in
  [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]) ;;
  *) log "REPORT_DATE must be YYYY-MM-DD, got $day"; exit 2 ;;
esac
mkdir -p "$data/reports" "$data/evidence" || exit 2

report="$data/reports/$day.json"
metrics=${METRICS_FILE:-${METRICS_DIR:-$data/reports}/metrics.prom}
mkdir -p "$(dirname "$metrics")" || exit 2

# The previous report: the latest dated one before today's. Dates sort as text.
prev=""
for f in "$data"/reports/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].json; do
  [ -e "$f" ] || continue
  [ "$(basename "$f" .json)" \< "$day" ] && prev=$f
done

# 1. Evidence. `ssoaudit snapshot` refuses an existing directory, so a second
# run on the same day gets its own, stamped with the time.
run="$data/evidence/$day"
[ -e "$run" ] && run="$data/evidence/$day-$(date -u +%H%M%S)"
mkdir -p "$run" || exit 2
druva=${DRUVA_YAML:-}
if [ -z "$druva" ] && [ -n "${SOURCE_SNAPSHOT:-}" ]; then druva=$SOURCE_SNAPSHOT/druva.yaml; fi
if [ -z "$druva" ]; then
  log "set DRUVA_YAML to the Druva console's settings (ssoaudit init writes a template)"
  exit 2
fi
cp "$druva" "$run/druva.yaml" || exit 2

# save NAME APP_ID SOURCE: one app's snapshot into $run/NAME.
save() {
  local name=$1 app=$2 source=$3
  if [ -n "$source" ]; then
    log "dry run: copying $source to $run/$name (no Okta calls)"
    cp -R "$source" "$run/$name" || return 2
    rm -f "$run/$name/druva.yaml" # the shared one is $run/druva.yaml
    return 0
  fi
  if [ -z "$app" ]; then
    log "set OKTA_APP_ID and OKTA_ADMIN_APP_ID (or SOURCE_SNAPSHOT and SOURCE_ADMIN_SNAPSHOT for a dry run)"
    return 2
  fi
  log "saving the live Okta app $app to $run/$name"
  "$ssoaudit" snapshot -q --app-id "$app" --out "$run/$name" --timeout 10m
}
save users "${OKTA_APP_ID:-}" "${SOURCE_SNAPSHOT:-}" &&
  save admin "${OKTA_ADMIN_APP_ID:-}" "${SOURCE_ADMIN_SNAPSHOT:-}"
code=$?
if [ "$code" -ne 0 ]; then
  log "a snapshot failed (exit $code): no report today"
  exit "$code"
fi

# 2. The audit, from the snapshot: what is reported is exactly what is kept.
# The config reads this night's directory from SSOAUDIT_EVIDENCE.
export SSOAUDIT_EVIDENCE
SSOAUDIT_EVIDENCE=$(cd "$run" && pwd) || exit 2
scan_args=(scan -q --config "$config" --fail-on "$fail_on")
log "auditing $run with $config into $report and $metrics"
# One run writes every report, so they agree. Each file is written to a
# temporary name beside it and renamed, so the textfile collector never
# reads half a metrics file.
"$ssoaudit" "${scan_args[@]}" --output "$report" --output "${report%.json}.html" --output "$metrics"
scan=$?
chmod a+r "$report" "${report%.json}.html" "$metrics" 2>/dev/null
if [ "$scan" -eq 2 ] || [ ! -s "$report" ]; then
  log "scan failed (exit $scan): no report today"
  exit "$([ "$scan" -eq 0 ] && echo 2 || echo "$scan")"
fi
case $scan in
  0) verdict="passed" ;;
  1) verdict="FAILED: a fail at or above $fail_on" ;;
  3) verdict="INCOMPLETE: some Okta data could not be read" ;;
  *) verdict="usage or configuration error" ;;
esac
log "gate: $verdict (scan exit code $scan)"

# 3. What changed since the previous report.
if [ -z "$prev" ]; then
  log "no previous report: $report is the baseline"
  status=$scan
else
  log "comparing with $prev"
  "$ssoaudit" diff "$prev" "$report" --fail-on "$fail_on" --format markdown >"${report%.json}.diff.md"
  status=$?
  chmod a+r "${report%.json}.diff.md" 2>/dev/null
  "$ssoaudit" diff "$prev" "$report" --fail-on "$fail_on" # the table, for the log
  case "$status" in
    0) log "nothing new at or above $fail_on since $(basename "$prev" .json)" ;;
    1) log "NEW findings at or above $fail_on since $(basename "$prev" .json)" ;;
    *) log "diff failed (exit $status)" ;;
  esac
  # Incomplete data is never "nothing new": what could not be read was not checked.
  [ "$scan" -eq 3 ] && status=3
fi
exit "$status"
