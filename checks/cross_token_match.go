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
		Reference: "Druva guide, Configuring the Okta Druva App, steps 4.5 (\"Enter the auth token obtained from inSync Management " +
			"Console within quotation marks\") and 5 (\"Click Generate SSO Token … Click Copy and copy the token in the Okta system\")",
		Location: audit.Location{Input: audit.InputApp, Key: "settings.signOn.attributeStatements"},
		Needs:    []audit.Input{audit.InputApp, audit.InputConsole},
		Check:    checkTokenMatch,
	})
}

// tokenMatchConsole is what the console says its current token is.
type tokenMatchConsole struct {
	sha256 string // lower-case hex
	prefix string // only when the token itself is recorded
	field  string // the druva.yaml key the fingerprint came from
	// hashAsToken: sso_token holds 64 hex digits, a SHA-256 pasted into the
	// wrong field; sha256 is then that value read as a hash.
	hashAsToken bool
	// token: sso_token holds a token (not a hash); sha256 is its hash.
	token bool
}

func checkTokenMatch(t *audit.Target) audit.Result {
	con, res := tokenMatchConsoleToken(t)
	if res != nil {
		return *res
	}
	src, res := tokenValue(t)
	if res != nil {
		return *res
	}
	token, _, problem := parseLiteral(src.Value)
	if src.Field != "" {
		// A plain field: Okta sends it as is, so that is the token Druva gets.
		token, problem = src.Value, litOK
		if tokenFieldProblem(t, src.Field, src.Value) != "" {
			problem = litOutside
		}
	}
	if token == "" && src.Field != "" {
		return audit.Skip(fmt.Sprintf("the %s's token field (settings.app.%s) is empty, so there is no token to compare: see okta.saml.token-literal",
			t.App.IntegrationName(), src.Field), audit.Evidence{}.Add("console_sha256", con.sha256))
	}
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

	// A hash in the token field is never a pass, even when it is Okta's
	// token's: the record is malformed.
	if con.hashAsToken {
		msg := "the console's sso_token holds 64 hex digits, a SHA-256 rather than a token: a hash was pasted into the wrong field. "
		desc := tokenMatchRecordVariant(token, con.sha256)
		switch {
		case oktaSum == con.sha256 && con.field == "sso_token_sha256":
			msg += "It is the SHA-256 of Okta's token and the same as sso_token_sha256, so the set-up may be fine, but the record is wrong: remove sso_token"
		case oktaSum == con.sha256:
			msg += "It is the SHA-256 of Okta's token, so the set-up may be fine, but the record is wrong and this scan cannot confirm it. " +
				"Move the value to sso_token_sha256 and remove sso_token"
		case desc != "":
			msg += "Read as a hash, it is the SHA-256 of " + desc + ", not of the token itself, so the set-up may be fine, but the record is wrong twice over. " +
				"Remove sso_token and record sso_token_sha256 from the token the console shows: printf %s 'TOKEN' | sha256sum"
		default:
			msg += "Read as a hash, it is not the SHA-256 of Okta's token either: move it to sso_token_sha256, and if it was taken from the console's current token, " +
				"the token was regenerated in Druva (Generate SSO Token) and not pasted into Okta, or vice versa"
		}
		ev = ev.Add("record_problem", "sso_token holds a SHA-256")
		if oktaSum == con.sha256 || desc != "" {
			// The set-up may be fine: what cannot be verified is the record.
			return tokenMatchRecordError(msg, ev)
		}
		return audit.Fail(msg, ev)
	}
	if src.Field != "" && oktaSum != con.sha256 && audit.Fingerprint(strings.Trim(strings.TrimSpace(token), `"'`+litTypographicQuotes)) == con.sha256 {
		// Typographic quotes are quotes too: the token inside is current.
		return audit.Fail(fmt.Sprintf("the %s's token field (settings.app.%s) holds the console's current token, but with quotes or whitespace around it: the field is sent as is, so Druva receives them and rejects the token (see okta.saml.token-literal)",
			t.App.IntegrationName(), src.Field), ev)
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
	// The console's record may hold Okta's token itself, written down wrongly:
	// hashed with a trailing newline (echo), or with quotes or whitespace.
	// Then the set-up may well be fine and only the record is wrong.
	if desc := tokenMatchRecordVariant(token, con.sha256); desc != "" {
		var msg string
		if con.token {
			msg = fmt.Sprintf("the console's sso_token is %s, not the bare token: ", desc)
		} else {
			msg = fmt.Sprintf("the console's sso_token_sha256 is the SHA-256 of %s, not of the token itself%s: ", desc, tokenMatchEchoNote(desc))
		}
		msg += "Okta's token is most likely the console's current one, so the set-up may be fine, but the record is wrong and this scan cannot confirm it. " +
			"Record the fingerprint of the token exactly as the console shows it, with no quotes, spaces or line break: printf %s 'TOKEN' | sha256sum (as sso_token_sha256)"
		return tokenMatchRecordError(msg, ev.Add("record_problem", desc))
	}
	return audit.Fail("Okta sends a token that is not the console's current one: the token was regenerated in Druva (Generate SSO Token) and not pasted into Okta, or vice versa", ev)
}

// tokenMatchEchoNote names the usual cause of a trailing newline in a hash.
func tokenMatchEchoNote(desc string) string {
	if strings.Contains(desc, "newline") || strings.Contains(desc, "line ending") {
		return " (echo adds the line ending, printf %s does not)"
	}
	return ""
}

// tokenMatchRecordVariant says how the console's recorded sum was computed
// from token written down wrongly — followed by a newline or \r\n (echo
// rather than printf %s), wrapped in quotes, with surrounding whitespace —
// or "" when it is no such variant of it.
func tokenMatchRecordVariant(token, sum string) string {
	quotes := []struct{ q, desc string }{
		{"", ""},
		{`"`, "wrapped in double quotes"},
		{`'`, "wrapped in single quotes"},
	}
	leads := []struct{ s, desc string }{
		{"", ""},
		{" ", "preceded by a space"},
		{"\t", "preceded by a tab"},
	}
	trails := []struct{ s, desc string }{
		{"", ""},
		{"\n", "followed by a newline"},
		{"\r\n", "followed by a Windows line ending (\\r\\n)"},
		{" ", "followed by a space"},
		{" \n", "followed by a space and a newline"},
		{"\t", "followed by a tab"},
		{"\n\n", "followed by two newlines"},
	}
	for _, q := range quotes {
		for _, l := range leads {
			for _, tr := range trails {
				if q.q == "" && l.s == "" && tr.s == "" {
					continue
				}
				if audit.Fingerprint(l.s+q.q+token+q.q+tr.s) != sum {
					continue
				}
				var parts []string
				for _, d := range []string{q.desc, l.desc, tr.desc} {
					if d != "" {
						parts = append(parts, d)
					}
				}
				return "Okta's token " + strings.Join(parts, " and ")
			}
		}
	}
	return ""
}

// tokenMatchBare strips surrounding whitespace and one pair of matching
// straight quotes (and whitespace inside them) from a recorded token.
func tokenMatchBare(tok string) string {
	b := strings.TrimSpace(tok)
	if len(b) >= 2 && (b[0] == '"' || b[0] == '\'') && b[len(b)-1] == b[0] {
		b = strings.TrimSpace(b[1 : len(b)-1])
	}
	return b
}

// tokenMatchIsSHA256 reports whether s (lower case) is 64 hex digits.
func tokenMatchIsSHA256(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32
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
		return fail(audit.SkipAbsent(audit.InputConsole, file+" has no sso section: add the console's Single Sign-On settings, with sso_token_sha256, to compare tokens", nil))
	}
	if sso.SSOTokenSHA256 == nil && sso.SSOToken == nil {
		return fail(audit.SkipAbsent(audit.InputConsole, file+" records no SSO token: add sso_token_sha256 (the hex SHA-256 of the console's current token) to the sso section to compare it with Okta's", nil))
	}

	var fromHash, fromToken *tokenMatchConsole
	if sso.SSOTokenSHA256 != nil {
		h := strings.ToLower(strings.TrimSpace(*sso.SSOTokenSHA256))
		if h == "" {
			return fail(audit.Fail(file+": sso_token_sha256 is present but empty: the console's current token is not recorded, so nothing proves Okta sends it. Record its SHA-256 there",
				audit.Evidence{}.Add("field", "sso_token_sha256")))
		}
		if !tokenMatchIsSHA256(h) {
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
		if h := strings.ToLower(strings.TrimSpace(tok)); tokenMatchIsSHA256(h) {
			// A hash pasted into the token field: read it as the hash it is,
			// and let the check say so.
			fromToken = &tokenMatchConsole{sha256: h, field: "sso_token", hashAsToken: true}
		} else {
			fromToken = &tokenMatchConsole{sha256: audit.Fingerprint(tok), prefix: audit.Prefix(tok), field: "sso_token", token: true}
		}
	}

	switch {
	case fromHash != nil && fromToken != nil:
		if fromHash.sha256 != fromToken.sha256 {
			// The file contradicts itself: neither value can be trusted as the
			// console's current token, so nothing is concluded about Okta.
			ev := audit.Evidence{}.Add("sso_token_sha256", fromHash.sha256)
			if fromToken.hashAsToken {
				return fail(audit.Error(file+": sso_token holds 64 hex digits, a SHA-256 rather than a token, and it is not the one in sso_token_sha256: cannot tell which is the console's current token. "+
					"Remove sso_token and keep only sso_token_sha256, of the token the console shows now", ev.Add("sso_token_as_sha256", fromToken.sha256)))
			}
			msg := file + ": sso_token and sso_token_sha256 describe different tokens: cannot tell which is the console's current one"
			tok := sso.SSOToken.Reveal()
			if desc := tokenMatchRecordVariant(tok, fromHash.sha256); desc != "" {
				msg += fmt.Sprintf(", though sso_token_sha256 is the SHA-256 of sso_token %s%s", strings.TrimPrefix(desc, "Okta's token "), tokenMatchEchoNote(desc))
			} else if bare := tokenMatchBare(tok); bare != tok && audit.Fingerprint(bare) == fromHash.sha256 {
				msg += ", though sso_token seems to hold the token with quotes or whitespace around it, and sso_token_sha256 the SHA-256 of the bare token"
			}
			return fail(audit.Error(msg+". Keep only sso_token_sha256, of the token the console shows now: printf %s 'TOKEN' | sha256sum",
				ev.Add("sso_token_prefix", fromToken.prefix).Add("sso_token_sha256_computed", fromToken.sha256)))
		}
		fromHash.prefix = fromToken.prefix
		fromHash.hashAsToken = fromToken.hashAsToken
		return *fromHash, nil
	case fromHash != nil:
		return *fromHash, nil
	}
	return *fromToken, nil
}

// tokenMatchRecordError is the verdict when druva.yaml records the token
// wrongly in a way that explains the mismatch: the set-up cannot be verified
// (error, never pass), and the fix is to the record, not to Okta or Druva.
func tokenMatchRecordError(msg string, ev audit.Evidence) audit.Result {
	r := audit.Error(msg, ev)
	r.Remediation = "Fix the record in druva.yaml, not Okta or Druva: in the Druva console (Settings > Single Sign-On) copy the SSO token, " +
		"then record its fingerprint as sso_token_sha256 with printf %s 'TOKEN' | sha256sum (printf, not echo: echo adds a newline; " +
		"a leading space keeps the command out of most shells' history), and remove sso_token. Then scan again."
	return r
}
