package okta_test

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// TestHugeValueRSS runs TestHugeValueMemoryBounded in a process of its own
// and holds that process's peak resident set (Maxrss, in KiB on Linux),
// runtime and test binary included, under 20 MB: the 1 GiB value is
// refused after little more than MaxValueSize of it, never held.
func TestHugeValueRSS(t *testing.T) {
	if os.Getenv("SSOAUDIT_HUGE_VALUE_CHILD") != "" {
		t.Skip("in the child")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHugeValueMemoryBounded$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SSOAUDIT_HUGE_VALUE_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	rss := cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss << 10
	t.Logf("1 GiB value refused with a peak RSS of %.1f MB", float64(rss)/1e6)
	if rss > 20e6 {
		t.Errorf("peak RSS %.1f MB, want under 20 MB", float64(rss)/1e6)
	}
}
