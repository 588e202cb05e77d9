package checks

import (
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:        "okta.saml.inline-hook",
		Title:     "No SAML assertion inline hook rewrites what Druva receives",
		Severity:  audit.Medium,
		Reference: "Okta: SAML assertion inline hook (Apps API settings.signOn.inlineHooks); Druva guide, Configuring the Okta Druva App, step 4 (no hook in Druva's set-up)",
		Terraform: "remove inline_hook_id",
		Location:  audit.Location{Input: audit.InputApp, Key: "settings.signOn.inlineHooks"},
		Needs:     []audit.Input{audit.InputApp},
		Check:     checkInlineHook,
	})
}

func checkInlineHook(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	if r := notSent(t, s, "inlineHooks", "whether a SAML assertion inline hook is attached",
		"Applications > Applications > (the app) > General > SAML Settings > Show Advanced Settings > Assertion Inline Hook: None"); r != nil {
		return *r
	}
	ev := audit.Evidence{}.Add("expected", "no inline hook")
	if len(s.InlineHooks) == 0 {
		return audit.Pass("no SAML assertion inline hook is attached to the app", ev.Add("actual", []string{}))
	}
	ids := make([]string, len(s.InlineHooks))
	for i, h := range s.InlineHooks {
		ids[i] = h.ID
	}
	return audit.Warn(fmt.Sprintf("the SAML assertion inline hook%s %s %s attached: an external service rewrites each assertion before Okta signs it, "+
		"and can change the subject or drop or replace the Druva token", plural(len(ids)), strings.Join(quoteAll(ids), ", "), isAre(len(ids))), ev.Add("actual", ids))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
