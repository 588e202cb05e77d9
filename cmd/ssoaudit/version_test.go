package main

import (
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
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
		{"-X wins", "v9.9.9", &debug.BuildInfo{Main: debug.Module{Version: "v1.0.0"}}, "9.9.9", "-ldflags"},
		{"-X without the v", "1.2.3", nil, "1.2.3", "-ldflags"},
		{"-X not a version", "nightly", nil, "0.0.0-nightly", "-ldflags"},
		{"go install @version", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "1.2.3", "module version"},
		{"go build in a checkout (pseudo-version)", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261127100000-08bb97e5676e+dirty"}, Settings: vcs(rev, "true")},
			"0.0.0-20261127100000-08bb97e5676e+dirty", "commit " + rev + " of 2026-11-27T10:00:00Z, with uncommitted changes"},
		{"VCS stamp without a module version", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "false")}, "0.0.0-devel+08bb97e5676e", "commit " + rev},
		{"dirty checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs(rev, "true")}, "0.0.0-devel+08bb97e5676e.dirty", "uncommitted"},
		{"go run: no stamp", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "0.0.0-devel", "go run"},
		{"no build info", "", nil, "0.0.0-devel", "no build information"},
	}
	for _, c := range cases {
		got, how := buildVersion(c.ldflags, c.bi)
		if got != c.want || !strings.Contains(how, c.how) || !audit.IsSemVer(got) {
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
	if cl.run("version"); !strings.HasPrefix(cl.stdout.String(), "ssoaudit 1.2.3-test\n") {
		t.Errorf("version: %q", cl.stdout.String())
	}
	// (JUnit has no place for the tool's version that CI systems show.)
	for _, f := range []string{"json", "sarif", "markdown", "html", "table"} {
		cl.run("scan", "--snapshot", snap("broken"), "--format", f)
		if !strings.Contains(cl.stdout.String(), "1.2.3-test") || strings.Contains(cl.stdout.String(), "v1.2.3-test") {
			t.Errorf("the %s report does not name the build", f)
		}
	}
}

// JSON's tool.version and SARIF's version and semanticVersion are the
// version command's, starting with a digit, however the build was named:
// SARIF consumers compare versions and warn on any other (SARIF2005).
func TestVersionNumericInReports(t *testing.T) {
	chdir(t, t.TempDir())
	old := version
	defer func() { version = old }()
	for _, stamp := range []string{"", "v1.2.3", "0.0.0-20261202152033-2e94fe972502", "nightly"} {
		version = stamp
		want := toolVersion()
		if !audit.IsSemVer(want) || want[0] < '0' || want[0] > '9' {
			t.Errorf("-X %q: version %q does not start with a digit", stamp, want)
		}
		cl := newCLI(t)
		if cl.run("version"); !strings.HasPrefix(cl.stdout.String(), "ssoaudit "+want+"\n") {
			t.Errorf("-X %q: version command %q, want %s", stamp, cl.stdout.String(), want)
		}
		cl.run("scan", "--snapshot", snap("broken"), "--format", "json")
		var rep struct {
			Tool struct{ Version string } `json:"tool"`
		}
		if err := json.Unmarshal(cl.stdout.Bytes(), &rep); err != nil || rep.Tool.Version != want {
			t.Errorf("-X %q: JSON tool.version %q (%v), want %q", stamp, rep.Tool.Version, err, want)
		}
		cl.run("scan", "--snapshot", snap("broken"), "--format", "sarif")
		var log struct {
			Runs []struct {
				Tool struct {
					Driver struct{ Version, SemanticVersion string } `json:"driver"`
				} `json:"tool"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(cl.stdout.Bytes(), &log); err != nil || len(log.Runs) == 0 {
			t.Fatalf("-X %q: SARIF: %v", stamp, err)
		}
		if d := log.Runs[0].Tool.Driver; d.Version != want || d.SemanticVersion != want {
			t.Errorf("-X %q: SARIF version %q, semanticVersion %q, want %q", stamp, d.Version, d.SemanticVersion, want)
		}
	}
}
