package consumer

import (
	"strings"
	"testing"
)

// minimal is the smallest log GitHub's page shows working, with what this
// package also requires (semanticVersion, helpUri, automationDetails).
const minimal = `{
  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "version": "2.1.0",
  "runs": [{
    "tool": {"driver": {"name": "t", "semanticVersion": "1.0.0", "rules": [{
      "id": "R01", "name": "R", "shortDescription": {"text": "s"}, "fullDescription": {"text": "f"},
      "help": {"text": "h"}, "helpUri": "https://example.com/r01",
      "properties": {"security-severity": "9.8", "tags": ["security"]}}]}},
    "automationDetails": {"id": "cat/"},
    "results": [{
      "ruleId": "R01", "ruleIndex": 0, "level": "error", "message": {"text": "m"},
      "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/a.go", "uriBaseId": "%SRCROOT%"}, "region": {"startLine": 2}}}],
      "partialFingerprints": {"primaryLocationLineHash": "39fa2ee980eb94b0:1"}}]
  }]
}`

func TestGitHubProblems(t *testing.T) {
	if p := GitHubProblems([]byte(minimal)); len(p) != 0 {
		t.Fatalf("the minimal log has problems: %v", p)
	}
	SARIFSchemaValid(t, []byte(minimal))
	// Each of these is what ssoaudit used to write, or a rule of GitHub's page.
	for name, c := range map[string]struct{ from, to, want string }{
		"absolute URL location":                {`"uri": "src/a.go"`, `"uri": "https://acme.okta.com"`, "not relative"},
		"absolute path":                        {`"uri": "src/a.go"`, `"uri": "/home/runner/work/a.go"`, "not relative"},
		"outside the repository":               {`"uri": "src/a.go"`, `"uri": "../../druva/druva.yaml"`, "leaves the repository"},
		"no uriBaseId":                         {`, "uriBaseId": "%SRCROOT%"`, ``, "uriBaseId"},
		"fingerprint GitHub ignores":           {`"primaryLocationLineHash"`, `"ssoauditFinding/v1"`, "primaryLocationLineHash"},
		"no semanticVersion":                   {`"semanticVersion": "1.0.0", `, ``, "semanticVersion"},
		"version not semver":                   {`"semanticVersion": "1.0.0"`, `"semanticVersion": "dev"`, "semanticVersion"},
		"version not numeric (SARIF2005)":      {`"semanticVersion": "1.0.0"`, `"version": "devel", "semanticVersion": "1.0.0"`, "SARIF2005"},
		"no helpUri":                           {`, "helpUri": "https://example.com/r01"`, ``, "helpUri"},
		"no automationDetails":                 {`"automationDetails": {"id": "cat/"},`, ``, "automationDetails"},
		"security-severity out of range":       {`"9.8"`, `"11"`, "security-severity"},
		"security-severity as number":          {`"9.8"`, `9.8`, "security-severity"},
		"no startLine":                         {`, "region": {"startLine": 2}`, ``, "startLine"},
		"ruleIndex elsewhere":                  {`"ruleIndex": 0`, `"ruleIndex": 3`, "ruleIndex"},
		"could-not-evaluate as security alert": {`"partialFingerprints"`, `"properties": {"status": "error"}, "partialFingerprints"`, "could not be evaluated"},
		"no fullDescription":                   {`"fullDescription": {"text": "f"},`, ``, "fullDescription"},
		"re-rated rule keeps its old score":    {`"partialFingerprints"`, `"properties": {"status": "fail", "severity": "low"}, "partialFingerprints"`, "security-severity"},
	} {
		doc := strings.Replace(minimal, c.from, c.to, 1)
		if doc == minimal {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		p := strings.Join(GitHubProblems([]byte(doc)), "\n")
		if !strings.Contains(p, c.want) {
			t.Errorf("%s: problems %q, want one about %q", name, p, c.want)
		}
	}
}

func TestSARIFSchemaRejects(t *testing.T) {
	sarifSchemaValidErr := func(doc string) (failed bool) {
		ft := &fakeTB{TB: t}
		func() {
			defer func() { recover() }()
			SARIFSchemaValid(ft, []byte(doc))
		}()
		return ft.failed
	}
	for name, doc := range map[string]string{
		"bad level":        strings.Replace(minimal, `"level": "error"`, `"level": "critical"`, 1),
		"null suppression": strings.Replace(minimal, `"partialFingerprints"`, `"suppressions": [{"kind": "external", "status": null}], "partialFingerprints"`, 1),
		"no runs":          `{"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json"}`,
	} {
		if !sarifSchemaValidErr(doc) {
			t.Errorf("%s: the schema accepted it", name)
		}
	}
}

// fakeTB records a failure instead of stopping the real test.
type fakeTB struct {
	testing.TB
	failed bool
}

func (f *fakeTB) Fatalf(string, ...any) { f.failed = true; panic("fatal") }
func (f *fakeTB) Helper()               {}
