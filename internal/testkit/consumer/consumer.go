// Package consumer checks reports the way the systems that read them do:
// JUnit against the Jenkins xunit plugin's schema (with xmllint) and as
// GitLab parses it, SARIF against the OASIS 2.1.0 schema and GitHub code
// scanning's documented upload rules, Prometheus metrics with the
// Prometheus project's own text parser. Tests use it; the tool does not.
//
// The schemas are not ours: unmodified copies live in testdata/ref (its
// README gives each one's origin and licence), so a fresh clone validates
// against them with Go alone. xmllint is the one outside program here: a
// test skips without it through testprog.Need (and fails in CI).
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

// repoRoot is the repository's root directory.
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// Ref returns the path of a reference file in testdata/ref. It is part of
// the repository: a missing one fails the test.
func Ref(tb testing.TB, name string) string {
	tb.Helper()
	p := filepath.Join(repoRoot(), "testdata", "ref", name)
	if _, err := os.Stat(p); err != nil {
		tb.Fatalf("reference file testdata/ref/%s: %v", name, err)
	}
	return p
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
	// OurJSONSchema: a JSON report or rule catalog valid against the
	// repository's schema/*.schema.json.
	OurJSONSchema = "json: schema/*.schema.json (draft 2020-12)"
	// CSVReader: a CSV report read back by encoding/csv, every cell inert.
	CSVReader = "csv: encoding/csv, no formula-leading cell"
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
// JUnit, Prometheus, and JSON against the repository's JSON Schema; the
// other formats have no machine consumer to ask).
func Check(tb testing.TB, format string, data []byte) {
	tb.Helper()
	switch format {
	case "sarif":
		SARIF(tb, data)
	case "junit":
		JUnit(tb, data)
	case "prometheus":
		Prometheus(tb, data)
	case "json":
		JSONSchema(tb, data)
	case "csv":
		CSV(tb, data)
	}
}
