package checks

import (
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

func audienceSet(v string) func(*audit.Target) {
	return func(t *audit.Target) { t.App.Settings.SignOn.Audience = v }
}

func TestAudience(t *testing.T) {
	runCases(t, "okta.saml.audience", append([]ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: `"druva-cloud"`,
			check: acsEvidence("druva-cloud", "druva-cloud")},
		{name: "wrong entity ID", mutate: audienceSet("urn:acme:druva"),
			want: audit.StatusFail, message: `the Audience URI is "urn:acme:druva", but the insync-cloud platform's SP entity ID is "druva-cloud"`,
			check: acsEvidence("druva-cloud", "urn:acme:druva")},
		{name: "differs only by case", mutate: audienceSet("Druva-Cloud"),
			want: audit.StatusFail, message: "only by letter case, and audiences are compared as exact, case-sensitive strings"},
		{name: "differs by case and whitespace", mutate: audienceSet(" DRUVA-CLOUD"),
			want: audit.StatusFail, message: "only by letter case and whitespace"},
		{name: "trailing whitespace", mutate: audienceSet("druva-cloud "),
			want: audit.StatusFail, message: "only by whitespace around it",
			check: acsEvidence("druva-cloud", "druva-cloud ")},
		{name: "empty", mutate: audienceSet(""),
			want: audit.StatusFail, message: "is empty"},
		{name: "another platform's entity ID", mutate: audienceSet("DCP-login"),
			want: audit.StatusFail, message: "That is the dcp / dcp-dell entity ID: is the platform right? If not, set --platform, or the platform key in druva.yaml"},
		{name: "the govcloud entity ID", mutate: audienceSet("druva-govcloud"),
			want: audit.StatusFail, message: "That is the insync-govcloud entity ID"},
		{name: "the ACS URL pasted as audience", mutate: audienceSet("https://cloud.druva.com/wrsaml/consume"),
			want: audit.StatusFail, message: "that is an ACS URL (the Single sign on URL), not an entity ID"},
		{name: "dcp platform, insync entity ID", mutate: acsPlatform(t, "dcp", audit.Expectations{}),
			want: audit.StatusFail, message: "but the dcp platform's SP entity ID is \"DCP-login\". That is the insync-cloud entity ID",
			check: acsEvidence("DCP-login", "druva-cloud")},
		{name: "dcp platform, dcp entity ID", mutate: acsBoth(acsPlatform(t, "dcp", audit.Expectations{}), audienceSet("DCP-login")),
			want: audit.StatusPass, message: "dcp"},
		{name: "expect.audience override matches", mutate: acsBoth(acsPlatform(t, "insync-cloud", audit.Expectations{Audience: "urn:acme:druva"}), audienceSet("urn:acme:druva")),
			want: audit.StatusPass},
		{name: "expect.audience override, Okta has the platform default", mutate: acsPlatform(t, "insync-cloud", audit.Expectations{Audience: "urn:acme:druva"}),
			want: audit.StatusFail, message: `expect.audience in the config pins "urn:acme:druva". That is the insync-cloud platform's default entity ID: is the expect.audience pin right?`},
		// No Druva page gives an on-premise server's entity ID: Druva
		// Support issues its SAML_Identifier.
		{name: "insync-onprem without expect.audience", mutate: acsPlatform(t, "insync-onprem", audit.Expectations{ACSURL: "https://insync.acme.internal/wrsaml/consume"}),
			want: audit.StatusSkip, message: "SAML_Identifier Druva Support issues for it. Okta sends \"druva-cloud\"; set expect.audience in .ssoaudit.yaml",
			check: func(t *testing.T, r audit.Result) {
				if r.SkipKind != audit.SkipInputAbsent {
					t.Errorf("skip kind %q, want %q", r.SkipKind, audit.SkipInputAbsent)
				}
			}},
		{name: "insync-onprem with expect.audience", want: audit.StatusPass,
			mutate: acsPlatform(t, "insync-onprem", audit.Expectations{ACSURL: "https://insync.acme.internal/wrsaml/consume", Audience: "druva-cloud"})},
		{name: "insync-onprem, audienceOverride, without expect.audience", want: audit.StatusSkip, message: "Okta sends \"sp-onprem\"",
			mutate: acsBoth(acsPlatform(t, "insync-onprem", audit.Expectations{}),
				func(t *audit.Target) { t.App.Settings.SignOn.AudienceOverride = "sp-onprem" })},
		{name: "audienceOverride elsewhere", mutate: func(t *audit.Target) { t.App.Settings.SignOn.AudienceOverride = "https://sp.example.net" },
			want: audit.StatusFail, message: `audienceOverride replaces the Audience URI "druva-cloud", so Okta sends the audience "https://sp.example.net", not the SP entity ID "druva-cloud"`},
		{name: "audienceOverride the entity ID", mutate: func(t *audit.Target) { t.App.Settings.SignOn.AudienceOverride = "druva-cloud" },
			want: audit.StatusPass, message: "(audienceOverride)"},
		{name: "catalog app: audience not exposed", mutate: chain(asCatalog("druva2"), unsent("audience")),
			want: audit.StatusSkip, message: "Okta does not expose the audience (SP entity ID)"},
		{name: "audience null", mutate: nullSent("audience"),
			want: audit.StatusSkip, message: "settings.signOn.audience is null"},
	}, samlAppCases()...))
}
