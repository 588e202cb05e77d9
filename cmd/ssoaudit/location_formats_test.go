package main

import (
	"strings"
	"testing"
)

// TestFindingsAtTheirLineInEveryFormat: the file:line SARIF gives a finding
// (druva.admin.failsafe at druva.yaml's failsafe key, line 33 of the broken
// example) is also in the table, Markdown, HTML and JUnit, so a person
// reading any of them lands on the same line.
func TestFindingsAtTheirLineInEveryFormat(t *testing.T) {
	for _, c := range []struct{ format, want string }{
		{"table", "druva.yaml:33"},
		{"markdown", "druva.yaml:33"},
		{"html", "druva.yaml:33</code>"},
		{"junit", "druva.yaml:33\n"},
		{"sarif", `"startLine": 33`},
	} {
		cl := newCLI(t)
		if code := cl.run("scan", "--snapshot", snap("broken"), "--format", c.format); code != 1 {
			t.Fatalf("%s: exit %d\n%s", c.format, code, cl.stderr.String())
		}
		if out := cl.stdout.String(); !strings.Contains(out, c.want) {
			t.Errorf("%s lacks %q", c.format, c.want)
		}
	}
}
