package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
	"github.com/ssoaudit/ssoaudit/internal/testkit/race"
)

// TestBigPlanRSS: a Terraform plan of many okta_app_saml resources is
// scanned in every format within a fixed memory bound, whatever the plan
// holds: each target is judged whole as it is read, its reports wait in a
// private spill file, and every writer reads them back a few at a time
// (issue #16: a 13,000-resource plan took 731 MB for JSON, 2.5 GB for the
// table; it now stays under 70 MB). One process writes the seven formats
// --output can choose, a second the table; each stays under 128 MiB of
// peak RSS, and the spill file is gone when the run ends. 1,500 resources
// keep the test under a minute: past the 256 targets held in memory, what
// a run holds does not grow with the plan.
func TestBigPlanRSS(t *testing.T) {
	n := 1500
	if race.Enabled {
		n = 300 // still past what is held in memory; -race only makes it slow
	}
	dir := t.TempDir()
	plan := fixture.BigPlan(t, fixture.Root(), dir, n)
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	run := func(stdout *os.File, args ...string) (rss int64) {
		t.Helper()
		cmd := exec.Command(os.Args[0], append([]string{"scan", "--terraform", plan}, args...)...)
		cmd.Dir = dir
		peak := filepath.Join(dir, "peak")
		cmd.Env = []string{mainEnv + "=1", peakEnv + "=" + peak, "HOME=" + os.Getenv("HOME"), "PATH=" + os.Getenv("PATH"), "TMPDIR=" + tmp}
		cmd.Stdout = stdout
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		// The child's own peak (VmHWM), which it writes as it exits:
		// getrusage's maxrss would count this test process too, whose
		// memory a child started with vfork shares until it execs.
		b, err := os.ReadFile(peak)
		if err != nil {
			t.Fatal(err)
		}
		kb, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil {
			t.Fatalf("peak RSS %q: %v", b, err)
		}
		rss = kb << 10
		t.Logf("%d resources, %s: %d MiB peak RSS, %s", n, strings.Join(args, " "), rss>>20, time.Since(start).Round(time.Millisecond))
		return rss
	}
	outs := []string{"r.json", "r.sarif", "r.xml", "r.md", "r.html", "r.prom", "r.csv"}
	var args []string
	for _, o := range outs {
		args = append(args, "--output", o)
	}
	limit := int64(128<<20) * race.Factor
	if rss := run(nil, args...); rss > limit {
		t.Errorf("seven formats: %d MiB peak RSS, want under %d", rss>>20, limit>>20)
	}
	table, err := os.Create(filepath.Join(dir, "r.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer table.Close()
	if rss := run(table, "--format", "table"); rss > limit {
		t.Errorf("table: %d MiB peak RSS, want under %d", rss>>20, limit>>20)
	}
	// Every target is in every report.
	for _, o := range append(outs, "r.txt") {
		b, err := os.ReadFile(filepath.Join(dir, o))
		if err != nil {
			t.Fatal(err)
		}
		if last := fmt.Sprintf("Druva %d", n-1); !bytes.Contains(b, []byte(last)) {
			t.Errorf("%s does not name the last target, %s", o, last)
		}
	}
	if left, _ := os.ReadDir(tmp); len(left) > 0 {
		t.Errorf("the run left %d files in its temporary directory: %s", len(left), left[0].Name())
	}
}

// peakEnv names the file a child process started by a test writes its peak
// RSS to (VmHWM, in KiB) as it exits.
const peakEnv = "SSOAUDIT_TEST_PEAK_RSS"

// writePeakRSS writes this process's peak RSS in KiB to path.
func writePeakRSS(path string) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			os.WriteFile(path, []byte(strings.TrimSuffix(strings.TrimSpace(v), " kB")), 0o600)
		}
	}
}
