package main

import (
	"os"
	"strings"
	"testing"
)

// TestOktaFolderHintInAnotherDirectory: a config's paths are relative to
// its own directory, so the hint for a snapshot's okta/ folder named in a
// config elsewhere is written that way too ("snapshot: ../snaps/good", not
// "snapshot: snaps/good", which in conf/fleet.yaml names conf/snaps/good:
// following the hint led to another error). Alone it is exit 2 naming the
// entry; in a fleet, one row of its target; following the hint works.
func TestOktaFolderHintInAnotherDirectory(t *testing.T) {
	chdir(t, t.TempDir())
	if err := os.CopyFS("snaps/good", os.DirFS(snap("good"))); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll("conf", 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(cfg string) {
		t.Helper()
		if err := os.WriteFile("conf/fleet.yaml", []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const hint = "snapshot: ../snaps/good/okta is the okta/ folder of a snapshot: write the snapshot directory above it (snapshot: ../snaps/good)"
	cl := newCLI(t)
	cl.env["COLUMNS"] = "400"

	write("targets:\n  - name: users\n    snapshot: ../snaps/good/okta\n")
	if code := cl.run("scan", "--config", "conf/fleet.yaml"); code != 2 || !strings.Contains(cl.stderr.String(), `conf/fleet.yaml:3: target "users": `+hint) {
		t.Errorf("alone: exit %d, want 2 and the hint %q\n%s", code, hint, cl.stderr.String())
	}

	write("targets:\n  - name: users\n    snapshot: ../snaps/good\n  - name: admins\n    snapshot: ../snaps/good/okta\n")
	if code := cl.run("scan", "--config", "conf/fleet.yaml"); code != 3 || !strings.Contains(unwrapped(cl.stdout.String()), hint) {
		t.Errorf("in a fleet: exit %d, want 3 and the hint %q\n%s", code, hint, cl.dump())
	}

	write("targets:\n  - name: users\n    snapshot: ../snaps/good\n")
	if code := cl.run("scan", "--config", "conf/fleet.yaml"); code != 0 {
		t.Errorf("the hint followed: exit %d, want 0\n%s", code, cl.dump())
	}
}
