package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/escape"
)

// writeJUnit writes one test suite per target and one test case per result,
// in the report's rule order, so CI systems show the audit like a test run.
//
// Mapping: fail → <failure>, error → <error>, skip → <skipped>; a
// suppressed fail, error or warn → <skipped> with the suppression's reason
// (it was looked at and accepted); warn → a passing case with the warning
// in <system-out>, because a warning never fails the gate and CI systems
// treat any failure as red.
//
// The document follows the JUnit schema the Jenkins xunit plugin validates
// against (junit-10.xsd), which is stricter than what most readers accept:
// <testsuites> may carry only name, time, tests, failures and errors — no
// skipped. It carries no counts at all: readers that take the totals from
// the root (test-results-parser, junitparser) would count every skipped
// case as passed there, while without them they sum the suites, each of
// which counts its skipped cases. So every reader's totals (Jenkins, GitLab,
// junitparser, test-results-parser) equal the JSON report's summary:
// passed = pass + warn, failures = unsuppressed fail, errors = unsuppressed
// error, skipped = skip + suppressed findings.
func writeJUnit(w io.Writer, rep *audit.Report, locs map[string]audit.Location) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	// The root's start, each suite as it is made, the root's end: the
	// same document as encoding junitSuites whole, a suite at a time.
	enc := xml.NewEncoder(w)
	enc.Indent("", "\t")
	root := junitSuites{Name: toolName(rep), Time: "0"}
	start := xml.StartElement{Name: xml.Name{Local: "testsuites"}, Attr: []xml.Attr{{Name: xml.Name{Local: "time"}, Value: root.Time}}}
	if root.Name != "" {
		start.Attr = append([]xml.Attr{{Name: xml.Name{Local: "name"}, Value: root.Name}}, start.Attr...)
	}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	id := 0
	put := func(suite junit.Testsuite) error {
		suite.ID = id
		id++
		return enc.EncodeElement(suite, xml.StartElement{Name: xml.Name{Local: "testsuite"}})
	}
	for t := range rep.EachTarget() {
		if err := put(targetSuite(rep, t, locs)); err != nil {
			return err
		}
	}
	for d := range rep.EachDeployment() {
		if err := put(deploymentSuite(rep, d, locs)); err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(start.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitSuites is the root element. go-junit-report's Testsuites writes
// totals, skipped among them, which junit-10.xsd does not allow on
// <testsuites> (the xunit plugin then rejects the whole report); totals
// without skipped make other readers count skipped cases as passed (see
// writeJUnit). So the root is ours, without totals, and the suites are the
// library's.
type junitSuites struct {
	XMLName xml.Name          `xml:"testsuites"`
	Name    string            `xml:"name,attr,omitempty"`
	Time    string            `xml:"time,attr"`
	Suites  []junit.Testsuite `xml:"testsuite"`
}

func (s *junitSuites) add(suite junit.Testsuite) {
	suite.ID = len(s.Suites)
	s.Suites = append(s.Suites, suite)
}

// targetSuite is one target's suite: its identity as properties, a case per
// result.
func targetSuite(rep *audit.Report, t audit.TargetReport, locs map[string]audit.Location) junit.Testsuite {
	suite := newSuite(rep, t.Name)
	suite.AddProperty("source", string(t.Source))
	suite.AddProperty("platform", t.Platform)
	if t.PlatformSource != "" {
		suite.AddProperty("platform.source", t.PlatformSource)
	}
	if d := platformDetail(t); d != "" {
		suite.AddProperty("platform.inference", xmlText(d))
	}
	suite.AddProperty("app.id", t.App.ID)
	suite.AddProperty("app.label", t.App.Label)
	if t.Origin != "" {
		suite.AddProperty("origin", t.Origin)
	}
	if c := configText(rep); c != "" {
		suite.AddProperty("config", xmlText(c))
	}
	addAttestations(&suite, t.Results)
	for _, r := range t.Results {
		suite.AddTestcase(junitCase(t.Name, r, placeText(locs, t, r)))
	}
	return suite
}

// addAttestations lists each attested result's attestation among the
// suite's properties (Jenkins' schema allows none on a test case; the
// case says so in its system-out).
func addAttestations(suite *junit.Testsuite, results []audit.Result) {
	for _, r := range results {
		if r.Attested && r.Attestation != nil {
			suite.AddProperty("attestation."+r.Rule, xmlText(attestationText(r.Attestation)))
		}
	}
}

// deploymentSuite is one deployment's suite (docs/deployments.md),
// named "deployment NAME" so it never merges with a target's suite of the
// same name: its console and targets as properties, a case per result.
func deploymentSuite(rep *audit.Report, d audit.DeploymentReport, locs map[string]audit.Location) junit.Testsuite {
	name := "deployment " + d.Name
	suite := newSuite(rep, name)
	suite.AddProperty("platform", d.Platform)
	if d.PlatformSource != "" {
		suite.AddProperty("platform.source", d.PlatformSource)
	}
	if d.Console != "" {
		suite.AddProperty("console", d.Console)
		suite.AddProperty("console.sha256", d.ConsoleSHA256)
	}
	suite.AddProperty("targets", strings.Join(d.Targets, ", "))
	if c := configText(rep); c != "" {
		suite.AddProperty("config", xmlText(c))
	}
	addAttestations(&suite, d.Results)
	dt := deploymentAsTarget(d)
	for _, r := range d.Results {
		suite.AddTestcase(junitCase(name, r, placeText(locs, dt, r)))
	}
	return suite
}

// newSuite is an empty suite named name, stamped with the run's time.
func newSuite(rep *audit.Report, name string) junit.Testsuite {
	suite := junit.Testsuite{Name: name, Time: "0"}
	if !rep.GeneratedAt.IsZero() {
		suite.Timestamp = rep.GeneratedAt.UTC().Format(time.RFC3339)
	}
	return suite
}

// junitCase is one result as a test case of the suite named suite; at is
// the file:line the finding is located at, or "".
func junitCase(suite string, r audit.Result, at string) junit.Testcase {
	tc := junit.Testcase{Name: r.Rule, Classname: suite, Time: "0"}
	if r.Suppressed && isFinding(r) {
		tc.Skipped = &junit.Result{Message: xmlText(suppressionText(r)), Data: junitBody(r, at)}
		return tc
	}
	switch r.Status {
	case audit.StatusFail:
		tc.Failure = &junit.Result{Message: xmlText(r.Message), Type: string(r.Severity), Data: junitBody(r, at)}
	case audit.StatusError:
		tc.Error = &junit.Result{Message: xmlText(r.Message), Type: string(r.Severity), Data: junitBody(r, at)}
	case audit.StatusSkip:
		tc.Skipped = &junit.Result{Message: xmlText(r.Message)}
	case audit.StatusWarn:
		tc.SystemOut = &junit.Output{Data: "WARNING: " + junitBody(r, at)}
	case audit.StatusPass:
		if r.Attested && r.Attestation != nil {
			tc.SystemOut = &junit.Output{Data: xmlText("ATTESTED by a person, not decided by ssoaudit: " + attestationText(r.Attestation))}
		}
	}
	return tc
}

// junitBody is the detail CI shows when a case is opened: what, how to fix,
// why we think so.
func junitBody(r audit.Result, at string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s] %s\n%s\n", r.Rule, severityLabel(r), r.Title, r.Message)
	if at != "" && (r.Status != audit.StatusError || r.File != "") {
		fmt.Fprintf(&b, "At %s\n", at)
	}
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

// xmlText makes text safe as XML 1.0 character data (escape.XML):
// encoding/xml escapes markup but not characters XML cannot carry at all,
// and a control character in a message must not make the whole file
// unreadable.
func xmlText(s string) string { return escape.XML(s) }
