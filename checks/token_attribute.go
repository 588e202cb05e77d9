package checks

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Okta's attribute statement types: a value expression, or a group filter.
const (
	tokenAttrExpression = "EXPRESSION"
	tokenAttrGroup      = "GROUP"
)

func init() {
	register(&audit.Rule{
		ID:       "okta.saml.token-attribute",
		Title:    "SAML assertion carries the Druva token attribute",
		Severity: audit.Critical,
		Rationale: "Druva accepts a SAML assertion only when it carries the SSO token generated in the Druva console, in " +
			"an attribute of the exact name Druva looks for (insync_auth_token for inSync, druva_auth_token for DCP). " +
			"A missing, misnamed, duplicated or group-type attribute means Druva rejects every sign-in.",
		Remediation: "1. Okta admin console: Applications > Applications > (the Druva app) > General > SAML Settings > Edit > Next.\n" +
			"2. Under Attribute Statements, keep exactly one statement named as Druva expects (insync_auth_token on " +
			"inSync platforms, druva_auth_token on DCP platforms; exact spelling, lower case, no spaces), with one value: " +
			"the token from the Druva console in straight double quotes. Remove duplicates, and any Group Attribute " +
			"Statement of that name.\n" +
			"3. Next > Finish.",
		Reference: "Druva guide, Configuring the Okta Druva App, step 4.5 (\"Under ATTRIBUTE STATEMENTS section, set Name: insync_auth_token\")",
		Needs:     []audit.Input{audit.InputApp},
		Check:     checkTokenAttribute,
	})
}

func checkTokenAttribute(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	st, res := tokenAttrStatement(t, s)
	if res != nil {
		return *res
	}
	return audit.Pass(fmt.Sprintf("one EXPRESSION attribute statement named %q, with one value", st.Name), tokenAttrEvidence(t, s))
}

// tokenValue returns the single value of the app's token attribute statement:
// what okta.saml.token-literal and cross.token-match read. When
// okta.saml.token-attribute would not pass, the result to report instead is
// a skip pointing at it (or samlSettings' own skip or error).
func tokenValue(t *audit.Target) (string, *audit.Result) {
	s, res := samlSettings(t)
	if res != nil {
		return "", res
	}
	st, res := tokenAttrStatement(t, s)
	if res != nil {
		if res.Status == audit.StatusError {
			return "", res
		}
		r := audit.Skip(fmt.Sprintf("the token attribute statement cannot be read as one value: see okta.saml.token-attribute (%s)", res.Message),
			audit.Evidence{}.Add("token_attribute", t.Expect.TokenAttribute))
		return "", &r
	}
	return st.Values[0], nil
}

// tokenAttrStatement finds the one usable token statement, or returns the
// result that says what is wrong with the statements.
func tokenAttrStatement(t *audit.Target, s *audit.SAMLSettings) (*audit.AttributeStatement, *audit.Result) {
	want := t.Expect.TokenAttribute
	ev := tokenAttrEvidence(t, s)
	if want == "" {
		r := audit.Error("no token attribute name is expected for this target (platform "+t.Platform+"): set expect.token_attribute in .ssoaudit.yaml", ev)
		return nil, &r
	}
	var found []*audit.AttributeStatement
	for i := range s.AttributeStatements {
		if s.AttributeStatements[i].Name == want {
			found = append(found, &s.AttributeStatements[i])
		}
	}
	switch len(found) {
	case 0:
		r := audit.Fail(tokenAttrMissingMessage(want, s.AttributeStatements), ev)
		return nil, &r
	case 1:
	default:
		r := audit.Fail(fmt.Sprintf("%d attribute statements are named %q: Druva needs exactly one token, and which one it reads is undefined", len(found), want), ev)
		return nil, &r
	}
	st := found[0]
	switch {
	case st.Type == tokenAttrGroup:
		r := audit.Fail(fmt.Sprintf("the %q statement is a group attribute statement (type GROUP): Okta sends the names of the user's groups that match its filter, never the token; make it an ordinary (EXPRESSION) attribute statement", want), ev)
		return nil, &r
	case st.Type != tokenAttrExpression:
		r := audit.Fail(fmt.Sprintf("the %q statement has type %q, not EXPRESSION: Okta does not evaluate it as the token value", want, st.Type), ev)
		return nil, &r
	case len(st.Values) == 0:
		r := audit.Fail(fmt.Sprintf("the %q statement has no value: Druva receives no token", want), ev)
		return nil, &r
	case len(st.Values) > 1:
		r := audit.Fail(fmt.Sprintf("the %q statement has %d values: Druva needs exactly one, the quoted token", want, len(st.Values)), ev)
		return nil, &r
	}
	return st, nil
}

// tokenAttrMissingMessage explains a missing statement, naming the near
// misses an admin makes: another platform's name, or a case or space typo.
func tokenAttrMissingMessage(want string, sts []audit.AttributeStatement) string {
	msg := fmt.Sprintf("no attribute statement is named %q: Druva receives no token and rejects every sign-in", want)
	for _, st := range sts {
		if other := tokenAttrOtherPlatform(want, st.Name); other != "" {
			return msg + fmt.Sprintf("; there is one named %q, the token attribute of the %s platforms: the app was set up for another Druva platform, or this scan uses the wrong platform (--platform, or platform: in druva.yaml)", st.Name, other)
		}
	}
	for _, st := range sts {
		if tokenAttrFold(st.Name) == tokenAttrFold(want) {
			return msg + fmt.Sprintf("; there is one named %q, which differs only in case or spaces: a typo (Druva matches the name exactly)", st.Name)
		}
	}
	return msg
}

// tokenAttrOtherPlatform names the platforms whose token attribute is name,
// when that is not want's.
func tokenAttrOtherPlatform(want, name string) string {
	var platforms []string
	for _, p := range audit.Platforms {
		if p.TokenAttribute != want && tokenAttrFold(p.TokenAttribute) == tokenAttrFold(name) {
			platforms = append(platforms, p.Name)
		}
	}
	return strings.Join(platforms, ", ")
}

// tokenAttrFold drops case and whitespace: the differences that make a typo.
func tokenAttrFold(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
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
	all := make([]stmt, 0, len(s.AttributeStatements))
	matching := 0
	for _, st := range s.AttributeStatements {
		all = append(all, stmt{st.Name, st.Type, len(st.Values)})
		if st.Name == t.Expect.TokenAttribute {
			matching++
		}
	}
	return audit.Evidence{}.
		Add("expected", map[string]any{"name": t.Expect.TokenAttribute, "type": tokenAttrExpression, "values": 1}).
		Add("actual", slices.DeleteFunc(slices.Clone(all), func(x stmt) bool { return x.Name != t.Expect.TokenAttribute })).
		Add("matching", matching).
		Add("statements", all)
}
