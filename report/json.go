package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/escape"
)

// writeJSON writes the contract report (docs/reports.md, JSON report). Field order
// comes from the audit types' declaration order, so it is stable.
//
// The targets are encoded one at a time into the report's frame: encoding
// the whole report at once holds it twice over in buffers (the encoding and
// its indented copy), which for a fleet of a thousand targets was most of
// the run's memory. The bytes are the same as a single Encode's.
//
// Every string goes through redact (the run's redaction layer, see
// edgeReport) on its way out, a target at a time for the same reason.
func writeJSON(w io.Writer, rep *audit.Report, redact func(string) string) error {
	edge := func(_, s string) string { return redact(s) }
	norm := normalized(rep)
	frame := *norm
	frame.Targets = nil
	frame = *escape.Strings(&frame, edge)
	frame.Targets = []audit.TargetReport{}
	var head bytes.Buffer
	if err := newJSONEncoder(&head, "").Encode(&frame); err != nil {
		return err
	}
	const slot = "\n  \"targets\": []"
	before, after, ok := bytes.Cut(head.Bytes(), []byte(slot))
	if !ok || len(norm.Targets) == 0 {
		_, err := w.Write(head.Bytes())
		return err
	}
	bw := bufio.NewWriter(w)
	bw.Write(before)
	bw.WriteString("\n  \"targets\": [")
	var buf bytes.Buffer
	enc := newJSONEncoder(&buf, "    ")
	for i := range norm.Targets {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		buf.Reset()
		t := escape.Strings(norm.Targets[i], edge)
		if err := enc.Encode(&t); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	bw.WriteString("\n  ]")
	bw.Write(after)
	return bw.Flush()
}

func newJSONEncoder(w io.Writer, prefix string) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetIndent(prefix, "  ")
	// URLs full of & and < are common in SAML settings; keep them readable.
	enc.SetEscapeHTML(false)
	return enc
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
	out.Deployments = make([]audit.DeploymentReport, len(rep.Deployments))
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
