package checks

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Okta's "Druva" catalog integration (inSync) takes the SSO token in a field
// of its own ("Insync Auth Token" in Druva's inSync + Okta articles), kept in
// the app's settings.app, rather than in an attribute statement. That field
// is a plain value, not an expression: Okta sends exactly what was pasted,
// so the token must be bare there, and quotes are the mistake.

// tokenField finds a catalog app's token field: the settings.app key that
// names a token (the integration's key is not documented; Okta's own Druva
// page calls the field "Insync Auth Token"). Several candidates are taken in
// a stable order; SCIM tokens are not the SSO token.
func tokenField(t *audit.Target) (key, value string, ok bool) {
	if t.App == nil {
		return "", "", false
	}
	if catalog, _ := t.App.Catalog(); !catalog {
		return "", "", false
	}
	var keys []string
	for k := range t.App.Settings.App {
		l := strings.ToLower(k)
		if strings.Contains(l, "token") && !strings.Contains(l, "scim") {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return "", "", false
	}
	sort.Strings(keys)
	return keys[0], t.App.Settings.App[keys[0]], true
}

// tokenFieldEvidence describes the field without revealing the token.
func tokenFieldEvidence(t *audit.Target, key, v string) audit.Evidence {
	_, how := t.App.Catalog()
	ev := audit.Evidence{}.
		Add("expected", "<token>, bare").
		Add("field", "settings.app."+key).
		Add("catalog", how).
		Add("actual", litShape(v))
	if core := strings.Trim(strings.TrimSpace(v), `"'`+litTypographicQuotes); core != "" {
		ev = ev.Add("prefix", audit.Prefix(core)).Add("sha256", audit.Fingerprint(core))
	}
	return ev
}

// tokenFieldProblem says what is wrong with a plain token field's value, or
// "" when it is one bare token.
func tokenFieldProblem(key, v string) string {
	field := "settings.app." + key
	switch {
	case strings.TrimSpace(v) == "":
		return fmt.Sprintf("the integration's token field (%s) is empty: Druva receives no token", field)
	case strings.ContainsAny(v, litTypographicQuotes):
		// Named, as for an attribute statement: a curly quote is easy to miss.
		return fmt.Sprintf("the integration's token field (%s) holds the token in quotes, including the typographic quote %s (as the guide's example shows them; word processors and chat tools make straight quotes curly): "+
			"unlike an attribute statement it is a plain value, not an expression, so Okta sends the quotes too and Druva rejects the token. Paste the token bare, without any quotes",
			field, litFirstOf(v, func(r rune) bool { return strings.ContainsRune(litTypographicQuotes, r) }))
	case strings.ContainsAny(v, `"'`):
		return fmt.Sprintf("the integration's token field (%s) holds the token in quotes: unlike an attribute statement it is a plain value, not an expression, so Okta sends the quotes too and Druva rejects the token. "+
			"Paste the token bare", field)
	case strings.IndexFunc(v, unicode.IsSpace) >= 0:
		return fmt.Sprintf("the integration's token field (%s) has whitespace or a line break in or around the token: the field is sent as is, so Druva rejects it. Paste the token alone", field)
	case strings.IndexFunc(v, litInvisibleRune) >= 0:
		return fmt.Sprintf("the integration's token field (%s) has an invisible character in the token: the field is sent as is, so Druva rejects it. Paste the token again from the console", field)
	}
	return ""
}
