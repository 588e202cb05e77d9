package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/docs"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// The README's rule catalog and example output are generated: these tests
// keep them in step with the registry and the tool (go test ./cmd/ssoaudit -update).

func TestREADMECatalog(t *testing.T) {
	var b strings.Builder
	b.WriteString("| rule | severity | passes when | controls |\n|---|---|---|---|\n")
	for _, r := range checks.All() {
		var controls []string
		for _, f := range docs.Frameworks {
			var ids []string
			for _, c := range r.Controls {
				if c.Framework == f.Key {
					ids = append(ids, c.ID)
				}
			}
			if len(ids) > 0 {
				controls = append(controls, f.Short+" "+strings.Join(ids, ", "))
			}
		}
		fmt.Fprintf(&b, "| [`%s`](docs/rules/%s.md) | %s | %s | %s |\n", r.ID, r.ID, r.Severity, mdCell(r.Title), strings.Join(controls, "; "))
	}
	checkREADMESection(t, "rules", b.String())
}

func TestREADMEExample(t *testing.T) {
	chdir(t, fixture.Root())
	cl := newCLI(t)
	cl.run("scan", "--snapshot", "testdata/snapshots/broken")
	// The whole output, as a run prints it: every section and the summary
	// line, so the README cannot show a report the tool no longer writes.
	checkREADMESection(t, "example", "```\n$ go run ./cmd/ssoaudit scan --snapshot testdata/snapshots/broken\n"+cl.stdout.String()+"```\n")
}

// The README names every bundled snapshot in its Snapshots section. (That it
// cites nothing outside the repository is docs.TestNoOutsideCitations.)
func TestREADMESnapshotsAndCitations(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(fixture.Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	_, section, _ := strings.Cut(readme, "\n## Snapshots\n")
	section, _, _ = strings.Cut(section, "\n## ")
	dirs, err := os.ReadDir(filepath.Join(fixture.Root(), "testdata", "snapshots"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if d.IsDir() && !strings.Contains(section, "`"+d.Name()+"`") {
			t.Errorf("README.md's Snapshots section does not name testdata/snapshots/%s", d.Name())
		}
	}
}

func mdCell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}

// checkREADMESection compares (or, with -update, rewrites) the text between
// <!-- NAME:begin --> and <!-- NAME:end --> in README.md.
func checkREADMESection(t *testing.T, name, want string) {
	t.Helper()
	path := filepath.Join(fixture.Root(), "README.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->"
	s := string(data)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %s markers", name)
	}
	got := s[i+len(begin) : j]
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(s[:i+len(begin)]+want+s[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's %s section is out of date: run go test ./cmd/ssoaudit -update and review the diff", name)
}

// The README's test command runs on a fresh machine with Go alone (no
// -race: that needs cgo and a C compiler), and CI runs that same command,
// read from the README, under the race detector.
func TestREADMETestCommandIsWhatCIRuns(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(fixture.Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var cmd string
	for _, line := range strings.Split(string(readme), "\n") {
		if c, ok := strings.CutSuffix(line, "# run the tests"); ok && strings.HasPrefix(c, "go test") {
			cmd = strings.TrimSpace(c)
			break
		}
	}
	if cmd != "go test ./..." {
		t.Fatalf("README's test command is %q, want %q (Go alone: -race needs cgo and a C compiler)", cmd, "go test ./...")
	}
	if !strings.Contains(string(readme), "needs cgo and a C compiler") {
		t.Error("README does not say what -race needs")
	}
	ci, err := os.ReadFile(filepath.Join(fixture.Root(), ".ci", "run"))
	if err != nil {
		t.Fatal(err)
	}
	// CI runs the command it read from the README, as written, with -race
	// added through GOFLAGS.
	run := "\nGOFLAGS=\"$GOFLAGS -race -timeout=30m\" CGO_ENABLED=1 eval \"$readme_cmd\"\n"
	if !strings.Contains(string(ci), run) || !strings.Contains(string(ci), `!= "`+cmd+`"`) {
		t.Errorf(".ci/run does not check the README's command %q and run it under -race (want the line %q)", cmd, strings.TrimSpace(run))
	}
}

// The README's exit-code table names the druva.yaml token records that end
// in exit 3 (the record parses but cannot be compared with Okta's token) and
// those refused outright (exit 2), and each ends as it says.
func TestREADMEExitThreeForDruvaRecords(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(fixture.Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var row string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "| 3 |") {
			row = l
		}
	}
	sum := func(s string) string {
		h := sha256.Sum256([]byte(s))
		return hex.EncodeToString(h[:])
	}
	for _, c := range []struct {
		name, lines, readme string
		exit                int
	}{
		{"hash of the token and a newline", "  sso_token_sha256: " + sum(fixture.Token+"\n") + "\n", "plus a newline (`echo` instead of `printf %s`)", 3},
		{"hash of the token and a Windows line ending", "  sso_token_sha256: " + sum(fixture.Token+"\r\n") + "\n", "a Windows line ending", 3},
		{"hash of the token in quotes", "  sso_token_sha256: " + sum(`"`+fixture.Token+`"`) + "\n", "quotes or spaces", 3},
		{"hash of the token and a space", "  sso_token_sha256: " + sum(fixture.Token+" ") + "\n", "quotes or spaces", 3},
		{"a SHA-256 in sso_token", "  sso_token: " + sum(fixture.Token) + "\n", "64 hex digits or quotes in `sso_token`", 2},
		{"sso_token and sso_token_sha256 disagree", "  sso_token: " + fixture.Token + "\n  sso_token_sha256: " + sum("another") + "\n", "describe different tokens", 2},
		{"sso_token_sha256 too short", "  sso_token_sha256: " + sum("x")[:63] + "\n", "not 64 hex digits", 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(row, c.readme) {
				t.Errorf("README's exit code 3 row does not mention %q (exit %d)", c.readme, c.exit)
			}
			f := filepath.Join(t.TempDir(), "druva.yaml")
			if err := os.WriteFile(f, []byte(druvaWith(t, c.lines)), 0o600); err != nil {
				t.Fatal(err)
			}
			cl := newCLI(t)
			if code := cl.run("scan", "--snapshot", snap("good"), "--druva", f); code != c.exit {
				t.Errorf("exit %d, want %d\n%s%s", code, c.exit, cl.stdout.String(), cl.stderr.String())
			}
		})
	}
}
