package examples_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/testkit/consumer"
	"github.com/ssoaudit/ssoaudit/internal/testkit/testprog"
)

// TestMain reports how many documents the consumers' checks accepted (-v).
func TestMain(m *testing.M) {
	code := m.Run()
	consumer.PrintCounts()
	os.Exit(code)
}

// TestCIExampleReports runs the scan command lines of the CI examples, as
// written, in a repository laid out the way they expect, and checks every
// report they write the way its consumer reads it: SARIF against the OASIS
// schema and GitHub's rules, JUnit against the Jenkins schema and GitLab's
// parser, metrics with expfmt. Every SARIF location must be one of the
// repository's own paths, the same in every run (no run ID, no ../).
func TestCIExampleReports(t *testing.T) {
	bash := testprog.Need(t, "bash")
	bin := buildCLI(t)
	binDir := t.TempDir()
	if err := os.Symlink(bin, filepath.Join(binDir, "ssoaudit")); err != nil {
		t.Fatal(err)
	}

	repo := t.TempDir()
	snaps := filepath.Join("..", "testdata", "snapshots")
	copyTree(t, filepath.Join(snaps, "broken"), filepath.Join(repo, "evidence", "current"))
	copyTree(t, filepath.Join(snaps, "good"), filepath.Join(repo, "live-snapshot", "okta-druva"))
	copyTree(t, filepath.Join("..", "testdata", "terraform"), filepath.Join(repo, "terraform", "okta"))
	copyTree(t, filepath.Join(snaps, "broken", "druva.yaml"), filepath.Join(repo, "druva", "druva.yaml"))
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}

	oneRun := false
	ran := 0
	for _, path := range []string{"github-actions/ssoaudit.yml", "gitlab-ci/.gitlab-ci.yml"} {
		for _, m := range invocation.FindAllStringSubmatch(string(read(t, path)), -1) {
			if m[1] != "scan" {
				continue
			}
			line := "ssoaudit scan" + strings.TrimRight(m[2], " \n")
			if strings.Contains(line, ".sarif") && strings.Contains(line, ".json") {
				oneRun = true
			}
			cmd := exec.Command(bash, "-c", line)
			cmd.Dir = repo
			cmd.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"), "FAIL_ON=high")
			out, err := cmd.CombinedOutput()
			if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() == 2) {
				t.Errorf("%s: %s: %v\n%s", path, line, err, out)
			}
			ran++
		}
	}
	if ran < 5 {
		t.Fatalf("ran only %d scan command lines from the CI examples", ran)
	}
	if !oneRun {
		t.Error("no CI example writes SARIF and JSON from one run (--output x.sarif --output x.json)")
	}

	repoPath := regexp.MustCompile(`^((evidence/current|live-snapshot/okta-druva)/(okta/[a-z-]+\.(json|xml)|druva\.yaml)|druva/druva\.yaml|terraform/okta/plan\.json)$`)
	counts := map[string]int{}
	entries, _ := os.ReadDir(repo)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data := read(t, filepath.Join(repo, e.Name()))
		switch filepath.Ext(e.Name()) {
		case ".sarif":
			consumer.SARIF(t, data)
			for _, uri := range sarifURIs(t, data) {
				if !repoPath.MatchString(uri) {
					t.Errorf("%s: location %q is not one of the repository's files", e.Name(), uri)
				}
			}
		case ".xml":
			consumer.JUnit(t, data)
		case ".prom":
			consumer.Prometheus(t, data)
		case ".json":
			if !json.Valid(data) {
				t.Errorf("%s is not JSON", e.Name())
			}
			consumer.JSONSchema(t, data)
		default:
			continue
		}
		counts[filepath.Ext(e.Name())]++
	}
	if counts[".sarif"] < 3 || counts[".xml"] < 1 || counts[".json"] < 3 {
		t.Errorf("reports written: %v; want the snapshot, Terraform and live SARIF, JUnit and JSON", counts)
	}
	t.Logf("reports checked: %v", counts)
}

func sarifURIs(t *testing.T, data []byte) []string {
	t.Helper()
	var doc struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range doc.Runs {
		for _, res := range r.Results {
			for _, l := range res.Locations {
				out = append(out, l.PhysicalLocation.ArtifactLocation.URI)
			}
		}
	}
	return out
}

// copyTree copies a file or a directory tree.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
