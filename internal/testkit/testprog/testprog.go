// Package testprog is the one way a test skips: because it needs a program
// outside Go (a browser, xmllint, bash) that this machine lacks, or because
// it was asked to be quick (-short). A fresh clone with Go alone runs every
// other test; the README's Development section lists each program below and
// what installs it, and .ci/run installs them all and sets RequireEnv, under
// which a missing program fails its test instead of skipping it. A test in
// this package keeps every other test from calling Skip itself.
package testprog

import (
	"os"
	"os/exec"
	"sort"
	"testing"
)

// RequireEnv, set to 1 (CI sets it), makes a missing program a failure:
// CI can never pass by skipping.
const RequireEnv = "SSOAUDIT_REQUIRE_PROGRAMS"

// Program is an outside program some tests need.
type Program struct {
	// Names are the executables tried on PATH, in order.
	Names []string
	// Env, when set, names an environment variable that gives the
	// program's path instead.
	Env string
	// Why says what the tests do with it; Install what installs it.
	Why, Install string
}

// Programs are the outside programs tests may need, by the name Need takes.
// The README lists each (TestREADMEListsPrograms keeps it so).
var Programs = map[string]Program{
	"chromium": {Names: []string{"chromium", "chromium-browser", "google-chrome"}, Env: "CHROMIUM",
		Why:     "renders the HTML report in a headless browser (layout at 390 px, no network requests)",
		Install: "apt-get install chromium (or set CHROMIUM to a Chrome or Chromium binary)"},
	"xmllint": {Names: []string{"xmllint"},
		Why:     "validates JUnit reports against the Jenkins xunit plugin's schema",
		Install: "apt-get install libxml2-utils"},
	"bash": {Names: []string{"bash"},
		Why:     "runs the examples' CI and nightly scripts as written",
		Install: "apt-get install bash"},
}

// Names lists the programs' names, sorted.
func Names() []string {
	out := make([]string, 0, len(Programs))
	for n := range Programs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Need returns the path of the named program, or skips the test saying
// which program is missing and what installs it (fails it when RequireEnv
// is 1). It panics on a name not in Programs: a new need is listed first.
func Need(tb testing.TB, name string) string {
	tb.Helper()
	p, ok := Programs[name]
	if !ok {
		panic("testprog: unknown program " + name + ": add it to Programs and the README")
	}
	if p.Env != "" {
		if v := os.Getenv(p.Env); v != "" {
			return v
		}
	}
	for _, n := range p.Names {
		if path, err := exec.LookPath(n); err == nil {
			return path
		}
	}
	if os.Getenv(RequireEnv) == "1" {
		tb.Fatalf("needs %s, which is not on PATH (%s=1: not skipping); it %s. Install: %s", name, RequireEnv, p.Why, p.Install)
	}
	tb.Skipf("skipped: needs %s, which is not on PATH; it %s. Install: %s (%s=1 makes this a failure)", name, p.Why, p.Install, RequireEnv)
	return ""
}

// Short skips the test under go test -short, saying what it would cost.
func Short(tb testing.TB, what string) {
	tb.Helper()
	if testing.Short() {
		tb.Skipf("skipped in -short mode: %s", what)
	}
}

// Manual skips a measurement helper unless its environment variable is set:
// it is run by hand (the comment above it says how), not by go test.
func Manual(tb testing.TB, env, what string) string {
	tb.Helper()
	v := os.Getenv(env)
	if v == "" {
		tb.Skipf("run by hand: %s is not set (%s)", env, what)
	}
	return v
}
