package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWritersReadThroughIterators: no writer ranges over a report's
// Targets or Deployments fields. A large run's report keeps them in a spill
// file (audit.Report.SetStream), where only EachTarget, EachDeployment,
// NumTargets and NumDeployments reach them: a writer reading the fields
// would silently leave every target out.
func TestWritersReadThroughIterators(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	field := regexp.MustCompile(`\b(rep|sw\.rep|report)\.(Targets|Deployments)\b`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if field.MatchString(line) {
				t.Errorf("%s:%d reads the report's list itself: %s (use EachTarget/EachDeployment, NumTargets/NumDeployments)", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
