package examples_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/config"
	"github.com/ssoaudit/ssoaudit/internal/testkit/consumer"
	"github.com/ssoaudit/ssoaudit/internal/testkit/testprog"
	"github.com/ssoaudit/ssoaudit/source/druva"
)

// files lists every file under this directory (the examples), by path
// relative to it, skipping this test.
func files(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !strings.HasSuffix(path, "_test.go") {
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func isConfig(path string) bool {
	base := filepath.Base(path)
	return base == config.FileName || strings.HasSuffix(base, ".ssoaudit.yaml")
}

func isDruva(path string) bool {
	base := filepath.Base(path)
	return base == "druva.yaml" || strings.HasSuffix(base, ".druva.yaml")
}

func TestConfigsParse(t *testing.T) {
	n := 0
	for _, path := range files(t) {
		if !isConfig(path) {
			continue
		}
		n++
		t.Run(path, func(t *testing.T) {
			c, err := config.Parse(path, read(t, path), checks.Known)
			if err != nil {
				t.Fatal(err)
			}
			// Relative paths that point into the repository must exist, so
			// the example runs as written; other paths are placeholders.
			for _, tg := range c.Targets {
				for _, p := range []string{tg.Snapshot, tg.Terraform, tg.Druva} {
					if p == "" || filepath.IsAbs(p) {
						continue
					}
					if _, err := os.Stat(filepath.Join(filepath.Dir(path), p)); err != nil {
						t.Errorf("target %s: %v", tg.Name, err)
					}
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no example .ssoaudit.yaml found")
	}
}

func TestDruvaFilesParse(t *testing.T) {
	n := 0
	for _, path := range files(t) {
		if !isDruva(path) {
			continue
		}
		n++
		t.Run(path, func(t *testing.T) {
			if _, err := druva.Parse(path, read(t, path)); err != nil {
				t.Fatal(err)
			}
		})
	}
	if n == 0 {
		t.Fatal("no example druva.yaml found")
	}
}

// TestYAMLParses checks every other YAML file (workflows, manifests) is YAML,
// every document of it.
func TestYAMLParses(t *testing.T) {
	for _, path := range files(t) {
		if ext := filepath.Ext(path); (ext != ".yml" && ext != ".yaml") || isConfig(path) || isDruva(path) {
			continue
		}
		t.Run(path, func(t *testing.T) {
			dec := yaml.NewDecoder(bytes.NewReader(read(t, path)))
			docs := 0
			for {
				var v any
				err := dec.Decode(&v)
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if v == nil {
					t.Errorf("document %d is empty", docs+1)
				}
				docs++
			}
			if docs == 0 {
				t.Error("no YAML document")
			}
		})
	}
}

func TestShellScriptsParse(t *testing.T) {
	bash := testprog.Need(t, "bash")
	scripts := append(files(t), "../scripts/html-check.sh")
	for _, path := range scripts {
		if filepath.Ext(path) != ".sh" {
			continue
		}
		t.Run(path, func(t *testing.T) {
			if out, err := exec.Command(bash, "-n", path).CombinedOutput(); err != nil {
				t.Fatalf("bash -n: %v\n%s", err, out)
			}
			if fi, err := os.Stat(path); err == nil && fi.Mode()&0o111 == 0 {
				t.Error("not executable")
			}
		})
	}
}

// buildCLI builds ssoaudit once for the tests that run it.
func buildCLI(t *testing.T) string {
	t.Helper()
	testprog.Short(t, "builds the CLI")
	bin := filepath.Join(t.TempDir(), "ssoaudit")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, "github.com/ssoaudit/ssoaudit/cmd/ssoaudit")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// flagLine is a line of the flag list in --help: "  --name TYPE" (or Go's
// own "  -name TYPE").
var flagLine = regexp.MustCompile(`(?m)^  --?([A-Za-z0-9][A-Za-z0-9-]*)`)

// cliFlags asks the CLI for each command's flags (`ssoaudit CMD --help`).
func cliFlags(t *testing.T, bin string) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	for _, cmd := range []string{"scan", "snapshot", "diff", "rules", "init", "explain"} {
		var b bytes.Buffer
		c := exec.Command(bin, cmd, "--help")
		c.Stdout, c.Stderr = &b, &b
		if err := c.Run(); err != nil {
			t.Fatalf("ssoaudit %s --help: %v\n%s", cmd, err, b.String())
		}
		set := map[string]bool{"help": true, "h": true}
		for _, m := range flagLine.FindAllStringSubmatch(b.String(), -1) {
			set[m[1]] = true
		}
		if cmd != "explain" && len(set) == 2 {
			t.Fatalf("ssoaudit %s --help listed no flags:\n%s", cmd, b.String())
		}
		out[cmd] = set
	}
	return out
}

// invocation is `ssoaudit CMD …` in an example, up to the end of the
// command (a line not continued with a backslash) or a shell separator.
var invocation = regexp.MustCompile(`(?:^|[\s"'(|;&])(?:ssoaudit|"\$ssoaudit"|\$ssoaudit|\./cmd/ssoaudit)\s+(scan|snapshot|diff|rules|init|explain)\b((?:\\\n|\\[^\n]|[^\n;|&)#\\])*)`)

// flagWord is a -flag or --flag word (not inside another word).
var flagWord = regexp.MustCompile(`(?:^|\s)--?([A-Za-z][A-Za-z0-9-]*)`)

// TestCommandLinesUseRealFlags checks every ssoaudit command line in the
// examples (and the scripts) only uses flags the CLI defines: a renamed
// flag must not leave a CI example that exits 2.
func TestCommandLinesUseRealFlags(t *testing.T) {
	flags := cliFlags(t, buildCLI(t))
	paths := append(files(t), "../scripts/html-check.sh")
	checked := 0
	for _, path := range paths {
		switch filepath.Ext(path) {
		case ".go", ".tf":
			continue
		}
		text := string(read(t, path))
		for _, m := range invocation.FindAllStringSubmatch(text, -1) {
			cmd, rest := m[1], m[2]
			checked++
			for _, f := range flagWord.FindAllStringSubmatch(rest, -1) {
				if !flags[cmd][f[1]] {
					t.Errorf("%s: `ssoaudit %s` has no flag -%s (in: ssoaudit %s%s)", path, cmd, f[1], cmd, strings.TrimRight(rest, " \n"))
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("found only %d ssoaudit command lines in the examples; is the pattern broken?", checked)
	}
}

// TestNightlyDryRun runs nightly.sh three nights against the repository's
// snapshots (no Okta), a users' app and the administrators' app sharing one
// druva.yaml through a config that is the same every night
// (${SSOAUDIT_EVIDENCE}): a good baseline, then a broken users' app (new
// findings: exit 1), then the same again (nothing new: exit 0).
func TestNightlyDryRun(t *testing.T) {
	bash := testprog.Need(t, "bash")
	bin := buildCLI(t)
	data := t.TempDir()
	textfile := t.TempDir() // node_exporter's textfile collector directory
	night := func(day, snapshot string) int {
		t.Helper()
		cmd := exec.Command(bash, "nightly/nightly.sh")
		cmd.Env = append(os.Environ(),
			"SSOAUDIT="+bin, "DATA_DIR="+data, "REPORT_DATE="+day, "METRICS_DIR="+textfile,
			"SOURCE_SNAPSHOT="+filepath.Join("..", "testdata", "snapshots", snapshot),
			"SOURCE_ADMIN_SNAPSHOT="+filepath.Join("..", "testdata", "snapshots", "admin"))
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &ee):
			t.Logf("%s (%s): exit %d\n%s", day, snapshot, ee.ExitCode(), out)
			return ee.ExitCode()
		}
		t.Fatalf("nightly.sh: %v\n%s", err, out)
		return -1
	}
	for _, c := range []struct {
		day, snapshot string
		want          int
	}{
		{"2026-11-25", "good", 0},
		{"2026-11-26", "broken", 1},
		{"2026-11-27", "broken", 0},
	} {
		if got := night(c.day, c.snapshot); got != c.want {
			t.Errorf("%s with the %s snapshot: exit %d, want %d", c.day, c.snapshot, got, c.want)
		}
		// The night's metrics, as Prometheus reads them: the gate follows
		// the scan (the broken set-up fails it every night, new or not).
		b, err := os.ReadFile(filepath.Join(textfile, "metrics.prom"))
		if err != nil {
			t.Fatal(err)
		}
		fams := consumer.Prometheus(t, b)
		if g := fams["ssoaudit_gate_passed"]; len(g) != 1 || (g[0].Value == 1) != (c.snapshot == "good") {
			t.Errorf("%s: gate series %+v with the %s snapshot", c.day, g, c.snapshot)
		}
		if n := len(fams["ssoaudit_certificate_expiry_timestamp_seconds"]); n != 4 {
			t.Errorf("%s: %d certificate expiry series, want 4 (Okta and Druva, for each app)", c.day, n)
		}
	}
	for _, f := range []string{
		"reports/2026-11-25.json", "reports/2026-11-26.json", "reports/2026-11-27.json",
		"reports/2026-11-26.diff.md", "reports/2026-11-27.html",
		"evidence/2026-11-27/users/okta/app.json", "evidence/2026-11-27/admin/okta/app.json",
		"evidence/2026-11-27/druva.yaml",
	} {
		if _, err := os.Stat(filepath.Join(data, f)); err != nil {
			t.Error(err)
		}
	}
	// Both apps, one deployment under its stable name, judged every night.
	for _, day := range []string{"2026-11-25", "2026-11-27"} {
		b, err := os.ReadFile(filepath.Join(data, "reports", day+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var rep struct {
			Targets     []struct{ Name string }
			Deployments []struct {
				Name    string
				Targets []string
			}
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		if len(rep.Targets) != 2 || rep.Targets[0].Name != "users" || rep.Targets[1].Name != "admin" ||
			len(rep.Deployments) != 1 || rep.Deployments[0].Name != "druva-console" || len(rep.Deployments[0].Targets) != 2 {
			t.Errorf("%s: targets %+v, deployments %+v", day, rep.Targets, rep.Deployments)
		}
	}
}
