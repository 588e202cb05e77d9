package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/fixture"
)

// A token the console generated after the one Okta holds.
const tokenMatchNewToken = "A-48213-7731-Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5Pw=="

func tokenMatchSSO(f func(*audit.ConsoleSSO)) func(*audit.Target) {
	return func(t *audit.Target) { f(t.Console.SSO) }
}

func TestTokenMatch(t *testing.T) {
	hidesNew := literalHides(tokenMatchNewToken)
	runCases(t, "cross.token-match", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "Okta sends the console's current SSO token", check: func(t *testing.T, r audit.Result) {
			if evidence(t, r, "okta_sha256") != audit.Fingerprint(fixture.Token) || evidence(t, r, "console_field") != "sso_token_sha256" {
				t.Errorf("evidence: %s", evidenceString(r))
			}
		}},
		{name: "upper-case hash", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = fixture.Ptr(strings.ToUpper(audit.Fingerprint(fixture.Token)))
		}), want: audit.StatusPass},
		{name: "token instead of hash", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = nil
			s.SSOToken = fixture.Ptr(audit.NewSecret(fixture.Token))
		}), want: audit.StatusPass, check: func(t *testing.T, r audit.Result) {
			if evidence(t, r, "console_prefix") != "A-4821" || evidence(t, r, "console_field") != "sso_token" {
				t.Errorf("evidence: %s", evidenceString(r))
			}
		}},
		{name: "hash and token agree", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOToken = fixture.Ptr(audit.NewSecret(fixture.Token))
		}), want: audit.StatusPass},
		{name: "single-quoted literal", mutate: literalValue(`'` + fixture.Token + `'`), want: audit.StatusPass},
		{name: "whitespace outside the literal", mutate: literalValue(" \"" + fixture.Token + "\" "),
			want: audit.StatusPass, message: "okta.saml.token-literal reports a problem"},
		{name: "console regenerated the token", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = fixture.Ptr(audit.Fingerprint(tokenMatchNewToken))
		}), want: audit.StatusFail, message: "the token was regenerated in Druva (Generate SSO Token) and not pasted into Okta, or vice versa",
			check: func(t *testing.T, r audit.Result) {
				if evidence(t, r, "console_sha256") != audit.Fingerprint(tokenMatchNewToken) || evidence(t, r, "okta_prefix") != "A-4821" {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "Okta holds another token", mutate: literalValue(`"` + tokenMatchNewToken + `"`),
			want: audit.StatusFail, message: "not the console's current one", check: hidesNew},
		{name: "console token recorded, mismatch", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = nil
			s.SSOToken = fixture.Ptr(audit.NewSecret(tokenMatchNewToken))
		}), want: audit.StatusFail, message: "not the console's current one", check: func(t *testing.T, r audit.Result) {
			hidesNew(t, r)
			if evidence(t, r, "console_prefix") != "A-4821" {
				t.Errorf("evidence: %s", evidenceString(r))
			}
		}},
		{name: "right token with a space inside", mutate: literalValue(`"` + fixture.Token[:20] + ` ` + fixture.Token[20:] + `"`),
			want: audit.StatusFail, message: "only once the whitespace or invisible characters inside the quotes are removed"},
		{name: "hash and token disagree", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOToken = fixture.Ptr(audit.NewSecret(tokenMatchNewToken))
		}), want: audit.StatusError, message: "sso_token and sso_token_sha256 describe different tokens", check: hidesNew},
		{name: "empty hash", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) { s.SSOTokenSHA256 = fixture.Ptr("") }),
			want: audit.StatusFail, message: "sso_token_sha256 is present but empty"},
		{name: "empty token", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = nil
			s.SSOToken = fixture.Ptr(audit.NewSecret(""))
		}), want: audit.StatusFail, message: "sso_token is present but empty"},
		{name: "token pasted as the hash", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) { s.SSOTokenSHA256 = fixture.Ptr(fixture.Token) }),
			want: audit.StatusError, message: "sso_token_sha256 is not a SHA-256 (64 hex digits; it has 57 characters)"},
		{name: "no token recorded", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) { s.SSOTokenSHA256 = nil }),
			want: audit.StatusSkip, message: "add sso_token_sha256"},
		{name: "no sso section", mutate: func(t *audit.Target) { t.Console.SSO = nil },
			want: audit.StatusSkip, message: "has no sso section"},
		{name: "Okta literal unparsable", mutate: literalValue(fixture.Token),
			want: audit.StatusSkip, message: "see okta.saml.token-literal"},
		{name: "empty literal", mutate: literalValue(`""`),
			want: audit.StatusSkip, message: "see okta.saml.token-literal"},
		{name: "no token statement", mutate: func(t *audit.Target) { t.App.Settings.SignOn.AttributeStatements = nil },
			want: audit.StatusSkip, message: "see okta.saml.token-attribute"},
		{name: "not a SAML app", mutate: func(t *audit.Target) { t.App.SignOnMode = "BROWSER_PLUGIN" },
			want: audit.StatusSkip, message: "see okta.app.saml-active"},
		{name: "druva.yaml absent", mutate: missing(audit.InputConsole),
			want: audit.StatusSkip, message: "druva.yaml (the Druva console settings) not available"},
		{name: "druva.yaml invalid", mutate: failed(audit.InputConsole),
			want: audit.StatusError, message: "could not read druva.yaml"},
		{name: "app.json unreadable", mutate: failed(audit.InputApp),
			want: audit.StatusError, message: "could not read okta/app.json"},
	})
}
