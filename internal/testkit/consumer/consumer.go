// Package consumer checks reports the way the systems that read them do:
// JUnit against the Jenkins xunit plugin's schema (with xmllint) and as
// GitLab parses it, SARIF against the OASIS 2.1.0 schema and GitHub code
// scanning's documented upload rules, Prometheus metrics with the
// Prometheus project's own text parser. Tests use it; the tool does not.
//
// The schemas are not ours: they live in the shared reference folder beside
// the repository (../shared/ref, see its README). A test that needs one
// skips with a clear message when that folder is absent, and fails when
// SSOAUDIT_REQUIRE_SHARED=1 (CI sets it), so CI can never pass by skipping.
package consumer

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"testing"
)

// RequireEnv makes a missing reference or tool a failure instead of a skip.
const RequireEnv = "SSOAUDIT_REQUIRE_SHARED"

// repoRoot is the repository's root directory.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// Ref returns the path of a file in ../shared/ref, or skips the test (fails
// it under SSOAUDIT_REQUIRE_SHARED=1) when it is not there.
func Ref(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(repoRoot(), "..", "shared", "ref", name)
	if _, err := os.Stat(p); err != nil {
		unavailable(tb, "reference file ../shared/ref/%s is not beside the repository (%v); see ../shared/ref/README.md", name, err)
	}
	return p
}

// unavailable skips, or fails when the environment demands every check.
func unavailable(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if os.Getenv(RequireEnv) == "1" {
		tb.Fatalf(format+" ("+RequireEnv+"=1: not skipping)", args...)
	}
	tb.Skipf(format+" (skipped; "+RequireEnv+"=1 makes this a failure)", args...)
}

// Counts records how many documents each consumer accepted in this test
// process, so a test can report (and assert) how much it validated.
var Counts = &counter{n: map[string]int{}}

type counter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counter) add(consumer string) {
	c.mu.Lock()
	c.n[consumer]++
	c.mu.Unlock()
}

// Get returns how many documents a consumer accepted so far.
func (c *counter) Get(consumer string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[consumer]
}

// Snapshot returns a copy of every count.
func (c *counter) Snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.n))
	for k, v := range c.n {
		out[k] = v
	}
	return out
}

// Consumer names, as Counts keys them.
const (
	JenkinsXUnit = "junit: Jenkins xunit schema (xmllint)"
	GitLabJUnit  = "junit: GitLab parser rules"
	// JUnitTotalsRead: the totals test-results-parser and junitparser
	// read from the attributes equal the cases' (JUnitReaderTotals).
	JUnitTotalsRead = "junit: totals as test-results-parser reads them"
	SARIFSchema     = "sarif: OASIS 2.1.0 schema"
	GitHubSARIF     = "sarif: GitHub code scanning rules"
	PrometheusText  = "prometheus: expfmt text parser"
)

// PrintCounts writes how many documents each consumer accepted in this
// test process, one line each, when the tests run verbosely (go test -v):
// the figure a run can quote for "validated".
func PrintCounts() {
	if !testing.Verbose() {
		return
	}
	counts := Counts.Snapshot()
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("consumer check %s: %d accepted\n", k, counts[k])
	}
}

// Check checks a report of any format the way its consumers read it (SARIF,
// JUnit, Prometheus; the other formats have no machine consumer to ask).
func Check(tb testing.TB, format string, data []byte) {
	tb.Helper()
	switch format {
	case "sarif":
		SARIF(tb, data)
	case "junit":
		JUnit(tb, data)
	case "prometheus":
		Prometheus(tb, data)
	}
}
