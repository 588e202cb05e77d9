package checks

import (
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:            "okta.saml.audience",
		Title:         "Audience URI is the platform's SP entity ID",
		Severity:      audit.High,
		Reference:     "Druva guide, Configuring the Okta Druva App, step 4.2 (\"Audience URI (SP Entity ID): druva-cloud\")",
		Terraform:     "set audience to the platform's SP entity ID (the expected value is in this finding's evidence); an audienceOverride has no provider attribute: clear it through the Apps API",
		Location:      audit.Location{Input: audit.InputApp, Key: "settings.signOn.audience"},
		Needs:         []audit.Input{audit.InputApp},
		ReadsPlatform: true,
		Check:         checkAudience,
	})
}

func checkAudience(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	eff := s.EffectiveAudience()
	got, from := eff.Value, eff.From
	if r := catalogExcluded(t, "audience (SP entity ID)", s.AudienceOverride); r != nil {
		return *r
	}
	if from == "audience" {
		if r := notSent(t, s, "audience", "the audience (SP entity ID)",
			"Applications > Applications > (the app) > Sign On > View SAML setup instructions: the audience must be your Druva platform's entity ID"); r != nil {
			return *r
		}
	}
	want := t.Expect.Audience
	ev := audit.Evidence{}.Add("platform", t.Platform).Add("expected", want).Add("actual", got).Add("actual_from", from)
	if from != "audience" {
		ev = ev.Add("audience", s.Audience)
		if want == "" {
			return checkAudienceValue(t, got, want, ev)
		}
		if got != want {
			msg := fmt.Sprintf("audienceOverride replaces the Audience URI %q, so Okta sends the audience %q, not the SP entity ID %q expected for the %s platform: Druva refuses the assertion, "+
				"or another service provider accepts one meant for Druva. Clear the override (Apps API: settings.signOn.audienceOverride = null)", s.Audience, got, want, acsPlatformLabel(t))
			return audit.Fail(msg, ev)
		}
		return audit.Pass(fmt.Sprintf("the audience Okta sends (audienceOverride) is %q, the SP entity ID expected for the %s platform", got, acsPlatformLabel(t)), ev)
	}
	return checkAudienceValue(t, got, want, ev)
}

// checkAudienceValue judges the audience Okta sends against the expected one.
func checkAudienceValue(t *audit.Target, got, want string, ev audit.Evidence) audit.Result {
	if want == "" {
		// An on-premise server's entity ID is its own SAML_Identifier: no
		// default to judge against, and nothing wrong with the app either.
		r := audit.Skip(fmt.Sprintf("the %s platform has no default SP entity ID: an inSync On-Premise server's entity ID is the SAML_Identifier Druva Support issues for it. "+
			"Okta sends %q; set expect.audience in .ssoaudit.yaml (top level, or under the target) to that SAML_Identifier to judge it", acsPlatformLabel(t), got), ev)
		r.SkipKind = audit.SkipInputAbsent
		r.Remediation = "1. Ask Druva Support for your inSync On-Premise server's SAML_Identifier (or read it from the server's SSO settings).\n" +
			"2. Pin it in .ssoaudit.yaml:\n     expect:\n       audience: <SAML_Identifier>\n" +
			"   (under a target's expect: when two on-premise servers differ).\n" +
			"3. Run the scan again."
		return r
	}
	if got == want {
		return audit.Pass(fmt.Sprintf("the Audience URI is %q, the SP entity ID expected for the %s platform", got, acsPlatformLabel(t)), ev)
	}
	trimmed := strings.TrimSpace(got)
	switch {
	case trimmed == "":
		return audit.Fail(fmt.Sprintf("the Audience URI (SP Entity ID) is empty (%q): expected %q", got, want), ev)
	case trimmed == want:
		return audit.Fail(fmt.Sprintf("the Audience URI is %q: it differs from %q only by whitespace around it, and audiences are compared as exact strings", got, want), ev)
	case strings.EqualFold(trimmed, want):
		ws := ""
		if trimmed != got {
			ws = " and whitespace"
		}
		return audit.Fail(fmt.Sprintf("the Audience URI is %q: it differs from %q only by letter case%s, and audiences are compared as exact, case-sensitive strings", got, want, ws), ev)
	}

	msg := fmt.Sprintf("the Audience URI is %q, but the %s platform's SP entity ID is %q", got, acsPlatformLabel(t), want)
	if p, err := audit.LookupPlatform(t.Platform); err != nil || p.Audience != want {
		msg = fmt.Sprintf("the Audience URI is %q, but expect.audience in the config pins %q", got, want)
	}
	if hint := acsPlatformHint(t, trimmed, func(p audit.Platform) string { return p.Audience }, "entity ID", "audience"); hint != "" {
		msg += ". " + hint
	} else if audienceIsACSURL(trimmed) {
		msg += ": that is an ACS URL (the Single sign on URL), not an entity ID"
	}
	return audit.Fail(msg, ev)
}

// audienceIsACSURL recognises the common slip of pasting the ACS URL into the
// Audience URI field.
func audienceIsACSURL(v string) bool {
	n := acsNormalize(v)
	for _, p := range audit.Platforms {
		if p.ACSURL != "" && acsNormalize(p.ACSURL) == n {
			return true
		}
	}
	return strings.HasSuffix(n, "/wrsaml/consume") || strings.HasSuffix(n, "/api/commonlogin/samlconsume")
}
