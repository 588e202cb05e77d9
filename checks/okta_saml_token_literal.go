package checks

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ssoaudit/ssoaudit/audit"
)

// literalGuideShape is the token shape of the guide's example,
// "A-16620-5232-jbzFc96F3EhGyG+uh2c+kDj+QgVQuS2keB8DD/LtwVs=".
var literalGuideShape = regexp.MustCompile(`^A-[0-9]+-[0-9]+-[A-Za-z0-9+/]+={0,2}$`)

func init() {
	register(&audit.Rule{
		ID:        "okta.saml.token-literal",
		Title:     "Token attribute value is one quoted string literal",
		Severity:  audit.Critical,
		Reference: tokenLiteralRef,
		Terraform: "set that attribute statement's values = [\"\\\"${var.druva_sso_token}\\\"\"], the token in straight double quotes, from a sensitive variable rather than a literal in the code",
		Location:  audit.Location{Input: audit.InputApp, Key: "settings.signOn.attributeStatements"},
		Needs:     []audit.Input{audit.InputApp},
		Check:     checkTokenLiteral,
	})
}

// tokenLiteralRef is the rule's reference: the guide's step for custom
// apps; a catalog app's results cite the catalog pages too (catalogRef).
const tokenLiteralRef = "Druva guide, Configuring the Okta Druva App, step 4.5 (\"Value: Enter the auth token obtained from inSync " +
	"Management Console within quotation marks\")"

func checkTokenLiteral(t *audit.Target) audit.Result {
	src, res := tokenValue(t)
	if res != nil {
		return *res
	}
	if src.Field != "" {
		return catalogRef(tokenLiteralRef, checkTokenField(t, src))
	}
	v := src.Value
	token, quote, problem := parseLiteral(v)
	ev := literalEvidence(v, token, quote)
	msg := literalMessage(v, quote, problem)
	switch problem {
	case litOK:
	case litOuterSpace:
		// Okta's tokenizer skips them: judged as the literal alone.
	default:
		return audit.Fail(msg, ev)
	}
	if !literalGuideShape.MatchString(token) {
		return audit.Warn(fmt.Sprintf("the value is one %s-quoted string literal, but the token (%d characters, starting %q) does not look like the guide's A-<digits>-<digits>-<base64>. "+
			"That may be right on a Druva platform whose token shape is not documented: check it is the token the Druva console shows (Settings > Single Sign-On > Copy)",
			literalQuoteName(quote), len(token), audit.Prefix(token)), ev)
	}
	msg = fmt.Sprintf("the value is one %s-quoted string literal holding a token shaped like the guide's", literalQuoteName(quote))
	if problem == litOuterSpace {
		msg += " (with spaces or line breaks around it, which Okta's expression language skips)"
	}
	return audit.Pass(msg, ev)
}

// literalEvidence describes the value without revealing it: its shape, its
// quote, and the token's prefix and fingerprint. When the value is not one
// literal, the prefix and fingerprint are of the value without surrounding
// whitespace and quotes, labelled as a candidate: often the token itself,
// which lets an admin compare it with the console's.
func literalEvidence(v, token string, quote rune) audit.Evidence {
	ev := audit.Evidence{}.
		Add("expected", `"<token>"`).
		Add("actual", litShape(v))
	if quote != 0 {
		ev = ev.Add("quote", string(quote))
	}
	if token != "" {
		return ev.Add("prefix", audit.Prefix(token)).Add("sha256", audit.Fingerprint(token)).Add("length", len(token))
	}
	candidate := strings.TrimFunc(v, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '\'' || strings.ContainsRune(litTypographicQuotes, r)
	})
	if candidate != "" {
		ev = ev.Add("candidate_prefix", audit.Prefix(candidate)).Add("candidate_sha256", audit.Fingerprint(candidate))
	}
	return ev
}

func literalQuoteName(q rune) string {
	if q == '\'' {
		return "single"
	}
	return "double"
}

// literalMessage says what is wrong, in the admin's terms, without quoting
// any of the value's text.
func literalMessage(v string, quote rune, p literalProblem) string {
	core := strings.TrimFunc(v, unicode.IsSpace)
	noToken := "Okta evaluates the value as an expression and Druva never receives the token"
	switch p {
	case litOK:
		return ""
	case litBlank:
		return "the token attribute's value is empty or only whitespace: Druva receives no token"
	case litTypographic:
		return fmt.Sprintf("the value contains the typographic quote %s: Okta's expression language only knows straight quotes (\" and '), so %s. "+
			"The guide itself shows the token in curly quotes, and word processors and chat tools turn straight quotes into curly ones: retype them as straight double quotes (\")",
			litFirstOf(v, func(r rune) bool { return strings.ContainsRune(litTypographicQuotes, r) }), noToken)
	case litUnquoted:
		return "the value has no quotes: " + noToken + " (A-16620-… reads as a subtraction, not as text). Put the token inside straight double quotes"
	case litNoClosing:
		return fmt.Sprintf("the value opens with a %s quote (%c) but never closes it: Okta cannot parse it and Druva never receives the token. Add the closing %c at the end",
			literalQuoteName(quote), quote, quote)
	case litNoOpening:
		return fmt.Sprintf("the value ends with a %s quote (%c) but does not start with one: %s. Add the opening %c at the start",
			literalQuoteName(quote), quote, noToken, quote)
	case litMismatched:
		return fmt.Sprintf("the value opens with a %s quote (%c) and ends with a %s quote (%c): a literal must open and close with the same quote, so Okta cannot parse it and Druva never receives the token",
			literalQuoteName(quote), quote, literalQuoteName(rune(core[len(core)-1])), core[len(core)-1])
	case litConcat:
		return "the value joins several quoted strings with +: Okta would evaluate the concatenation, but the token must be entered as one literal, \"<token>\", so that what Okta sends is exactly what was pasted (and can be audited)"
	case litOutside:
		return "the value has text outside the quotes: Okta evaluates the whole value as an expression, so Druva receives whatever that expression yields, never the token itself. The value must be the quoted token and nothing else"
	case litQuoteInside:
		if strings.Contains(v, `\`+string(quote)) {
			return fmt.Sprintf("the value has a %s quote inside the token, after a backslash: Okta's expression language has no backslash escapes, so the quote ends the literal early and Druva never receives the token. Druva tokens contain no quotes: remove it",
				literalQuoteName(quote))
		}
		if strings.ContainsRune(core[1:len(core)-1], quote) {
			return fmt.Sprintf("the value has a %s quote (%c) inside it: the quote ends the literal early (or starts a second one), so Okta cannot parse the value as one token. Druva tokens contain no quotes: remove the stray one",
				literalQuoteName(quote), quote)
		}
		return "the token contains a quote character: Druva tokens contain none, so Druva would receive a wrong token. Remove it"
	case litDoubledQuote:
		return fmt.Sprintf("the value holds a doubled %s quote (%c%c): Okta reads it as one quote character inside the token, so Druva receives a token with a quote in it. Druva tokens contain no quotes: remove the extra quotes",
			literalQuoteName(quote), quote, quote)
	case litEmpty:
		return fmt.Sprintf("the literal is empty (%c%c): Druva receives an empty token. Paste the token from the Druva console between the quotes", quote, quote)
	case litBackslash:
		return "the token contains a backslash: Okta's expression language has no escape sequences, so Druva receives the backslash as part of the token, and Druva tokens contain none. Remove it"
	case litLineBreak:
		return "the token contains a line break inside the quotes (pasted from a wrapped line?): Druva receives the token with the line break and rejects it. Remove it"
	case litSpaceEdge:
		tok := core[1 : len(core)-1]
		where := "at the end of the token, just before the closing quote"
		if r, _ := utf8.DecodeRuneInString(tok); unicode.IsSpace(r) {
			where = "at the start of the token, just after the opening quote"
		}
		return fmt.Sprintf("there is whitespace %s: Druva receives the token with it and rejects it. Remove it", where)
	case litSpaceInside:
		what := litFirstOf(core[1:len(core)-1], unicode.IsSpace)
		if !strings.HasPrefix(what, "a ") {
			what = "whitespace (" + what + ")"
		}
		return fmt.Sprintf("the token contains %s in the middle: Druva receives the token with it and rejects it. Remove it", what)
	case litInvisible:
		return fmt.Sprintf("the token contains an invisible or control character (%s), usually picked up when copying from a web page, document or chat: Druva receives it as part of the token and rejects it. Retype the quotes and paste the token from a plain-text editor",
			litFirstOf(core[1:len(core)-1], litInvisibleRune))
	case litOuterOther:
		return fmt.Sprintf("the value has %s outside its quotes: Okta's expression language skips only spaces, tabs and line breaks between tokens, so it cannot parse the value and Druva never receives the token. "+
			"Clear the field and type the quotes around the token again, with nothing outside them",
			litFirstOf(strings.TrimFunc(v, func(r rune) bool { return strings.ContainsRune(spelSpace, r) }), func(r rune) bool { return unicode.IsSpace(r) || litInvisibleRune(r) }))
	case litOuterSpace:
		return "the literal has spaces or line breaks outside its quotes, which Okta's expression language skips: the token reaches Druva"
	}
	return fmt.Sprintf("the value is not one string literal (problem %d)", p)
}

// checkTokenField judges a catalog integration's plain token field: the
// token bare, nothing else.
func checkTokenField(t *audit.Target, src tokenSource) audit.Result {
	ev := tokenFieldEvidence(t, src.Field, src.Value)
	if p := tokenFieldProblem(t, src.Field, src.Value); p != "" {
		return tokenFieldResult(t, audit.Fail(p, ev))
	}
	if !literalGuideShape.MatchString(src.Value) {
		return audit.Warn(fmt.Sprintf("the integration's token field (settings.app.%s) holds one bare value, but it (%d characters, starting %q) does not look like the guide's A-<digits>-<digits>-<base64>: "+
			"check it is the token the Druva console shows (Settings > Single Sign-On > Copy)", src.Field, len(src.Value), audit.Prefix(src.Value)), ev)
	}
	return audit.Pass(fmt.Sprintf("the %s's token field (settings.app.%s) holds the token bare, as a plain field must (Okta sends it as is)", t.App.IntegrationName(), src.Field), ev)
}
