package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestBuildVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: "2026-11-27T10:00:00Z"}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "08bb97e5676e1234567890abcdef1234567890ab"
	cases := []struct {
		name    string
		ldflags string
		bi      *debug.BuildInfo
		want    string
		how     string
	}{
		{"-X wins", "v9.9.9", &debug.BuildInfo{Main: debug.Module{Version: "v1.0.0"}}, "v9.9.9", "-ldflags"},
		{"go install @version", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3", "module version"},
		{"go build in a checkout (pseudo-version)", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261127100000-08bb97e5676e+dirty"}, Settings: vcs(rev, "true")},
			"v0.0.0-20261127100000-08bb97e5676e+dirty", "commit " + rev + " of 2026-11-27T10:00:00Z, with uncommitted changes"},
		{"VCS stamp without a module version", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")}, "devel-08bb97e5676e", "commit " + rev},
		{"dirty checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")}, "devel-08bb97e5676e+dirty", "uncommitted"},
		{"go run: no stamp", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel", "go run"},
		{"no build info", "", nil, "devel", "no build information"},
	}
	for _, c := range cases {
		got, how := buildVersion(c.ldflags, c.bi)
		if got != c.want || !strings.Contains(how, c.how) {
			t.Errorf("%s: %q (%s), want %q (%s)", c.name, got, how, c.want, c.how)
		}
	}
}

// The version command and every report name the same build.
func TestVersionNamedEverywhere(t *testing.T) {
	chdir(t, t.TempDir())
	old := version
	version = "v1.2.3-test"
	defer func() { version = old }()
	cl := newCLI(t)
	if cl.run("version"); !strings.HasPrefix(cl.stdout.String(), "ssoaudit v1.2.3-test\n") {
		t.Errorf("version: %q", cl.stdout.String())
	}
	// (JUnit has no place for the tool's version that CI systems show.)
	for _, f := range []string{"json", "sarif", "markdown", "html", "table"} {
		cl.run("scan", "--snapshot", snap("broken"), "--format", f)
		if !strings.Contains(cl.stdout.String(), "v1.2.3-test") {
			t.Errorf("the %s report does not name the build", f)
		}
	}
}
