package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

const (
	acsTestInsync = "https://cloud.druva.com/wrsaml/consume"
	acsTestDCP    = "https://login.druva.com/api/commonlogin/samlconsume"
)

// acsAll sets the Single sign on URL as Okta does when "Use this for
// Recipient URL and Destination URL" is ticked.
func acsAll(u string) func(*audit.Target) {
	return func(t *audit.Target) {
		s := t.App.Settings.SignOn
		s.SSOAcsURL, s.Recipient, s.Destination = u, u, u
	}
}

// acsPlatform moves the target to another platform, with config overrides.
func acsPlatform(tb testing.TB, name string, over audit.Expectations) func(*audit.Target) {
	p, err := audit.LookupPlatform(name)
	if err != nil {
		tb.Fatal(err)
	}
	return func(t *audit.Target) {
		t.Platform = p.Name
		t.Expect = p.Expectations(over)
	}
}

func acsBoth(fs ...func(*audit.Target)) func(*audit.Target) {
	return func(t *audit.Target) {
		for _, f := range fs {
			f(t)
		}
	}
}

// acsEvidence asserts the expected and actual values a failing result shows.
func acsEvidence(expected, actual string) func(*testing.T, audit.Result) {
	return func(t *testing.T, r audit.Result) {
		t.Helper()
		if got := evidence(t, r, "expected"); got != expected {
			t.Errorf("evidence expected = %v, want %q", got, expected)
		}
		if got := evidence(t, r, "actual"); got != actual {
			t.Errorf("evidence actual = %v, want %q", got, actual)
		}
	}
}

// acsPinAdvice asserts a failing result says how to pin the expected URL.
func acsPinAdvice(t *testing.T, r audit.Result) {
	t.Helper()
	for _, want := range []string{"expect:", "acs_url:", ".ssoaudit.yaml", "Microsoft's Druva tutorial", "--platform"} {
		if !strings.Contains(r.Remediation, want) {
			t.Errorf("remediation does not mention %q:\n%s", want, r.Remediation)
		}
	}
}

func TestACSURL(t *testing.T) {
	runCases(t, "okta.saml.acs-url", append([]ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "insync-cloud",
			check: func(t *testing.T, r audit.Result) {
				acsEvidence(acsTestInsync, acsTestInsync)(t, r)
				if got := evidence(t, r, "expected_from"); got != "platform default" {
					t.Errorf("expected_from = %v", got)
				}
			}},
		{name: "recipient and destination unset", want: audit.StatusPass,
			mutate: func(t *audit.Target) { t.App.Settings.SignOn.Recipient, t.App.Settings.SignOn.Destination = "", "" }},
		{name: "wrong URL", mutate: acsAll("https://acme.example.com/saml/acs"),
			want: audit.StatusFail, message: `the Single sign on URL is "https://acme.example.com/saml/acs", but the insync-cloud platform's ACS URL is "` + acsTestInsync + `"`,
			check: func(t *testing.T, r audit.Result) {
				acsEvidence(acsTestInsync, "https://acme.example.com/saml/acs")(t, r)
				acsPinAdvice(t, r)
				if strings.Contains(r.Message, "is the platform right") {
					t.Errorf("an unknown URL must not name a platform: %s", r.Message)
				}
			}},
		{name: "another platform's URL", mutate: acsAll(acsTestDCP),
			want: audit.StatusFail, message: "That is the dcp ACS URL: is the platform right? If not, set --platform, or the platform key in druva.yaml",
			check: acsEvidence(acsTestInsync, acsTestDCP)},
		{name: "another platform's URL over http", mutate: acsAll("http://login.druva.com/api/commonlogin/samlconsume"),
			want: audit.StatusFail, message: "That is the dcp ACS URL"},
		{name: "http instead of https", mutate: acsAll("http://cloud.druva.com/wrsaml/consume"),
			want: audit.StatusFail, message: "uses http instead of https",
			check: func(t *testing.T, r audit.Result) {
				acsEvidence(acsTestInsync, "http://cloud.druva.com/wrsaml/consume")(t, r)
				acsPinAdvice(t, r)
				if strings.Contains(r.Message, "still fails") {
					t.Errorf("http is not a cosmetic difference: %s", r.Message)
				}
			}},
		{name: "trailing slash", mutate: acsAll(acsTestInsync + "/"),
			want: audit.StatusFail, message: "it has a trailing slash. It still fails"},
		{name: "host differs in case", mutate: acsAll("https://Cloud.Druva.com/wrsaml/consume"),
			want: audit.StatusFail, message: `its host "Cloud.Druva.com" differs from "cloud.druva.com" in letter case only`,
			check: func(t *testing.T, r audit.Result) {
				if !strings.Contains(r.Message, "still fails") {
					t.Errorf("message does not say it still fails: %s", r.Message)
				}
			}},
		{name: "path differs in case", mutate: acsAll("https://cloud.druva.com/WRSAML/consume"),
			want: audit.StatusFail, message: "differs in letter case"},
		{name: "stray whitespace", mutate: acsAll(" " + acsTestInsync),
			want: audit.StatusFail, message: "stray whitespace"},
		{name: "empty", mutate: acsAll(""),
			want: audit.StatusFail, message: "ssoAcsUrl) is empty"},
		{name: "recipient differs", mutate: func(t *audit.Target) { t.App.Settings.SignOn.Recipient = "https://cloud.druva.com/other" },
			want: audit.StatusFail, message: `the Recipient URL is "https://cloud.druva.com/other", not the ACS URL`,
			check: func(t *testing.T, r audit.Result) {
				if strings.Contains(r.Message, "Destination") {
					t.Errorf("destination is right but named: %s", r.Message)
				}
				if got := evidence(t, r, "recipient"); got != "https://cloud.druva.com/other" {
					t.Errorf("evidence recipient = %v", got)
				}
			}},
		{name: "destination differs", mutate: func(t *audit.Target) { t.App.Settings.SignOn.Destination = "https://cloud.druva.com/other" },
			want: audit.StatusFail, message: `the Destination URL is "https://cloud.druva.com/other", not the ACS URL`,
			check: func(t *testing.T, r audit.Result) {
				if strings.Contains(r.Message, "Recipient") {
					t.Errorf("recipient is right but named: %s", r.Message)
				}
			}},
		{name: "dcp platform, insync URL", mutate: acsPlatform(t, "dcp", audit.Expectations{}),
			want: audit.StatusFail, message: "but the dcp platform's ACS URL is \"" + acsTestDCP + "\". That is the insync-cloud ACS URL: is the platform right?",
			check: func(t *testing.T, r audit.Result) {
				acsEvidence(acsTestDCP, acsTestInsync)(t, r)
				if got := evidence(t, r, "platform"); got != "dcp" {
					t.Errorf("evidence platform = %v", got)
				}
				if !strings.Contains(r.Remediation, acsTestDCP) {
					t.Errorf("remediation does not give the dcp URL:\n%s", r.Remediation)
				}
			}},
		{name: "dcp platform, dcp URL", mutate: acsBoth(acsPlatform(t, "dcp", audit.Expectations{}), acsAll(acsTestDCP)),
			want: audit.StatusPass, message: "dcp"},
		{name: "expect.acs_url override matches", want: audit.StatusPass,
			mutate: acsBoth(acsPlatform(t, "insync-cloud", audit.Expectations{ACSURL: "https://eu.cloud.druva.com/wrsaml/consume"}),
				acsAll("https://eu.cloud.druva.com/wrsaml/consume")),
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "expected_from"); got != "expect.acs_url" {
					t.Errorf("expected_from = %v", got)
				}
			}},
		{name: "expect.acs_url override, Okta has the platform default",
			mutate: acsPlatform(t, "insync-cloud", audit.Expectations{ACSURL: "https://eu.cloud.druva.com/wrsaml/consume"}),
			want:   audit.StatusFail, message: "expect.acs_url in the config pins \"https://eu.cloud.druva.com/wrsaml/consume\". That is the insync-cloud platform's default ACS URL: is the expect.acs_url pin right?"},
		{name: "expect.acs_url pins an http URL", mutate: acsBoth(
			acsPlatform(t, "insync-onprem", audit.Expectations{ACSURL: "http://insync.acme.internal/wrsaml/consume"}),
			acsAll("http://insync.acme.internal/wrsaml/consume")),
			want: audit.StatusFail, message: "is not https"},
		{name: "insync-onprem without expect.acs_url", mutate: acsPlatform(t, "insync-onprem", audit.Expectations{}),
			want: audit.StatusError, message: "the insync-onprem platform has no default ACS URL: set expect.acs_url in .ssoaudit.yaml",
			check: func(t *testing.T, r audit.Result) {
				if !strings.Contains(r.Remediation, "acs_url: https://<your inSync server>/wrsaml/consume") {
					t.Errorf("remediation does not show the pin:\n%s", r.Remediation)
				}
			}},
		{name: "insync-onprem with expect.acs_url", want: audit.StatusPass, mutate: acsBoth(
			acsPlatform(t, "insync-onprem", audit.Expectations{ACSURL: "https://insync.acme.internal/wrsaml/consume"}),
			acsAll("https://insync.acme.internal/wrsaml/consume"))},
		{name: "ssoAcsUrlOverride sends assertions elsewhere", mutate: func(t *audit.Target) {
			t.App.Settings.SignOn.SSOAcsURLOverride = "https://collector.example.net/acs"
		}, want: audit.StatusFail, message: `ssoAcsUrlOverride replaces the Single sign on URL "https://cloud.druva.com/wrsaml/consume": the URL Okta uses is "https://collector.example.net/acs"`,
			check: func(t *testing.T, r audit.Result) {
				if evidence(t, r, "actual_from") != "ssoAcsUrlOverride" {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "ssoAcsUrlOverride equal to the ACS URL", mutate: func(t *audit.Target) {
			t.App.Settings.SignOn.SSOAcsURLOverride = "https://cloud.druva.com/wrsaml/consume"
		}, want: audit.StatusPass, message: "the URL Okta uses (ssoAcsUrlOverride)"},
		{name: "empty override is no override", mutate: func(t *audit.Target) {
			t.App.Settings.SignOn.SSOAcsURLOverride = ""
			t.App.Settings.SignOn.Sent["ssoAcsUrlOverride"] = audit.FieldSet
		}, want: audit.StatusPass},
		{name: "recipientOverride elsewhere", mutate: func(t *audit.Target) {
			t.App.Settings.SignOn.RecipientOverride = "https://collector.example.net/acs"
		}, want: audit.StatusFail, message: `the Recipient URL (set by recipientOverride) is "https://collector.example.net/acs"`},
		{name: "destinationOverride elsewhere", mutate: func(t *audit.Target) {
			t.App.Settings.SignOn.DestinationOverride = "https://collector.example.net/acs"
		}, want: audit.StatusFail, message: `the Destination URL (set by destinationOverride) is "https://collector.example.net/acs"`},
		{name: "multiple ACS endpoints: an http extra one", mutate: func(t *audit.Target) {
			t.App.Settings.SignOn.AllowMultipleAcsEndpoints = true
			t.App.Settings.SignOn.AcsEndpoints = []audit.ACSEndpoint{{URL: "https://cloud.druva.com/wrsaml/consume"}, {URL: "http://cloud.druva.com/wrsaml/consume", Index: 1}}
		}, want: audit.StatusFail, message: `allowMultipleAcsEndpoints is on and acsEndpoints[1] is "http://cloud.druva.com/wrsaml/consume"`},
		{name: "multiple ACS endpoints: all the ACS URL", mutate: func(t *audit.Target) {
			t.App.Settings.SignOn.AllowMultipleAcsEndpoints = true
			t.App.Settings.SignOn.AcsEndpoints = []audit.ACSEndpoint{{URL: "https://cloud.druva.com/wrsaml/consume"}}
		}, want: audit.StatusPass},
		{name: "multiple ACS endpoints allowed, list not sent", mutate: chain(func(t *audit.Target) {
			t.App.Settings.SignOn.AllowMultipleAcsEndpoints = true
		}, unsent("acsEndpoints")), want: audit.StatusSkip,
			message: `is "https://cloud.druva.com/wrsaml/consume", as expected, but okta/app.json does not record the other ACS endpoints that allowMultipleAcsEndpoints allows`},
		{name: "endpoints listed but not allowed are not used", mutate: func(t *audit.Target) {
			t.App.Settings.SignOn.AcsEndpoints = []audit.ACSEndpoint{{URL: "https://elsewhere.example.net/"}}
		}, want: audit.StatusPass},
		{name: "catalog app: ACS URL not exposed", mutate: chain(asCatalog("druva2"), unsent("ssoAcsUrl", "recipient", "destination")),
			want: audit.StatusSkip, message: `Okta does not expose the ACS URL (Single sign on URL) for the "Druva inSync" (catalog integration "druva2")`,
			check: func(t *testing.T, r audit.Result) { evidence(t, r, "catalog") }},
		{name: "catalog app: an override still judged", mutate: chain(asCatalog("druva2"), unsent("ssoAcsUrl", "recipient", "destination"), func(t *audit.Target) {
			t.App.Settings.SignOn.SSOAcsURLOverride = "https://collector.example.net/acs"
		}), want: audit.StatusFail, message: "ssoAcsUrlOverride replaces"},
	}, samlAppCases()...))
}
