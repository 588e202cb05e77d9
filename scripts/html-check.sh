#!/usr/bin/env bash
# scripts/html-check.sh: render the HTML report in a real browser and check it.
#
# Renders the broken example snapshot's HTML report, opens it in headless
# Chromium, and:
#   - dumps the DOM and checks it rendered (gate verdict, summary counts,
#     findings table with one row per finding, a detail card per finding,
#     an evidence card per pass, the audit record with the inputs' SHA-256);
#   - checks Chromium did not try to fetch anything (the report must be
#     self-contained: inline CSS, no scripts, no external resources);
#   - takes screenshots at desktop and phone widths, and prints it to PDF
#     (plus PNG pages of the PDF when pdftoppm is installed), for a person
#     to look at.
#
# Usage: scripts/html-check.sh [OUTDIR]        (default: a new temporary directory)
# Needs: go, chromium (Debian: apt-get install chromium; optional poppler-utils).
# Exit status: 0 all checks passed, 1 a check failed, 2 a tool is missing.
set -euo pipefail

cd "$(dirname "$0")/.."
out=${1:-$(mktemp -d "${TMPDIR:-/tmp}/ssoaudit-html.XXXXXX")}
mkdir -p "$out"
out=$(cd "$out" && pwd)

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then browser=$c; break; fi
  done
fi
if [ -z "$browser" ]; then
  echo "html-check: no chromium on PATH (Debian: apt-get install chromium)" >&2
  exit 2
fi

profile=$(mktemp -d "${TMPDIR:-/tmp}/ssoaudit-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT

# Built once (the same as go run ./cmd/ssoaudit), used for the HTML and JSON.
go build -o "$profile/ssoaudit" ./cmd/ssoaudit
ssoaudit() { "$profile/ssoaudit" "$@"; }

html="$out/report.html"
# The broken snapshot fails the gate (exit 1): that is expected here.
set +e
ssoaudit scan --snapshot testdata/snapshots/broken --format html --output "$html"
code=$?
set -e
if [ "$code" -ne 1 ]; then
  echo "html-check: scan of testdata/snapshots/broken exited $code, want 1" >&2
  exit 1
fi

# The flags a headless Chromium needs in a container and on a closed network:
# no sandbox (root), no GPU, and none of Chromium's own background traffic,
# so anything on the network log comes from the page.
chrome() {
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-default-apps --disable-extensions --hide-scrollbars \
    --user-data-dir="$profile" "$@"
}

url="file://$html"
chrome --log-net-log="$out/netlog.json" --dump-dom "$url" >"$out/dom.html" 2>"$out/chromium.log"
chrome --window-size=1280,2400 --screenshot="$out/desktop.png" "$url" 2>>"$out/chromium.log"
chrome --window-size=400,2400 --screenshot="$out/phone.png" "$url" 2>>"$out/chromium.log"
chrome --no-pdf-header-footer --print-to-pdf="$out/report.pdf" "$url" 2>>"$out/chromium.log"

fail=0
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok    $what"; else echo "FAIL  $what"; fail=1; fi
}
count() { grep -o -- "$1" "$2" | wc -l | tr -d ' '; }

dom="$out/dom.html"
findings=$(ssoaudit scan --snapshot testdata/snapshots/broken --format json |
  grep -c '"status": "fail"\|"status": "error"\|"status": "warn"' || true)

check "DOM has the title"                     grep -q '<h1>ssoaudit report</h1>' "$dom"
check "DOM has the gate verdict"              grep -q 'Gate: FAILED' "$dom"
check "DOM has the summary counts"            grep -q '<table class="counts">' "$dom"
check "DOM has the findings table"            grep -q '<table class="findings">' "$dom"
check "one table row per finding ($findings)" test "$(count 'td class="rule"' "$dom")" -eq "$findings"
check "one detail card per finding"           test "$(count '<article class="finding [fwe]' "$dom")" -eq "$findings"
passes=$(ssoaudit scan --snapshot testdata/snapshots/broken --format json | grep -c '"status": "pass"' || true)
check "one evidence card per pass ($passes)"  test "$(count '<article class="finding pass"' "$dom")" -eq "$passes"
check "DOM has the audit record"              grep -q 'Audit record' "$dom"
check "the audit record has input hashes"     grep -q 'class="hash"' "$dom"
check "no script in the page"                 bash -c '! grep -qi "<script" "$1"' _ "$dom"
# Chromium phones home (update checks, account lookups) even with the flags
# above; those hosts are Google's own services, not the page's. Anything else
# with a scheme of http(s), ws(s) or ftp was requested by the page.
page_requests() {
  grep -Eo '"(url|original_url)":"(https?|wss?|ftp)://[^"]*"' "$out/netlog.json" |
    sed -E 's/^"[a-z_]+":"//; s/"$//' |
    awk '/^https?:\/\/fonts\./ || !/^https?:\/\/([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com)\//' || true
}
page_requests | sort -u >"$out/page-requests.txt"
check "the page requested nothing from the network" test ! -s "$out/page-requests.txt"
check "screenshots written"                   test -s "$out/desktop.png" -a -s "$out/phone.png"
check "PDF written"                           test -s "$out/report.pdf"

if command -v pdftoppm >/dev/null 2>&1; then
  pdftoppm -png -r 60 "$out/report.pdf" "$out/page"
  pages=$(ls "$out"/page-*.png | wc -l | tr -d ' ')
  check "PDF has pages ($pages)" test "$pages" -ge 1
fi

echo "html-check: files in $out (report.html, dom.html, desktop.png, phone.png, report.pdf)"
exit "$fail"
