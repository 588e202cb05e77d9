package scan

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/internal/redact"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
	"github.com/ssoaudit/ssoaudit/report"
)

// TestSpilledRunIsTheSameReport runs a Terraform plan of many apps with
// nothing held in memory and with everything held: the targets and
// deployments read back from the spill are the ones judged, in order.
func TestSpilledRunIsTheSameReport(t *testing.T) {
	spillPlan := fixture.BigPlan(t, "..", t.TempDir(), 40)
	run := func(keep int) *audit.Report {
		t.Helper()
		old := spillKeep
		spillKeep = keep
		defer func() { spillKeep = old }()
		rep, err := Run(context.Background(), Request{
			Specs: []Spec{{Terraform: "../testdata/terraform/plan.json"}, {Terraform: spillPlan}},
			Rules: checks.All(), Now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), FailOn: audit.High,
		})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	held, spilled := run(1<<20), run(0)
	spilledOut, _ := spilled.Stream().(*runOut)
	defer spilled.Close()
	if s := held.Summary; s.Fail+s.Warn+s.Error == 0 {
		t.Fatalf("the plans have no findings to compare: %+v", s)
	}
	if held.Streamed() || !spilled.Streamed() {
		t.Fatalf("streamed: held %v, spilled %v", held.Streamed(), spilled.Streamed())
	}
	for _, s := range []interface{ onDisk() int }{spilledOut.targets, spilledOut.deployments} {
		if s.onDisk() < 40 {
			t.Errorf("only %d values spilled", s.onDisk())
		}
	}
	targets := slices.Collect(spilled.EachTarget())
	deps := slices.Collect(spilled.EachDeployment())
	if err := spilled.Err(); err != nil {
		t.Fatal(err)
	}
	if len(targets) < 2 || !reflect.DeepEqual(targets, held.Targets) {
		t.Errorf("targets differ: %d spilled, %d held", len(targets), len(held.Targets))
	}
	if !reflect.DeepEqual(deps, held.Deployments) {
		t.Errorf("deployments differ: %d spilled, %d held", len(deps), len(held.Deployments))
	}
	if held.Summary != spilled.Summary || held.ExitCode != spilled.ExitCode {
		t.Errorf("summary/exit: held %+v %d, spilled %+v %d", held.Summary, held.ExitCode, spilled.Summary, spilled.ExitCode)
	}
	// Every format reads the spilled report back, a target at a time,
	// and writes the same bytes as from the held one.
	secrets := &redact.Set{}
	for _, format := range report.Formats {
		var a, b bytes.Buffer
		opts := report.Options{Catalog: checks.All(), Secrets: secrets, Rows: 6}
		if err := report.Write(&a, format, held, opts); err != nil {
			t.Fatal(err)
		}
		if err := report.Write(&b, format, spilled, opts); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: the spilled report writes %d bytes, the held one %d", format, b.Len(), a.Len())
		}
	}
}

// TestSpillFileIsPrivate: the spill file (users' emails, app settings) is
// created readable by its owner alone and, where the system allows, is
// unlinked at once, so no run leaves it behind; close removes it otherwise.
func TestSpillFileIsPrivate(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	sf, err := newSpillFile()
	if err != nil {
		t.Fatal(err)
	}
	st, err := sf.f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if m := st.Mode().Perm(); m != 0o600 {
		t.Errorf("spill file mode %o, want 600", m)
	}
	if left, _ := os.ReadDir(os.Getenv("TMPDIR")); runtime.GOOS == "linux" && len(left) > 0 {
		t.Errorf("the spill file is still in the directory: %s", left[0].Name())
	}
	if err := sf.close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(os.Getenv("TMPDIR")); len(left) > 0 {
		t.Errorf("closed, the spill file is still there: %s", left[0].Name())
	}
}
