package consumer

import (
	"strings"
	"testing"
)

// The checks must reject what the consumers reject, or passing them means
// nothing: the report ssoaudit wrote before (a skipped total on
// <testsuites>) is refused by the Jenkins schema.
func TestJenkinsSchemaRejectsSkippedOnTestsuites(t *testing.T) {
	bad := `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="ssoaudit" tests="1" errors="0" failures="0" skipped="1">
	<testsuite name="t" tests="1" failures="0" errors="0" skipped="1"><testcase name="r" classname="t"><skipped message="x"/></testcase></testsuite>
</testsuites>`
	err := jenkinsCheck(t, []byte(bad))
	if err == nil || !strings.Contains(err.Error(), "skipped") {
		t.Fatalf("xmllint accepted a skipped attribute on <testsuites>: %v", err)
	}
	good := strings.Replace(bad, ` skipped="1">`+"\n", ">\n", 1)
	if err := jenkinsCheck(t, []byte(good)); err != nil {
		t.Fatal(err)
	}
}

func TestGitLabCases(t *testing.T) {
	doc := `<testsuites><testsuite name="a">
		<testcase name="f" classname="a"><failure message="m">x</failure><system-out>o</system-out></testcase>
		<testcase name="e" classname="a"><error message="m"/></testcase>
		<testcase name="s" classname="a"><skipped/></testcase>
		<testcase name="p" classname="a"><system-out>WARNING</system-out></testcase>
		<testsuite name="nested"><testcase name="n" classname="b"/></testsuite>
	</testsuite></testsuites>`
	cases, err := GitLabCases([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []GitLabCase{
		{"a", "a", "f", "failed"}, {"a", "a", "e", "error"}, {"a", "a", "s", "skipped"},
		{"a", "a", "p", "success"}, {"nested", "b", "n", "success"},
	}
	if len(cases) != len(want) {
		t.Fatalf("%+v", cases)
	}
	for i := range want {
		if cases[i] != want[i] {
			t.Errorf("case %d = %+v, want %+v", i, cases[i], want[i])
		}
	}
	for name, doc := range map[string]string{
		"duplicate case": `<testsuites><testsuite name="a"><testcase name="x" classname="a"/><testcase name="x" classname="a"/></testsuite></testsuites>`,
		"no classname":   `<testsuites><testsuite name="a"><testcase name="x"/></testsuite></testsuites>`,
		"not JUnit":      `<html/>`,
		"not XML":        `<testsuites>`,
	} {
		if _, err := GitLabCases([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The report ssoaudit wrote before (totals on <testsuites> without
// skipped, the only form Jenkins' schema allows there) made
// test-results-parser count the skipped case as passed; without root
// totals it sums the suites, as GitLab counts the cases.
func TestJUnitReaderTotals(t *testing.T) {
	const suite = `<testsuite name="t" tests="3" failures="1" errors="0" skipped="1"><testcase name="f" classname="t"><failure/></testcase><testcase name="s" classname="t"><skipped/></testcase><testcase name="p" classname="t"/></testsuite>`
	old := `<testsuites name="ssoaudit" tests="3" failures="1" errors="0">` + suite + `</testsuites>`
	got, err := JUnitReaderTotals([]byte(old))
	if err != nil || got != (JUnitTotals{Tests: 3, Passed: 2, Failures: 1}) {
		t.Errorf("old root totals read as %+v (%v), want the skipped case counted as passed, as test-results-parser does", got, err)
	}
	bare := `<testsuites name="ssoaudit">` + suite + suite + `</testsuites>`
	got, err = JUnitReaderTotals([]byte(bare))
	if want := (JUnitTotals{Tests: 6, Passed: 2, Failures: 2, Skipped: 2}); err != nil || got != want {
		t.Errorf("suites summed to %+v (%v), want %+v", got, err, want)
	}
	if _, err := JUnitReaderTotals([]byte(`<testsuites tests="x"/>`)); err == nil {
		t.Error("a non-numeric count was accepted")
	}
}
