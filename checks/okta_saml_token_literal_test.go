package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// literalValue sets the token attribute's value.
func literalValue(v string) func(*audit.Target) {
	return func(t *audit.Target) { tokenStatement(t).Values = []string{v} }
}

// literalHides asserts a result shows none of the token beyond its prefix.
func literalHides(token string) func(*testing.T, audit.Result) {
	return func(t *testing.T, r audit.Result) {
		t.Helper()
		secret := token[6:] // what may never be shown (the prefix may)
		if strings.Contains(r.Message, secret) || strings.Contains(evidenceString(r), secret) {
			t.Errorf("result reveals the token: %s %s", r.Message, evidenceString(r))
		}
	}
}

func TestTokenLiteral(t *testing.T) {
	tok := fixture.Token
	hides := literalHides(tok)
	runCases(t, "okta.saml.token-literal", append([]ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "one double-quoted string literal", check: func(t *testing.T, r audit.Result) {
			if evidence(t, r, "prefix") != "A-4821" || evidence(t, r, "sha256") != audit.Fingerprint(tok) ||
				evidence(t, r, "quote") != `"` || evidence(t, r, "actual") != `"…"` {
				t.Errorf("evidence: %s", evidenceString(r))
			}
		}},
		{name: "single quotes", mutate: literalValue(`'` + tok + `'`),
			want: audit.StatusPass, message: "one single-quoted string literal"},
		{name: "token of another shape", mutate: literalValue(`"dcp_Zm9vYmFyYmF6cXV4"`),
			want: audit.StatusWarn, message: "does not look like the guide's A-<digits>-<digits>-<base64>",
			check: literalHides("dcp_Zm9vYmFyYmF6cXV4")},
		{name: "unquoted", mutate: literalValue(tok),
			want: audit.StatusFail, message: "the value has no quotes: Okta evaluates the value as an expression and Druva never receives the token",
			check: func(t *testing.T, r audit.Result) {
				// The candidate is the token: its fingerprint lets the admin compare it with the console's.
				if evidence(t, r, "candidate_sha256") != audit.Fingerprint(tok) || evidence(t, r, "actual") != "…" {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "guide's curly quotes", mutate: literalValue("“" + tok + "”"),
			want: audit.StatusFail, message: "the value contains the typographic quote “ (U+201C)",
			check: func(t *testing.T, r audit.Result) {
				if !strings.HasSuffix(r.Message, `retype them as straight double quotes (")`) {
					t.Errorf("message ends badly: %s", r.Message)
				}
				if evidence(t, r, "actual") != "“…”" || evidence(t, r, "candidate_sha256") != audit.Fingerprint(tok) {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "closing curly quote only", mutate: literalValue(`"` + tok + "”"),
			want: audit.StatusFail, message: "typographic quote ” (U+201D)"},
		{name: "no closing quote", mutate: literalValue(`"` + tok),
			want: audit.StatusFail, message: "opens with a double quote (\") but never closes it"},
		{name: "no opening quote", mutate: literalValue(tok + `"`),
			want: audit.StatusFail, message: "ends with a double quote (\") but does not start with one"},
		{name: "mismatched quotes", mutate: literalValue(`"` + tok + `'`),
			want: audit.StatusFail, message: "opens with a double quote (\") and ends with a single quote (')"},
		{name: "concatenation", mutate: literalValue(`"` + tok[:20] + `" + "` + tok[20:] + `"`),
			want: audit.StatusFail, message: "joins several quoted strings with +",
			check: func(t *testing.T, r audit.Result) {
				hides(t, r)
				if evidence(t, r, "actual") != `"…" + "…"` {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "text after the quotes", mutate: literalValue(`"` + tok + `" x`),
			want: audit.StatusFail, message: "text outside the quotes"},
		{name: "text before the quotes", mutate: literalValue(`token="` + tok + `"`),
			want: audit.StatusFail, message: "text outside the quotes"},
		{name: "stray quote inside", mutate: literalValue(`"` + tok[:20] + `"` + tok[20:] + `"`),
			want: audit.StatusFail, message: "has a double quote (\") inside it", check: hides},
		{name: "backslash-escaped quote", mutate: literalValue(`"` + tok[:20] + `\"` + tok[20:] + `"`),
			want: audit.StatusFail, message: "after a backslash: Okta's expression language has no backslash escapes", check: hides},
		{name: "single quote inside double quotes", mutate: literalValue(`"` + tok[:20] + `'` + tok[20:] + `"`),
			want: audit.StatusFail, message: "the token contains a quote character", check: hides},
		{name: "doubled quote", mutate: literalValue(`"` + tok[:20] + `""` + tok[20:] + `"`),
			want: audit.StatusFail, message: "doubled double quote (\"\")", check: hides},
		{name: "empty literal", mutate: literalValue(`""`),
			want: audit.StatusFail, message: "the literal is empty (\"\")"},
		{name: "blank value", mutate: literalValue("  "),
			want: audit.StatusFail, message: "empty or only whitespace"},
		{name: "backslash", mutate: literalValue(`"` + tok[:20] + `\` + tok[20:] + `"`),
			want: audit.StatusFail, message: "the token contains a backslash", check: hides},
		{name: "line break", mutate: literalValue("\"" + tok[:30] + "\n" + tok[30:] + "\""),
			want: audit.StatusFail, message: "line break inside the quotes", check: func(t *testing.T, r audit.Result) {
				hides(t, r)
				if evidence(t, r, "actual") != `"…\n…"` {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "leading space inside", mutate: literalValue(`" ` + tok + `"`),
			want: audit.StatusFail, message: "whitespace at the start of the token, just after the opening quote"},
		{name: "trailing space inside", mutate: literalValue(`"` + tok + ` "`),
			want: audit.StatusFail, message: "whitespace at the end of the token, just before the closing quote"},
		{name: "space in the middle", mutate: literalValue(`"` + tok[:20] + ` ` + tok[20:] + `"`),
			want: audit.StatusFail, message: "the token contains a space (U+0020) in the middle", check: hides},
		{name: "no-break space in the middle", mutate: literalValue("\"" + tok[:20] + "\u00a0" + tok[20:] + "\""),
			want: audit.StatusFail, message: "the token contains a no-break space (U+00A0) in the middle", check: hides},
		{name: "zero-width space", mutate: literalValue("\"" + tok[:20] + "\u200b" + tok[20:] + "\""),
			want: audit.StatusFail, message: "invisible or control character (U+200B)", check: hides},
		{name: "no-break space before the quotes", mutate: literalValue("\u00a0\"" + tok + "\""),
			want: audit.StatusFail, message: "the value has a no-break space (U+00A0) outside its quotes: Okta's expression language skips only spaces, tabs and line breaks", check: hides},
		{name: "ideographic space after the quotes", mutate: literalValue("\"" + tok + "\"\u3000"),
			want: audit.StatusFail, message: "outside its quotes: Okta's expression language skips only", check: hides},
		{name: "space, tab, CR, LF outside the quotes", mutate: literalValue(" \t\"" + tok + "\"\r\n"),
			want: audit.StatusPass, message: "which Okta's expression language skips"},
		{name: "whitespace outside the quotes", mutate: literalValue(" \"" + tok + "\"\n"),
			want: audit.StatusPass, message: "with spaces or line breaks around it", check: func(t *testing.T, r audit.Result) {
				if evidence(t, r, "sha256") != audit.Fingerprint(tok) {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "name differs only by letter case", mutate: tokenAttrRename("inSync_auth_token"),
			want: audit.StatusPass, message: "one double-quoted string literal"},
		{name: "name differs only by letter case, unquoted", mutate: func(t *audit.Target) {
			tokenStatement(t).Name = "INSYNC_AUTH_TOKEN"
			tokenStatement(t).Values = []string{tok}
		}, want: audit.StatusFail, message: "the value has no quotes"},
		{name: "group statement", mutate: func(t *audit.Target) { tokenStatement(t).Type = "GROUP" },
			want: audit.StatusSkip, message: "see okta.saml.token-attribute"},
		{name: "two values", mutate: func(t *audit.Target) { tokenStatement(t).Values = append(tokenStatement(t).Values, `"x"`) },
			want: audit.StatusSkip, message: "see okta.saml.token-attribute"},
		{name: "no token statement", mutate: tokenAttrRename("druva_auth_token"),
			want: audit.StatusSkip, message: "see okta.saml.token-attribute"},
		{name: "catalog app: bare token in the integration's field", mutate: catalogToken(tok),
			want: audit.StatusPass, message: "holds the token bare, as a plain field must", check: hides},
		{name: "catalog app: quoted token in a plain field", mutate: catalogToken(`"` + tok + `"`),
			want: audit.StatusFail, message: "holds the token in quotes: unlike an attribute statement it is a plain value, not an expression, so Okta sends the quotes too", check: hides},
		{name: "catalog app: empty token field", mutate: catalogToken(""),
			want: audit.StatusFail, message: "is empty: Druva receives no token. Set it:", check: catalogFieldFix},
		{name: "catalog app: token in typographic quotes", mutate: catalogToken("“" + tok + "”"),
			want: audit.StatusFail, message: "holds the token in quotes, including the typographic quote “ (U+201C)", check: hides},
		{name: "catalog app: space after the token", mutate: catalogToken(tok + " "),
			want: audit.StatusFail, message: "has whitespace or a line break in or around the token", check: hides},
		{name: "catalog app: token of another shape", mutate: catalogToken("dcp_Zm9vYmFyYmF6cXV4"),
			want: audit.StatusWarn, message: "does not look like the guide's"},
	}, samlAppCases()...))
}

// Every message of the rule ends cleanly, on a word or a closing bracket:
// never a dangling quote, colon or comma.
func TestTokenLiteralMessagesEndCleanly(t *testing.T) {
	values := []string{"“x”", `'x"`, "x", `"x`, `x"`, `"a" + "b"`, `"x" y`, `"a\"b"`, `"a"b"`, `"a'b"`, `"a""b"`, `""`, " ", `"a\b"`,
		"\"a\nb\"", `" x"`, `"x "`, `"a b"`, "\"a\u200bb\"", "\u00a0\"x\"", ` "x" `}
	seen := map[literalProblem]bool{}
	for _, v := range values {
		_, quote, p := parseLiteral(v)
		seen[p] = true
		msg := literalMessage(v, quote, p)
		if msg == "" || strings.ContainsAny(msg[len(msg)-1:], `"':;,-`) || strings.Contains(msg, "problem ") {
			t.Errorf("%q (problem %d): message ends badly: %q", v, p, msg)
		}
	}
	for p := litOK + 1; p <= litOuterSpace; p++ {
		if !seen[p] {
			t.Errorf("no value exercises problem %d", p)
		}
	}
}

// The token rules cite the catalog app's pages only for a catalog app.
func TestTokenReferencesCatalogPagesOnlyForCatalogApps(t *testing.T) {
	for _, id := range []string{"okta.saml.token-attribute", "okta.saml.token-literal"} {
		rule, _ := Lookup(id)
		for _, c := range []struct {
			name    string
			mutate  func(*audit.Target)
			catalog bool
		}{
			{"custom app", func(*audit.Target) {}, false},
			{"custom app, unquoted token", func(t *audit.Target) { tokenStatement(t).Values = []string{fixture.Token} }, false},
			{"catalog app", catalogToken(fixture.Token), true},
			{"catalog app, empty field", catalogToken(""), true},
		} {
			target := fixture.Good(t)
			c.mutate(target)
			r := audit.Evaluate(rule, target)
			if got := strings.Contains(r.Reference, "saml-doc.okta.com"); got != c.catalog {
				t.Errorf("%s, %s: reference cites the catalog pages: %v, want %v (%s)", id, c.name, got, c.catalog, r.Reference)
			}
			if !strings.HasPrefix(r.Reference, "Druva guide, Configuring the Okta Druva App, step 4.5") {
				t.Errorf("%s, %s: reference %q", id, c.name, r.Reference)
			}
		}
	}
}

// Rules' remediations name the Druva console's SSO page one way, and none
// sends the reader of ssoaudit explain RULE to that same command.
func TestRemediationConsolePaths(t *testing.T) {
	for _, r := range All() {
		if strings.Contains(r.Remediation, "Console > Druva Cloud Settings >") {
			t.Errorf("%s: remediation uses the Druva Cloud Settings path: %s", r.ID, r.Remediation)
		}
		if strings.Contains(r.Remediation, "ssoaudit explain "+r.ID) {
			t.Errorf("%s: remediation refers to its own explain", r.ID)
		}
	}
}
