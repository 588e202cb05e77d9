package examples_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/ssoaudit/ssoaudit/internal/testkit/consumer"
	"github.com/ssoaudit/ssoaudit/internal/testkit/testprog"
)

// actionMeta is the part of action.yml (the repository's GitHub Action) a
// runner reads.
type actionMeta struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	If    string            `yaml:"if"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
	Run   string            `yaml:"run"`
	Uses  string            `yaml:"uses"`
	With  map[string]string `yaml:"with"`
}

// actionRun is what one run of the action did.
type actionRun struct {
	failed  bool
	outputs map[string]map[string]string // step id → outputs
	uploads []map[string]string          // the upload-sarif stub's inputs
	logs    string
	summary string
}

// runAction runs the composite action's steps the way GitHub's runner does,
// as far as this action uses it: expressions over inputs (with their
// defaults), steps' outputs and github.action_path; if: with always(),
// success() and == / != comparisons joined by &&; run: steps under bash
// with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ACTION_PATH and
// RUNNER_TEMP; and every uses: step replaced by a stub that records its
// inputs (github/codeql-action/upload-sarif is the only one allowed).
func runAction(t *testing.T, workdir string, inputs map[string]string) actionRun {
	t.Helper()
	bash := testprog.Need(t, "bash")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	var meta actionMeta
	if err := yaml.Unmarshal(read(t, filepath.Join(root, "action.yml")), &meta); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if meta.Runs.Using != "composite" {
		t.Fatalf("action.yml runs.using %q, want composite", meta.Runs.Using)
	}
	in := map[string]string{}
	for name, i := range meta.Inputs {
		in[name] = i.Default
	}
	for name, v := range inputs {
		if _, ok := meta.Inputs[name]; !ok {
			t.Fatalf("action.yml has no input %q", name)
		}
		in[name] = v
	}
	run := actionRun{outputs: map[string]map[string]string{}}
	expr := regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)
	value := func(ref string) string {
		parts := strings.Split(ref, ".")
		switch {
		case len(parts) == 2 && parts[0] == "inputs":
			if _, ok := meta.Inputs[parts[1]]; !ok {
				t.Fatalf("expression %q: no such input", ref)
			}
			return in[parts[1]]
		case len(parts) == 4 && parts[0] == "steps" && parts[2] == "outputs":
			return run.outputs[parts[1]][parts[3]]
		case ref == "github.action_path":
			return root
		}
		t.Fatalf("expression %q is not one this test's runner knows", ref)
		return ""
	}
	expand := func(s string) string {
		return expr.ReplaceAllStringFunc(s, func(m string) string { return value(expr.FindStringSubmatch(m)[1]) })
	}
	literal := regexp.MustCompile(`^(\S+)\s*(==|!=)\s*'([^']*)'$`)
	cond := func(s string) bool {
		s = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(s), "${{"), "}}"))
		if s == "" {
			return !run.failed
		}
		ok, always := true, false
		for _, term := range strings.Split(s, "&&") {
			term = strings.TrimSpace(term)
			switch {
			case term == "always()":
				always = true
			case term == "success()":
				ok = ok && !run.failed
			case literal.MatchString(term):
				m := literal.FindStringSubmatch(term)
				ok = ok && ((value(m[1]) == m[3]) == (m[2] == "=="))
			default:
				t.Fatalf("if: %q is not one this test's runner knows", term)
			}
		}
		return ok && (always || !run.failed)
	}
	tmp := t.TempDir()
	summary := filepath.Join(tmp, "summary.md")
	var logs bytes.Buffer
	for i, st := range meta.Runs.Steps {
		if !cond(st.If) {
			continue
		}
		if st.Uses != "" {
			if !strings.HasPrefix(st.Uses, "github/codeql-action/upload-sarif@") {
				t.Fatalf("step %q uses %s: only the SARIF upload is stubbed", st.Name, st.Uses)
			}
			with := map[string]string{}
			for k, v := range st.With {
				with[k] = expand(v)
			}
			run.uploads = append(run.uploads, with)
			continue
		}
		if st.Shell != "bash" {
			t.Fatalf("step %q: shell %q, want bash (the runner's default differs by OS)", st.Name, st.Shell)
		}
		out := filepath.Join(tmp, fmt.Sprintf("output-%d", i))
		cmd := exec.Command(bash, "-e", "-c", expand(st.Run))
		cmd.Dir = workdir
		cmd.Env = append(os.Environ(), "GITHUB_OUTPUT="+out, "GITHUB_STEP_SUMMARY="+summary,
			"GITHUB_ACTION_PATH="+root, "RUNNER_TEMP="+tmp, "GITHUB_WORKSPACE="+workdir)
		for k, v := range st.Env {
			cmd.Env = append(cmd.Env, k+"="+expand(v))
		}
		cmd.Stdout, cmd.Stderr = &logs, &logs
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("step %q: %v", st.Name, err)
		}
		if err != nil {
			run.failed = true
		}
		if st.ID != "" {
			run.outputs[st.ID] = readOutputs(t, out)
		}
	}
	run.logs = logs.String()
	if b, err := os.ReadFile(summary); err == nil {
		run.summary = string(b)
	}
	return run
}

// readOutputs reads a GITHUB_OUTPUT file of name=value lines.
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("GITHUB_OUTPUT line %q is not name=value", sc.Text())
		}
		out[k] = v
	}
	return out
}

// TestAction runs the GitHub Action's steps with a prebuilt binary (and
// once building it with Go, as a runner would) and a stub SARIF upload:
// the reports are written, the SARIF is uploaded before the gate whatever
// the scan found, and the gate fails the job as the exit code says.
func TestAction(t *testing.T) {
	bin := buildCLI(t)
	snapshots, err := filepath.Abs(filepath.Join("..", "testdata", "snapshots"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		inputs   map[string]string
		failed   bool
		code     string
		uploaded bool
	}{
		{"a failing snapshot: upload, then the gate fails", map[string]string{"snapshot": filepath.Join(snapshots, "broken"), "upload-sarif": "true", "ssoaudit-path": bin, "category": "sso"}, true, "1", true},
		{"a good snapshot passes, no upload unless asked", map[string]string{"snapshot": filepath.Join(snapshots, "good"), "ssoaudit-path": bin}, false, "0", false},
		{"fail-on none reports only", map[string]string{"snapshot": filepath.Join(snapshots, "broken"), "fail-on": "none", "ssoaudit-path": bin, "junit": "r.xml", "csv": "r.csv"}, false, "0", false},
		{"unreadable Okta data is incomplete", map[string]string{"snapshot": filepath.Join(snapshots, "malformed"), "ssoaudit-path": bin, "upload-sarif": "true"}, true, "3", true},
		{"a usage error", map[string]string{"snapshot": filepath.Join(snapshots, "missing"), "ssoaudit-path": bin}, true, "2", false},
		{"no binary", map[string]string{"snapshot": filepath.Join(snapshots, "good"), "ssoaudit-path": filepath.Join(snapshots, "good", "druva.yaml")}, true, "", false},
		{"built from the action's checkout", map[string]string{"snapshot": filepath.Join(snapshots, "good")}, false, "0", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.inputs["ssoaudit-path"] == "" {
				testprog.Short(t, "builds the CLI as the action does")
			}
			work := t.TempDir()
			run := runAction(t, work, c.inputs)
			if run.failed != c.failed {
				t.Fatalf("job failed: %v, want %v\n%s", run.failed, c.failed, run.logs)
			}
			if got := run.outputs["scan"]["exit-code"]; got != c.code {
				t.Fatalf("exit-code output %q, want %q\n%s", got, c.code, run.logs)
			}
			if (len(run.uploads) == 1) != c.uploaded || len(run.uploads) > 1 {
				t.Fatalf("uploads %v, want uploaded=%v", run.uploads, c.uploaded)
			}
			if c.code == "" || c.code == "2" {
				return
			}
			for _, f := range []string{"ssoaudit.json", "ssoaudit.sarif", "ssoaudit.md"} {
				data := read(t, filepath.Join(work, f))
				consumer.Check(t, map[string]string{".json": "json", ".sarif": "sarif", ".md": "markdown"}[filepath.Ext(f)], data)
			}
			if !strings.Contains(run.summary, "ssoaudit") {
				t.Errorf("the job summary lacks the Markdown report: %q", run.summary)
			}
			if c.uploaded {
				up := run.uploads[0]
				if up["sarif_file"] != "ssoaudit.sarif" || up["category"] != c.inputs["category"] && !(c.inputs["category"] == "" && up["category"] == "ssoaudit") {
					t.Errorf("upload-sarif with %v", up)
				}
			}
			for in, f := range map[string]string{"junit": "r.xml", "csv": "r.csv"} {
				if c.inputs[in] != "" {
					consumer.Check(t, map[string]string{"junit": "junit", "csv": "csv"}[in], read(t, filepath.Join(work, f)))
				}
			}
			if c.failed && !strings.Contains(run.logs, "::error::ssoaudit") {
				t.Errorf("a failed gate without an error annotation:\n%s", run.logs)
			}
		})
	}
}
