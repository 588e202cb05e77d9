package docs

import (
	"strings"
	"testing"
)

const samplePage = `# okta.x.y: X is y

## Why it matters

One paragraph
over two lines.

Another.

## How to fix

1. Do this.

2. Then pin it:

     expect:
       acs_url: https://<yours>

## Reference

Druva guide, step 1

## Controls

Intro text.

| framework | control | title | why |
|---|---|---|---|
| nist-800-53 | CM-6 | Configuration Settings | the setting is checked |
| cis-v8 | 4.1 | Establish and Maintain a Secure Configuration Process | ditto |
`

func TestParsePage(t *testing.T) {
	p, err := ParsePage("okta.x.y", samplePage)
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != "X is y" || p.Rationale != "One paragraph over two lines.\nAnother." || p.Reference != "Druva guide, step 1" {
		t.Errorf("%+v", p)
	}
	if want := "1. Do this.\n2. Then pin it:\n     expect:\n       acs_url: https://<yours>"; p.Remediation != want {
		t.Errorf("remediation %q, want %q (a snippet keeps its indentation)", p.Remediation, want)
	}
	if len(p.Controls) != 2 || p.Controls[0] != (Control{"nist-800-53", "CM-6", "Configuration Settings", "the setting is checked"}) {
		t.Errorf("controls %+v", p.Controls)
	}
	for _, c := range []struct{ name, from, to, err string }{
		{"wrong ID in the heading", "# okta.x.y:", "# okta.x.z:", "first line"},
		{"a section missing", "## Reference\n\nDruva guide, step 1\n", "", "sections"},
		{"an empty section", "Another.\n", "", ""},
		{"unknown control", "| CM-6 | Configuration Settings |", "| CM-99 | Configuration Settings |", "not a control of the catalog"},
		{"a title that is not the framework's", "| Configuration Settings |", "| Config Settings |", "not a control of the catalog"},
		{"unknown framework", "| cis-v8 |", "| iso-27001 |", "unknown framework"},
		{"no why", "| ditto |", "| |", "says nothing of why"},
		{"CIS 6.4 (remote network access) is not in the catalog", "| cis-v8 | 4.1 | Establish and Maintain a Secure Configuration Process |", "| cis-v8 | 6.4 | Require MFA for Remote Network Access |", "not a control of the catalog"},
	} {
		text := strings.Replace(samplePage, c.from, c.to, 1)
		if c.name == "an empty section" {
			text = strings.Replace(samplePage, "One paragraph\nover two lines.\n\nAnother.\n", "", 1)
			c.err = "is empty"
		}
		if _, err := ParsePage("okta.x.y", text); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.err)
		}
	}
}
