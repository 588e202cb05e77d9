package docs

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// root is the repository's top directory, the parent of docs/.
const root = ".."

// outside are the names of documents the repository does not have: the
// product specification and the directory beside the checkout it came
// from. A comment, test or page citing one leaves a reader who cloned the
// repository with nothing to read. (Spelt in two parts so that this file
// does not cite them itself.)
var outside = []string{"PRODUCT" + ".md", "../" + "shared"}

// allowed may name them: CI's script runs in the house the repository is
// developed in, where the directory beside the checkout holds tools and
// reference schemas.
var allowed = map[string]bool{
	".ci/run": true,
}

// TestNoOutsideCitations keeps the repository standing on its own: no
// tracked file other than CI's script cites a document outside it. Cite the
// page of docs/ the code leans on instead.
func TestNoOutsideCitations(t *testing.T) {
	for _, name := range repoFiles(t) {
		if allowed[name] {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			continue // listed by git but not in the work tree (a deletion not yet committed)
		}
		var found []string
		for _, o := range outside {
			if bytes.Contains(b, []byte(o)) {
				found = append(found, o)
			}
		}
		if len(found) > 0 {
			t.Errorf("%s cites %s, which is not in the repository: cite the docs/ page it leans on", name, strings.Join(found, " and "))
		}
	}
}

// repoFiles lists the repository's tracked files, slash-separated and
// relative to its root; without git (an exported tree), every file under
// the root but .git.
func repoFiles(t *testing.T) []string {
	t.Helper()
	if out, err := exec.Command("git", "-C", root, "ls-files", "-z").Output(); err == nil && len(out) > 0 {
		var names []string
		for _, n := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
			names = append(names, n)
		}
		return names
	}
	var names []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// link is a Markdown link's target: [text](target).
var link = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// TestDocLinksResolve checks that every relative link of the docs pages
// and the README names a file that exists, and a heading of it when the
// link has a fragment, so a page cannot point at one renamed or not yet
// written.
func TestDocLinksResolve(t *testing.T) {
	pages, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("rules/*.md")
	pages = append(pages, more...)
	pages = append(pages, filepath.Join(root, "README.md"))
	for _, page := range pages {
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, frag, _ := strings.Cut(target, "#")
			path := page
			if file != "" {
				path = filepath.Join(filepath.Dir(page), filepath.FromSlash(file))
			}
			body, err := os.ReadFile(path)
			if err != nil {
				if st, serr := os.Stat(path); serr == nil && st.IsDir() {
					continue
				}
				t.Errorf("%s links to %s, which does not exist", page, target)
				continue
			}
			if frag != "" && strings.HasSuffix(path, ".md") && !hasAnchor(string(body), frag) {
				t.Errorf("%s links to %s: %s has no heading with that anchor", page, target, file)
			}
		}
	}
}

// hasAnchor reports whether a Markdown page has a heading whose GitHub
// anchor is frag: lower case, spaces to dashes, punctuation dropped.
func hasAnchor(page, frag string) bool {
	for _, line := range strings.Split(page, "\n") {
		if !strings.HasPrefix(line, "#") {
			continue
		}
		if anchor(strings.TrimLeft(line, "# ")) == frag {
			return true
		}
	}
	return false
}

// anchor is the fragment GitHub gives a heading.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestCompareControls(t *testing.T) {
	ids := []string{"IA-13", "SC-8", "IA-2(2)", "AC-2", "IA-2", "IA-13(2)", "IA-2(1)", "IA-4", "SC-13", "3.10", "3.9"}
	slices.SortFunc(ids, CompareControls)
	want := []string{"3.9", "3.10", "AC-2", "IA-2", "IA-2(1)", "IA-2(2)", "IA-4", "IA-13", "IA-13(2)", "SC-8", "SC-13"}
	if !slices.Equal(ids, want) {
		t.Errorf("sorted %q, want %q", ids, want)
	}
}
