package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// tokenStatement returns the good snapshot's token attribute statement.
func tokenStatement(t *audit.Target) *audit.AttributeStatement {
	return &t.App.Settings.SignOn.AttributeStatements[0]
}

func tokenAttrAdd(st audit.AttributeStatement) func(*audit.Target) {
	return func(t *audit.Target) {
		t.App.Settings.SignOn.AttributeStatements = append(t.App.Settings.SignOn.AttributeStatements, st)
	}
}

func tokenAttrRename(name string) func(*audit.Target) {
	return func(t *audit.Target) { tokenStatement(t).Name = name }
}

func TestTokenAttribute(t *testing.T) {
	runCases(t, "okta.saml.token-attribute", append([]ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: `named "insync_auth_token"`, check: func(t *testing.T, r audit.Result) {
			if evidence(t, r, "matching") != 1 {
				t.Errorf("evidence: %s", evidenceString(r))
			}
		}},
		{name: "DCP platform with druva_auth_token", mutate: func(t *audit.Target) {
			t.Expect.TokenAttribute = "druva_auth_token"
			tokenStatement(t).Name = "druva_auth_token"
		}, want: audit.StatusPass},
		{name: "other statements beside it", mutate: tokenAttrAdd(audit.AttributeStatement{Type: "EXPRESSION", Name: "email", Values: []string{"user.email"}}),
			want: audit.StatusPass},
		{name: "no statements", mutate: func(t *audit.Target) { t.App.Settings.SignOn.AttributeStatements = nil },
			want: audit.StatusFail, message: `no attribute statement is named "insync_auth_token": Druva receives no token and rejects every sign-in`},
		{name: "other platform's name", mutate: tokenAttrRename("druva_auth_token"),
			want: audit.StatusFail, message: `. There is one named "druva_auth_token", the token attribute of the dcp, dcp-govcloud, dcp-dell, msc platforms`},
		{name: "inSync name on DCP", mutate: func(t *audit.Target) { t.Expect.TokenAttribute = "druva_auth_token" },
			want: audit.StatusFail, message: `one named "insync_auth_token", the token attribute of the insync-cloud, insync-govcloud, insync-onprem platforms`},
		// Druva's inSync GovCloud admins' Okta article spells it inSync_auth_token: Druva may match
		// the name case-insensitively, so a case difference is a warning.
		{name: "GovCloud guide's spelling", mutate: tokenAttrRename("inSync_auth_token"),
			want: audit.StatusWarn, message: `named "inSync_auth_token", which differs from the guide's "insync_auth_token" only by letter case. Druva's inSync GovCloud administrators' Okta article and its SSO FAQ spell it "inSync_auth_token", so Druva may accept it`,
			check: func(t *testing.T, r audit.Result) {
				if evidence(t, r, "matching") != 0 || evidence(t, r, "matching_ignoring_case") != 1 ||
					!strings.Contains(evidenceString(r), `"actual":[{"name":"inSync_auth_token"`) {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "case typo", mutate: tokenAttrRename("Insync_Auth_Token"),
			want: audit.StatusWarn, message: `named "Insync_Auth_Token", which differs from the guide's "insync_auth_token" only by letter case`},
		{name: "case typo on DCP", mutate: func(t *audit.Target) {
			t.Expect.TokenAttribute = "druva_auth_token"
			tokenStatement(t).Name = "Druva_Auth_Token"
		}, want: audit.StatusWarn, message: `use the expected spelling, "druva_auth_token", to be sure`,
			check: func(t *testing.T, r audit.Result) {
				if strings.Contains(r.Message, "GovCloud") {
					t.Errorf("the GovCloud guide is about inSync: %s", r.Message)
				}
			}},
		{name: "case typo, group statement", mutate: func(t *audit.Target) {
			tokenStatement(t).Name = "inSync_auth_token"
			tokenStatement(t).Type = "GROUP"
		}, want: audit.StatusFail, message: `the "inSync_auth_token" statement is a group attribute statement`},
		{name: "case typo, two values", mutate: func(t *audit.Target) {
			tokenStatement(t).Name = "inSync_auth_token"
			tokenStatement(t).Values = append(tokenStatement(t).Values, `"x"`)
		}, want: audit.StatusFail, message: `the "inSync_auth_token" statement has 2 values`},
		{name: "two case variants", mutate: func(t *audit.Target) {
			tokenStatement(t).Name = "inSync_auth_token"
			tokenAttrAdd(audit.AttributeStatement{Type: "EXPRESSION", Name: "INSYNC_AUTH_TOKEN", Values: []string{`"A-1-2-abc="`}})(t)
		}, want: audit.StatusFail, message: `no attribute statement is named exactly "insync_auth_token", and 2 differ from it only by letter case ("inSync_auth_token", "INSYNC_AUTH_TOKEN")`},
		{name: "exact name beside a case variant", mutate: tokenAttrAdd(audit.AttributeStatement{Type: "EXPRESSION", Name: "inSync_auth_token", Values: []string{`"A-1-2-abc="`}}),
			want: audit.StatusWarn, message: `but also "inSync_auth_token", which differs from it only by letter case`,
			check: func(t *testing.T, r audit.Result) {
				if evidence(t, r, "matching") != 1 || evidence(t, r, "matching_ignoring_case") != 1 {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "trailing space", mutate: tokenAttrRename("insync_auth_token "),
			want: audit.StatusFail, message: `There is one named "insync_auth_token ", which differs from it by whitespace: a typo`},
		{name: "space and case", mutate: tokenAttrRename("inSync_auth_token "),
			want: audit.StatusFail, message: "which differs from it by whitespace and letter case: a typo"},
		// Druva matches no other spelling, but the redaction layer and this
		// message share one idea of a token attribute's name
		// (audit.IsTokenAttribute): a Kelvin sign for the k is a near miss
		// whose value is hidden and whose name is pointed out.
		{name: "Unicode case folding is a near miss", mutate: tokenAttrRename("insync_auth_to\u212aen"),
			want: audit.StatusFail, message: "There is one named \"insync_auth_to\u212aen\", which differs from it by letter case: a typo"},
		{name: "invisible character", mutate: tokenAttrRename("insync_auth\u200b_token"),
			want: audit.StatusFail, message: `which differs from it by whitespace: a typo`},
		{name: "unrelated name", mutate: tokenAttrRename("auth_token"),
			want: audit.StatusFail, message: `no attribute statement is named "insync_auth_token": Druva receives no token and rejects every sign-in`,
			check: func(t *testing.T, r audit.Result) {
				if strings.Contains(r.Message, "There is one") {
					t.Errorf("unexpected near miss: %s", r.Message)
				}
			}},
		{name: "two statements", mutate: tokenAttrAdd(audit.AttributeStatement{Type: "EXPRESSION", Name: "insync_auth_token", Values: []string{`"A-1-2-abc="`}}),
			want: audit.StatusFail, message: `2 attribute statements are named "insync_auth_token"`,
			check: func(t *testing.T, r audit.Result) {
				if evidence(t, r, "matching") != 2 {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "group statement", mutate: func(t *audit.Target) { tokenStatement(t).Type = "GROUP" },
			want: audit.StatusFail, message: "group attribute statement (type GROUP)"},
		{name: "unknown type", mutate: func(t *audit.Target) { tokenStatement(t).Type = "" },
			want: audit.StatusFail, message: `has type "", not EXPRESSION`},
		{name: "no value", mutate: func(t *audit.Target) { tokenStatement(t).Values = nil },
			want: audit.StatusFail, message: "has no value"},
		{name: "two values", mutate: func(t *audit.Target) { tokenStatement(t).Values = append(tokenStatement(t).Values, `"x"`) },
			want: audit.StatusFail, message: "has 2 values"},
		{name: "no expected name", mutate: func(t *audit.Target) { t.Expect.TokenAttribute = "" },
			want: audit.StatusError, message: "expect.token_attribute"},
		{name: "catalog app: token in the integration's field", mutate: catalogToken(fixture.Token),
			want: audit.StatusPass, message: `the "Druva inSync" (catalog integration "druva") keeps the Druva token in its own field, settings.app.authToken`,
			check: func(t *testing.T, r audit.Result) { evidence(t, r, "catalog") }},
		{name: "catalog app: token field empty", mutate: catalogToken(""),
			want: audit.StatusFail, message: `the integration's token field (settings.app.authToken, "inSync Auth Token" in the admin console) is empty`,
			check: catalogFieldFix},
		{name: "catalog app: token field missing", mutate: chain(catalogToken(""), func(t *audit.Target) { t.App.Settings.App = map[string]string{"siteURL": "https://cloud.druva.com"} }),
			want: audit.StatusFail, message: `has no "inSync Auth Token" value (its token field in settings.app is missing or empty)`,
			check: func(t *testing.T, r audit.Result) {
				catalogFieldFix(t, r)
				if strings.HasPrefix(r.Message, "no attribute statement") {
					t.Errorf("message %q is about attribute statements", r.Message)
				}
			}},
		{name: "DCP catalog app: token field missing", mutate: chain(catalogToken(""), onPlatform("dcp"), func(t *audit.Target) { t.App.Settings.App = nil }),
			want: audit.StatusFail, message: `has no auth token value (its token field in settings.app is missing or empty), and no attribute statement is named "druva_auth_token" either`},
		{name: "catalog app: no token field, no statements sent", mutate: chain(catalogToken(""), func(t *audit.Target) {
			t.App.Settings.App = nil
			delete(t.App.Settings.SignOn.Sent, "attributeStatements")
		}), want: audit.StatusSkip, message: "Okta does not expose the attribute statements (where the Druva token goes)"},
		{name: "catalog app: no token field, statements without the token", mutate: chain(catalogToken(""), func(t *audit.Target) { t.App.Settings.App = nil }),
			want: audit.StatusFail, message: "its token field in settings.app is missing or empty"},
		{name: "catalog app: no token field, a statement of another platform's name", mutate: chain(catalogToken(""), func(t *audit.Target) {
			t.App.Settings.App = nil
			t.App.Settings.SignOn.AttributeStatements = []audit.AttributeStatement{{Type: "EXPRESSION", Name: "druva_auth_token", Values: []string{`"x"`}}}
		}), want: audit.StatusFail, message: `There is one named "druva_auth_token"`},
	}, samlAppCases()...))
}

// The evidence names statements and counts values, never shows a value.
func TestTokenAttributeEvidenceHidesValues(t *testing.T) {
	target := fixture.Good(t)
	tokenStatement(target).Values = append(tokenStatement(target).Values, `"second"`)
	r := audit.Evaluate(registry["okta.saml.token-attribute"], target)
	if s := evidenceString(r); strings.Contains(s, "A-48213") || strings.Contains(s, "second") {
		t.Errorf("evidence shows a value: %s", s)
	}
}

func TestTokenValue(t *testing.T) {
	target := fixture.Good(t)
	v, res := tokenValue(target)
	if res != nil || v.Value != `"`+fixture.Token+`"` || v.Field != "" {
		t.Fatalf("tokenValue = %v, %+v", v.Value == `"`+fixture.Token+`"`, res)
	}
	tokenStatement(target).Name = "inSync_auth_token"
	if v, res := tokenValue(target); res != nil || v.Value != `"`+fixture.Token+`"` {
		t.Errorf("a name differing only by letter case: tokenValue = %v, %+v", v.Value == `"`+fixture.Token+`"`, res)
	}
	tokenStatement(target).Type = "GROUP"
	if _, res := tokenValue(target); res == nil || res.Status != audit.StatusSkip || !strings.Contains(res.Message, "see okta.saml.token-attribute") {
		t.Errorf("GROUP statement: %+v", res)
	}
	target.App.Settings.SignOn = nil
	if _, res := tokenValue(target); res == nil || res.Status != audit.StatusError {
		t.Errorf("no settings: %+v", res)
	}
}

// catalogFieldFix asserts a catalog app's token-field finding says how to
// fill the field, not how to write an attribute statement.
func catalogFieldFix(t *testing.T, r audit.Result) {
	t.Helper()
	if !strings.Contains(r.Message, "Sign On > Edit") || !strings.Contains(r.Remediation, `into the "inSync Auth Token" field, bare, without quotes`) ||
		strings.Contains(r.Remediation, "Attribute Statements") {
		t.Errorf("message %q / remediation %q do not say how to set the catalog field", r.Message, r.Remediation)
	}
}
