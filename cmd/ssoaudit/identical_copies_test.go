package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestIdenticalConsolesWarningIsOneShortLine: a fleet of many snapshots
// whose druva.yaml files are identical copies recording no SSO token gets
// the one warning docs/deployments.md describes, naming the first three
// files and how many more — one readable line, not kilobytes of "and".
func TestIdenticalConsolesWarningIsOneShortLine(t *testing.T) {
	chdir(t, t.TempDir())
	var cfg strings.Builder
	cfg.WriteString("targets:\n")
	for i := range 12 {
		dir := fmt.Sprintf("s%d", i)
		if err := os.CopyFS(dir, os.DirFS(snap("good"))); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(dir + "/druva.yaml")
		if err != nil {
			t.Fatal(err)
		}
		var kept []string
		for _, line := range strings.Split(string(data), "\n") {
			if !strings.Contains(line, "sso_token") {
				kept = append(kept, line)
			}
		}
		if err := os.WriteFile(dir+"/druva.yaml", []byte(strings.Join(kept, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&cfg, "  - {name: t%d, snapshot: %s}\n", i, dir)
	}
	if err := os.WriteFile("fleet.yaml", []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cl := newCLI(t)
	cl.run("scan", "--config", "fleet.yaml", "--format", "json")
	want := "ssoaudit: warning: s0/druva.yaml, s1/druva.yaml, s2/druva.yaml and 9 other copies are identical but record no SSO token, so they are judged as separate consoles: " +
		"if they are one console, name one `druva:` file or a `deployment:`\n"
	if got := cl.stderr.String(); got != want {
		t.Errorf("stderr %q, want %q", got, want)
	}
}
