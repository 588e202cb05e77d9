package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

// TestJSONStreamedAsOneEncode: the JSON report, written one target at a
// time, is byte for byte what encoding the whole report at once gives —
// with several targets, with one, and with none.
func TestJSONStreamedAsOneEncode(t *testing.T) {
	full := testReport()
	for _, rep := range []*audit.Report{full, incompleteReport(), withTargets(full, 1), withTargets(full, 0)} {
		var got, want bytes.Buffer
		if err := writeJSON(&got, rep, func(s string) string { return s }); err != nil {
			t.Fatal(err)
		}
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(normalized(rep)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d targets: streamed JSON differs from one Encode:\n%s\nwant:\n%s", len(rep.Targets), got.String(), want.String())
		}
	}
}

func withTargets(rep *audit.Report, n int) *audit.Report {
	c := *rep
	c.Targets = c.Targets[:n]
	return &c
}
