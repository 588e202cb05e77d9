package okta_test

import (
	"bytes"
	"github.com/ssoaudit/ssoaudit/internal/testkit/race"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/source/okta"
)

const hugeValueChild = "SSOAUDIT_HUGE_VALUE_CHILD"

// TestHugeValueRSS refuses a 1 GiB username in a process of its own (this
// test, run again as the child) and holds that process's peak resident set
// (VmHWM: runtime and test binary included) under 20 MB: the value is
// refused after little more than MaxValueSize of it, never held. The child
// reads its own VmHWM: the rusage of a child started by fork and exec also
// counts the parent's memory at the fork.
func TestHugeValueRSS(t *testing.T) {
	if os.Getenv(hugeValueChild) != "" {
		chunk := bytes.Repeat([]byte("a"), 1<<20)
		r := io.MultiReader(strings.NewReader(`[{"id":"00u1","credentials":{"userName":"`), &repeatReader{b: chunk, n: 1024}, strings.NewReader(`"}}]`))
		var got error
		for _, err := range okta.Users(r) {
			got = err
		}
		if got == nil || !strings.Contains(got.Error(), "64 KiB") {
			t.Fatalf("err = %v", got)
		}
		status, err := os.ReadFile("/proc/self/status")
		if err != nil {
			t.Fatal(err)
		}
		os.Stdout.Write(regexp.MustCompile(`VmHWM:\s*\d+ kB`).Find(status))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHugeValueRSS$", "-test.count=1")
	cmd.Env = append(os.Environ(), hugeValueChild+"=1")
	out, err := cmd.CombinedOutput()
	m := regexp.MustCompile(`VmHWM:\s*(\d+) kB`).FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	kb, _ := strconv.Atoi(string(m[1]))
	rss := float64(kb) * 1024 / 1e6
	t.Logf("1 GiB value refused with a peak RSS of %.1f MB", rss)
	if rss > 20*race.Factor {
		t.Errorf("peak RSS %.1f MB, want under 20 MB", rss)
	}
}
