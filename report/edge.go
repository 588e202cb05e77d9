package report

// The output edge: what every value passes through before a writer renders
// it (redaction, escaping for people, truncation).

import (
	"fmt"
	"unicode/utf8"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/escape"
	"github.com/ssoaudit/ssoaudit/internal/redact"
)

// edgeReport is the copy of rep a writer for people renders, made at the
// edge in one pass over every string of the model (JSON does the first
// half target by target, in writeJSON):
//
//   - in every format, each string goes through the run's redaction layer
//     (redact.Set.String): no piece of a secret the run knows, no
//     Druva-shaped token, no URL credential reaches a report, whichever
//     field of whichever input it was found in;
//   - in every format but JSON, which is read by a person (a terminal, a
//     browser, a code-scanning UI), each string is then made visible
//     (escape.Line; escape.Text for the multi-line remediation steps), so a
//     value cannot start a terminal escape sequence, reorder text with a
//     bidi override, or break a line where one is expected. Each writer
//     then escapes what its own medium interprets (Markdown and HTML
//     markup, XML). JSON keeps values as read;
//   - with truncate (the table, Markdown and HTML), each value is then cut
//     to MaxValueRunes.
//
// A streamed report (audit.Report.SetStream) gets the same edge one target
// and one deployment at a time, as they are read.
func edgeReport(rep *audit.Report, secrets *redact.Set, truncate bool) *audit.Report {
	f := func(field, s string) string {
		s = visibleField(field, secrets.String(s))
		if truncate {
			s = truncateValue(s)
		}
		return s
	}
	out := escape.Strings(rep, f)
	if !rep.Streamed() {
		return out
	}
	// A streamed report is read several times by most writers, and the
	// targets of a large run repeat the same titles, messages and steps:
	// each distinct value goes through the edge once.
	m := &edgeMemo{f: f}
	return out.Map(func(t audit.TargetReport) audit.TargetReport { return escape.Strings(t, m.value) },
		func(d audit.DeploymentReport) audit.DeploymentReport { return escape.Strings(d, m.value) })
}

// edgeMemo remembers what the edge made of recent values, up to
// edgeMemoSize of them (then it starts again): the edge is a function of
// the field and the value alone.
type edgeMemo struct {
	f    func(field, s string) string
	seen map[[2]string]string
}

const (
	edgeMemoSize  = 1 << 14
	edgeMemoValue = 16 << 10 // longer values are not remembered
)

func (m *edgeMemo) value(field, s string) string {
	if len(s) > edgeMemoValue {
		return m.f(field, s)
	}
	key := [2]string{field, s}
	if v, ok := m.seen[key]; ok {
		return v
	}
	if m.seen == nil || len(m.seen) >= edgeMemoSize {
		m.seen = make(map[[2]string]string, 1024)
	}
	v := m.f(field, s)
	m.seen[key] = v
	return v
}

// MaxValueRunes bounds one value (a message, an evidence item, a name) in
// the formats people read — table, Markdown, HTML — so that no single value
// read from Okta or a file can make an unbounded report (a 1 MB username
// made a 60 MB table). The JSON report keeps every value whole.
const MaxValueRunes = 4096

// truncateValue cuts s to MaxValueRunes, the last one an ellipsis, saying
// how much was left out and where the whole value is.
func truncateValue(s string) string {
	if len(s) <= MaxValueRunes || utf8.RuneCountInString(s) <= MaxValueRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == MaxValueRunes-1 {
			return s[:i] + fmt.Sprintf("… (%d more characters: see the JSON report)", utf8.RuneCountInString(s[i:]))
		}
		n++
	}
	return s
}

// visibleField escapes one string of a model: the fields the tool writes as
// several lines keep their line breaks.
func visibleField(field, s string) string {
	switch field {
	case "Remediation", "Rationale":
		return escape.Text(s)
	}
	return escape.Line(s)
}
