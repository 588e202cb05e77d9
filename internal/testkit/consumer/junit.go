package consumer

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/testkit/testprog"
)

// JUnit checks a JUnit report the way Jenkins and GitLab read it and
// returns its test cases as GitLab sees them.
//
// Jenkins: the xunit plugin validates a "JUnit" report against its
// junit-10.xsd and, by default, stops on the first error; xmllint --schema
// applies the same schema. GitLab: see GitLabCases.
func JUnit(tb testing.TB, data []byte) []GitLabCase {
	tb.Helper()
	JenkinsSchema(tb, data)
	cases, err := GitLabCases(data)
	if err != nil {
		tb.Fatalf("GitLab's JUnit parser: %v\n%s", err, data)
	}
	Counts.add(GitLabJUnit)
	// The totals readers take from the attributes (test-results-parser,
	// junitparser) are the ones GitLab and Jenkins count case by case.
	got, err := JUnitReaderTotals(data)
	if err != nil {
		tb.Fatalf("JUnit totals: %v", err)
	}
	var want JUnitTotals
	for _, c := range cases {
		want.Tests++
		switch c.Status {
		case "failed":
			want.Failures++
		case "error":
			want.Errors++
		case "skipped":
			want.Skipped++
		default:
			want.Passed++
		}
	}
	if got != want {
		tb.Fatalf("JUnit totals as test-results-parser and junitparser read them %+v, but the cases count %+v\n%s", got, want, data)
	}
	Counts.add(JUnitTotalsRead)
	return cases
}

// JenkinsSchema validates data against the Jenkins xunit plugin's JUnit
// schema with xmllint (libxml2-utils; .ci/run installs it).
func JenkinsSchema(tb testing.TB, data []byte) {
	tb.Helper()
	if err := jenkinsCheck(tb, data); err != nil {
		tb.Fatalf("%v\n--- report ---\n%s", err, data)
	}
	Counts.add(JenkinsXUnit)
}

// jenkinsCheck runs xmllint --schema junit-10-jenkins.xsd over data.
func jenkinsCheck(tb testing.TB, data []byte) error {
	tb.Helper()
	xsd := Ref(tb, "junit-10-jenkins.xsd")
	xmllint := testprog.Need(tb, "xmllint")
	f := filepath.Join(tb.TempDir(), "report.xml")
	if err := os.WriteFile(f, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--nonet", "--schema", xsd, f).CombinedOutput()
	if err != nil {
		return fmt.Errorf("JUnit report fails the Jenkins xunit schema (%s): %v\n%s", filepath.Base(xsd), err, out)
	}
	return nil
}

// GitLabCase is one test case as GitLab's JUnit parser builds it.
type GitLabCase struct {
	Suite, Classname, Name string
	// Status is failed, error, skipped or success.
	Status string
}

// GitLabCases parses data the way GitLab does
// (lib/gitlab/ci/parsers/test/junit.rb): one optional top-level
// <testsuites>, test cases only inside a <testsuites> or <testsuite>
// (suites may nest), and a case's status from which child it has, in this
// order: <failure> → failed, <error> → error, <skipped> → skipped, else
// success. It also checks what GitLab needs to show and compare cases: a
// name and class name on each, and no two cases of a suite alike (GitLab
// keys a case by them when it compares pipelines).
func GitLabCases(data []byte) ([]GitLabCase, error) {
	root, err := parseXMLTree(data)
	if err != nil {
		return nil, err
	}
	if root.name != "testsuites" && root.name != "testsuite" {
		return nil, fmt.Errorf("root element <%s>: GitLab reads <testsuites> or <testsuite>", root.name)
	}
	var cases []GitLabCase
	var walk func(n *xmlNode)
	walk = func(n *xmlNode) {
		for _, c := range n.children {
			switch c.name {
			case "testcase":
				cases = append(cases, gitlabCase(n.attrs["name"], c))
			case "testsuite":
				walk(c)
			}
		}
	}
	walk(root)
	seen := map[GitLabCase]bool{}
	for _, c := range cases {
		if c.Name == "" || c.Classname == "" {
			return nil, fmt.Errorf("test case %+v: GitLab shows a case by its name and class name; both must be set", c)
		}
		key := GitLabCase{Suite: c.Suite, Classname: c.Classname, Name: c.Name}
		if seen[key] {
			return nil, fmt.Errorf("two test cases %s/%s in suite %q: GitLab cannot tell them apart", c.Classname, c.Name, c.Suite)
		}
		seen[key] = true
	}
	return cases, nil
}

func gitlabCase(suite string, n *xmlNode) GitLabCase {
	has := map[string]bool{}
	for _, c := range n.children {
		has[c.name] = true
	}
	status := "success"
	switch {
	case has["failure"]:
		status = "failed"
	case has["error"]:
		status = "error"
	case has["skipped"]:
		status = "skipped"
	}
	return GitLabCase{Suite: suite, Classname: n.attrs["classname"], Name: n.attrs["name"], Status: status}
}

type xmlNode struct {
	name     string
	attrs    map[string]string
	children []*xmlNode
}

// parseXMLTree reads a whole document strictly: one root element, well
// formed, nothing but whitespace, comments and processing instructions
// around it.
func parseXMLTree(data []byte) (*xmlNode, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var stack []*xmlNode
	var root *xmlNode
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("not well-formed XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{name: t.Name.Local, attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else if root != nil {
				return nil, errors.New("more than one root element")
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 && strings.TrimSpace(string(t)) != "" {
				return nil, errors.New("text outside the root element")
			}
		}
	}
	if root == nil {
		return nil, errors.New("no root element")
	}
	return root, nil
}
