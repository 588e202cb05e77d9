#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml at the repository root), one
# subcommand each, so they can be read, linted and tested as a script:
#
#   action.sh build   ssoaudit-path when given, else build ssoaudit from the
#                     action's own checkout with the runner's Go
#   action.sh scan    run `ssoaudit scan` with the action's inputs, writing
#                     every report asked for in one run; the exit code is a
#                     step output, so the SARIF upload runs before the gate
#   action.sh gate    fail the job as the scan's exit code says
#
# Inputs arrive as INPUT_* environment variables (action.yml sets them);
# outputs go to $GITHUB_OUTPUT, the Markdown report to $GITHUB_STEP_SUMMARY.
set -euo pipefail

out() { echo "$1=$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }

build() {
  local bin
  if [ -n "${INPUT_SSOAUDIT_PATH:-}" ]; then
    bin=$INPUT_SSOAUDIT_PATH
    [ -x "$bin" ] || { echo "::error::ssoaudit-path $bin is not an executable file"; exit 2; }
  else
    # github.action_ref is empty inside a composite action's steps, so the
    # version comes from the checkout itself: go build stamps the module's
    # VCS revision when the action was checked out with git; a downloaded
    # action is 0.0.0-devel.
    local src=${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}
    command -v go >/dev/null 2>&1 || { echo "::error::no Go on the runner: add actions/setup-go before this action, or give ssoaudit-path"; exit 2; }
    bin="${RUNNER_TEMP:-$(mktemp -d)}/ssoaudit"
    (cd "$src" && go build -o "$bin" ./cmd/ssoaudit)
  fi
  local v
  v=$("$bin" version) || { echo "::error::$bin version failed"; exit 2; }
  echo "${v%%$'\n'*}"
  out path "$bin"
}

scan() {
  local bin=${SSOAUDIT_BIN:?SSOAUDIT_BIN: the path the build step wrote}
  local args=(scan)
  [ -n "${INPUT_CONFIG:-}" ] && args+=(--config "$INPUT_CONFIG")
  [ -n "${INPUT_SNAPSHOT:-}" ] && args+=(--snapshot "$INPUT_SNAPSHOT")
  [ -n "${INPUT_TERRAFORM:-}" ] && args+=(--terraform "$INPUT_TERRAFORM")
  [ -n "${INPUT_OKTA_ORG:-}" ] && args+=(--okta-org "$INPUT_OKTA_ORG")
  [ -n "${INPUT_APP_ID:-}" ] && args+=(--app-id "$INPUT_APP_ID")
  [ -n "${INPUT_DRUVA:-}" ] && args+=(--druva "$INPUT_DRUVA")
  [ -n "${INPUT_PLATFORM:-}" ] && args+=(--platform "$INPUT_PLATFORM")
  [ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
  [ "${INPUT_FAIL_ON_WARN:-false}" = true ] && args+=(--fail-on-warn)
  [ -n "${INPUT_REQUIRE:-}" ] && args+=(--require "$INPUT_REQUIRE")
  local f
  for f in "${INPUT_SARIF:-}" "${INPUT_JSON:-}" "${INPUT_JUNIT:-}" "${INPUT_MARKDOWN:-}" "${INPUT_HTML:-}" "${INPUT_CSV:-}"; do
    [ -n "$f" ] && args+=(--output "$f")
  done
  echo "+ ssoaudit ${args[*]}"
  local code=0
  "$bin" "${args[@]}" || code=$?
  out exit-code "$code"
  # A report is an output only when this run wrote it.
  [ -n "${INPUT_SARIF:-}" ] && [ -f "$INPUT_SARIF" ] && out sarif "$INPUT_SARIF"
  [ -n "${INPUT_JSON:-}" ] && [ -f "$INPUT_JSON" ] && out json "$INPUT_JSON"
  if [ "${INPUT_STEP_SUMMARY:-true}" = true ] && [ -n "${INPUT_MARKDOWN:-}" ] && [ -f "$INPUT_MARKDOWN" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$INPUT_MARKDOWN" >>"$GITHUB_STEP_SUMMARY"
  fi
  # Exit 0 here: the gate step fails the job after the upload has run.
  return 0
}

gate() {
  local code=${SCAN_EXIT_CODE:-}
  case "$code" in
    0) echo "ssoaudit: gate passed" ;;
    1) echo "::error::ssoaudit: a check failed at or above ${INPUT_FAIL_ON:-the threshold} (see the report)" ;;
    2) echo "::error::ssoaudit: usage or configuration error (see the scan step's log)" ;;
    3) echo "::error::ssoaudit: incomplete: some rule could not be evaluated (Okta data missing, unreadable or refused)" ;;
    "") echo "::error::ssoaudit: the scan did not run"; code=2 ;;
    *) echo "::error::ssoaudit: unexpected exit code $code" ;;
  esac
  exit "$code"
}

case "${1:-}" in
  build) build ;;
  scan) scan ;;
  gate) gate ;;
  *) echo "usage: $0 build|scan|gate" >&2; exit 2 ;;
esac
