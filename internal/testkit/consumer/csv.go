package consumer

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// CSVHeader is the CSV report's header row (docs/reports.md).
const CSVHeader = "scope,name,app_id,platform,rule,status,skip_kind,severity,suppressed,attested,message,location"

// CSV reads a CSV report back as a script would (encoding/csv, RFC 4180)
// and checks what a spreadsheet would trip over: the header, every row as
// wide as it, a scope of target or deployment, and no cell that begins
// with what a spreadsheet reads as a formula (OWASP: =, +, -, @, tab, CR).
func CSV(tb testing.TB, data []byte) [][]string {
	tb.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = strings.Count(CSVHeader, ",") + 1
	rows, err := r.ReadAll()
	if err != nil {
		tb.Fatalf("CSV does not parse: %v\n%s", err, data)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != CSVHeader {
		tb.Fatalf("CSV header %v, want %s", rows, CSVHeader)
	}
	for i, row := range rows[1:] {
		if row[0] != "target" && row[0] != "deployment" {
			tb.Fatalf("CSV row %d: scope %q", i+1, row[0])
		}
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				tb.Fatalf("CSV row %d: cell %q begins with a formula character", i+1, cell)
			}
		}
	}
	Counts.add(CSVReader)
	return rows
}
