package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jstemmer/go-junit-report/v2/junit"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/consumer"
)

func TestWriteUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "yaml", testReport(), Options{})
	if err == nil || !strings.Contains(err.Error(), "yaml") {
		t.Fatalf("Write(yaml) = %v, want an error naming the format", err)
	}
	if err := Write(&bytes.Buffer{}, "json", nil, Options{}); err == nil {
		t.Fatal("Write(nil report) succeeded")
	}
}

func TestEveryFormatRenders(t *testing.T) {
	for _, f := range Formats {
		if out := render(t, f, Options{}); len(out) == 0 {
			t.Errorf("%s: empty output", f)
		}
	}
}

func TestJSONContract(t *testing.T) {
	out := render(t, "json", Options{})
	if !bytes.HasSuffix(out, []byte("}\n")) {
		t.Error("JSON report does not end with a newline")
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("first token %v, %v", tok, err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"schema", "tool", "generated_at", "targets", "summary", "exit_code"}
	if len(keys) < len(want) || strings.Join(keys[:len(want)], ",") != strings.Join(want, ",") {
		t.Errorf("top-level keys %v, want %v first, in that order", keys, want)
	}

	var back audit.Report
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if back.Schema != audit.Schema || back.ExitCode != audit.ExitIncomplete || len(back.Targets) != 2 {
		t.Errorf("decoded schema %q exit %d targets %d", back.Schema, back.ExitCode, len(back.Targets))
	}
	r := back.Targets[0].Results[5]
	if r.Rule != "okta.users.username-current" {
		t.Fatalf("result order changed: %s", r.Rule)
	}
	var ek []string
	for _, f := range r.Evidence {
		ek = append(ek, f.Key)
	}
	if got := strings.Join(ek, ","); got != "assigned,mismatched,examples,by_domain" {
		t.Errorf("evidence keys %s: order not kept", got)
	}
	var raw struct {
		Targets []struct {
			Results []map[string]json.RawMessage `json:"results"`
		} `json:"targets"`
	}
	if err := json.Unmarshal(out, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"rule", "status", "severity", "title", "message", "remediation", "reference", "evidence", "suppressed"} {
		if _, ok := raw.Targets[0].Results[0][k]; !ok {
			t.Errorf("result lacks contract field %q", k)
		}
	}
}

func TestJSONEmptyListsAreArrays(t *testing.T) {
	rep := &audit.Report{Tool: audit.Tool{Name: "ssoaudit", Version: "0.0.0-devel"}, Targets: []audit.TargetReport{{Name: "x", Source: "snapshot", Platform: audit.DefaultPlatform}}}
	var b bytes.Buffer
	if err := Write(&b, "json", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	consumer.Check(t, "json", b.Bytes())
	if !strings.Contains(b.String(), `"results": []`) || !strings.Contains(b.String(), `"schema": "ssoaudit.report/v1"`) {
		t.Errorf("want empty results as [] and the schema filled in:\n%s", b.String())
	}
	rep.Targets = nil
	b.Reset()
	if err := Write(&b, "json", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	consumer.Check(t, "json", b.Bytes())
	if !strings.Contains(b.String(), `"targets": []`) {
		t.Errorf("want no targets as []:\n%s", b.String())
	}
}

type sarifDoc struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name    string `json:"name"`
				Version string `json:"version"`
				Rules   []struct {
					ID               string                `json:"id"`
					ShortDescription struct{ Text string } `json:"shortDescription"`
					Help             struct{ Text, Markdown string }
					Properties       map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex *int   `json:"ruleIndex"`
			Level     string `json:"level"`
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					Region           struct{ StartLine int }
				} `json:"physicalLocation"`
				LogicalLocations []struct{ Name, FullyQualifiedName, Kind string } `json:"logicalLocations"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []map[string]any  `json:"suppressions"`
		} `json:"results"`
	} `json:"runs"`
}

func decodeSARIF(t *testing.T, out []byte) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("SARIF does not decode: %v", err)
	}
	return doc
}

func TestSARIFValid(t *testing.T) {
	for _, opts := range []Options{{Catalog: testCatalog()}, {}} {
		doc := decodeSARIF(t, render(t, "sarif", opts))
		if doc.Version != "2.1.0" || !strings.Contains(doc.Schema, "sarif-schema-2.1.0.json") {
			t.Errorf("version %q schema %q", doc.Version, doc.Schema)
		}
		if len(doc.Runs) != 1 {
			t.Fatalf("%d runs, want 1", len(doc.Runs))
		}
		run := doc.Runs[0]
		if run.Tool.Driver.Name != "ssoaudit" || run.Tool.Driver.Version != "1.2.3" {
			t.Errorf("driver %+v", run.Tool.Driver.Name)
		}
		rules := map[string]int{}
		for i, r := range run.Tool.Driver.Rules {
			rules[r.ID] = i
			if r.ShortDescription.Text == "" || r.Help.Text == "" || r.Help.Markdown == "" {
				t.Errorf("rule %s lacks description or help", r.ID)
			}
			if _, ok := r.Properties["security-severity"].(string); !ok && r.ID != incompleteRuleID {
				t.Errorf("rule %s lacks security-severity", r.ID)
			}
		}
		// Fail, error and warn results only: 7 in acme-prod, 2 in acme-dev,
		// 1 in acme-prod's deployment.
		if len(run.Results) != 10 {
			t.Errorf("%d results, want 10", len(run.Results))
		}
		suppressed := 0
		for _, r := range run.Results {
			if r.RuleID == "" || r.Level == "" || r.Message.Text == "" {
				t.Errorf("result %+v lacks ruleId, level or message", r)
			}
			if i, ok := rules[r.RuleID]; !ok || r.RuleIndex == nil || *r.RuleIndex != i {
				t.Errorf("result %s: ruleIndex does not point at its rule", r.RuleID)
			}
			if len(r.Locations) == 0 || r.Locations[0].PhysicalLocation.ArtifactLocation.URI == "" || r.Locations[0].PhysicalLocation.Region.StartLine != 1 {
				t.Errorf("result %s lacks locations[0].physicalLocation.artifactLocation.uri", r.RuleID)
			}
			if len(r.Locations[0].LogicalLocations) != 1 || r.Locations[0].LogicalLocations[0].Kind != "resource" {
				t.Errorf("result %s lacks the app as logical location", r.RuleID)
			}
			if len(r.PartialFingerprints) == 0 {
				t.Errorf("result %s lacks partialFingerprints", r.RuleID)
			}
			for _, s := range r.Suppressions {
				suppressed++
				for k, v := range s {
					if v == nil {
						t.Errorf("suppression field %s is null, which the SARIF schema rejects", k)
					}
				}
				if s["kind"] != "external" || s["justification"] == "" {
					t.Errorf("suppression %v", s)
				}
			}
		}
		if suppressed != 1 {
			t.Errorf("%d suppressions, want 1", suppressed)
		}
	}
}

func TestSARIFLevels(t *testing.T) {
	cases := []struct {
		st   audit.Status
		sev  audit.Severity
		want string
	}{
		{audit.StatusFail, audit.Critical, "error"},
		{audit.StatusFail, audit.High, "error"},
		{audit.StatusFail, audit.Medium, "warning"},
		{audit.StatusFail, audit.Low, "note"},
		{audit.StatusFail, audit.Info, "note"},
		{audit.StatusWarn, audit.Critical, "warning"},
		{audit.StatusWarn, audit.Low, "note"},
		{audit.StatusError, audit.Critical, "note"},
	}
	for _, c := range cases {
		if got := sarifLevel(c.st, c.sev); got != c.want {
			t.Errorf("sarifLevel(%s, %s) = %s, want %s", c.st, c.sev, got, c.want)
		}
	}
}

func TestJUnitParsesAndCounts(t *testing.T) {
	out := render(t, "junit", Options{})
	var suites junit.Testsuites
	if err := xml.Unmarshal(out, &suites); err != nil {
		t.Fatalf("JUnit does not parse: %v", err)
	}
	if len(suites.Suites) != 4 {
		t.Fatalf("%d suites, want 4 (2 targets, 2 deployments)", len(suites.Suites))
	}
	// acme-prod: 4 unsuppressed fails, 1 error, 1 skip + 1 suppressed fail
	// as skipped; the warn passes. acme-dev: 1 fail, 1 skip. Deployments:
	// acme-prod's console with a warn, acme-dev's a skip.
	want := []struct{ tests, failures, errors, skipped int }{{10, 4, 1, 2}, {4, 1, 0, 1}, {1, 0, 0, 0}, {1, 0, 0, 1}}
	var tot struct{ tests, failures, errors, skipped int }
	for i, s := range suites.Suites {
		var f, e, sk int
		for _, c := range s.Testcases {
			if c.Failure != nil {
				f++
			}
			if c.Error != nil {
				e++
			}
			if c.Skipped != nil {
				sk++
			}
			if c.Classname != s.Name {
				t.Errorf("case %s classname %q, want %q", c.Name, c.Classname, s.Name)
			}
		}
		got := struct{ tests, failures, errors, skipped int }{len(s.Testcases), f, e, sk}
		if got != want[i] || s.Tests != got.tests || s.Failures != f || s.Errors != e || s.Skipped != sk {
			t.Errorf("suite %s: cases %+v attrs tests=%d failures=%d errors=%d skipped=%d, want %+v",
				s.Name, got, s.Tests, s.Failures, s.Errors, s.Skipped, want[i])
		}
		tot.tests += got.tests
		tot.failures += f
		tot.errors += e
		tot.skipped += sk
	}
	// junit-10.xsd has no skipped total on <testsuites>, and totals without
	// it make readers count skipped cases as passed: the root has none, so
	// every reader sums the suites.
	if suites.Tests != 0 || suites.Failures != 0 || suites.Errors != 0 || suites.Skipped != 0 {
		t.Errorf("testsuites totals %d/%d/%d/skipped=%d, want none (readers sum the suites, %+v)", suites.Tests, suites.Failures, suites.Errors, suites.Skipped, tot)
	}
	got, err := consumer.JUnitReaderTotals(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := consumer.TotalsOf(testReport()); got != want {
		t.Errorf("JUnit readers' totals %+v, want the report's %+v", got, want)
	}
}

func TestJUnitControlCharacters(t *testing.T) {
	rep := testReport()
	rep.Targets[0].Results[1].Message = "bad\x00byte\x1b[31m"
	var b bytes.Buffer
	if err := Write(&b, "junit", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	var suites junit.Testsuites
	if err := xml.Unmarshal(b.Bytes(), &suites); err != nil {
		t.Fatalf("control characters broke the XML: %v", err)
	}
	consumer.JUnit(t, b.Bytes())
}

// externalRef is anything that would make a browser fetch: a src, a <link>,
// CSS imports and urls. A reference's <a href> is a link a person may
// follow, not a fetch.
var externalRef = regexp.MustCompile(`(?i)src\s*=\s*["']?\s*(https?:)?//|<link[^>]*href|@import|url\(`)

func TestHTMLSelfContained(t *testing.T) {
	out := string(render(t, "html", Options{}))
	if strings.Contains(strings.ToLower(out), "<script") {
		t.Error("HTML contains a script")
	}
	if m := externalRef.FindString(out); m != "" {
		t.Errorf("HTML references an external resource: %q", m)
	}
	for _, want := range []string{"<!DOCTYPE html>", "@media print", "2026-11-27T10:00:00Z", "1.2.3", "Gate: incomplete (exit 3)", "Target acme-dev", "Passed checks", "Audit record"} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

// TestHTMLOrder: a reader lands on what to fix. Findings of every target
// and deployment come before the audit record, and every pass after both;
// references are links.
func TestHTMLOrder(t *testing.T) {
	rep := testReport()
	rep.Targets[0].Results[0].Status = audit.StatusFail
	rep.Targets[0].Results[0].Reference = "Druva's guide, step 3: https://docs.druva.com/guide (see also https://example.com/a.)"
	rep.Targets[0].Results[1].Status = audit.StatusPass
	var b bytes.Buffer
	if err := Write(&b, "html", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	findings, record, passes := strings.Index(out, "<h3>Findings</h3>"), strings.Index(out, "<h3>Audit record</h3>"), strings.Index(out, "Passed checks")
	if findings < 0 || record < 0 || passes < 0 || !(findings < record && record < passes) {
		t.Errorf("order: findings at %d, audit record at %d, passes at %d; want them in that order", findings, record, passes)
	}
	for _, want := range []string{`<a href="https://docs.druva.com/guide">https://docs.druva.com/guide</a>`, `<a href="https://example.com/a">https://example.com/a</a>.)`} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
}

func TestHTMLEscapes(t *testing.T) {
	rep := testReport()
	rep.Targets[0].Results[1].Message = `<script>alert(1)</script><img src="https://evil.example/x.png">`
	var b bytes.Buffer
	if err := Write(&b, "html", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "<script") || strings.Contains(b.String(), "<img") {
		t.Error("message markup was not escaped")
	}
}

var unescapedPipe = regexp.MustCompile(`(^|[^\\])\|`)

func TestMarkdownEscapesCells(t *testing.T) {
	out := string(render(t, "markdown", Options{}))
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "okta.saml.acs-url") && strings.HasPrefix(line, "| ") {
			if n := len(unescapedPipe.FindAllString(line, -1)); n != 5 {
				t.Errorf("table row has the wrong number of cells: %s", line)
			}
			// A newline in a message must not end the row: shown as \n.
			if !strings.Contains(line, `consume exactly.\nRecipient`) || !strings.Contains(line, "&lt;differs&gt;") {
				t.Errorf("newline or markup not escaped: %s", line)
			}
		}
	}
}

func TestMarkdownAllPassing(t *testing.T) {
	rep := &audit.Report{Tool: audit.Tool{Name: "ssoaudit", Version: "1.2.3"}, FailOn: audit.High,
		Targets: []audit.TargetReport{{Name: "ok", Results: []audit.Result{
			res("okta.app.saml-active", audit.StatusPass, "fine", nil),
			res("druva.admin.failsafe", audit.StatusSkip, "no console", nil),
		}}}}
	decide(rep)
	var b bytes.Buffer
	if err := Write(&b, "markdown", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "| Status") || !strings.Contains(out, "All rules passed or were skipped on 1 target.") {
		t.Errorf("all-passing markdown:\n%s", out)
	}
	if !strings.Contains(out, "**Not checked:**\n\n- ⏭️ skip — `druva.admin.failsafe` (high): no console\n") {
		t.Errorf("an all-passing run must still list what was not checked:\n%s", out)
	}
	if !strings.Contains(out, "2 rules: 0 fail, 0 error, 0 warn, 1 pass, 1 skip — no unsuppressed fail at or above high — gate: **passed**") {
		t.Errorf("summary line:\n%s", out)
	}
}

func TestGateLine(t *testing.T) {
	rep := testReport()
	var b bytes.Buffer
	if err := Write(&b, "table", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	want := "16 results across 2 targets and 2 deployments: 6 fail (1 suppressed), 1 error, 3 warn, 3 pass, 3 skip — " +
		"1 unsuppressed error (could not evaluate), 3 unsuppressed fails at or above high — gate: incomplete (exit 3)"
	// The table wraps the line to its width: it must end the output.
	if got := unwrapped(b.String()); !strings.HasSuffix(got, " "+want) {
		t.Errorf("the table does not end with\n%q:\n%s", want, b.String())
	}

	one := &audit.Report{Targets: rep.Targets[1:], FailOn: audit.Low}
	decide(one)
	one.Summary = one.Targets[0].Summary
	if got := summaryText(one); got != "4 rules: 1 fail, 0 error, 1 warn, 1 pass, 1 skip — 1 unsuppressed fail at or above low — gate: FAILED" {
		t.Errorf("one target: %q", got)
	}

	// A verdict the counts do not explain is shown without them, never
	// contradicted by them.
	one.FailOn, one.ExitCode = audit.Medium, audit.ExitGateFailed
	if got := summaryText(one); got != "4 rules: 1 fail, 0 error, 1 warn, 1 pass, 1 skip — gate: FAILED (fail at or above medium)" {
		t.Errorf("forced verdict: %q", got)
	}
}

// suppressedRun is a run whose fails are all suppressed but one, of a
// severity below the threshold.
func suppressedRun(lastFail audit.Severity) *audit.Report {
	sup := func(id string) audit.Result {
		return suppressed(res(id, audit.StatusFail, "broken", nil), "accepted risk", "2027-01-01", false)
	}
	rep := &audit.Report{FailOn: audit.High, Targets: []audit.TargetReport{{Name: "t", Results: []audit.Result{
		sup("okta.saml.response-signed"), sup("okta.saml.acs-url"), sup("okta.saml.sha256"),
		withSeverity(res("okta.saml.assertion-signed", audit.StatusFail, "not signed", nil), lastFail),
		res("okta.app.saml-active", audit.StatusPass, "fine", nil),
	}}}}
	decide(rep)
	return rep
}

func TestSummaryShowsSuppressionsAndBasis(t *testing.T) {
	pass := suppressedRun(audit.Low)
	want := "5 rules: 4 fail (3 suppressed), 0 error, 0 warn, 1 pass, 0 skip — no unsuppressed fail at or above high — gate: passed (3 fails suppressed)"
	if got := summaryText(pass); got != want {
		t.Errorf("passing run:\n%q, want\n%q", got, want)
	}
	fail := suppressedRun(audit.Critical)
	want = "5 rules: 4 fail (3 suppressed), 0 error, 0 warn, 1 pass, 0 skip — 1 unsuppressed fail at or above high — gate: FAILED"
	if got := summaryText(fail); got != want {
		t.Errorf("failing run:\n%q, want\n%q", got, want)
	}
	for _, f := range []string{"table", "markdown", "html"} {
		out := unwrapped(string(renderReport(t, pass, f, Options{})))
		for _, w := range []string{"4 fail (3 suppressed)", "no unsuppressed fail at or above high", "(3 fails suppressed)"} {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q", f, w)
			}
		}
	}
}

// unwrapped is text with its line breaks and runs of spaces made single
// spaces, so a test can look for a sentence the table wrapped.
func unwrapped(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestTableOrderAndSuppression(t *testing.T) {
	out := string(render(t, "table", Options{ShowPassed: true}))
	order := []string{"okta.saml.response-signed", "okta.saml.acs-url", "okta.users.username-current", "okta.saml.assertion-signed",
		"okta.saml.sha256", "okta.metadata.consistent", "okta.cert.validity", "okta.app.saml-active", "okta.cert.strength"}
	table := out[:strings.Index(out, "How to fix:")]
	// A skip is listed once, under Not checked, not as a row too.
	if strings.Contains(table, "│ druva.admin.failsafe") || !strings.Contains(out, "skip — druva.admin.failsafe") {
		t.Errorf("the skipped druva.admin.failsafe is a row, or not under Not checked:\n%s", out)
	}
	last := -1
	for _, id := range order {
		i := strings.Index(table, "│ "+id)
		if i < last {
			t.Errorf("%s out of order", id)
		}
		last = i
	}
	for _, want := range []string{"(suppressed)", "Suppressed until 2027-03-31: Legacy IdP tenant", "Suppression expired on 2026-10-01", "How to fix:"} {
		if !strings.Contains(unwrapped(out), want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

var ansi = regexp.MustCompile("\x1b\\[")

func TestNoANSIWithoutColor(t *testing.T) {
	for _, f := range Formats {
		if ansi.Match(render(t, f, Options{})) {
			t.Errorf("%s output contains an ANSI escape with Color off", f)
		}
	}
	for _, f := range []string{"json", "sarif", "junit", "markdown", "html"} {
		if ansi.Match(render(t, f, Options{Color: true})) {
			t.Errorf("%s output contains an ANSI escape: colour is for the table only", f)
		}
	}
	if !ansi.Match(render(t, "table", Options{Color: true})) {
		t.Error("table has no colour with Color on")
	}
	var b bytes.Buffer
	if err := WriteCatalog(&b, "table", testCatalog()); err != nil {
		t.Fatal(err)
	}
	if err := WriteExplain(&b, testCatalog()[0]); err != nil {
		t.Fatal(err)
	}
	if ansi.Match(b.Bytes()) {
		t.Error("catalog or explain contains an ANSI escape")
	}
}

func TestSecretsRedactedEverywhere(t *testing.T) {
	const token = "A-16620-1122334455-c2VjcmV0c2VjcmV0c2VjcmV0"
	s := audit.NewSecret(token)
	rep := testReport()
	r := &rep.Targets[0].Results[1]
	r.Evidence = r.Evidence.
		Add("token", s).
		Add("nested", map[string]any{"token": s, "list": []any{s}}).
		Add("evidence", audit.Evidence{}.Add("token", s))
	redacted := audit.Redact(token)
	for _, f := range Formats {
		var b bytes.Buffer
		if err := Write(&b, f, rep, Options{Catalog: testCatalog()}); err != nil {
			t.Fatal(err)
		}
		consumer.Check(t, f, b.Bytes())
		out := b.String()
		if strings.Contains(out, token) || strings.Contains(out, token[8:]) {
			t.Errorf("%s output contains the raw token", f)
		}
		// Metrics and CSV carry no evidence: nothing to show, redacted or
		// not (csv_test.go puts a token where CSV shows it).
		if f != "prometheus" && f != "csv" && !strings.Contains(out, audit.Fingerprint(token)[:16]) {
			t.Errorf("%s output does not show the redacted form %q", f, redacted)
		}
	}
}

func TestCatalogAndExplain(t *testing.T) {
	if err := WriteCatalog(&bytes.Buffer{}, "html", testCatalog()); err == nil {
		t.Error("WriteCatalog accepted html")
	}
	var b bytes.Buffer
	if err := WriteCatalog(&b, "json", testCatalog()); err != nil {
		t.Fatal(err)
	}
	consumer.Check(t, "json", b.Bytes())
	var doc struct {
		Schema string `json:"schema"`
		Rules  []struct {
			ID     string   `json:"id"`
			Inputs []string `json:"inputs"`
		} `json:"rules"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != CatalogSchema || len(doc.Rules) != len(testCatalog()) || doc.Rules[5].Inputs[1] != "okta/users.json" {
		t.Errorf("catalog json %+v", doc)
	}
	if err := WriteExplain(&bytes.Buffer{}, nil); err == nil {
		t.Error("WriteExplain(nil) succeeded")
	}
	b.Reset()
	if err := WriteExplain(&b, testCatalog()[5]); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"okta.users.username-current — ", "Severity: high", "Why it matters", "How to fix", "Reference", "okta/app.json, okta/users.json"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("explain lacks %q:\n%s", want, b.String())
		}
	}
}

func TestRenderingDoesNotMutateInput(t *testing.T) {
	rep := testReport()
	before, _ := json.Marshal(rep)
	for _, f := range Formats {
		var b bytes.Buffer
		if err := Write(&b, f, rep, Options{Catalog: testCatalog()}); err != nil {
			t.Fatal(err)
		}
		consumer.Check(t, f, b.Bytes())
	}
	after, _ := json.Marshal(rep)
	if !bytes.Equal(before, after) {
		t.Error("a writer changed the report it was given")
	}
}

func TestConfigChangesAreVisible(t *testing.T) {
	rep := testReport()
	note := "Config: .ssoaudit.yaml — disabled: okta.saml.audience (high); severity changed: okta.cert.strength medium → info, druva.profile.sso medium → low"
	if got := configText(rep); got != note {
		t.Errorf("configText = %q", got)
	}
	table := string(render(t, "table", Options{}))
	for _, want := range []string{"Config: .ssoaudit.yaml\n", "  disabled: okta.saml.audience (high)\n",
		"  severity changed: okta.cert.strength medium → info, druva.profile.sso medium → low\n",
		"[low (was medium)] A profile uses SSO"} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q", want)
		}
	}
	md := string(render(t, "markdown", Options{}))
	html := string(render(t, "html", Options{}))
	for name, out := range map[string]string{"markdown": md, "html": html} {
		for _, want := range []string{note, "low (was medium)", "info (was medium)"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
	// The config note is near the top of Markdown, before the first target.
	if i, j := strings.Index(md, note), strings.Index(md, "### acme-prod"); i < 0 || i > j {
		t.Error("markdown: config note is not above the targets")
	}

	var suites junit.Testsuites
	if err := xml.Unmarshal(render(t, "junit", Options{}), &suites); err != nil {
		t.Fatal(err)
	}
	for _, s := range suites.Suites {
		found := false
		for _, p := range *s.Properties {
			if p.Name == "config" && p.Value == note {
				found = true
			}
		}
		if !found {
			t.Errorf("junit suite %s lacks the config property", s.Name)
		}
	}

	var sarifRun struct {
		Runs []struct {
			Properties struct {
				Config    string               `json:"config"`
				Overrides []audit.RuleOverride `json:"overrides"`
			} `json:"properties"`
			Invocations []struct {
				Overrides []struct {
					Configuration struct {
						Enabled *bool  `json:"enabled"`
						Level   string `json:"level"`
					} `json:"configuration"`
					Descriptor struct {
						ID    string `json:"id"`
						Index *int   `json:"index"`
					} `json:"descriptor"`
				} `json:"ruleConfigurationOverrides"`
			} `json:"invocations"`
			Results []struct {
				RuleID     string         `json:"ruleId"`
				Level      string         `json:"level"`
				Properties map[string]any `json:"properties"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(render(t, "sarif", Options{Catalog: testCatalog()}), &sarifRun); err != nil {
		t.Fatal(err)
	}
	run := sarifRun.Runs[0]
	if run.Properties.Config != ".ssoaudit.yaml" || len(run.Properties.Overrides) != 3 || !run.Properties.Overrides[2].Disabled {
		t.Errorf("sarif run properties %+v", run.Properties)
	}
	ov := run.Invocations[0].Overrides
	if len(ov) != 3 || ov[0].Configuration.Level != "note" || ov[2].Descriptor.ID != "okta.saml.audience" ||
		ov[2].Configuration.Enabled == nil || *ov[2].Configuration.Enabled || ov[2].Descriptor.Index == nil {
		t.Errorf("sarif ruleConfigurationOverrides %+v", ov)
	}
	for _, r := range run.Results {
		if r.RuleID == "druva.profile.sso" && (r.Level != "note" || r.Properties["default_severity"] != "medium") {
			t.Errorf("re-rated result: level %s properties %v", r.Level, r.Properties)
		}
	}

	js := string(render(t, "json", Options{}))
	for _, want := range []string{`"config": ".ssoaudit.yaml"`, `"overrides": [`, `"default_severity": "medium"`, `"disabled": true`} {
		if !strings.Contains(js, want) {
			t.Errorf("json lacks %s", want)
		}
	}

	// No config, no note.
	rep.Config, rep.Overrides = "", nil
	for _, f := range []string{"table", "markdown", "html", "junit"} {
		if out := string(renderReport(t, rep, f, Options{})); strings.Contains(out, "Config:") {
			t.Errorf("%s mentions a config the run did not use", f)
		}
	}
}

func TestErrorsGroupedByCause(t *testing.T) {
	rep := incompleteReport()
	table := string(renderReport(t, rep, "table", Options{}))
	fixes := table[strings.Index(table, "How to fix:"):strings.Index(table, "Findings (")]
	block := table[strings.Index(table, "Findings ("):]
	head := "error (could not evaluate) — one cause, 8 rules\n"
	if !strings.Contains(fixes, head) {
		t.Errorf("table lacks the grouped heading %q:\n%s", head, fixes)
	}
	// Every rule the cause blocked is named, once.
	blocked := "Rules it blocked: okta.cert.validity, okta.app.saml-active, okta.saml.acs-url, okta.saml.audience, okta.users.username-current, okta.saml.assertion-signed, okta.saml.sha256, okta.saml.response-signed"
	if !strings.Contains(unwrapped(fixes), blocked) {
		t.Errorf("table does not list the blocked rules:\n%s", fixes)
	}
	// The findings block at the end gives the cause one line, naming the
	// first rule it blocked and how many more.
	if n := strings.Count(block, "could not read the Okta"); n != 1 || !strings.Contains(block, " +7 ") {
		t.Errorf("the cause has %d lines in the findings block, want 1 naming +7 rules:\n%s", n, block)
	}
	if n := strings.Count(fixes, "could not read the Okta app:"); n != 1 {
		t.Errorf("the shared message appears %d times under How to fix, want 1", n)
	}
	if n := strings.Count(fixes, "Check what kept ssoaudit"); n != 1 {
		t.Errorf("the input remediation appears %d times, want 1", n)
	}
	md := string(renderReport(t, rep, "markdown", Options{}))
	html := string(renderReport(t, rep, "html", Options{}))
	if n := strings.Count(md, "Check what kept ssoaudit"); n != 1 {
		t.Errorf("markdown: input remediation %d times, want 1", n)
	}
	if n := strings.Count(html, `<article class="finding error"`); n != 3 {
		t.Errorf("html: %d error cards, want one per cause (3)", n)
	}
	if !strings.Contains(html, `(8 rules)</h4>`) {
		t.Error("html: the grouped card does not count its rules")
	}
	// Every rule's table row links to the card that explains it.
	if n := strings.Count(html, `href="#t1-f1"`); n != 8 {
		t.Errorf("html: %d rows link to the grouped card, want 8", n)
	}
	// No rule's own set-up fix is offered for a rule that could not look.
	for name, out := range map[string]string{"table": table, "markdown": md, "html": html} {
		for _, r := range testCatalog() {
			if strings.Contains(out, r.Remediation) {
				t.Errorf("%s shows %s's set-up remediation for an error", name, r.ID)
			}
		}
	}
}

func TestNotChecked(t *testing.T) {
	rep := incompleteReport()
	line := "cross.certificate-match (critical), druva.admin.failsafe (high)"
	table := string(renderReport(t, rep, "table", Options{}))
	i, j := strings.Index(table, "How to fix:"), strings.Index(table, "Not checked:")
	if j < 0 || j < i {
		t.Fatalf("table: Not checked block missing or before How to fix:\n%s", table)
	}
	if !strings.Contains(table[j:], "skip — "+line) || !strings.Contains(table[j:], "no druva.yaml was given") {
		t.Errorf("table: Not checked block:\n%s", table[j:])
	}
	if n := strings.Count(table[j:], "no druva.yaml was given"); n != 1 {
		t.Errorf("table: the skip reason appears %d times, want once", n)
	}
	md := string(renderReport(t, rep, "markdown", Options{}))
	if !strings.Contains(md, "**Not checked:**") || !strings.Contains(md, "`cross.certificate-match` (critical), `druva.admin.failsafe` (high)") {
		t.Errorf("markdown lacks the Not checked block:\n%s", md)
	}
	html := string(renderReport(t, rep, "html", Options{}))
	if !strings.Contains(html, "<h3>Not checked</h3>") || !strings.Contains(html, "<code>cross.certificate-match</code> (critical)") {
		t.Error("html lacks the Not checked block")
	}
}

func TestTableEvidenceLists(t *testing.T) {
	var users []map[string]any
	for i := range 15 {
		users = append(users, map[string]any{"id": fmt.Sprintf("00u%d", i), "email": fmt.Sprintf("user%d@very-long-domain-name.example.com", i), "userName": fmt.Sprintf("user%d@old-domain.example.com", i)})
	}
	long := strings.Repeat("x", 300)
	var b bytes.Buffer
	layout{width: 200}.writeEvidence(&b, "", audit.Evidence{}.
		Add("examples", users).
		Add("none", []string{}).
		Add("nested", audit.Evidence{}.Add("a", 1)).
		Add("cert", long).
		Add("huge", strings.Repeat("y", 2000)))
	out := b.String()
	lines := strings.Split(out, "\n")
	if lines[1] != "  examples:" || !strings.HasPrefix(lines[2], `    - {"email":"user0@very-long-domain-name.example.com","id":"00u0","userName":"user0@old-domain.example.com"}`) {
		t.Errorf("list not one element a line:\n%s", out)
	}
	if !strings.Contains(out, "    - {\"email\":\"user9@") || strings.Contains(out, "user10@") || !strings.Contains(out, "    … 5 more\n") {
		t.Errorf("list not capped at 10 with a count of the rest:\n%s", out)
	}
	if !strings.Contains(out, "  none: []\n") || !strings.Contains(out, `  nested: {"a":1}`+"\n") {
		t.Errorf("empty list or nested evidence:\n%s", out)
	}
	if !strings.Contains(out, "  cert:\n    "+long[:196]+"\n    "+long[196:]+"\n") {
		t.Errorf("long scalar not wrapped under its key:\n%s", out)
	}
	if !strings.Contains(out, "  huge:\n    "+strings.Repeat("y", 196)+"\n") || strings.Count(out, strings.Repeat("y", 195)) != maxEvidenceLines || !strings.Contains(out, "y…\n") {
		t.Errorf("huge scalar not cut at %d lines:\n%s", maxEvidenceLines, out)
	}
	for _, line := range lines {
		if n := utf8.RuneCountInString(line); n > 200 {
			t.Errorf("line of %d runes in a width of 200: %q", n, line)
		}
	}
	table := string(render(t, "table", Options{}))
	if !strings.Contains(table, "        examples:\n          - {\"email\":\"jane.doe@example.com\",\"id\":\"00u1\",\"userName\":\"j.doe@old.example\"}\n          - {\"email\":\"bob@example.com\",\"id\":\"00u2\",\"userName\":\"bob@old.example\"}\n") {
		t.Errorf("fixture examples not listed one a line:\n%s", table)
	}
}

// A finding is located where its rule says (audit.Rule.Location), not by
// its ID's prefix: a rule located at the console points at druva.yaml.
func TestSARIFConsoleFindingsPointAtDruvaYAML(t *testing.T) {
	catalog := []*audit.Rule{
		{ID: "druva.admin.failsafe", Location: audit.Location{Input: audit.InputConsole}},
		{ID: "okta.saml.sha256", Location: audit.Location{Input: audit.InputApp}},
	}
	rep := &audit.Report{Schema: audit.Schema, Targets: []audit.TargetReport{{
		Name: "prod", Origin: "snap/okta/app.json", Console: "snap/druva.yaml", App: audit.AppRef{ID: "0oa1"},
		Results: []audit.Result{
			{Rule: "druva.admin.failsafe", Status: audit.StatusFail, Severity: audit.High, Message: "m"},
			{Rule: "okta.saml.sha256", Status: audit.StatusFail, Severity: audit.Medium, Message: "m"},
		},
	}}}
	var b bytes.Buffer
	if err := Write(&b, "sarif", rep, Options{Catalog: catalog}); err != nil {
		t.Fatal(err)
	}
	consumer.Check(t, "sarif", b.Bytes())
	doc := decodeSARIF(t, b.Bytes())
	got := map[string]string{}
	for _, r := range doc.Runs[0].Results {
		got[r.RuleID] = r.Locations[0].PhysicalLocation.ArtifactLocation.URI
	}
	if got["druva.admin.failsafe"] != "snap/druva.yaml" || got["okta.saml.sha256"] != "snap/okta/app.json" {
		t.Fatalf("%v", got)
	}
}

// One rule that passed is "the one rule" in the headline and by its name
// in its section, never "all 1 rule passed".
func TestHeadlineOneRule(t *testing.T) {
	rep := &audit.Report{Targets: []audit.TargetReport{{Name: "t", Results: []audit.Result{{Rule: "a.b", Status: audit.StatusPass}}}}}
	if got, want := headline(rep), "Nothing to fix: a.b passed."; got != want {
		t.Errorf("headline %q, want %q", got, want)
	}
	var b strings.Builder
	if err := writeTable(&b, rep, Options{Width: 100}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "all 1 rule") || !strings.Contains(b.String(), "Passed: a.b (--show-passed shows it).") {
		t.Errorf("table:\n%s", b.String())
	}
}

// The headline names what a person vouched for and what only a person can
// verify apart from the tool's passes and from rules that do not apply.
func TestHeadlineAttestedAndNotExposed(t *testing.T) {
	rep := &audit.Report{Targets: []audit.TargetReport{{Name: "t", Results: []audit.Result{
		{Rule: "a.a", Status: audit.StatusPass},
		{Rule: "a.b", Status: audit.StatusPass, Attested: true},
		{Rule: "a.c", Status: audit.StatusSkip, SkipKind: audit.SkipNotExposed},
		{Rule: "a.d", Status: audit.StatusSkip, SkipKind: audit.SkipNotApplicable},
	}}}}
	if got, want := headline(rep), "Nothing to fix: 1 passed; 1 attested by a person; 1 not applicable; 1 only a person can verify."; got != want {
		t.Errorf("headline %q, want %q", got, want)
	}
}
