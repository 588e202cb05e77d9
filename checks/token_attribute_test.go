package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/fixture"
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
			want: audit.StatusFail, message: `there is one named "druva_auth_token", the token attribute of the dcp, dcp-govcloud, dcp-dell platforms`},
		{name: "inSync name on DCP", mutate: func(t *audit.Target) { t.Expect.TokenAttribute = "druva_auth_token" },
			want: audit.StatusFail, message: `one named "insync_auth_token", the token attribute of the insync-cloud, insync-govcloud, insync-onprem platforms`},
		{name: "case typo", mutate: tokenAttrRename("Insync_Auth_Token"),
			want: audit.StatusFail, message: `one named "Insync_Auth_Token", which differs only in case or spaces`},
		{name: "trailing space", mutate: tokenAttrRename("insync_auth_token "),
			want: audit.StatusFail, message: "differs only in case or spaces"},
		{name: "unrelated name", mutate: tokenAttrRename("auth_token"),
			want: audit.StatusFail, message: `no attribute statement is named "insync_auth_token": Druva receives no token and rejects every sign-in`,
			check: func(t *testing.T, r audit.Result) {
				if strings.Contains(r.Message, "there is one") {
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
	if res != nil || v != `"`+fixture.Token+`"` {
		t.Fatalf("tokenValue = %v, %+v", v == `"`+fixture.Token+`"`, res)
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
