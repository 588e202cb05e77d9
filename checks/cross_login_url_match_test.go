package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func TestLoginURLMatch(t *testing.T) {
	tt := t
	setURL := func(v string) func(*audit.Target) {
		return func(t *audit.Target) { t.Console.SSO.IDPLoginURL = fixture.Ptr(v) }
	}
	const redirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"

	runCases(t, "cross.login-url-match", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "metadata's HTTP-POST SingleSignOnService location",
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "actual"); got != fixture.LoginURL {
					t.Errorf("actual = %v", got)
				}
				// POST and Redirect share the location: listed once, with both bindings.
				if got := evidence(t, r, "expected").([]string); len(got) != 1 || got[0] != fixture.LoginURL {
					t.Errorf("expected = %v", got)
				}
				if got := evidence(t, r, "expected_bindings").([]string); len(got) != 1 || got[0] != "HTTP-POST, HTTP-Redirect" {
					t.Errorf("expected_bindings = %v", got)
				}
			}},
		{name: "another app of the deployment owns the console's URL", mutate: func(t *audit.Target) {
			// The admin app of a deployment whose console holds the users'
			// app's URL (docs/deployments.md).
			t.Metadata.SSOServices = []audit.Endpoint{{Binding: redirect, Location: "https://acme.okta.com/app/acme_druvainsync_2/exk8f3k2adMINwj4d7/sso/saml"}}
			audit.NewDeployment("druva.yaml", t.Console, t.Platform, t.Now, []*audit.Target{usersApp(tt), t})
		}, want: audit.StatusPass, message: `is the sign-on URL of app "Druva inSync" (target "users") of the same deployment (druva.yaml)`,
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "deployment_app"); got != "users" {
					t.Errorf("deployment_app = %v", got)
				}
			}},
		{name: "no app of the deployment owns the console's URL", mutate: func(t *audit.Target) {
			t.Metadata.SSOServices = []audit.Endpoint{{Binding: redirect, Location: "https://acme.okta.com/app/acme_druvainsync_2/exk8f3k2adMINwj4d7/sso/saml"}}
			other := usersApp(tt)
			other.Metadata.SSOServices = []audit.Endpoint{{Location: "https://acme.okta.com/app/acme_druvainsync_3/exkOTHER/sso/saml"}}
			audit.NewDeployment("druva.yaml", t.Console, t.Platform, t.Now, []*audit.Target{other, t})
		}, want: audit.StatusFail},
		{name: "matches the only location", mutate: func(t *audit.Target) {
			t.Metadata.SSOServices = []audit.Endpoint{{Binding: redirect, Location: fixture.LoginURL}}
		}, want: audit.StatusPass, message: "HTTP-Redirect"},
		{name: "trailing slash", mutate: setURL(fixture.LoginURL + "/"),
			want: audit.StatusFail, message: "it differs by a trailing slash",
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "near_match"); got != fixture.LoginURL {
					t.Errorf("near_match = %v", got)
				}
				if !strings.Contains(r.Message, "set it to exactly") {
					t.Errorf("message %q does not say what to set", r.Message)
				}
			}},
		{name: "missing trailing slash", mutate: func(t *audit.Target) {
			t.Metadata.SSOServices = []audit.Endpoint{{Location: fixture.LoginURL + "/"}}
		}, want: audit.StatusFail, message: "differs by a missing trailing slash"},
		{name: "host in capitals", mutate: setURL(strings.Replace(fixture.LoginURL, "acme.okta.com", "ACME.Okta.com", 1)),
			want: audit.StatusFail, message: "differs by letter case in the scheme or host"},
		{name: "path in capitals", mutate: setURL(strings.Replace(fixture.LoginURL, "/sso/saml", "/SSO/SAML", 1)),
			want: audit.StatusFail, message: "is not the metadata's SingleSignOnService location \"" + fixture.LoginURL + "\"",
			check: func(t *testing.T, r audit.Result) {
				// POST and Redirect share the location: message and evidence
				// name it once.
				if n := strings.Count(r.Message, fixture.LoginURL); n != 1 {
					t.Errorf("the location appears %d times: %s", n, r.Message)
				}
				if got := evidence(t, r, "expected").([]string); len(got) != 1 {
					t.Errorf("expected = %v", got)
				}
			}},
		{name: "none of two distinct locations", mutate: func(t *audit.Target) {
			t.Console.SSO.IDPLoginURL = fixture.Ptr(strings.Replace(fixture.LoginURL, "/sso/saml", "/SSO/SAML", 1))
			t.Metadata.SSOServices = append(t.Metadata.SSOServices, audit.Endpoint{Binding: redirect, Location: fixture.LoginURL + "2"})
		}, want: audit.StatusFail, message: "is none of the metadata's SingleSignOnService locations (\"" + fixture.LoginURL + "\", \"" + fixture.LoginURL + "2\")",
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "expected_bindings").([]string); len(got) != 2 || got[0] != "HTTP-POST, HTTP-Redirect" || got[1] != "HTTP-Redirect" {
					t.Errorf("expected_bindings = %v", got)
				}
			}},
		{name: "surrounding whitespace and a trailing slash", mutate: setURL(" " + fixture.LoginURL + "/ "),
			want: audit.StatusFail, message: "differs by surrounding whitespace and a trailing slash"},
		{name: "extra query string", mutate: setURL(fixture.LoginURL + "?token=" + fixture.Token),
			want: audit.StatusFail, message: "it differs by an extra query string",
			check: func(t *testing.T, r audit.Result) {
				for _, want := range []string{"remove everything from the ? or #", `"` + fixture.LoginURL + `?…" (the text after ? or # not shown)`} {
					if !strings.Contains(r.Message, want) {
						t.Errorf("message %q lacks %q", r.Message, want)
					}
				}
				if strings.Contains(r.Message, "different SAML app") || strings.Contains(r.Message, "token=") {
					t.Errorf("message %q", r.Message)
				}
			}},
		{name: "extra fragment", mutate: setURL(fixture.LoginURL + "#x"),
			want: audit.StatusFail, message: "it differs by an extra fragment"},
		{name: "extra query string and a trailing slash", mutate: setURL(fixture.LoginURL + "/?x=1#y"),
			want: audit.StatusFail, message: "differs by an extra query string and fragment and a trailing slash"},
		// Okta serves the app on the org's custom domains too: with no
		// domain list to check the host against, no verdict.
		{name: "custom domain, no domain list", mutate: setURL(strings.Replace(fixture.LoginURL, "acme.okta.com", "login.acme.com", 1)),
			want: audit.StatusSkip, message: `on host "login.acme.com" instead of "acme.okta.com"`,
			check: func(t *testing.T, r audit.Result) {
				if r.SkipKind != audit.SkipInputAbsent || !strings.Contains(r.Message, "okta.domains.read") || !strings.Contains(r.Message, "okta_domains:") {
					t.Errorf("want an input_absent skip naming okta.domains.read and okta_domains:, got %s: %s", r.SkipKind, r.Message)
				}
			}},
		{name: "custom domain in okta_domains", mutate: func(t *audit.Target) {
			setURL(strings.Replace(fixture.LoginURL, "acme.okta.com", "login.acme.com", 1))(t)
			t.OktaDomains = []string{"login.acme.com"}
		}, want: audit.StatusPass, message: `on the org's custom domain "login.acme.com" (from the config's okta_domains)`},
		{name: "custom domain in domains.json", mutate: func(t *audit.Target) {
			setURL(strings.Replace(fixture.LoginURL, "acme.okta.com", "login.acme.com", 1))(t)
			t.Org = audit.NewOrg("test")
			audit.Domains.Load(t.Org, func() ([]string, error) {
				return audit.ParseDomains(strings.NewReader(`{"domains":[{"id":"OcD1","domain":"login.acme.com","validationStatus":"VERIFIED"},{"id":"OcD2","domain":"sso.acme.com","validationStatus":"NOT_STARTED"}]}`))
			})
		}, want: audit.StatusPass, message: `(from okta/domains.json)`},
		{name: "another host, not a verified custom domain", mutate: func(t *audit.Target) {
			setURL(strings.Replace(fixture.LoginURL, "acme.okta.com", "sso.acme.com", 1))(t)
			t.OktaDomains = []string{"login.acme.com"}
		}, want: audit.StatusFail, message: `on host "sso.acme.com" instead of "acme.okta.com", and "sso.acme.com" is not one of the org's verified custom domains (from the config's okta_domains: login.acme.com)`},
		{name: "custom domain in domains.json, not verified yet", mutate: func(t *audit.Target) {
			setURL(strings.Replace(fixture.LoginURL, "acme.okta.com", "login.acme.com", 1))(t)
			t.Org = audit.NewOrg("test")
			audit.Domains.Load(t.Org, func() ([]string, error) {
				return audit.ParseDomains(strings.NewReader(`{"domains":[{"id":"OcD1","domain":"login.acme.com","validationStatus":"IN_PROGRESS"}]}`))
			})
		}, want: audit.StatusFail, message: `"login.acme.com" is not one of the org's verified custom domains (from okta/domains.json: none)`},
		{name: "http instead of https", mutate: setURL(strings.Replace(fixture.LoginURL, "https:", "http:", 1)),
			want: audit.StatusFail, message: "it uses http instead of https"},
		{name: "another app", mutate: setURL("https://acme.okta.com/app/acme_other_1/exk000000000000000/sso/saml"),
			want: audit.StatusFail, message: "points at a different SAML app"},
		{name: "not a URL", mutate: setURL("acme.okta.com"),
			want: audit.StatusFail, message: "not an absolute URL"},
		{name: "empty", mutate: setURL(""),
			want: audit.StatusFail, message: "ID Provider Login URL is empty"},
		{name: "metadata without SingleSignOnService", mutate: func(t *audit.Target) { t.Metadata.SSOServices = nil },
			want: audit.StatusFail, message: "has no SingleSignOnService"},
		{name: "no idp_login_url", mutate: func(t *audit.Target) { t.Console.SSO.IDPLoginURL = nil },
			want: audit.StatusSkip, message: "no idp_login_url"},
		{name: "no sso section", mutate: func(t *audit.Target) { t.Console.SSO = nil },
			want: audit.StatusSkip, message: "druva.yaml has no sso section"},
		{name: "console missing", mutate: missing(audit.InputConsole),
			want: audit.StatusSkip, message: "druva.yaml (the Druva console settings) not available"},
		{name: "metadata.xml unreadable", mutate: failed(audit.InputMetadata),
			want: audit.StatusError, message: "could not read okta/metadata.xml"},
	})
}
