package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// platformReport is what these tests read of where a target's platform came
// from (docs/platforms.md).
type platformReport struct {
	Targets []struct {
		Name              string
		Platform          string
		PlatformSource    string `json:"platform_source"`
		PlatformInference *struct {
			Audience    string
			ACSURL      string `json:"acs_url"`
			Integration string
			Matches     []string
		} `json:"platform_inference"`
	}
	Deployments []struct {
		Name           string
		Platform       string
		PlatformSource string `json:"platform_source"`
		Results        []jsonResult
	}
}

func (c *cli) platforms() platformReport {
	c.t.Helper()
	var r platformReport
	if err := json.Unmarshal(c.stdout.Bytes(), &r); err != nil {
		c.t.Fatalf("not a JSON report: %v\n%s", err, c.dump())
	}
	return r
}

// The platform scenarios of testdata/snapshots: each was judged against the
// wrong platform before the platform was read from the app, and each gives
// the verdicts below from a snapshot and live alike.
var platformScenarios = []struct {
	name     string
	exit     int
	platform string
	source   string
	want     map[string]string // rule → status
	says     map[string]string // rule → text its message must hold
}{
	// A correct custom DCP app with nothing naming the platform: judged
	// as insync-cloud it failed the ACS URL, audience and token attribute.
	{"dcp-inferred", 0, "dcp", "inferred", map[string]string{
		"okta.saml.acs-url": "pass", "okta.saml.audience": "pass", "okta.saml.token-attribute": "pass", "okta.saml.relay-state": "pass",
	}, map[string]string{"okta.saml.acs-url": "the ACS URL expected for the dcp platform"}},
	{"dcp-dell-inferred", 0, "dcp-dell", "inferred", map[string]string{
		"okta.saml.acs-url": "pass", "okta.saml.audience": "pass", "okta.saml.token-attribute": "pass",
	}, map[string]string{"okta.saml.acs-url": "dell-login.druva.com"}},
	// A stated platform wins over the app, and the failures say what the
	// app is set up for.
	{"platform-disagrees", 1, "insync-cloud", "druva.yaml", map[string]string{
		"okta.saml.acs-url": "fail", "okta.saml.audience": "fail", "okta.saml.token-attribute": "fail",
	}, map[string]string{
		"okta.saml.acs-url":         "This app is set up for dcp",
		"okta.saml.audience":        "This app is set up for dcp",
		"okta.saml.token-attribute": "This app is set up for dcp",
	}},
	// The "Druva 2.0" catalog app on DCP GovCloud passed (its fixed
	// values skipped): Druva says it does not work there.
	{"druva2-govcloud", 1, "dcp-govcloud", "druva.yaml", map[string]string{
		"okta.saml.acs-url": "fail", "okta.saml.audience": "fail",
	}, map[string]string{
		"okta.saml.acs-url":  "It doesn't work with the Druva GovCloud customers",
		"okta.saml.audience": "Use a custom SAML app",
	}},
	// The Managed Services Center: its own values, no user profiles.
	{"msc", 0, "msc", "inferred", map[string]string{
		"okta.saml.acs-url": "pass", "okta.saml.audience": "pass", "okta.saml.token-attribute": "pass",
		"okta.saml.relay-state": "pass", "okta.saml.nameid-email": "pass", "okta.username.email": "pass",
		"druva.profile.sso": "skip",
	}, map[string]string{"druva.profile.sso": "no user profiles"}},
	// An on-premise server's entity ID is the SAML_Identifier Druva
	// Support issues: no default to fail it against (the ACS URL has none
	// either: an error asking for expect.acs_url, as before).
	{"onprem-no-audience", 3, "insync-onprem", "druva.yaml", map[string]string{
		"okta.saml.audience": "skip", "okta.saml.acs-url": "error",
	}, map[string]string{"okta.saml.audience": "SAML_Identifier Druva Support issues"}},
}

func TestPlatformScenarios(t *testing.T) {
	chdir(t, t.TempDir())
	for _, sc := range platformScenarios {
		t.Run(sc.name, func(t *testing.T) {
			cl := newCLI(t)
			code := cl.run("scan", "--snapshot", snap(sc.name), "--format", "json")
			if code != sc.exit {
				t.Errorf("exit %d, want %d\n%s", code, sc.exit, cl.dump())
			}
			fromSnapshot := cl.report().results(t)
			checkPlatform(t, "snapshot", cl.platforms(), sc.platform, sc.source)

			o := startOrg(t, snapApp(t, sc.name))
			lc := o.cli(t)
			if code := lc.run(lc.live(goodAppID, "--druva", filepath.Join(snap(sc.name), "druva.yaml"), "--format", "json")...); code != sc.exit {
				t.Errorf("live: exit %d, want %d\n%s", code, sc.exit, lc.dump())
			}
			live := lc.report().results(t)
			checkPlatform(t, "live", lc.platforms(), sc.platform, sc.source)
			for what, res := range map[string]map[string]jsonResult{"snapshot": fromSnapshot, "live": live} {
				for rule, want := range sc.want {
					if r := res[rule]; r.Status != want {
						t.Errorf("%s: %s: %s, want %s: %s", what, rule, r.Status, want, r.Message)
					}
				}
				for rule, text := range sc.says {
					if r := res[rule]; !strings.Contains(r.Message, text) {
						t.Errorf("%s: %s: message lacks %q: %s", what, rule, text, r.Message)
					}
				}
			}
			for rule := range sc.want {
				if s, l := fromSnapshot[rule], live[rule]; s.Status != l.Status || s.Message != l.Message {
					t.Errorf("%s: snapshot %s (%s), live %s (%s)", rule, s.Status, s.Message, l.Status, l.Message)
				}
			}
		})
	}
}

func checkPlatform(t *testing.T, what string, r platformReport, platform, source string) {
	t.Helper()
	if len(r.Targets) != 1 {
		t.Fatalf("%s: %d targets", what, len(r.Targets))
	}
	tg := r.Targets[0]
	if tg.Platform != platform || tg.PlatformSource != source {
		t.Errorf("%s: platform %q from %q, want %q from %q", what, tg.Platform, tg.PlatformSource, platform, source)
	}
	if tg.PlatformInference == nil {
		t.Errorf("%s: no platform_inference", what)
	}
}

// A platform read from the app is no statement: --require platform makes
// the platform rules' verdicts errors (exit 3), and a stated one meets it.
func TestRequirePlatform(t *testing.T) {
	chdir(t, t.TempDir())
	cl := newCLI(t)
	if code := cl.run("scan", "--snapshot", snap("dcp-inferred"), "--require", "platform", "--format", "json"); code != 3 {
		t.Errorf("exit %d, want 3\n%s", code, cl.dump())
	}
	res := cl.report().results(t)
	for _, rule := range []string{"okta.saml.acs-url", "okta.saml.audience", "okta.saml.token-attribute"} {
		if r := res[rule]; r.Status != "error" || !strings.Contains(r.Message, "--require platform") || !strings.Contains(r.Message, "inferred from the app") {
			t.Errorf("%s: %s: %s", rule, r.Status, r.Message)
		}
	}
	if r := res["okta.saml.response-signed"]; r.Status != "pass" {
		t.Errorf("a rule that does not judge against the platform changed: %+v", r)
	}
	cl = newCLI(t)
	if code := cl.run("scan", "--snapshot", snap("dcp-inferred"), "--require", "platform", "--platform", "dcp"); code != 0 {
		t.Errorf("stated platform: exit %d, want 0\n%s", code, cl.dump())
	}
}

// Where the platform came from shows in every format.
func TestPlatformSourceInEveryFormat(t *testing.T) {
	chdir(t, t.TempDir())
	for format, want := range map[string]string{
		"table":    "dcp inferred from the app",
		"markdown": "platform `dcp` (inferred from the app)",
		"html":     "dcp (inferred from the app)",
		"junit":    `<property name="platform.source" value="inferred">`,
		"sarif":    `"platform_source": "inferred"`,
		"json":     `"platform_source": "inferred"`,
	} {
		cl := newCLI(t)
		cl.run("scan", "--snapshot", snap("dcp-inferred"), "--format", format)
		if out := cl.stdout.String(); !strings.Contains(out, want) || !strings.Contains(out, "DCP-login") {
			t.Errorf("%s lacks %q or the audience it was read from:\n%s", format, want, out)
		}
	}
}

// A login URL on the org's Okta custom domain: it passes when the domain is
// one of the org's verified ones (okta/domains.json, or okta_domains: in the
// config), and without a domain list it is a skip naming how to give one
// (--require domains: an error), never a fail.
func TestCustomDomainLoginURL(t *testing.T) {
	chdir(t, t.TempDir())
	cases := []struct {
		args   []string
		exit   int
		status string
		says   string
	}{
		{[]string{"--snapshot", snap("custom-domain")}, 0, "pass", "(from okta/domains.json)"},
		{[]string{"--snapshot", snap("custom-domain-unlisted")}, 0, "skip", "okta.domains.read"},
		{[]string{"--snapshot", snap("custom-domain-unlisted"), "--require", "domains"}, 3, "error", "--require domains"},
		{[]string{"--snapshot", snap("custom-domain-unlisted"), "--config", "domains.yaml"}, 0, "pass", "(from the config's okta_domains)"},
		{[]string{"--snapshot", snap("custom-domain-unverified")}, 1, "fail", "is not one of the org's verified custom domains (from okta/domains.json: none)"},
	}
	if err := os.WriteFile("domains.yaml", []byte("okta_domains: [login.acme.com]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		cl := newCLI(t)
		if code := cl.run(append(append([]string{"scan"}, c.args...), "--format", "json")...); code != c.exit {
			t.Errorf("%v: exit %d, want %d\n%s", c.args, code, c.exit, cl.dump())
		}
		r := cl.report().results(t)["cross.login-url-match"]
		if r.Status != c.status || !strings.Contains(r.Message, c.says) {
			t.Errorf("%v: %s: %s, want %s saying %q", c.args, "cross.login-url-match", r.Status+": "+r.Message, c.status, c.says)
		}
	}
}

// Live, the org's custom domains are GET /api/v1/domains, read once per
// org: the custom-domain scenario scans the same live as from its snapshot.
// A credential without okta.domains.read makes only cross.login-url-match
// skip (naming the scope) where the login URL is on a custom domain, and
// changes nothing where it is on the okta.com host; a server error there is
// an error of that rule alone.
func TestLiveCustomDomainLoginURL(t *testing.T) {
	chdir(t, t.TempDir())
	const rule = "cross.login-url-match"
	scan := func(t *testing.T, o *org, name string) (live, offline map[string]jsonResult) {
		t.Helper()
		cl := o.cli(t)
		cl.run("scan", "--snapshot", snap(name), "--format", "json")
		offline = cl.report().results(t)
		cl.run(cl.live(goodAppID, "--druva", filepath.Join(snap(name), "druva.yaml"), "--format", "json")...)
		live = cl.report().results(t)
		return live, offline
	}
	others := func(t *testing.T, got, want map[string]jsonResult) {
		t.Helper()
		g, w := map[string]jsonResult{}, map[string]jsonResult{}
		for k, v := range got {
			if k != rule {
				g[k] = v
			}
		}
		for k, v := range want {
			if k != rule {
				w[k] = v
			}
		}
		sameResults(t, "every other rule, live vs snapshot", g, w)
	}
	t.Run("agrees with the snapshot", func(t *testing.T) {
		o := startOrg(t, snapApp(t, "custom-domain"))
		live, offline := scan(t, o, "custom-domain")
		sameResults(t, "live vs snapshot", live, offline)
		if r := live[rule]; r.Status != "pass" || !strings.Contains(r.Message, "(from okta/domains.json)") {
			t.Errorf("%s live: %s: %s", rule, r.Status, r.Message)
		}
		if n := o.srv.Count(oktatest.EndpointDomains); n != 1 {
			t.Errorf("%d domains requests, want 1", n)
		}
	})
	// A login URL on a domain the org's list does not hold as verified
	// (login.acme.com IN_PROGRESS): Okta does not serve the app there.
	t.Run("custom-domain-unverified agrees with the snapshot", func(t *testing.T) {
		o := startOrg(t, snapApp(t, "custom-domain-unverified"))
		live, offline := scan(t, o, "custom-domain-unverified")
		sameResults(t, "live vs snapshot", live, offline)
		if r := live[rule]; r.Status != "fail" || !strings.Contains(r.Message, `"login.acme.com" is not one of the org's verified custom domains (from okta/domains.json: none)`) {
			t.Errorf("%s live: %s: %s", rule, r.Status, r.Message)
		}
	})
	// custom-domain-unlisted is a snapshot without okta/domains.json: live,
	// that is a credential without okta.domains.read. (With the scope, the
	// org's list is read, and a list without login.acme.com fails, as
	// above.)
	t.Run("custom-domain-unlisted agrees with the snapshot", func(t *testing.T) {
		o := startOrg(t, snapApp(t, "custom-domain-unlisted"))
		o.srv.AddToken("00noDomainsToken00000000", oktatest.ScopeApps, oktatest.ScopeUsers, oktatest.ScopePolicies)
		t.Setenv("OKTA_CLIENT_TOKEN", "00noDomainsToken00000000")
		live, offline := scan(t, o, "custom-domain-unlisted")
		// The same verdict; the reason says what was missing (a file, a scope).
		others(t, live, offline)
		if r := live[rule]; r.Status != "skip" || offline[rule].Status != "skip" || !strings.Contains(r.Message, "okta.domains.read") {
			t.Errorf("%s live: %s: %s; snapshot: %s", rule, r.Status, r.Message, offline[rule].Status)
		}
		o = startOrg(t, snapApp(t, "custom-domain-unlisted"))
		live, _ = scan(t, o, "custom-domain-unlisted")
		if r := live[rule]; r.Status != "fail" || !strings.Contains(r.Message, "(from okta/domains.json: none)") {
			t.Errorf("%s live, the org's (empty) list read: %s: %s", rule, r.Status, r.Message)
		}
	})
	for _, name := range []string{"custom-domain", "good"} {
		t.Run("403 on domains/"+name, func(t *testing.T) {
			o := startOrg(t, snapApp(t, name))
			o.srv.AddToken("00noDomainsToken00000000", oktatest.ScopeApps, oktatest.ScopeUsers, oktatest.ScopePolicies)
			t.Setenv("OKTA_CLIENT_TOKEN", "00noDomainsToken00000000")
			live, offline := scan(t, o, name)
			if name == "good" {
				sameResults(t, "okta.com login URL, no domains scope", live, offline)
				return
			}
			others(t, live, offline)
			if r := live[rule]; r.Status != "skip" || !strings.Contains(r.Message, "okta.domains.read") {
				t.Errorf("%s: %s: %s, want a skip naming okta.domains.read", rule, r.Status, r.Message)
			}
		})
	}
	t.Run("snapshot", func(t *testing.T) {
		o := startOrg(t, snapApp(t, "custom-domain"))
		cl := o.cli(t)
		out := filepath.Join(t.TempDir(), "snap")
		if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--out", out); code != 0 {
			t.Fatalf("snapshot: exit %d\n%s", code, cl.dump())
		}
		got, err := os.ReadFile(filepath.Join(out, "okta", "domains.json"))
		want, _ := os.ReadFile(filepath.Join(snap("custom-domain"), "okta", "domains.json"))
		if err != nil || string(got) != string(want) {
			t.Errorf("okta/domains.json is not Okta's response verbatim (%v)", err)
		}
		o.srv.AddToken("00noDomainsToken00000000", oktatest.ScopeApps, oktatest.ScopeUsers, oktatest.ScopePolicies)
		t.Setenv("OKTA_CLIENT_TOKEN", "00noDomainsToken00000000")
		cl = o.cli(t)
		out2 := filepath.Join(t.TempDir(), "snap")
		if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--out", out2); code != 0 {
			t.Fatalf("snapshot: exit %d\n%s", code, cl.dump())
		}
		if _, err := os.Stat(filepath.Join(out2, "okta", "domains.json")); !os.IsNotExist(err) {
			t.Errorf("domains.json saved without okta.domains.read: %v", err)
		}
		if !strings.Contains(cl.stderr.String(), "okta/domains.json was not saved") || !strings.Contains(cl.stderr.String(), "okta.domains.read") {
			t.Errorf("the snapshot did not say domains.json was left out:\n%s", cl.dump())
		}
	})
	t.Run("500 on domains", func(t *testing.T) {
		o := startOrg(t, snapApp(t, "custom-domain"))
		o.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointDomains, Kind: oktatest.Status, Status: 500, Times: -1})
		live, offline := scan(t, o, "custom-domain")
		others(t, live, offline)
		if r := live[rule]; r.Status != "error" {
			t.Errorf("%s: %s: %s, want an error", rule, r.Status, r.Message)
		}
	})
}
