package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/report"
)

// setJSON sets a dotted path in a JSON document (objects are created as
// needed; a number selects an array element).
func setJSON(t *testing.T, doc []byte, path string, v any) []byte {
	t.Helper()
	var root any
	if err := json.Unmarshal(doc, &root); err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(path, ".")
	cur := root
	for i, k := range keys {
		last := i == len(keys)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[k] = v
			} else {
				if _, ok := c[k].(map[string]any); !ok {
					if _, isArr := c[k].([]any); !isArr {
						c[k] = map[string]any{}
					}
				}
				cur = c[k]
			}
		case []any:
			var n int
			fmt.Sscan(k, &n)
			if last {
				c[n] = v
			} else {
				cur = c[n]
			}
		}
	}
	b, err := json.Marshal(root)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTokenInEveryField reproduces issue 8's "token shown in full when it
// sits in another field": the token ssoaudit holds (Okta's literal and
// druva.yaml's sso_token) also placed in each other field of each input —
// and as a prefix, or lower-cased — never appears, not even 8 characters of
// it, in any format the CLI accepts (report.Formats, so a new format is
// covered when it is added) nor on stderr.
func TestTokenInEveryField(t *testing.T) {
	for _, shape := range tokenShapes {
		t.Run(shape.name, func(t *testing.T) { tokenInEveryField(t, shape.token) })
	}
}

func tokenInEveryField(t *testing.T, tok string) {
	work := t.TempDir()
	chdir(t, work)
	g := &guard{t: t, secrets: []string{tok}}
	cl := newCLI(t)
	run := func(args ...string) int {
		t.Helper()
		return g.run(cl, cl.stdout.String, cl.stderr.String, args...)
	}
	lit := `"` + tok + `"`
	baseApp := appWithValues(t, []string{lit})
	baseDruva := druvaWith(t, "  sso_token: "+tok+"\n")
	users, err := os.ReadFile(filepath.Join(snap("good"), "okta", "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	type variant struct {
		name         string
		app, users   []byte
		druva, cfg   string
		wantExit     int // -1: any report (0, 1 or 3)
		wantInStderr string
	}
	app := func(path string, v any) []byte { return setJSON(t, baseApp, path, v) }
	variants := []variant{
		{name: "relay state", app: app("settings.signOn.defaultRelayState", tok)},
		{name: "relay state, lower case", app: app("settings.signOn.defaultRelayState", strings.ToLower(tok))},
		{name: "relay state, upper case", app: app("settings.signOn.defaultRelayState", strings.ToUpper(tok))},
		{name: "audience", app: app("settings.signOn.audience", tok)},
		{name: "audience, a 10-character prefix", app: app("settings.signOn.audience", "druva-cloud "+tok[:10])},
		{name: "audience override", app: app("settings.signOn.audienceOverride", tok)},
		{name: "ACS URL query", app: app("settings.signOn.ssoAcsUrl", "https://cloud.druva.com/wrsaml/consume?t="+tok)},
		{name: "ACS URL path", app: app("settings.signOn.ssoAcsUrl", "https://cloud.druva.com/"+tok)},
		{name: "ACS URL user info", app: app("settings.signOn.ssoAcsUrl", "https://"+tok+"@cloud.druva.com/wrsaml/consume")},
		{name: "recipient", app: app("settings.signOn.recipient", "https://cloud.druva.com/wrsaml/consume?x="+tok)},
		{name: "destination", app: app("settings.signOn.destination", tok)},
		{name: "IdP issuer", app: app("settings.signOn.idpIssuer", tok)},
		{name: "Name ID template", app: app("settings.signOn.subjectNameIdTemplate", "${"+tok+"}")},
		{name: "Name ID format", app: app("settings.signOn.subjectNameIdFormat", tok)},
		{name: "username template", app: app("credentials.userNameTemplate.template", tok)},
		{name: "username suffix", app: app("credentials.userNameTemplate.userSuffix", tok)},
		{name: "settings.app field", app: app("settings.app.instanceUrl", "https://x.example/"+tok)},
		{name: "settings.app token field", app: app("settings.app.authToken", tok)},
		{name: "label", app: app("label", "Druva "+tok)},
		{name: "signing algorithm", app: app("settings.signOn.signatureAlgorithm", tok)},
		{name: "attribute name", app: app("settings.signOn.attributeStatements.0.name", tok)},
		{name: "token literal with a second value", app: app("settings.signOn.attributeStatements.0.values", []any{lit, tok[:12]})},
		{name: "username", users: setJSON(t, users, "0.credentials.userName", tok)},
		{name: "user's email", users: setJSON(t, users, "0._embedded.user.profile.email", tok+"@acme.example")},
		{name: "druva idp_login_url query", druva: druvaWith(t, "  sso_token: "+tok+"\n", "/sso/saml\n", "/sso/saml?token="+tok+"\n")},
		{name: "druva idp_login_url path", druva: druvaWith(t, "  sso_token: "+tok+"\n", "/sso/saml\n", "/sso/"+tok+"\n")},
		{name: "druva idp_login_url user info", druva: druvaWith(t, "  sso_token: "+tok+"\n", "https://acme.okta.com/", "https://"+tok+"@acme.okta.com/")},
		{name: "druva profile name", druva: druvaWith(t, "  sso_token: "+tok+"\n", "- name: Engineering\n    login_mechanism: sso", "- name: Engineering\n    login_mechanism: insync\n  - name: \""+tok+"\"\n    login_mechanism: insync")},
		{name: "config suppression reason", cfg: "suppress:\n  - {rule: okta.saml.relay-state, reason: \"see " + tok + "\", expires: 2099-01-01}\n", app: app("settings.signOn.defaultRelayState", "x")},
		{name: "config org_url user info", cfg: "targets:\n  - name: p\n    okta: {org_url: \"https://admin:" + tok + "@acme.okta.com\", app_id: 0oa1}\n", wantExit: 2, wantInStderr: ".ssoaudit.yaml:3:"},
		{name: "config org_url token as user", cfg: "targets:\n  - name: p\n    okta: {org_url: \"https://" + tok + "@acme.okta.com\", app_id: 0oa1}\n", wantExit: 2, wantInStderr: ".ssoaudit.yaml:3:"},
		{name: "config org_url path", cfg: "targets:\n  - name: p\n    okta: {org_url: \"https://acme.okta.com/" + tok + "\", app_id: 0oa1}\n", wantExit: 2, wantInStderr: ".ssoaudit.yaml:3:"},
		{name: "config org_url query", cfg: "targets:\n  - name: p\n    okta: {org_url: \"https://acme.okta.com/?token=" + tok + "\", app_id: 0oa1}\n", wantExit: 2, wantInStderr: ".ssoaudit.yaml:3:"},
	}
	inputs := t.TempDir() // configs: inputs, not checked
	cases := 0
	for i, v := range variants {
		if v.wantExit == 0 {
			v.wantExit = -1
		}
		a, d := v.app, v.druva
		if a == nil {
			a = baseApp
		}
		if d == "" {
			d = baseDruva
		}
		dir := tokenSnapshot(t, []string{lit}, d)
		os.WriteFile(filepath.Join(dir, "okta", "app.json"), a, 0o644)
		if v.users != nil {
			os.WriteFile(filepath.Join(dir, "okta", "users.json"), v.users, 0o644)
		}
		args := []string{"scan", "--snapshot", dir}
		if v.cfg != "" {
			cfg := filepath.Join(inputs, fmt.Sprintf("cfg%d", i), ".ssoaudit.yaml")
			os.MkdirAll(filepath.Dir(cfg), 0o755)
			os.WriteFile(cfg, []byte(v.cfg), 0o644)
			args = append(args, "--config", cfg)
		}
		for _, f := range report.Formats {
			for _, out := range []string{"", filepath.Join(work, fmt.Sprintf("v%d.%s", i, f))} {
				a := append(append([]string{}, args...), "--format", f)
				if out != "" {
					a = append(a, "--output", out)
				}
				code := run(a...)
				cases++
				switch {
				case v.wantExit == -1 && code != 0 && code != 1 && code != 3:
					t.Errorf("%s, %s: exit %d, want a report\n%s", v.name, f, code, cl.stderr.String())
				case v.wantExit >= 0 && code != v.wantExit:
					t.Errorf("%s, %s: exit %d, want %d\n%s", v.name, f, code, v.wantExit, cl.stderr.String())
				case v.wantInStderr != "" && !strings.Contains(cl.stderr.String(), v.wantInStderr):
					t.Errorf("%s: stderr lacks %q: %s", v.name, v.wantInStderr, cl.stderr.String())
				}
			}
		}
	}
	g.checkFiles(work)
	t.Logf("%d variants, %d runs", len(variants), cases)
}
