package main

import (
	"os"
	"strings"
	"testing"
)

// TestUnreadableTargetShownOnce: a fleet target whose snapshot is missing
// is one error, shown once in the table, Markdown and HTML — in its
// target's section, with every rule it blocked. Its deployment (a
// deployment of its own: no console could be read) fails for the same
// reason and says so in one line rather than repeating the message and the
// fix.
func TestUnreadableTargetShownOnce(t *testing.T) {
	chdir(t, t.TempDir())
	cfg := "targets:\n  - {name: users, snapshot: " + snap("good") + "}\n  - {name: admins, snapshot: nightly/2026-12-07/admins}\n"
	if err := os.WriteFile("fleet.yaml", []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	const msg = "snapshot directory nightly/2026-12-07/admins does not exist"
	const says = "Its rules are blocked by the error of target admins, shown above."
	for _, tc := range []struct{ format, block string }{
		{"table", "error (could not evaluate)"},
		{"markdown", "error (could not evaluate)"},
		{"html", `<article class="finding error"`},
	} {
		cl := newCLI(t)
		cl.env["COLUMNS"] = "200"
		if code := cl.run("scan", "--config", "fleet.yaml", "--format", tc.format); code != 3 {
			t.Fatalf("%s: exit %d, want 3\n%s", tc.format, code, cl.dump())
		}
		out := unwrapped(cl.stdout.String())
		if n := strings.Count(out, tc.block); n != 1 {
			t.Errorf("%s: %d error blocks, want 1:\n%s", tc.format, n, out)
		}
		if !strings.Contains(out, msg) || !strings.Contains(out, "druva.admin.sign-in-path") {
			t.Errorf("%s: the error or its deployment rule is not shown:\n%s", tc.format, out)
		}
		if !strings.Contains(out, says) {
			t.Errorf("%s: the deployment does not say where its error is (%q):\n%s", tc.format, says, out)
		}
	}
}
