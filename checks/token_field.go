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
func tokenFieldProblem(t *audit.Target, key, v string) string {
	field := "settings.app." + key
	switch {
	case strings.TrimSpace(v) == "":
		return fmt.Sprintf("the integration's token field (%s, %s in the admin console) is empty: Druva receives no token. %s", field, tokenFieldLabel(t.Platform), tokenFieldHowTo(t.Platform))
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

// tokenFieldLabel is the catalog token field's label in the Okta admin
// console: "inSync Auth Token" in Okta's Druva (inSync) app; other
// integrations' label is not documented.
func tokenFieldLabel(platform string) string {
	if strings.HasPrefix(platform, "insync") {
		return `"inSync Auth Token"`
	}
	return "auth token"
}

// tokenFieldHowTo says how to fill the catalog integration's token field, in
// Okta's words (its page for the Druva app: Sign On tab > Edit; Druva's
// administrators' article shows it on the General settings page).
func tokenFieldHowTo(platform string) string {
	return "Set it: Okta admin console > Applications > Applications > (the Druva app) > Sign On > Edit, " +
		"paste the SSO token from the Druva console (Settings > Single Sign-On > Copy) into the " + tokenFieldLabel(platform) +
		" field, bare, without quotes > Save"
}

// tokenFieldFix is the remediation of a catalog app whose token field is
// missing, empty or wrongly written: the attribute-statement steps of the
// rules' own remediation do not apply to it.
func tokenFieldFix(platform string) string {
	return "1. " + strings.TrimPrefix(tokenFieldHowTo(platform), "Set it: ") + " (Druva's administrators' article shows the field on the app's General settings page).\n" +
		"2. Rerun the scan (cross.token-match confirms it is the console's current token)."
}

// tokenFieldResult gives a catalog token field's finding the catalog fix.
func tokenFieldResult(t *audit.Target, r audit.Result) audit.Result {
	r.Remediation = tokenFieldFix(t.Platform)
	return r
}

// catalogTokenPages are the pages of Okta's Druva catalog app: cited by a
// token rule's result about a catalog app only, never a custom app's.
const catalogTokenPages = "for Okta's \"Druva\" catalog app, which takes the token bare in its own \"inSync Auth Token\" field: Druva: How to configure SSO for Users on Druva inSync Cloud using the IdP OKTA? <https://docs.druva.com/Knowledge_Base/inSync/How_To/How_to_configure_SSO_for_Users_on_Druva_inSync_Cloud_using_the_IdP_OKTA%3F>, its administrators' counterpart <https://docs.druva.com/Knowledge_Base/inSync/How_To/How_to_configure_SSO_for_administrators_on_Druva_inSync_Cloud_using_the_IdP_OKTA%3F> and Okta's own page <http://saml-doc.okta.com/SAML_Docs/How-to-Configure-SAML-2.0-for-Druva.html>"

// catalogRef gives a result about a catalog app's token the rule's
// reference plus the catalog app's pages.
func catalogRef(ref string, r audit.Result) audit.Result {
	r.Reference = ref + "; " + catalogTokenPages
	return r
}
