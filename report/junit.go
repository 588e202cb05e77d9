package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/ssoaudit/ssoaudit/audit"
)

// writeJUnit writes one test suite per target and one test case per result,
// in the report's rule order, so CI systems show the audit like a test run.
//
// Mapping: fail → <failure>, error → <error>, skip → <skipped>; a
// suppressed fail, error or warn → <skipped> with the suppression's reason
// (it was looked at and accepted); warn → a passing case with the warning
// in <system-out>, because a warning never fails the gate and CI systems
// treat any failure as red.
func writeJUnit(w io.Writer, rep *audit.Report) error {
	suites := junit.Testsuites{Name: toolName(rep)}
	for i, t := range rep.Targets {
		suite := junit.Testsuite{
			Name: t.Name,
			ID:   i,
			Time: "0",
		}
		if !rep.GeneratedAt.IsZero() {
			suite.Timestamp = rep.GeneratedAt.UTC().Format(time.RFC3339)
		}
		suite.AddProperty("source", t.Source)
		suite.AddProperty("platform", t.Platform)
		suite.AddProperty("app.id", t.App.ID)
		suite.AddProperty("app.label", t.App.Label)
		if t.Origin != "" {
			suite.AddProperty("origin", t.Origin)
		}
		if c := configText(rep); c != "" {
			suite.AddProperty("config", xmlText(c))
		}
		for _, r := range t.Results {
			suite.AddTestcase(junitCase(t, r))
		}
		suites.AddSuite(suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	return suites.WriteXML(w)
}

func junitCase(t audit.TargetReport, r audit.Result) junit.Testcase {
	tc := junit.Testcase{Name: r.Rule, Classname: t.Name, Time: "0"}
	if r.Suppressed && isFinding(r) {
		tc.Skipped = &junit.Result{Message: xmlText(suppressionText(r)), Data: junitBody(r)}
		return tc
	}
	switch r.Status {
	case audit.StatusFail:
		tc.Failure = &junit.Result{Message: xmlText(r.Message), Type: string(r.Severity), Data: junitBody(r)}
	case audit.StatusError:
		tc.Error = &junit.Result{Message: xmlText(r.Message), Type: string(r.Severity), Data: junitBody(r)}
	case audit.StatusSkip:
		tc.Skipped = &junit.Result{Message: xmlText(r.Message)}
	case audit.StatusWarn:
		tc.SystemOut = &junit.Output{Data: "WARNING: " + junitBody(r)}
	}
	return tc
}

// junitBody is the detail CI shows when a case is opened: what, how to fix,
// why we think so.
func junitBody(r audit.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s] %s\n%s\n", r.Rule, severityLabel(r), r.Title, r.Message)
	if note := suppressionText(r); note != "" {
		fmt.Fprintf(&b, "\n%s\n", note)
	}
	if r.Remediation != "" {
		fmt.Fprintf(&b, "\nHow to fix:\n%s\n", r.Remediation)
	}
	if r.Reference != "" {
		fmt.Fprintf(&b, "\nReference: %s\n", r.Reference)
	}
	if len(r.Evidence) > 0 {
		b.WriteString("\nEvidence:\n")
		for _, f := range r.Evidence {
			fmt.Fprintf(&b, "  %s: %s\n", f.Key, evidenceValue(f.Value))
		}
	}
	return xmlText(b.String())
}

// xmlText replaces characters XML 1.0 cannot carry at all. encoding/xml does
// this for attributes but not for CDATA, and a control character in a
// message must not make the whole file unreadable.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t', r == '\n', r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}
