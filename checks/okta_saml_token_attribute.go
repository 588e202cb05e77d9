package checks

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Okta's attribute statement types: a value expression, or a group filter.
const (
	tokenAttrExpression = "EXPRESSION"
	tokenAttrGroup      = "GROUP"
)

func init() {
	register(&audit.Rule{
		ID:            "okta.saml.token-attribute",
		Title:         "SAML assertion carries the Druva token attribute",
		Severity:      audit.Critical,
		Reference:     tokenAttrRef,
		Terraform:     "keep exactly one attribute_statements block with type = \"EXPRESSION\", name = the platform's token attribute, and one value",
		Location:      audit.Location{Input: audit.InputApp, Key: "settings.signOn.attributeStatements"},
		Needs:         []audit.Input{audit.InputApp},
		ReadsPlatform: true,
		Check:         checkTokenAttribute,
	})
}

// tokenAttrRef is the rule's reference: the guide's step for custom apps;
// a catalog app's results cite the catalog pages too (catalogRef).
const tokenAttrRef = "Druva guide, Configuring the Okta Druva App, step 4.5 (\"Under ATTRIBUTE STATEMENTS section, set Name: insync_auth_token\")"

func checkTokenAttribute(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	if key, v, ok := tokenField(t); ok && !tokenHasStatement(t, s) {
		ev := tokenFieldEvidence(t, key, v)
		if strings.TrimSpace(v) == "" {
			return catalogRef(tokenAttrRef, tokenFieldResult(t, audit.Fail(tokenFieldProblem(t, key, v), ev)))
		}
		return catalogRef(tokenAttrRef, audit.Pass(fmt.Sprintf("the %s keeps the Druva token in its own field, settings.app.%s (Okta sends it to Druva; see okta.saml.token-literal for how it is written)",
			t.App.IntegrationName(), key), ev))
	}
	if r := tokenNotSent(t, s); r != nil {
		return *r
	}
	st, warn, res := tokenAttrStatement(t, s)
	if res != nil {
		if catalogNoField(t) {
			return catalogRef(tokenAttrRef, *res)
		}
		return *res
	}
	if warn != "" {
		return audit.Warn(warn, tokenAttrEvidence(t, s))
	}
	return audit.Pass(fmt.Sprintf("one EXPRESSION attribute statement named %q, with one value", st.Name), tokenAttrEvidence(t, s))
}

// tokenSource is where the app keeps Druva's token: the value of its token
// attribute statement (an Okta expression: the token must be a quoted
// literal), or a catalog integration's plain token field (settings.app.Field:
// the token must be bare).
type tokenSource struct {
	Value string
	// Field is the settings.app key of a catalog integration's token field;
	// "" for an attribute statement.
	Field string
}

// tokenValue returns where the app keeps the token: what
// okta.saml.token-literal and cross.token-match read. That includes a
// statement okta.saml.token-attribute only warns about (a name differing in
// letter case), so those rules still evaluate it. When
// okta.saml.token-attribute fails, the result to report instead is a skip
// pointing at it (or samlSettings' own skip or error).
func tokenValue(t *audit.Target) (tokenSource, *audit.Result) {
	s, res := samlSettings(t)
	if res != nil {
		return tokenSource{}, res
	}
	if key, v, ok := tokenField(t); ok && !tokenHasStatement(t, s) {
		return tokenSource{Value: v, Field: key}, nil
	}
	if r := tokenNotSent(t, s); r != nil {
		return tokenSource{}, r
	}
	st, _, res := tokenAttrStatement(t, s)
	if res != nil {
		if res.Status == audit.StatusError {
			return tokenSource{}, res
		}
		// The other rule's finding, as its own sentence: nesting it in
		// brackets would nest its brackets too.
		why := res.Message
		if r, n := utf8.DecodeRuneInString(why); n > 0 {
			why = string(unicode.ToUpper(r)) + why[n:]
		}
		r := audit.Skip(fmt.Sprintf("the token attribute statement cannot be read as one value (see okta.saml.token-attribute). %s", why),
			audit.Evidence{}.Add("token_attribute", t.Expect.TokenAttribute))
		return tokenSource{}, &r
	}
	return tokenSource{Value: st.Values[0]}, nil
}

// tokenHasStatement reports whether the app has an attribute statement named
// (in any letter case) as the token attribute: where both exist, the
// statement is what Druva reads by name.
func tokenHasStatement(t *audit.Target, s *audit.SAMLSettings) bool {
	for _, st := range s.AttributeStatements {
		if tokenAttrEqualASCIIFold(st.Name, t.Expect.TokenAttribute) {
			return true
		}
	}
	return false
}

// catalogNoField reports whether the app is a catalog integration without a
// token field, whose statements hold no token attribute under any near name
// (those are a statement's problem, reported as such).
func catalogNoField(t *audit.Target) bool {
	if catalog, _ := t.App.Catalog(); !catalog {
		return false
	}
	if _, _, ok := tokenField(t); ok {
		return false
	}
	for _, st := range t.App.Settings.SignOn.AttributeStatements {
		if audit.FoldAttributeName(st.Name) == audit.FoldAttributeName(t.Expect.TokenAttribute) || tokenAttrOtherPlatform(t.Expect.TokenAttribute, st.Name) != "" {
			return false
		}
	}
	return true
}

// tokenNotSent is the skip for an app whose attribute statements Okta did
// not send (and that has no catalog token field).
func tokenNotSent(t *audit.Target, s *audit.SAMLSettings) *audit.Result {
	return notSent(t, s, "attributeStatements", "the attribute statements (where the Druva token goes)",
		"Applications > Applications > (the app) > Sign On: the Druva token must be sent as the "+t.Expect.TokenAttribute+" attribute, or in the integration's token field")
}

// tokenAttrGuideCase is how two of Druva's pages spell the inSync token
// attribute: "How to Configure inSync-GovCloud SSO for Admins using Okta as
// IdP?" ("Name: inSync_auth_token") and the SSO FAQ's parameter list. (The
// GovCloud + Okta article, help.druva.com 9158900, spells it
// insync_auth_token, as the set-up guide does.) It is the reason a name
// differing from the expected one only by letter case is a warning, not a
// failure (Druva may match names case-insensitively; no page says whether it
// does).
const tokenAttrGuideCase = "inSync_auth_token"

// tokenAttrStatement finds the one usable token statement, or returns the
// result that says what is wrong with the statements. A usable statement
// whose name matches the expected one only when ASCII letter case is ignored
// comes with a warning message; so does an exact one beside such a namesake.
func tokenAttrStatement(t *audit.Target, s *audit.SAMLSettings) (*audit.AttributeStatement, string, *audit.Result) {
	want := t.Expect.TokenAttribute
	ev := tokenAttrEvidence(t, s)
	fail := func(msg string) (*audit.AttributeStatement, string, *audit.Result) {
		r := audit.Fail(msg, ev)
		return nil, "", &r
	}
	if want == "" {
		r := audit.Error("no token attribute name is expected for this target (platform "+t.Platform+"): set expect.token_attribute in .ssoaudit.yaml", ev)
		return nil, "", &r
	}
	var exact, caseOnly []*audit.AttributeStatement
	for i := range s.AttributeStatements {
		switch name := s.AttributeStatements[i].Name; {
		case name == want:
			exact = append(exact, &s.AttributeStatements[i])
		case tokenAttrEqualASCIIFold(name, want):
			caseOnly = append(caseOnly, &s.AttributeStatements[i])
		}
	}
	var st *audit.AttributeStatement
	warn := ""
	switch {
	case len(exact) > 1:
		return fail(fmt.Sprintf("%d attribute statements are named %q: Druva needs exactly one token, and which one it reads is undefined", len(exact), want))
	case len(exact) == 1:
		st = exact[0]
		if len(caseOnly) > 0 {
			warn = fmt.Sprintf("there is one attribute statement named %q, but also %s, which differ%s from it only by letter case: "+
				"if Druva matches the name case-insensitively (its inSync GovCloud administrators' Okta article spells it %q), it receives more than one token attribute. Remove the other %s",
				want, tokenAttrNames(caseOnly), tokenAttrVerbS(len(caseOnly)), tokenAttrGuideCase, tokenAttrPlural(len(caseOnly), "statement", "statements"))
		}
	case len(caseOnly) > 1:
		return fail(fmt.Sprintf("no attribute statement is named exactly %q, and %d differ from it only by letter case (%s): "+
			"even if Druva accepts that spelling, it would receive more than one token. Keep one statement, named %q", want, len(caseOnly), tokenAttrNames(caseOnly), want))
	case len(caseOnly) == 1:
		st = caseOnly[0]
		warn = tokenAttrCaseMessage(want, st.Name)
	case catalogNoField(t):
		// A catalog integration takes the token in its own field, not in an
		// attribute statement: name the field the admin sees.
		_, _, r := fail(fmt.Sprintf("the %s has no %s value (its token field in settings.app is missing or empty), "+
			"and no attribute statement is named %q either: Druva receives no token and rejects every sign-in. %s",
			t.App.IntegrationName(), tokenFieldLabel(t.Platform), want, tokenFieldHowTo(t.Platform)))
		*r = tokenFieldResult(t, *r)
		return nil, "", r
	default:
		return fail(tokenAttrMissingMessage(t, want, s.AttributeStatements))
	}
	name := st.Name
	switch {
	case st.Type == tokenAttrGroup:
		return fail(fmt.Sprintf("the %q statement is a group attribute statement (type GROUP): Okta sends the names of the user's groups that match its filter, never the token. Make it an ordinary (EXPRESSION) attribute statement", name))
	case st.Type != tokenAttrExpression:
		return fail(fmt.Sprintf("the %q statement has type %q, not EXPRESSION: Okta does not evaluate it as the token value", name, st.Type))
	case len(st.Values) == 0:
		return fail(fmt.Sprintf("the %q statement has no value: Druva receives no token", name))
	case len(st.Values) > 1:
		return fail(fmt.Sprintf("the %q statement has %d values: Druva needs exactly one, the quoted token", name, len(st.Values)))
	}
	return st, warn, nil
}

// tokenAttrCaseMessage is the warning for a token statement whose name
// differs from the expected one only by letter case.
func tokenAttrCaseMessage(want, got string) string {
	msg := fmt.Sprintf("the token attribute statement is named %q, which differs from the guide's %q only by letter case. ", got, want)
	if tokenAttrEqualASCIIFold(want, tokenAttrGuideCase) {
		msg += fmt.Sprintf("Druva's inSync GovCloud administrators' Okta article and its SSO FAQ spell it %q, so Druva may accept it, but no guide says Druva ignores letter case: use the guide's spelling, %q, to be sure", tokenAttrGuideCase, want)
	} else {
		msg += fmt.Sprintf("Druva may accept it, but no guide says Druva ignores letter case: use the expected spelling, %q, to be sure", want)
	}
	return msg
}

// tokenAttrMissingMessage explains a missing statement, naming the near
// misses an admin makes: another platform's name, or stray whitespace.
// (A name differing only by letter case is found by tokenAttrStatement.)
func tokenAttrMissingMessage(t *audit.Target, want string, sts []audit.AttributeStatement) string {
	msg := fmt.Sprintf("no attribute statement is named %q: Druva receives no token and rejects every sign-in", want)
	for _, st := range sts {
		if other := tokenAttrOtherPlatform(want, st.Name); other != "" {
			if t.PlatformNote() != "" {
				// The runner's note on the platform says which.
				return msg + fmt.Sprintf(". There is one named %q, the token attribute of the %s platforms", st.Name, other)
			}
			return msg + fmt.Sprintf(". There is one named %q, the token attribute of the %s platforms: the app was set up for another Druva platform, or this scan uses the wrong platform (--platform, or the platform key in druva.yaml)", st.Name, other)
		}
	}
	for _, st := range sts {
		if audit.FoldAttributeName(st.Name) == audit.FoldAttributeName(want) {
			var diffs []string
			if tokenAttrDropSpace(st.Name) != st.Name {
				diffs = append(diffs, "whitespace")
			}
			if tokenAttrDropSpace(st.Name) != want {
				diffs = append(diffs, "letter case")
			}
			how := strings.Join(diffs, " and ")
			return msg + fmt.Sprintf(". There is one named %q, which differs from it by %s: a typo, since no guide says Druva ignores %s in the name. Rename it %q", st.Name, how, how, want)
		}
	}
	return msg
}

// tokenAttrEqualASCIIFold reports whether a and b are equal ignoring ASCII
// letter case only (unlike strings.EqualFold, no Unicode folding: the
// Kelvin sign is not a k).
func tokenAttrEqualASCIIFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	lower := func(c byte) byte {
		if 'A' <= c && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// tokenAttrNames quotes the statements' names for a message.
func tokenAttrNames(sts []*audit.AttributeStatement) string {
	q := make([]string, len(sts))
	for i, st := range sts {
		q[i] = fmt.Sprintf("%q", st.Name)
	}
	return strings.Join(q, ", ")
}

func tokenAttrVerbS(n int) string {
	if n == 1 {
		return "s"
	}
	return ""
}

func tokenAttrPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// tokenAttrOtherPlatform names the platforms whose token attribute is name,
// when that is not want's.
func tokenAttrOtherPlatform(want, name string) string {
	var platforms []string
	for _, p := range audit.Platforms {
		if p.TokenAttribute != want && audit.FoldAttributeName(p.TokenAttribute) == audit.FoldAttributeName(name) {
			platforms = append(platforms, p.Name)
		}
	}
	return strings.Join(platforms, ", ")
}

// tokenAttrDropSpace drops whitespace and invisible format characters
// only.
func tokenAttrDropSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
}

// tokenAttrEvidence lists the statements by name and type, never by value
// (a value may hold the token).
func tokenAttrEvidence(t *audit.Target, s *audit.SAMLSettings) audit.Evidence {
	type stmt struct {
		Name   string `json:"name"`
		Type   string `json:"type"`
		Values int    `json:"values"`
	}
	want := t.Expect.TokenAttribute
	all := make([]stmt, 0, len(s.AttributeStatements))
	matching, caseOnly := 0, 0
	for _, st := range s.AttributeStatements {
		all = append(all, stmt{st.Name, st.Type, len(st.Values)})
		switch {
		case st.Name == want:
			matching++
		case want != "" && tokenAttrEqualASCIIFold(st.Name, want):
			caseOnly++
		}
	}
	ev := audit.Evidence{}.
		Add("expected", map[string]any{"name": want, "type": tokenAttrExpression, "values": 1}).
		Add("actual", slices.DeleteFunc(slices.Clone(all), func(x stmt) bool {
			return x.Name != want && (want == "" || !tokenAttrEqualASCIIFold(x.Name, want))
		})).
		Add("matching", matching)
	if caseOnly > 0 {
		ev = ev.Add("matching_ignoring_case", caseOnly)
	}
	return ev.Add("statements", all)
}
