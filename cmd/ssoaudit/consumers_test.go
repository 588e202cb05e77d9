package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/consumer"
	"github.com/ssoaudit/ssoaudit/report"
)

// checkReports checks every machine-read report a scan in these tests
// wrote — to stdout or to --output files — the way its consumers read it
// (package consumer). Both CLI harnesses call it after each run, so no test
// of the command can produce a report Jenkins, GitLab, GitHub or
// Prometheus would refuse without failing.
func checkReports(t *testing.T, args []string, code int, stdout []byte) {
	t.Helper()
	if len(args) == 0 || args[0] != "scan" || (code != 0 && code != 1 && code != 3) {
		return
	}
	format, formatGiven := "table", false
	var outputs []string
	for i := 1; i < len(args); i++ {
		name, value, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		if !strings.HasPrefix(args[i], "-") || (name != "format" && name != "output") {
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return
			}
			i++
			value = args[i]
		}
		if name == "format" {
			format, formatGiven = strings.ToLower(value), true
		} else {
			outputs = append(outputs, value)
		}
	}
	if len(outputs) == 0 {
		checkReport(t, format, stdout)
		return
	}
	for _, out := range outputs {
		f, _ := report.FormatForFile(out)
		if len(outputs) == 1 && formatGiven {
			f = format
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Errorf("%v: report %s: %v", args, out, err)
			continue
		}
		checkReport(t, f, data)
	}
}

func checkReport(t *testing.T, format string, data []byte) {
	t.Helper()
	switch format {
	case "junit":
		consumer.JUnit(t, data)
	}
}

// TestBundledSnapshotsReadByConsumers renders every bundled snapshot, the
// Terraform plan and the examples' fleet config in every machine-read
// format, so each is checked by its consumers (checkReports).
func TestBundledSnapshotsReadByConsumers(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	runs := [][]string{
		{"--snapshot", snap("good")},
		{"--snapshot", snap("broken")},
		{"--snapshot", snap("malformed")},
		{"--terraform", filepath.Join(snap(".."), "terraform", "plan.json"), "--druva", filepath.Join(snap("good"), "druva.yaml")},
	}
	before := consumer.Counts.Snapshot()
	for _, r := range runs {
		for _, f := range []string{"junit"} {
			cl := newCLI(t)
			if code := cl.run(append(append([]string{"scan"}, r...), "--format", f)...); code == 2 {
				t.Fatalf("%v --format %s: exit 2: %s", r, f, cl.stderr.String())
			}
		}
	}
	after := consumer.Counts.Snapshot()
	if got := after[consumer.JenkinsXUnit] - before[consumer.JenkinsXUnit]; got != len(runs) {
		t.Errorf("Jenkins schema accepted %d JUnit reports, want %d", got, len(runs))
	}
	for k, v := range after {
		t.Logf("%s: %d accepted in this process so far", k, v)
	}
}
