package checks

import (
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"

	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:       "cross.token-match",
		Title:    "Okta sends the Druva console's current SSO token",
		Severity: audit.Critical,
		Rationale: "Druva accepts an assertion only when its token attribute holds the SSO token the console generated " +
			"last. Clicking Generate SSO Token in Druva invalidates the old one: unless the new token is pasted into " +
			"Okta too, every SSO sign-in fails, while each side looks correctly configured on its own.",
		Remediation: "1. Druva: inSync Management Console > Settings > Single Sign-On: copy the current SSO token (Copy). " +
			"Do not click Generate SSO Token unless you mean to rotate it.\n" +
			"2. Okta admin console: Applications > Applications > (the Druva app) > General > SAML Settings > Edit > Next > " +
			"Attribute Statements: set the token attribute's value to the token in straight double quotes > Next > Finish.\n" +
			"3. Record the token's fingerprint in druva.yaml as sso_token_sha256, without a trailing newline: " +
			"printf %s 'TOKEN' | sha256sum (keep the token itself out of files).\n" +
			"4. Rerun the scan.",
		Reference: "Druva guide, Configuring the Okta Druva App, steps 4.5 (\"Enter the auth token obtained from inSync Management " +
			"Console within quotation marks\") and 5 (\"Click Generate SSO Token … Click Copy and copy the token in the Okta system\")",
		Needs: []audit.Input{audit.InputApp, audit.InputConsole},
		Check: checkTokenMatch,
	})
}

// tokenMatchConsole is what the console says its current token is.
type tokenMatchConsole struct {
	sha256 string // lower-case hex
	prefix string // only when the token itself is recorded
	field  string // the druva.yaml key the fingerprint came from
}

func checkTokenMatch(t *audit.Target) audit.Result {
	con, res := tokenMatchConsoleToken(t)
	if res != nil {
		return *res
	}
	v, res := tokenValue(t)
	if res != nil {
		return *res
	}
	token, _, problem := parseLiteral(v)
	if token == "" {
		return audit.Skip("Okta's token attribute does not hold one string literal, so there is no token to compare: see okta.saml.token-literal",
			audit.Evidence{}.Add("console_sha256", con.sha256))
	}

	oktaSum := audit.Fingerprint(token)
	ev := audit.Evidence{}.
		Add("expected", con.sha256).
		Add("actual", oktaSum).
		Add("okta_prefix", audit.Prefix(token)).
		Add("okta_sha256", oktaSum).
		Add("console_sha256", con.sha256).
		Add("console_field", con.field)
	if con.prefix != "" {
		ev = ev.Add("console_prefix", con.prefix)
	}

	if oktaSum == con.sha256 {
		msg := "Okta sends the console's current SSO token (SHA-256 " + oktaSum[:16] + "…)"
		if problem != litOK {
			msg += "; okta.saml.token-literal reports a problem with how it is written"
		}
		return audit.Pass(msg, ev)
	}
	// A token that matches once stray whitespace or invisible characters are
	// gone is the right token, pasted badly: say so rather than "regenerated".
	if stripped := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || litInvisibleRune(r) {
			return -1
		}
		return r
	}, token); stripped != token && audit.Fingerprint(stripped) == con.sha256 {
		return audit.Fail("Okta's token is the console's current one only once the whitespace or invisible characters inside the quotes are removed: Druva receives it with them and rejects it (see okta.saml.token-literal)", ev)
	}
	return audit.Fail("Okta sends a token that is not the console's current one: the token was regenerated in Druva (Generate SSO Token) and not pasted into Okta, or vice versa", ev)
}

// tokenMatchConsoleToken reads the console's token fingerprint from
// druva.yaml: sso_token_sha256, or the hash of sso_token.
func tokenMatchConsoleToken(t *audit.Target) (tokenMatchConsole, *audit.Result) {
	fail := func(r audit.Result) (tokenMatchConsole, *audit.Result) { return tokenMatchConsole{}, &r }
	file := "druva.yaml"
	if t.Console.File != "" {
		file = t.Console.File
	}
	sso := t.Console.SSO
	if sso == nil {
		return fail(audit.Skip(file+" has no sso section: add the console's Single Sign-On settings, with sso_token_sha256, to compare tokens", nil))
	}
	if sso.SSOTokenSHA256 == nil && sso.SSOToken == nil {
		return fail(audit.Skip(file+" records no SSO token: add sso_token_sha256 (the hex SHA-256 of the console's current token) to the sso section to compare it with Okta's", nil))
	}

	var fromHash, fromToken *tokenMatchConsole
	if sso.SSOTokenSHA256 != nil {
		h := strings.ToLower(strings.TrimSpace(*sso.SSOTokenSHA256))
		if h == "" {
			return fail(audit.Fail(file+": sso_token_sha256 is present but empty: the console's current token is not recorded, so nothing proves Okta sends it. Record its SHA-256 there",
				audit.Evidence{}.Add("field", "sso_token_sha256")))
		}
		if b, err := hex.DecodeString(h); err != nil || len(b) != 32 {
			// Never echo the value: a token pasted into the wrong field is a secret.
			return fail(audit.Error(fmt.Sprintf("%s: sso_token_sha256 is not a SHA-256 (64 hex digits; it has %d characters): if it is the token itself, move it to sso_token or replace it with printf %%s 'TOKEN' | sha256sum",
				file, len(h)), audit.Evidence{}.Add("field", "sso_token_sha256").Add("length", len(h))))
		}
		fromHash = &tokenMatchConsole{sha256: h, field: "sso_token_sha256"}
	}
	if sso.SSOToken != nil {
		if sso.SSOToken.Empty() {
			return fail(audit.Fail(file+": sso_token is present but empty: the console's current token is not recorded, so nothing proves Okta sends it. Record sso_token_sha256 instead",
				audit.Evidence{}.Add("field", "sso_token")))
		}
		tok := sso.SSOToken.Reveal()
		fromToken = &tokenMatchConsole{sha256: audit.Fingerprint(tok), prefix: audit.Prefix(tok), field: "sso_token"}
	}

	switch {
	case fromHash != nil && fromToken != nil:
		if fromHash.sha256 != fromToken.sha256 {
			// The file contradicts itself: neither value can be trusted as the
			// console's current token, so nothing is concluded about Okta.
			return fail(audit.Error(file+": sso_token and sso_token_sha256 describe different tokens: cannot tell which is the console's current one. Keep only sso_token_sha256, of the token the console shows now",
				audit.Evidence{}.Add("sso_token_sha256", fromHash.sha256).Add("sso_token_prefix", fromToken.prefix).Add("sso_token_sha256_computed", fromToken.sha256)))
		}
		fromHash.prefix = fromToken.prefix
		return *fromHash, nil
	case fromHash != nil:
		return *fromHash, nil
	}
	return *fromToken, nil
}
