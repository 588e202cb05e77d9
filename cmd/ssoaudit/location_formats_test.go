package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFindingsAtTheirLineInEveryFormat: the file:line SARIF gives a finding
// (druva.admin.failsafe at druva.yaml's failsafe key, line 33 of the broken
// example) is also in the table, Markdown, HTML and JUnit, so a person
// reading any of them lands on the same line.
func TestFindingsAtTheirLineInEveryFormat(t *testing.T) {
	for _, c := range []struct{ format, want string }{
		{"table", "druva.yaml:33"},
		{"markdown", "druva.yaml:33"},
		{"html", "druva.yaml:33</code>"},
		{"junit", "druva.yaml:33\n"},
		{"sarif", `"startLine": 33`},
	} {
		cl := newCLI(t)
		if code := cl.run("scan", "--snapshot", snap("broken"), "--format", c.format); code != 1 {
			t.Fatalf("%s: exit %d\n%s", c.format, code, cl.stderr.String())
		}
		if out := cl.stdout.String(); !strings.Contains(out, c.want) {
			t.Errorf("%s lacks %q", c.format, c.want)
		}
	}
}

// TestUnreadableFleetTargetAtItsConfigLine: a fleet target whose snapshot
// directory is missing (the others exist) is located, in every format, at
// the config entry that names it — the config file, the snapshot: line —
// not at files of a directory that was never read.
func TestUnreadableFleetTargetAtItsConfigLine(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cfg := "targets:\n  - name: users\n    snapshot: " + snap("good") + "\n  - name: admins\n    druva: " +
		filepath.Join(snap("good"), "druva.yaml") + "\n    snapshot: nightly/2026-12-07/admins\n"
	if err := os.WriteFile("fleet.yaml", []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	const at = "fleet.yaml:6"
	cl := newCLI(t)
	cl.env["COLUMNS"] = "200"

	// SARIF: the file and region of every result of the missing target.
	if code := cl.run("scan", "--config", "fleet.yaml", "--format", "sarif"); code != 3 {
		t.Fatalf("exit %d\n%s", code, cl.dump())
	}
	var doc sarifLog
	if err := json.Unmarshal(cl.stdout.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range doc.Runs[0].Results {
		loc := r.Locations[0]
		if !strings.HasPrefix(loc.LogicalLocations[0].FullyQualifiedName, "admins/") {
			continue
		}
		n++
		if got := fmt.Sprintf("%s:%d", loc.PhysicalLocation.ArtifactLocation.URI, loc.PhysicalLocation.Region.StartLine); got != at {
			t.Errorf("SARIF: the missing target's result at %s, want %s", got, at)
		}
	}
	if n == 0 {
		t.Fatal("SARIF: no result of the missing target")
	}

	// CSV: every row of the target; the people's formats: its one fix.
	cl.run("scan", "--config", "fleet.yaml", "--format", "csv")
	rows := 0
	for _, line := range strings.Split(cl.stdout.String(), "\r\n") {
		if !strings.HasPrefix(line, "target,admins,") || !strings.Contains(line, ",error,") {
			continue
		}
		if rows++; !strings.HasSuffix(line, ","+at) {
			t.Errorf("CSV row not at %s: %s", at, line)
		}
	}
	if rows == 0 {
		t.Error("CSV: no error row of the missing target")
	}
	for _, c := range []struct{ format, want string }{
		{"table", "At " + at},
		{"markdown", "At `" + at + "`"},
		{"html", "At <code>" + at + "</code>"},
		{"junit", "At " + at + "\n"},
		{"json", `(fleet.yaml, line 6)`},
	} {
		cl.run("scan", "--config", "fleet.yaml", "--format", c.format)
		out := cl.stdout.String()
		if !strings.Contains(out, c.want) {
			t.Errorf("%s lacks %q", c.format, c.want)
		}
		if strings.Contains(out, "nightly/2026-12-07/admins/okta/") {
			t.Errorf("%s names a file of the directory that does not exist", c.format)
		}
	}
}

// TestUsernameCurrentAtTheOffendingUser: okta.users.username-current is
// located at the first user whose app username is not their email, in
// okta/users.json — the line of that user's "id" — in SARIF, CSV and every
// "At FILE:LINE", not at line 1 of the file.
func TestUsernameCurrentAtTheOffendingUser(t *testing.T) {
	dir := copySnapshot(t, nil)
	users := filepath.Join(dir, "okta", "users.json")
	b, err := os.ReadFile(users)
	if err != nil {
		t.Fatal(err)
	}
	// The fourth of five users keeps an old username.
	const old, stale = `"userName": "tomas.alvarez@acme.example"`, `"userName": "talvarez@acme.example"`
	if !strings.Contains(string(b), old) {
		t.Fatal("the good snapshot changed: no user tomas.alvarez")
	}
	b = []byte(strings.Replace(string(b), old, stale, 1))
	if err := os.WriteFile(users, b, 0o600); err != nil {
		t.Fatal(err)
	}
	want := 0 // the line of the fourth user's own "id"
	for i, n := 0, 0; i < len(strings.Split(string(b), "\n")); i++ {
		if strings.HasPrefix(strings.Split(string(b), "\n")[i], `    "id": `) {
			if n++; n == 4 {
				want = i + 1
				break
			}
		}
	}
	if want < 100 {
		t.Fatalf("the fourth user's line is %d", want)
	}
	file := filepath.ToSlash(filepath.Join(dir, "okta", "users.json"))
	at := fmt.Sprintf("%s:%d", file, want)
	cl := newCLI(t)
	cl.env["COLUMNS"] = "400"
	for _, c := range []struct{ format, want string }{
		{"table", "At " + at},
		{"markdown", "At `" + at + "`"},
		{"html", "At <code>" + at + "</code>"},
		{"junit", "At " + at + "\n"},
		{"csv", "," + at + "\r\n"},
		{"sarif", fmt.Sprintf(`"startLine": %d`, want)},
	} {
		if code := cl.run("scan", "--snapshot", dir, "--format", c.format); code != 1 {
			t.Fatalf("%s: exit %d\n%s", c.format, code, cl.dump())
		}
		if out := cl.stdout.String(); !strings.Contains(out, c.want) {
			t.Errorf("%s lacks %q", c.format, c.want)
		}
	}
}
