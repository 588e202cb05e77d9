package checks

import (
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

func TestInlineHook(t *testing.T) {
	hooks := func(ids ...string) func(*audit.Target) {
		return func(t *audit.Target) {
			t.App.Settings.SignOn.InlineHooks = nil
			for _, id := range ids {
				t.App.Settings.SignOn.InlineHooks = append(t.App.Settings.SignOn.InlineHooks, audit.InlineHook{ID: id})
			}
		}
	}
	runCases(t, "okta.saml.inline-hook", append([]ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "no SAML assertion inline hook is attached"},
		{name: "one hook", mutate: hooks("cal95v30myF5R3Pgq1d7"),
			want: audit.StatusWarn, message: `the SAML assertion inline hook "cal95v30myF5R3Pgq1d7" is attached: an external service rewrites each assertion`,
			check: func(t *testing.T, r audit.Result) {
				if ids := evidence(t, r, "actual").([]string); len(ids) != 1 || ids[0] != "cal95v30myF5R3Pgq1d7" {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "two hooks", mutate: hooks("cal1", "cal2"),
			want: audit.StatusWarn, message: `inline hooks "cal1", "cal2" are attached`},
		{name: "catalog app: hooks not sent", mutate: chain(asCatalog("druva"), unsent("inlineHooks")),
			want: audit.StatusSkip, message: "Okta does not expose whether a SAML assertion inline hook is attached"},
	}, samlAppCases()...))
}
