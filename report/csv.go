package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// csvHeader is the CSV report's header row (docs/reports.md; a contract:
// spreadsheets and scripts address columns by these names).
var csvHeader = []string{"scope", "name", "app_id", "platform", "rule", "status", "skip_kind", "severity", "suppressed", "attested", "message", "location"}

// writeCSV writes one row per result — every target's, then every
// deployment's — in the report's rule order, for the spreadsheet an audit
// ends in. RFC 4180 (encoding/csv: CRLF line ends, fields quoted when they
// hold a comma, quote or line break). Values arrive redacted, made visible
// and cut like the other formats people read (edgePeople); each cell is
// then made inert for a spreadsheet (csvCell).
//
// location is where the finding is, as SARIF locates it: a file relative
// to the repository root and a line ("evidence/okta/app.json:1"), so a row
// and a code-scanning alert point at the same place; a file outside the
// repository as the report names it.
func writeCSV(w io.Writer, rep *audit.Report, opts Options) error {
	bw := bufio.NewWriter(w)
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	sw := &sarifWriter{rep: rep, opts: opts, locs: map[string]audit.Location{}, asGiven: true}
	for _, r := range opts.Catalog {
		if r != nil {
			sw.locs[r.ID] = r.Location
		}
	}
	row := func(scope string, t audit.TargetReport, r audit.Result) error {
		file, line := sw.locate(t, r)
		rec := []string{scope, t.Name, t.App.ID, t.Platform, r.Rule, string(r.Status), r.SkipKind, string(r.Severity),
			strconv.FormatBool(r.Suppressed), strconv.FormatBool(csvAttested(r)), r.Message, fmt.Sprintf("%s:%d", file, line)}
		for i := range rec {
			rec[i] = csvCell(rec[i])
		}
		return cw.Write(rec)
	}
	for t := range rep.EachTarget() {
		for _, r := range t.Results {
			if err := row("target", t, r); err != nil {
				return err
			}
		}
	}
	for d := range rep.EachDeployment() {
		t := deploymentAsTarget(d)
		for _, r := range d.Results {
			if err := row("deployment", t, r); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// csvAttested says whether a person's attestation, not the tool, decided
// the result (docs/attestations.md).
func csvAttested(r audit.Result) bool { return r.Attested }

// csvCell makes a value inert in a spreadsheet, following OWASP's advice
// on CSV injection: a cell that begins with =, +, -, @, a tab or a carriage
// return would be read as a formula (=HYPERLINK(…), +cmd|…, @SUM(…)), so it
// gets a leading apostrophe, which spreadsheets show as text and do not
// evaluate. Values read from Okta or a file (an app label, a relay state)
// reach the sheet this way; the tool's own words never begin so.
func csvCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	// Full-width forms some spreadsheets also read as formula signs.
	for _, p := range []string{"＝", "＋", "－", "＠"} {
		if strings.HasPrefix(s, p) {
			return "'" + s
		}
	}
	return s
}
