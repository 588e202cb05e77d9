package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// A token the console generated after the one Okta holds.
const tokenMatchNewToken = "A-48213-7731-Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5Pw=="

func tokenMatchSSO(f func(*audit.ConsoleSSO)) func(*audit.Target) {
	return func(t *audit.Target) { f(t.Console.SSO) }
}

// A token recorded wrongly in druva.yaml in a way that explains a mismatch
// (echo's newline, quotes, a hash in the token field) is an error, not a
// fail: the set-up may be fine, and what cannot be verified is the record,
// whose fix the remediation gives.
func TestTokenMatchRecordErrorsSayFixTheRecord(t *testing.T) {
	r := tokenMatchRecordError("m", nil)
	if r.Status != audit.StatusError || !strings.HasPrefix(r.Remediation, "Fix the record in druva.yaml") {
		t.Fatalf("%+v", r)
	}
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
				if _, ok := r.Evidence.Get("record_problem"); ok || strings.Contains(r.Message, "record is wrong") {
					t.Errorf("a real mismatch blamed on the record: %s %s", r.Message, evidenceString(r))
				}
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
		// The console's record is Okta's token written down wrongly: the
		// set-up may be fine, the record is not; never "regenerated".
		{name: "hash computed with echo", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = fixture.Ptr(audit.Fingerprint(fixture.Token + "\n"))
		}), want: audit.StatusError, message: "the console's sso_token_sha256 is the SHA-256 of Okta's token followed by a newline, not of the token itself (echo adds the line ending, printf %s does not)",
			check: tokenMatchRecordWrong("Okta's token followed by a newline")},
		{name: "hash with a Windows line ending", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = fixture.Ptr(audit.Fingerprint(fixture.Token + "\r\n"))
		}), want: audit.StatusError, message: `SHA-256 of Okta's token followed by a Windows line ending (\r\n)`,
			check: tokenMatchRecordWrong("Okta's token followed by a Windows line ending (\\r\\n)")},
		{name: "hash of the quoted token", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = fixture.Ptr(audit.Fingerprint(`"` + fixture.Token + `"`))
		}), want: audit.StatusError, message: "SHA-256 of Okta's token wrapped in double quotes, not of the token itself: ",
			check: tokenMatchRecordWrong("Okta's token wrapped in double quotes")},
		{name: "hash of the quoted token, with echo", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = fixture.Ptr(audit.Fingerprint(`'` + fixture.Token + "'\n"))
		}), want: audit.StatusError, message: "SHA-256 of Okta's token wrapped in single quotes and followed by a newline",
			check: tokenMatchRecordWrong("Okta's token wrapped in single quotes and followed by a newline")},
		{name: "hash with surrounding spaces", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = fixture.Ptr(audit.Fingerprint(" " + fixture.Token + " "))
		}), want: audit.StatusError, message: "SHA-256 of Okta's token preceded by a space and followed by a space",
			check: tokenMatchRecordWrong("Okta's token preceded by a space and followed by a space")},
		{name: "console token recorded in quotes", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = nil
			s.SSOToken = fixture.Ptr(audit.NewSecret(`"` + fixture.Token + `"`))
		}), want: audit.StatusError, message: "the console's sso_token is Okta's token wrapped in double quotes, not the bare token",
			check: tokenMatchRecordWrong("Okta's token wrapped in double quotes")},
		{name: "hash pasted as the token", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = nil
			s.SSOToken = fixture.Ptr(audit.NewSecret(audit.Fingerprint(fixture.Token)))
		}), want: audit.StatusError, message: "the console's sso_token holds 64 hex digits, a SHA-256 rather than a token: a hash was pasted into the wrong field. It is the SHA-256 of Okta's token, so the set-up may be fine, but the record is wrong",
			check: func(t *testing.T, r audit.Result) {
				if evidence(t, r, "record_problem") != "sso_token holds a SHA-256" {
					t.Errorf("evidence: %s", evidenceString(r))
				}
				if _, ok := r.Evidence.Get("console_prefix"); ok {
					t.Errorf("a hash has no token prefix: %s", evidenceString(r))
				}
			}},
		{name: "hash pasted as the token, in capitals, beside the same hash", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOToken = fixture.Ptr(audit.NewSecret(strings.ToUpper(audit.Fingerprint(fixture.Token))))
		}), want: audit.StatusError, message: "the same as sso_token_sha256, so the set-up may be fine, but the record is wrong: remove sso_token"},
		{name: "echo hash pasted as the token", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = nil
			s.SSOToken = fixture.Ptr(audit.NewSecret(audit.Fingerprint(fixture.Token + "\n")))
		}), want: audit.StatusError, message: "Read as a hash, it is the SHA-256 of Okta's token followed by a newline"},
		{name: "another token's hash pasted as the token", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOTokenSHA256 = nil
			s.SSOToken = fixture.Ptr(audit.NewSecret(audit.Fingerprint(tokenMatchNewToken)))
		}), want: audit.StatusFail, message: "Read as a hash, it is not the SHA-256 of Okta's token either"},
		{name: "hash pasted as the token, beside another hash", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOToken = fixture.Ptr(audit.NewSecret(audit.Fingerprint(tokenMatchNewToken)))
		}), want: audit.StatusError, message: "sso_token holds 64 hex digits, a SHA-256 rather than a token, and it is not the one in sso_token_sha256"},
		{name: "quoted token beside the bare token's hash", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOToken = fixture.Ptr(audit.NewSecret(`"` + fixture.Token + `"`))
		}), want: audit.StatusError, message: "cannot tell which is the console's current one, though sso_token seems to hold the token with quotes or whitespace around it, and sso_token_sha256 the SHA-256 of the bare token. Keep only sso_token_sha256"},
		{name: "token beside its echo hash", mutate: tokenMatchSSO(func(s *audit.ConsoleSSO) {
			s.SSOToken = fixture.Ptr(audit.NewSecret(fixture.Token))
			s.SSOTokenSHA256 = fixture.Ptr(audit.Fingerprint(fixture.Token + "\n"))
		}), want: audit.StatusError, message: "cannot tell which is the console's current one, though sso_token_sha256 is the SHA-256 of sso_token followed by a newline (echo adds the line ending, printf %s does not). Keep only sso_token_sha256"},
		{name: "name differs only by letter case", mutate: tokenAttrRename("inSync_auth_token"),
			want: audit.StatusPass, message: "Okta sends the console's current SSO token"},
		{name: "name differs only by letter case, regenerated", mutate: func(t *audit.Target) {
			tokenStatement(t).Name = "inSync_auth_token"
			t.Console.SSO.SSOTokenSHA256 = fixture.Ptr(audit.Fingerprint(tokenMatchNewToken))
		}, want: audit.StatusFail, message: "the token was regenerated in Druva"},
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
		{name: "catalog app: the integration's field holds the current token", mutate: catalogToken(fixture.Token),
			want: audit.StatusPass, message: "Okta sends the console's current SSO token"},
		{name: "catalog app: the current token in quotes", mutate: catalogToken(`"` + fixture.Token + `"`),
			want: audit.StatusFail, message: "holds the console's current token, but with quotes or whitespace around it"},
		{name: "catalog app: the current token in typographic quotes", mutate: catalogToken("“" + fixture.Token + "”"),
			want: audit.StatusFail, message: "holds the console's current token, but with quotes or whitespace around it"},
		{name: "catalog app: the current token in single typographic quotes and spaces", mutate: catalogToken(" ‘" + fixture.Token + "’ "),
			want: audit.StatusFail, message: "holds the console's current token, but with quotes or whitespace around it"},
		{name: "catalog app: empty token field", mutate: catalogToken(""),
			want: audit.StatusSkip, message: `(catalog integration "druva")'s token field (settings.app.authToken) is empty, so there is no token to compare`},
		{name: "catalog app: another token", mutate: catalogToken(tokenMatchNewToken),
			want: audit.StatusFail, message: "Okta sends a token that is not the console's current one", check: hidesNew},
	})
}

// tokenMatchRecordWrong asserts a result blames the console's record, not the
// set-up: it says the set-up may be fine, how to recompute the fingerprint,
// and never that the token was regenerated.
func tokenMatchRecordWrong(problem string) func(*testing.T, audit.Result) {
	return func(t *testing.T, r audit.Result) {
		t.Helper()
		for _, want := range []string{"the set-up may be fine, but the record is wrong", "printf %s 'TOKEN' | sha256sum"} {
			if !strings.Contains(r.Message, want) {
				t.Errorf("message %q does not contain %q", r.Message, want)
			}
		}
		if strings.Contains(r.Message, "regenerated") {
			t.Errorf("message blames a regenerated token: %s", r.Message)
		}
		if evidence(t, r, "record_problem") != problem {
			t.Errorf("evidence: %s", evidenceString(r))
		}
	}
}
