package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// Status is the outcome of one rule on one target.
type Status string

// Statuses, in the order reports list them (worst first).
const (
	StatusFail  Status = "fail"
	StatusError Status = "error"
	StatusWarn  Status = "warn"
	StatusPass  Status = "pass"
	StatusSkip  Status = "skip"
)

// Statuses lists every status in report order.
var Statuses = []Status{StatusFail, StatusError, StatusWarn, StatusPass, StatusSkip}

// Rank orders statuses for reports: fail first, skip last.
func (s Status) Rank() int {
	for i, v := range Statuses {
		if v == s {
			return i
		}
	}
	return len(Statuses)
}

// Severity says how much a failing rule matters.
type Severity string

// Severities, from most to least severe.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
	Info     Severity = "info"
)

// Severities lists every severity, most severe first.
var Severities = []Severity{Critical, High, Medium, Low, Info}

// Level is a severity's weight: critical is 5, info is 1, an unknown severity 0.
func (s Severity) Level() int {
	for i, v := range Severities {
		if v == s {
			return len(Severities) - i
		}
	}
	return 0
}

// AtLeast reports whether s is as severe as min or more.
func (s Severity) AtLeast(min Severity) bool { return s.Level() >= min.Level() }

// ParseSeverity accepts a severity name, case-insensitively.
func ParseSeverity(s string) (Severity, error) {
	v := Severity(strings.ToLower(strings.TrimSpace(s)))
	if v.Level() == 0 {
		return "", fmt.Errorf("unknown severity %q (want one of critical, high, medium, low, info)", s)
	}
	return v, nil
}

// Result is one rule's verdict on one target.
type Result struct {
	Rule     string   `json:"rule"`
	Status   Status   `json:"status"`
	Severity Severity `json:"severity"`
	// DefaultSeverity is the catalog's severity when the config changed it.
	DefaultSeverity Severity `json:"default_severity,omitempty"`
	Title           string   `json:"title"`
	Message         string   `json:"message"`
	Remediation     string   `json:"remediation"`
	Reference       string   `json:"reference"`
	Evidence        Evidence `json:"evidence"`
	Suppressed      bool     `json:"suppressed"`
	// Note marks a warn about what the run could see rather than about the
	// set-up (a deployment audited through its one known app): people's
	// formats show it on a Notes line, apart from the findings. It stays a
	// warn everywhere else (JSON, the gate under --fail-on-warn).
	Note bool `json:"note,omitempty"`
	// Cause is shared by the error results of several targets (and their
	// deployment) that one failure blocked — an Okta org that could not
	// be reached: each rule stays in every target's results, and people's
	// formats show the cause once, naming every target and rule.
	Cause string `json:"cause,omitempty"`
	// Line is the line, in the file the rule is located at
	// (Rule.Location), of the key the rule read; 0 when unknown (live,
	// Terraform). SARIF and every report's file:line read it.
	Line int `json:"-"`
	// File, when set, is the file the result is located at instead of its
	// rule's (Rule.Location), at Line: the config, at the entry naming a
	// source that could not be read at all — its files were never read.
	File string `json:"-"`
	// ItemID names the element of the rule's input, a JSON array of
	// objects with an "id" (okta/users.json), that the finding is about:
	// the first offending user. The scan locates Line at that element.
	ItemID string `json:"-"`
	// Suppression explains why a result is (or was, when expired) suppressed.
	Suppression *SuppressionNote `json:"suppression,omitempty"`
	// Attested is true for a pass a person's attestation gave a result the
	// tool could not decide (docs/attestations.md), as opposed to a pass
	// the tool decided.
	Attested bool `json:"attested,omitempty"`
	// Attestation is the config's attestation behind an attested pass, or
	// behind a warn (error) when it has expired.
	Attestation *AttestationNote `json:"attestation,omitempty"`
	// SkipKind says why a skip is one (docs/reports.md, Statuses, severities
	// and skip kinds): the rule has
	// nothing to judge (SkipNotApplicable), an optional input it reads was
	// absent (SkipInputAbsent: --require turns it into an error), or Okta
	// or Druva does not expose the value (SkipNotExposed: only a person can
	// verify it, and an attestation records that one did). Empty for every
	// other status.
	SkipKind string `json:"skip_kind,omitempty"`
	// Controls are the framework controls the rule's evidence supports
	// (Rule.Controls), carried on each result so a report shows, beside
	// every finding and pass, which control it is evidence for.
	Controls []Control `json:"controls,omitempty"`
	// Absent is the input whose absence made the rule skip, with
	// SkipInputAbsent; --require matches it.
	Absent Input `json:"-"`
}

// The kinds of skip. "Verify it in the admin console" is never
// SkipNotApplicable: it is SkipNotExposed.
const (
	SkipNotApplicable = "not_applicable"
	SkipInputAbsent   = "input_absent"
	SkipNotExposed    = "not_exposed"
)

// SkipKinds lists the kinds of skip.
var SkipKinds = []string{SkipNotApplicable, SkipInputAbsent, SkipNotExposed}

// SkipHidden is the result of a rule whose value Okta or Druva does not
// expose (a catalog integration's fixed setting, a field Okta did not send):
// msg says what a person should verify, and where. An attestation in the
// config can record that one did.
func SkipHidden(msg string, ev Evidence) Result {
	r := Skip(msg, ev)
	r.SkipKind = SkipNotExposed
	return r
}

// SkipAbsent is the result of a rule that could not look because an optional
// input, or a part of it (a druva.yaml section), was not given.
func SkipAbsent(in Input, msg string, ev Evidence) Result {
	r := Skip(msg, ev)
	r.SkipKind, r.Absent = SkipInputAbsent, in
	return r
}

// SuppressionNote records the suppression that matched a result.
type SuppressionNote struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires"`
	Expired bool   `json:"expired"`
	// File and Line are where the config records the suppression.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// AttestationNote records a person's attestation that a result applied:
// who verified what, why, until when, and where the config says so
// (docs/attestations.md).
type AttestationNote struct {
	By      string `json:"by"`
	Value   string `json:"value"`
	Reason  string `json:"reason"`
	Expires string `json:"expires"` // YYYY-MM-DD, the last day it holds (UTC)
	File    string `json:"file"`
	Line    int    `json:"line"`
	// Expired is true when the attestation lapsed: the result is a warn
	// (an error under --require attested), not a pass.
	Expired bool `json:"expired,omitempty"`
}

// Field is one named piece of evidence.
type Field struct {
	Key   string
	Value any
}

// Evidence is an ordered list of facts behind a result. It marshals as a JSON
// object whose keys keep their order, so reports are stable.
type Evidence []Field

// Add appends a fact and returns the evidence, for chaining.
func (e Evidence) Add(key string, value any) Evidence { return append(e, Field{key, value}) }

// Get returns the value recorded under key.
func (e Evidence) Get(key string) (any, bool) {
	for _, f := range e {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// MarshalJSON writes the evidence as an object in insertion order.
func (e Evidence) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range e {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshalPlain(f.Key)
		if err != nil {
			return nil, err
		}
		v, err := marshalPlain(f.Value)
		if err != nil {
			return nil, fmt.Errorf("evidence %q: %w", f.Key, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalPlain encodes v without escaping <, > and &, so that URLs in
// evidence read the same as everywhere else in the report.
func marshalPlain(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads an object back, keeping key order (used by `diff`).
func (e *Evidence) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		*e = nil
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("evidence: want an object")
	}
	var out Evidence
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return err
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			return err
		}
		out = append(out, Field{Key: kt.(string), Value: v})
	}
	*e = out
	return nil
}
