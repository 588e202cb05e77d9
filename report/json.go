package report

import (
	"encoding/json"
	"io"

	"github.com/ssoaudit/ssoaudit/audit"
)

// writeJSON writes the contract report (PRODUCT.md section 8). Field order
// comes from the audit types' declaration order, so it is stable.
func writeJSON(w io.Writer, rep *audit.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	// URLs full of & and < are common in SAML settings; keep them readable.
	enc.SetEscapeHTML(false)
	return enc.Encode(normalized(rep))
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
	return &out
}
