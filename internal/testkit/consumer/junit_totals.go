package consumer

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/ssoaudit/ssoaudit/audit"
)

// JUnitTotals are a JUnit file's totals as a reader shows them for the
// whole file.
type JUnitTotals struct {
	Tests, Passed, Failures, Errors, Skipped int
}

// JUnitReaderTotals reads a JUnit file's totals the way test-results-parser
// (the parser behind testbeats; src/parsers/junit.js) and junitparser
// (JUnitXml's attributes) do: from the root <testsuites>' tests, failures,
// errors and skipped attributes when it has them — an absent skipped
// counting 0, so skipped cases count as passed — else summed over its
// suites' attributes. passed = tests − skipped − failures − errors.
func JUnitReaderTotals(data []byte) (JUnitTotals, error) {
	root, err := parseXMLTree(data)
	if err != nil {
		return JUnitTotals{}, err
	}
	attrs := func(n *xmlNode) (JUnitTotals, bool, error) {
		var t JUnitTotals
		if _, ok := n.attrs["tests"]; !ok {
			return t, false, nil
		}
		for name, p := range map[string]*int{"tests": &t.Tests, "failures": &t.Failures, "errors": &t.Errors, "skipped": &t.Skipped} {
			v, ok := n.attrs[name]
			if !ok {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return t, true, fmt.Errorf("%s=%q is not a count", name, v)
			}
			*p = n
		}
		t.Passed = t.Tests - t.Skipped - t.Failures - t.Errors
		return t, true, nil
	}
	if t, ok, err := attrs(root); ok || err != nil || root.name == "testsuite" {
		return t, err
	}
	var sum JUnitTotals
	for _, c := range root.children {
		if c.name != "testsuite" {
			continue
		}
		t, _, err := attrs(c)
		if err != nil {
			return sum, fmt.Errorf("suite %q: %w", c.attrs["name"], err)
		}
		sum.Tests += t.Tests
		sum.Passed += t.Passed
		sum.Failures += t.Failures
		sum.Errors += t.Errors
		sum.Skipped += t.Skipped
	}
	return sum, nil
}

// TotalsOf is what a JUnit reader must count for rep, from its results as
// the JSON report gives them: a suppressed fail, error or warn is a skipped
// case; otherwise fail → failure, error → error, skip → skipped, pass and
// warn → passed.
func TotalsOf(rep *audit.Report) JUnitTotals {
	var t JUnitTotals
	for r := range rep.Results() {
		t.add(string(r.Status), r.Suppressed)
	}
	return t
}

// TotalsOfJSON is TotalsOf for a JSON report.
func TotalsOfJSON(data []byte) (JUnitTotals, error) {
	type results struct {
		Results []struct {
			Status     string `json:"status"`
			Suppressed bool   `json:"suppressed"`
		} `json:"results"`
	}
	var rep struct {
		Targets     []results `json:"targets"`
		Deployments []results `json:"deployments"`
	}
	if err := json.Unmarshal(data, &rep); err != nil {
		return JUnitTotals{}, err
	}
	var t JUnitTotals
	for _, g := range append(rep.Targets, rep.Deployments...) {
		for _, r := range g.Results {
			t.add(r.Status, r.Suppressed)
		}
	}
	return t, nil
}

func (t *JUnitTotals) add(status string, suppressed bool) {
	t.Tests++
	finding := status == "fail" || status == "error" || status == "warn"
	switch {
	case suppressed && finding, status == "skip":
		t.Skipped++
	case status == "fail":
		t.Failures++
	case status == "error":
		t.Errors++
	default:
		t.Passed++
	}
}
