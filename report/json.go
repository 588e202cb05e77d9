package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
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
	frame := *rep
	frame.Targets, frame.Deployments = nil, nil
	frame.SetStream(nil)
	if frame.Schema == "" {
		frame.Schema = audit.Schema
	}
	frame = *escape.Strings(&frame, edge)
	frame.Targets, frame.Deployments = []audit.TargetReport{}, []audit.DeploymentReport{}
	var head bytes.Buffer
	if err := newJSONEncoder(&head, "").Encode(&frame); err != nil {
		return err
	}
	// The frame's two lists are written in place, an element at a time.
	const tslot, dslot = "\n  \"targets\": []", "\n  \"deployments\": []"
	before, rest, ok1 := bytes.Cut(head.Bytes(), []byte(tslot))
	middle, after, ok2 := bytes.Cut(rest, []byte(dslot))
	if !ok1 || !ok2 {
		return errors.New("json: the report's frame has no targets or deployments")
	}
	// Targets repeat titles, messages and steps: each distinct value is
	// redacted once (edgeMemo).
	memo := &edgeMemo{f: edge}
	bw := bufio.NewWriter(w)
	var buf bytes.Buffer
	enc := newJSONEncoder(&buf, "    ")
	list := func(name string, each func(func(v any) error) error) error {
		bw.WriteString("\n  \"" + name + "\": [")
		n := 0
		err := each(func(v any) error {
			if n > 0 {
				bw.WriteByte(',')
			}
			n++
			bw.WriteString("\n    ")
			buf.Reset()
			if err := enc.Encode(v); err != nil {
				return err
			}
			bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
			return nil
		})
		if n > 0 {
			bw.WriteString("\n  ")
		}
		bw.WriteString("]")
		return err
	}
	bw.Write(before)
	err := list("targets", func(put func(any) error) error {
		for t := range rep.EachTarget() {
			if t.Results == nil {
				t.Results = []audit.Result{}
			}
			t = escape.Strings(t, memo.value)
			if err := put(&t); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	bw.Write(middle)
	err = list("deployments", func(put func(any) error) error {
		for d := range rep.EachDeployment() {
			if d.Results == nil {
				d.Results = []audit.Result{}
			}
			if d.Targets == nil {
				d.Targets = []string{}
			}
			d = escape.Strings(d, memo.value)
			if err := put(&d); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
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
