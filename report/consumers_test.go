package report

import (
	"os"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/consumer"
)

// TestMain reports how many documents each consumer's check accepted, so a
// run shows how much was validated (go test -v ./report).
func TestMain(m *testing.M) {
	code := m.Run()
	consumer.PrintCounts()
	os.Exit(code)
}

// TestJUnitAsGitLabReadsIt checks each result reaches GitLab's test report
// with the status the mapping promises.
func TestJUnitAsGitLabReadsIt(t *testing.T) {
	rep := testReport()
	cases := consumer.JUnit(t, render(t, "junit", Options{}))
	var want []consumer.GitLabCase
	for _, tr := range rep.Targets {
		for _, r := range tr.Results {
			status := map[audit.Status]string{
				audit.StatusPass: "success", audit.StatusWarn: "success",
				audit.StatusFail: "failed", audit.StatusError: "error", audit.StatusSkip: "skipped",
			}[r.Status]
			if r.Suppressed && isFinding(r) {
				status = "skipped"
			}
			want = append(want, consumer.GitLabCase{Suite: tr.Name, Classname: tr.Name, Name: r.Rule, Status: status})
		}
	}
	// A suite per deployment (docs/deployments.md), after the targets'.
	for _, d := range rep.Deployments {
		for _, r := range d.Results {
			status := map[audit.Status]string{audit.StatusWarn: "success", audit.StatusSkip: "skipped"}[r.Status]
			want = append(want, consumer.GitLabCase{Suite: "deployment " + d.Name, Classname: "deployment " + d.Name, Name: r.Rule, Status: status})
		}
	}
	if len(cases) != len(want) {
		t.Fatalf("GitLab reads %d cases, want %d: %+v", len(cases), len(want), cases)
	}
	for i := range want {
		if cases[i] != want[i] {
			t.Errorf("case %d: GitLab reads %+v, want %+v", i, cases[i], want[i])
		}
	}
}

// TestJUnitEmptyRun is a run without targets: still a valid document.
func TestJUnitEmptyRun(t *testing.T) {
	rep := &audit.Report{Schema: audit.Schema, Tool: audit.Tool{Name: "ssoaudit", Version: "1.0.0"}}
	renderReport(t, rep, "junit", Options{})
}
