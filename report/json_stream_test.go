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

// normalized returns a shallow copy whose empty lists encode as [] rather
// than null, so scripts can iterate without a nil check, and whose schema is
// set even when the caller left it blank.
func normalized(rep *audit.Report) *audit.Report {
	out := *rep
	if out.Schema == "" {
		out.Schema = audit.Schema
	}
	out.Targets = make([]audit.TargetReport, len(rep.Targets))
	for i, t := range rep.Targets {
		if t.Results == nil {
			t.Results = []audit.Result{}
		}
		out.Targets[i] = t
	}
	out.Deployments = make([]audit.DeploymentReport, rep.NumDeployments())
	for i, d := range rep.Deployments {
		if d.Results == nil {
			d.Results = []audit.Result{}
		}
		if d.Targets == nil {
			d.Targets = []string{}
		}
		out.Deployments[i] = d
	}
	return &out
}
