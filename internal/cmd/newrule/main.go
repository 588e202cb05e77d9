// Command newrule scaffolds a rule, as zlint's newLint.sh scaffolds a lint:
// the rule's file and its test in checks/, named after its ID, and its page
// in docs/rules/. Run it from the repository's root:
//
//	go run ./internal/cmd/newrule okta.saml.foo-bar
//
// The rule it writes judges nothing yet: its check returns an error result
// (never a pass) and its test fails, each saying what to write; the page's
// TODOs say what it needs. docs/ARCHITECTURE.md ("Adding a rule") goes on
// from there.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/cmd/newrule RULE-ID   (e.g. okta.saml.foo-bar; run from the repository's root)")
		os.Exit(2)
	}
	files, err := generate(".", os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "newrule:", err)
		os.Exit(1)
	}
	for _, f := range files {
		fmt.Println("wrote", f)
	}
	fmt.Println("next: fill in the TODOs, then go test ./checks ./cmd/ssoaudit -update (the README's rule table) and review the diff")
}

// validID is a rule ID: a group (okta, druva, cross), then dot-separated
// lower-case words joined by dashes.
var validID = regexp.MustCompile(`^(okta|druva|cross)(\.[a-z0-9]+(-[a-z0-9]+)*)+$`)

// generate writes the three files of a new rule under root and returns
// their paths. It writes nothing when the ID is not valid or any of the
// files exists.
func generate(root, id string) ([]string, error) {
	if !validID.MatchString(id) || !strings.Contains(id, ".") {
		return nil, fmt.Errorf("%q is not a rule ID: okta.*, druva.* or cross.*, lower-case words joined by dashes, e.g. okta.saml.foo-bar", id)
	}
	base := strings.NewReplacer(".", "_", "-", "_").Replace(id)
	fn := "check" + camel(strings.SplitN(id, ".", 2)[1])
	files := map[string]string{
		filepath.Join(root, "checks", base+".go"):      ruleFile(id, fn),
		filepath.Join(root, "checks", base+"_test.go"): testFile(id, fn),
		filepath.Join(root, "docs", "rules", id+".md"): page(id),
	}
	order := []string{
		filepath.Join(root, "checks", base+".go"),
		filepath.Join(root, "checks", base+"_test.go"),
		filepath.Join(root, "docs", "rules", id+".md"),
	}
	for _, p := range order {
		if _, err := os.Stat(p); err == nil {
			return nil, fmt.Errorf("%s exists: rule %s is already scaffolded", p, id)
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if _, err := os.Stat(filepath.Dir(p)); err != nil {
			return nil, fmt.Errorf("%s: run newrule from the repository's root (%v)", filepath.Dir(p), err)
		}
	}
	for i, p := range order {
		if err := os.WriteFile(p, []byte(files[p]), 0o644); err != nil {
			for _, q := range order[:i] {
				os.Remove(q)
			}
			return nil, err
		}
	}
	return order, nil
}

// camel turns "saml.foo-bar" into "SamlFooBar".
func camel(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '-' }) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// The title and reference placeholders: the page must say the same as the
// code, so both are written from these.
const (
	todoTitle     = "TODO: what passes, as a statement (e.g. SAML response is signed)"
	todoReference = "TODO: the step of Druva's guide, or the page, the rule comes from"
)

func ruleFile(id, fn string) string {
	return `package checks

import "github.com/ssoaudit/ssoaudit/audit"

// The rule's prose (why it matters, how to fix it) and the controls its
// evidence supports are in docs/rules/` + id + `.md.
func init() {
	register(&audit.Rule{
		ID:        "` + id + `",
		Title:     "` + todoTitle + `",
		Severity:  audit.Medium, // TODO: critical, high, medium, low or info
		Reference: "` + todoReference + `",
		// TODO: the inputs the rule reads, and the one its findings are located at.
		Location: audit.Location{Input: audit.InputApp},
		Needs:    []audit.Input{audit.InputApp},
		Check:    ` + fn + `,
	})
}

// ` + fn + ` decides ` + id + `. A field Okta did not send is a skip naming what
// to verify in the admin console, never a fail (docs/inputs.md, A field Okta
// does not send).
func ` + fn + `(t *audit.Target) audit.Result {
	// TODO: judge t, returning audit.Pass, Fail, Warn, Skip or Error with a
	// message a person can act on and the expected and actual values as
	// evidence. Until then the rule fails closed: an error, never a pass.
	return audit.Error("` + id + ` judges nothing yet", audit.Evidence{})
}
`
}

func testFile(id, fn string) string {
	return `package checks

import "testing"

func Test` + strings.TrimPrefix(fn, "check") + `(t *testing.T) {
	// TODO: cases built from the good snapshot plus one named mutation, each
	// with the status and message it must get; okta_saml_response_signed_test.go
	// shows the shape (runCases).
	t.Fatal("` + id + ` has no tests yet")
}
`
}

func page(id string) string {
	return `# ` + id + `: ` + todoTitle + `

## Why it matters

TODO: what breaks, or what an attacker gains, when this rule fails; say so when the rule goes beyond Druva's pages.

## How to fix

1. TODO: the steps in the Okta admin console (Applications > Applications > (the Druva app) > …).

2. TODO: and in the Druva console, when it has a part.

## Reference

` + todoReference + `

## Controls

What this rule's evidence supports, in NIST SP 800-53 Rev. 5 (release 5.1.1) and the CIS Controls v8 (safeguards by ID and title):

| framework | control | title | why |
|---|---|---|---|
| nist-800-53 | CM-6 | Configuration Settings | TODO: what in the rule's evidence supports the control (pick the controls from docs/rules.go; add one there with its exact title) |
| cis-v8 | 4.1 | Establish and Maintain a Secure Configuration Process | TODO: what in the rule's evidence supports the safeguard |
`
}
