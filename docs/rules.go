package docs

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// The rule pages: docs/rules/<rule-id>.md, one per rule, the one source of
// each rule's prose (why it matters, how to fix it) and of the controls its
// evidence supports. The checks package reads them when a rule registers,
// and `ssoaudit explain` prints them.
//
//go:embed rules/*.md
var rulePages embed.FS

// Page is one rule's page, parsed.
type Page struct {
	ID, Title string
	// Rationale is "Why it matters": paragraphs joined by newlines.
	Rationale string
	// Remediation is "How to fix": one paragraph (one step) a line.
	Remediation string
	// Reference is the "Reference" section: the code's citation, kept in
	// step by a test (the rule registers it with its metadata).
	Reference string
	// Controls are the rows of "Controls".
	Controls []Control
}

// Control is one control a rule's evidence supports.
type Control struct {
	Framework string // a Frameworks key: nist-800-53, cis-v8
	ID        string // IA-2(1), 6.3
	Title     string // the control's title in that framework
	Why       string // what in the rule's evidence supports it
}

// Framework is a control framework the rule pages map to.
type Framework struct {
	// Key names it on the command line and in JSON; Short in one-line
	// lists ("NIST IA-2(1)"); Name in full; Citation is the edition mapped.
	Key, Short, Name, Citation string
	// Controls are the framework's controls the pages may name, with their
	// titles: a page naming another, or another title, is refused.
	Controls map[string]string
}

// Frameworks are the frameworks the pages map to, in the order shown.
var Frameworks = []Framework{
	{
		Key:      "nist-800-53",
		Short:    "NIST",
		Name:     "NIST SP 800-53 Rev. 5",
		Citation: "NIST SP 800-53 Rev. 5, Security and Privacy Controls for Information Systems and Organizations, release 5.1.1 (2023-11-07, which added IA-13; the OSCAL catalog in usnistgov/oscal-content), https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
		Controls: map[string]string{
			"AC-2":     "Account Management",
			"CM-6":     "Configuration Settings",
			"IA-2":     "Identification and Authentication (Organizational Users)",
			"IA-2(1)":  "Multi-factor Authentication to Privileged Accounts",
			"IA-2(2)":  "Multi-factor Authentication to Non-privileged Accounts",
			"IA-4":     "Identifier Management",
			"IA-5":     "Authenticator Management",
			"IA-13":    "Identity Providers and Authorization Servers",
			"IA-13(1)": "Protection of Cryptographic Keys",
			"IA-13(2)": "Verification of Identity Assertions and Access Tokens",
			"IA-13(3)": "Token Management",
			"SC-8":     "Transmission Confidentiality and Integrity",
			"SC-12":    "Cryptographic Key Establishment and Management",
			"SC-13":    "Cryptographic Protection",
		},
	},
	{
		Key:      "cis-v8",
		Short:    "CIS",
		Name:     "CIS Controls v8",
		Citation: "CIS Critical Security Controls Version 8, Center for Internet Security, https://www.cisecurity.org/controls/v8 (safeguards cited by ID and title only)",
		Controls: map[string]string{
			"3.10": "Encrypt Sensitive Data in Transit",
			"4.1":  "Establish and Maintain a Secure Configuration Process",
			"5.1":  "Establish and Maintain an Inventory of Accounts",
			"6.1":  "Establish an Access Granting Process",
			"6.3":  "Require MFA for Externally-Exposed Applications",
			"6.5":  "Require MFA for Administrative Access",
			"6.7":  "Centralize Access Control",
		},
	},
}

// LookupFramework finds a framework by key, case-insensitively.
func LookupFramework(key string) (Framework, bool) {
	for _, f := range Frameworks {
		if strings.EqualFold(f.Key, key) {
			return f, true
		}
	}
	return Framework{}, false
}

// CompareControls orders control IDs as their frameworks do: by family,
// then number, then enhancement (IA-2 < IA-2(1) < IA-2(2) < IA-4 < IA-13;
// 3.10 after 3.9).
func CompareControls(a, b string) int {
	ka, kb := controlKey(a), controlKey(b)
	for i := 0; i < len(ka) && i < len(kb); i++ {
		x, y := ka[i], kb[i]
		switch {
		case x.num && y.num && x.n != y.n:
			return x.n - y.n
		case x.num != y.num:
			if x.num {
				return -1
			}
			return 1
		case x.s != y.s:
			return strings.Compare(x.s, y.s)
		}
	}
	return len(ka) - len(kb)
}

type keyPart struct {
	s   string
	n   int
	num bool
}

// controlKey splits "IA-13(2)" into IA, 13, 2 and "6.3" into 6, 3.
func controlKey(id string) []keyPart {
	var out []keyPart
	for _, f := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '.' || r == '(' || r == ')' }) {
		n := 0
		num := f != ""
		for _, r := range f {
			if r < '0' || r > '9' {
				num = false
				break
			}
			n = n*10 + int(r-'0')
		}
		if num {
			out = append(out, keyPart{n: n, num: true})
		} else {
			out = append(out, keyPart{s: f})
		}
	}
	return out
}

// RuleIDs lists the rules that have a page, sorted.
func RuleIDs() []string {
	names, _ := fs.Glob(rulePages, "rules/*.md")
	ids := make([]string, 0, len(names))
	for _, n := range names {
		if path.Base(n) == "README.md" { // the pages' format, not a rule
			continue
		}
		ids = append(ids, strings.TrimSuffix(path.Base(n), ".md"))
	}
	slices.Sort(ids)
	return ids
}

// Rule returns the parsed page of a rule: false when it has none, an error
// when the page does not parse.
func Rule(id string) (Page, bool, error) {
	b, err := rulePages.ReadFile("rules/" + id + ".md")
	if err != nil {
		return Page{}, false, nil
	}
	p, err := ParsePage(id, string(b))
	return p, true, err
}

// ParsePage parses a rule page: "# <id>: <title>", then the sections "Why
// it matters", "How to fix", "Reference" and "Controls", in that order.
// Paragraphs are separated by blank lines; a paragraph's lines are joined
// with spaces.
func ParsePage(id, text string) (Page, error) {
	p := Page{ID: id}
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "# ") {
		return p, fmt.Errorf("docs/rules/%s.md: the first line must be \"# %s: <title>\"", id, id)
	}
	head, title, ok := strings.Cut(strings.TrimPrefix(lines[0], "# "), ": ")
	if !ok || head != id || strings.TrimSpace(title) == "" {
		return p, fmt.Errorf("docs/rules/%s.md: the first line must be \"# %s: <title>\"", id, id)
	}
	p.Title = strings.TrimSpace(title)
	sections := map[string][]string{}
	var order []string
	cur := ""
	for i, l := range lines[1:] {
		if strings.HasPrefix(l, "## ") {
			cur = strings.TrimSpace(strings.TrimPrefix(l, "## "))
			if _, dup := sections[cur]; dup {
				return p, fmt.Errorf("docs/rules/%s.md:%d: section %q twice", id, i+2, cur)
			}
			sections[cur] = nil
			order = append(order, cur)
			continue
		}
		if cur == "" {
			if strings.TrimSpace(l) != "" {
				return p, fmt.Errorf("docs/rules/%s.md:%d: text before the first section", id, i+2)
			}
			continue
		}
		sections[cur] = append(sections[cur], l)
	}
	want := []string{"Why it matters", "How to fix", "Reference", "Controls"}
	if !slices.Equal(order, want) {
		return p, fmt.Errorf("docs/rules/%s.md: sections %q, want %q", id, order, want)
	}
	p.Rationale = strings.Join(paragraphs(sections["Why it matters"]), "\n")
	p.Remediation = strings.Join(paragraphs(sections["How to fix"]), "\n")
	p.Reference = strings.Join(paragraphs(sections["Reference"]), "\n")
	for name, s := range map[string]string{"Why it matters": p.Rationale, "How to fix": p.Remediation, "Reference": p.Reference} {
		if s == "" {
			return p, fmt.Errorf("docs/rules/%s.md: section %q is empty", id, name)
		}
	}
	controls, err := parseControls(id, sections["Controls"])
	if err != nil {
		return p, err
	}
	p.Controls = controls
	return p, nil
}

// paragraphs joins each run of non-blank lines with spaces. A line indented
// by four spaces or more (Markdown's code block: a YAML snippet to paste)
// is a paragraph of its own, kept as written.
func paragraphs(lines []string) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
			cur = nil
		}
	}
	for _, l := range lines {
		switch t := strings.TrimSpace(l); {
		case t == "":
			flush()
		case strings.HasPrefix(l, "    "):
			flush()
			out = append(out, strings.TrimRight(l, " \t"))
		default:
			cur = append(cur, t)
		}
	}
	flush()
	return out
}

// parseControls reads the Controls table: | framework | control | title |
// why |, each row a control of a known framework with its exact title.
func parseControls(id string, lines []string) ([]Control, error) {
	var out []Control
	header := 0
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "|") {
			continue
		}
		header++
		if header <= 2 { // the header row and its |---| line
			continue
		}
		cells := strings.Split(strings.Trim(l, "|"), "|")
		if len(cells) != 4 {
			return nil, fmt.Errorf("docs/rules/%s.md: control row %q: want | framework | control | title | why |", id, l)
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		c := Control{Framework: cells[0], ID: cells[1], Title: cells[2], Why: cells[3]}
		f, ok := LookupFramework(c.Framework)
		if !ok {
			return nil, fmt.Errorf("docs/rules/%s.md: control %s: unknown framework %q", id, c.ID, c.Framework)
		}
		if title, ok := f.Controls[c.ID]; !ok || title != c.Title {
			return nil, fmt.Errorf("docs/rules/%s.md: %s %s %q is not a control of the catalog in docs/rules.go (add it there, with its title as the framework gives it)", id, f.Key, c.ID, c.Title)
		}
		if c.Why == "" {
			return nil, fmt.Errorf("docs/rules/%s.md: control %s %s says nothing of why", id, f.Key, c.ID)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("docs/rules/%s.md: no controls: every rule maps to at least one", id)
	}
	return out, nil
}
