#!/usr/bin/env bash
# Feeds the reports of every bundled example (testdata/snapshots/*, and the
# Terraform plan) to the programs that consume them, installed from the
# package registries as their users would, and fails on any error or
# warning, or on any count that differs from the JSON report's:
#
#   SARIF       Microsoft's SARIF multitool, `validate` with GitHub's
#               ingestion rules switched on (--rule-kind "Sarif;Gh")
#   Prometheus  promtool check metrics
#   JUnit       xmllint against Jenkins' xunit schema; junitparser,
#               test-results-parser (the parser behind testbeats) and
#               GitLab's case-by-case reading, each count = the JSON's
#   HTML        tidy and html-validate (its recommended preset)
#   Markdown,   no raw Unicode noncharacter (U+FFFE, …) or C0/C1 control
#   HTML        character anywhere
#   JSON        a second draft 2020-12 validator (python3-jsonschema)
#               against schema/report.schema.json
#   CSV         Python's csv module: the header, one row per result, no
#               cell a spreadsheet would read as a formula
#
# Usage: scripts/consumers-check.sh [OUTDIR]
# The npm packages go to $SSOAUDIT_CONSUMERS_DIR (default
# ~/.cache/ssoaudit-consumers), installed once; Debian's with apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d)}
mkdir -p "$out"
tools=${SSOAUDIT_CONSUMERS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ssoaudit-consumers}
py=/usr/bin/python3 # Debian's, where python3-junitparser installs

# --- install what is missing (once) ---------------------------------------
apt_pkgs=()
command -v xmllint >/dev/null 2>&1 || apt_pkgs+=(libxml2-utils)
command -v tidy >/dev/null 2>&1 || apt_pkgs+=(tidy)
command -v promtool >/dev/null 2>&1 || apt_pkgs+=(prometheus)
command -v npm >/dev/null 2>&1 || apt_pkgs+=(nodejs npm)
[ -x "$py" ] || apt_pkgs+=(python3)
if [ -x "$py" ]; then
  "$py" -c 'import junitparser' 2>/dev/null || apt_pkgs+=(python3-junitparser)
  "$py" -c 'from jsonschema import Draft202012Validator' 2>/dev/null || apt_pkgs+=(python3-jsonschema)
else
  apt_pkgs+=(python3-junitparser python3-jsonschema)
fi
if [ ${#apt_pkgs[@]} -gt 0 ]; then
  echo "installing ${apt_pkgs[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${apt_pkgs[@]}") >/dev/null
fi
# Pinned, so a consumer's new release cannot turn CI red overnight; raise
# them on purpose.
npm_pkgs=(@microsoft/sarif-multitool@5.7.0 test-results-parser@0.4.6 html-validate@10.17.0)
stamp="$tools/.installed"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${npm_pkgs[*]}" ]; then
  echo "installing ${npm_pkgs[*]} into $tools"
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || echo '{"name":"ssoaudit-consumers","private":true}' >"$tools/package.json"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "${npm_pkgs[@]}" >/dev/null
  echo "${npm_pkgs[*]}" >"$stamp"
fi
multitool="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
[ "$(uname -m)" = x86_64 ] || [ -x "$multitool" ] || multitool="$tools/node_modules/.bin/sarif-multitool"
chmod u+x "$multitool" 2>/dev/null || true
htmlvalidate="$tools/node_modules/.bin/html-validate"
export NODE_PATH="$tools/node_modules"

# --- the reports ----------------------------------------------------------
go build -o "$out/ssoaudit" ./cmd/ssoaudit
echo "ssoaudit $("$out/ssoaudit" version | head -n 1 | cut -d' ' -f2)"
exts=(json sarif xml html md prom csv)
scenarios=()
scan() { # scan NAME ARGS...: every format of one run, exit 0, 1 or 3
  local name=$1; shift
  local outs=()
  for e in "${exts[@]}"; do outs+=(--output "$out/$name.$e"); done
  local code=0
  "$out/ssoaudit" scan "$@" "${outs[@]}" 2>"$out/$name.stderr" || code=$?
  case $code in 0 | 1 | 3) ;; *) echo "FAIL $name: exit $code"; cat "$out/$name.stderr"; exit 1 ;; esac
  scenarios+=("$name")
}
for d in testdata/snapshots/*/; do
  scan "$(basename "$d")" --snapshot "$d"
done
scan terraform-plan --terraform testdata/terraform/plan.json --druva testdata/snapshots/good/druva.yaml
echo "${#scenarios[@]} scenarios: ${scenarios[*]}"

failed=0
verdict() { # verdict CONSUMER FILES PROBLEMS
  if [ "$3" -eq 0 ]; then
    printf '%-34s %3d files  accepted, no error, no warning\n' "$1" "$2"
  else
    printf '%-34s %3d files  %d PROBLEMS (above)\n' "$1" "$2" "$3"
    failed=1
  fi
}
files() { for s in "${scenarios[@]}"; do echo "$out/$s.$1"; done; }

# SARIF: the multitool with GitHub's rules; notes are advice, not problems.
mapfile -t sarif < <(files sarif)
log=$("$multitool" validate --rule-kind "Sarif;Gh" "${sarif[@]}" 2>&1) || { echo "$log"; verdict "sarif-multitool (Sarif;Gh)" ${#sarif[@]} 1; }
problems=$(grep -E ': (error|warning) [A-Z]+[0-9]+' <<<"$log" || true)
[ -z "$problems" ] || echo "$problems"
grep -q "Done. ${#sarif[@]} files scanned" <<<"$log" || { echo "$log" | tail -5; problems+=x; }
verdict "sarif-multitool (Sarif;Gh)" ${#sarif[@]} "$(grep -c . <<<"$problems" || true)"

# Prometheus: promtool's linter prints nothing for a clean file.
n=0
for f in $(files prom); do
  if ! res=$(promtool check metrics <"$f" 2>&1) || [ -n "$res" ]; then echo "$f: $res"; n=$((n + 1)); fi
done
verdict "promtool check metrics" ${#scenarios[@]} $n

# JUnit: Jenkins' schema.
n=0
for f in $(files xml); do
  xmllint --noout --nonet --schema testdata/ref/junit-10-jenkins.xsd "$f" 2>/dev/null || { xmllint --noout --nonet --schema testdata/ref/junit-10-jenkins.xsd "$f"; n=$((n + 1)); }
done
verdict "xmllint junit-10-jenkins.xsd" ${#scenarios[@]} $n

# The counts every JUnit reader must show: the JSON's results, a suppressed
# finding as skipped (tests passed failures errors skipped).
want() {
  "$py" - "$1" <<'EOF'
import json, sys
rep = json.load(open(sys.argv[1]))
t = dict(tests=0, passed=0, failures=0, errors=0, skipped=0)
summary = dict(pass_=0)
for group in rep["targets"] + rep.get("deployments", []):
    for r in group["results"]:
        t["tests"] += 1
        s = r["status"]
        if s == "skip" or (r["suppressed"] and s in ("fail", "error", "warn")):
            t["skipped"] += 1
        elif s == "fail":
            t["failures"] += 1
        elif s == "error":
            t["errors"] += 1
        else:
            t["passed"] += 1
# The counts above are the results'; the summary must agree with them.
s = rep["summary"]
assert t["tests"] == sum(s[k] for k in ("pass", "fail", "warn", "error", "skip")), (t, s)
print(t["tests"], t["passed"], t["failures"], t["errors"], t["skipped"])
EOF
}
junitparser() {
  "$py" - "$1" <<'EOF'
import sys
from junitparser import JUnitXml
x = JUnitXml.fromfile(sys.argv[1])
tests, failures, errors, skipped = (x.tests or 0), (x.failures or 0), (x.errors or 0), (x.skipped or 0)
print(tests, tests - failures - errors - skipped, failures, errors, skipped)
EOF
}
testresultsparser() {
  node -e '
const r = require("test-results-parser").parse({type: "junit", files: [process.argv[1]]});
// Its total leaves the skipped out.
console.log(r.total + r.skipped, r.passed, r.failed, r.errors, r.skipped);' "$1"
}
gitlab() { # case by case, as GitLab reads them
  "$py" - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
t = [0, 0, 0, 0, 0]
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    kids = {c.tag for c in case}
    t[0] += 1
    t[2 if "failure" in kids else 3 if "error" in kids else 4 if "skipped" in kids else 1] += 1
print(*t)
EOF
}
for reader in junitparser testresultsparser gitlab; do
  n=0
  for s in "${scenarios[@]}"; do
    w=$(want "$out/$s.json")
    g=$($reader "$out/$s.xml")
    if [ "$g" != "$w" ]; then
      echo "$s.xml: $reader counts $g (tests passed failures errors skipped), the JSON report $w"
      n=$((n + 1))
    fi
  done
  verdict "junit counts = JSON: $reader" ${#scenarios[@]} $n
done

# HTML: tidy (any message is a problem) and html-validate.
n=0
for f in $(files html); do
  res=$(tidy -q -e "$f" 2>&1) || true
  if [ -n "$res" ]; then echo "$f: $res"; n=$((n + 1)); fi
done
verdict "tidy" ${#scenarios[@]} $n
mapfile -t html < <(files html)
if "$htmlvalidate" "${html[@]}"; then n=0; else n=1; fi
verdict "html-validate (recommended)" ${#html[@]} $n

# Markdown and HTML: nothing a renderer or terminal would take as a
# character it should not show (a noncharacter, a control character).
mapfile -t people < <(files md; files html)
n=$("$py" - "${people[@]}" <<'EOF'
import sys, unicodedata
bad = 0
for f in sys.argv[1:]:
    text = open(f, encoding="utf-8").read()
    for i, ch in enumerate(text):
        o = ord(ch)
        nonchar = 0xFDD0 <= o <= 0xFDEF or (o & 0xFFFE) == 0xFFFE
        control = (o < 0x20 and ch not in "\n\t") or 0x7F <= o <= 0x9F
        if nonchar or control:
            print(f"{f}: raw U+{o:04X} at offset {i}", file=sys.stderr)
            bad += 1
            break
print(bad)
EOF
)
verdict "markdown+html: no raw nonchar/ctl" ${#people[@]} "$n"

# JSON: a second validator, Python's jsonschema, draft 2020-12.
mapfile -t js < <(files json)
n=$("$py" - schema/report.schema.json "${js[@]}" <<'EOF'
import json, sys
from jsonschema import Draft202012Validator, FormatChecker
schema = json.load(open(sys.argv[1]))
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema, format_checker=FormatChecker())
bad = 0
for f in sys.argv[2:]:
    errs = list(v.iter_errors(json.load(open(f))))
    for e in errs[:5]:
        print(f"{f}: {'/'.join(map(str, e.absolute_path))}: {e.message}", file=sys.stderr)
    bad += bool(errs)
print(bad)
EOF
)
verdict "jsonschema (Python, 2020-12)" ${#js[@]} "$n"

# CSV: parsed back, one row per result, no formula-leading cell.
n=0
for s in "${scenarios[@]}"; do
  "$py" - "$out/$s.csv" "$out/$s.json" <<'EOF' || n=$((n + 1))
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
rep = json.load(open(sys.argv[2]))
header = "scope,name,app_id,platform,rule,status,skip_kind,severity,suppressed,attested,message,location".split(",")
assert rows[0] == header, rows[0]
want = [("target", r["rule"], r["status"]) for t in rep["targets"] for r in t["results"]]
want += [("deployment", r["rule"], r["status"]) for d in rep.get("deployments", []) for r in d["results"]]
got = [(r[0], r[4], r[5]) for r in rows[1:]]
assert got == want, (sys.argv[1], len(got), len(want))
for r in rows:
    assert len(r) == len(header), r
    for cell in r:
        assert not cell or cell[0] not in "=+-@\t\r", (sys.argv[1], cell)
EOF
done
verdict "csv (Python csv module)" ${#scenarios[@]} $n

if [ $failed -ne 0 ]; then
  echo "consumers-check: FAILED (reports kept in $out)"
  exit 1
fi
echo "consumers-check: every consumer accepted every report of ${#scenarios[@]} scenarios; counts equal the JSON's"
