package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/report"
)

// druvaShaped is a Druva SSO token no run of these tests knows: hidden by
// its shape alone.
const druvaShaped = "A-31337-4242-Zk9xQm3vT8wLp2sR7nY4cH6jD1gF5bK0"

// TestUsageErrorsNeverEchoATokens: a token given where a command, an
// argument or a flag was expected is not echoed back in the usage error.
func TestUsageErrorsNeverEchoATokens(t *testing.T) {
	chdir(t, t.TempDir())
	const oktaLike = "00Zr8Kq2Lm5Np7Xv3Tw9Yb4Cd6Fg1Hj0Sk4QeW2"
	for _, args := range [][]string{
		{oktaLike},
		{druvaShaped},
		{"scan", oktaLike},
		{"scan", "--snapshot", snap("good"), oktaLike},
		{"scan", "--" + oktaLike},
		{"explain", oktaLike},
		{"snapshot", oktaLike},
		{"scan", "--format", oktaLike},
		{"diff", oktaLike, druvaShaped},
	} {
		cl := newCLI(t)
		if code := cl.run(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		out := cl.stdout.String() + cl.stderr.String()
		for _, tok := range []string{oktaLike, druvaShaped} {
			if p := windowLeak(out, []string{tok[6:]}); p != "" {
				t.Errorf("%v: %q of the token shows:\n%s", args, p, out)
			}
		}
	}
}

// TestDiffRedacts: diff knows no run's secrets, but a report it reads may
// hold a Druva-shaped token (also base64-encoded) and the environment's
// Okta API token: neither reaches any diff format.
func TestDiffRedacts(t *testing.T) {
	chdir(t, t.TempDir())
	const apiToken = "00Hx7Lq2Wm5Rt8Yv3Kp9Zb4Nc6Jd1Fg0Sa4TeQ2"
	cl := newCLI(t)
	cl.env["OKTA_CLIENT_TOKEN"] = apiToken
	cl.run("scan", "--snapshot", snap("good"), "--format", "json", "--output", "old.json")
	cl.run("scan", "--snapshot", snap("broken"), "--format", "json", "--output", "new.json")
	b, _ := os.ReadFile("new.json")
	var doc map[string]any
	json.Unmarshal(b, &doc)
	encoded := base64.StdEncoding.EncodeToString([]byte("relay=" + druvaShaped))
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && (k == "message" || k == "name") {
					v[k] = s + " " + druvaShaped + " " + apiToken + " " + encoded
				} else {
					walk(x)
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	b, _ = json.Marshal(doc)
	os.WriteFile("new.json", b, 0o644)
	for _, f := range []string{"table", "json", "markdown"} {
		cl.run("diff", "old.json", "new.json", "--format", f)
		out := cl.stdout.String() + cl.stderr.String()
		if !strings.Contains(out, "okta.saml") {
			t.Fatalf("%s: no diff:\n%s", f, out)
		}
		if p := windowLeak(out, []string{druvaShaped[6:], apiToken[6:], encoded[12:]}); p != "" {
			t.Errorf("%s: %q of a token shows:\n%s", f, p, out)
		}
	}
}

// TestDiscoverVerboseKnowsEveryTokenFirst: discover -v prints its lines
// only once every app's token is known, so an app listed first whose label
// holds the token of an app listed later does not show it.
func TestDiscoverVerboseKnowsEveryTokenFirst(t *testing.T) {
	chdir(t, t.TempDir())
	const later = "Wq8Jm3Tz6Rb1Yc4Xv7Nd2Kp5Lf"
	good := snapApp(t, "good")
	first := withJSON(t, good, map[string]any{"id": "0oaFirst0000000000001", "label": "Druva " + later})
	second := withJSON(t, good, map[string]any{"id": "0oaSecond000000000001", "label": "Druva admins",
		"settings.signOn.attributeStatements": []any{map[string]any{"type": "EXPRESSION", "name": "insync_auth_token", "namespace": "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified", "values": []any{`"` + later + `"`}}}})
	o := startOrg(t, first, second)
	cl := o.cli(t)
	cl.run("scan", "--okta-org", o.srv.URL, "--discover", "--format", "json", "-v")
	if !strings.Contains(cl.stderr.String(), "discover: taken 0oaFirst0000000000001") || !strings.Contains(cl.stderr.String(), "discover: taken 0oaSecond000000000001") {
		t.Fatalf("-v does not list both apps:\n%s", cl.stderr.String())
	}
	if p := windowLeak(cl.stdout.String()+cl.stderr.String(), []string{later}); p != "" {
		t.Errorf("%q of the later app's token shows:\n%s", p, cl.stderr.String())
	}
}

// TestEncodedTokensAndURLCredentials: in every report format, a known SSO
// token base64- and percent-encoded into the relay state, and credentials
// in any part of a URL (a fragment's access_token, X-Amz-Security-Token,
// api-key, session_token, sessionToken, jwt, scheme-relative user info, a
// password holding @) show nothing.
func TestEncodedTokensAndURLCredentials(t *testing.T) {
	chdir(t, t.TempDir())
	good, _ := os.ReadFile(snap("good") + "/okta/app.json")
	relay := base64.StdEncoding.EncodeToString([]byte("to=" + druvaShaped))
	label := "Druva https://app.example/cb#access_token=FragTok8Qx2 " +
		"https://b.s3.example/k?X-Amz-Security-Token=AmzTok9Wz3v&api-key=ApiKey7Rt5q&session_token=SessTk6Yh2&sessionToken=SessTk4Pm8&jwt=JwtVal3Nb7x " +
		"//admin:SchemeRel5Kd@acme.example/x https://u:P4ss@word9Lq@acme.example/y"
	app := strings.Replace(string(good), `"defaultRelayState": ""`, `"defaultRelayState": "`+relay+`"`, 1)
	lb, _ := json.Marshal(label)
	app = strings.Replace(app, `"label": "Druva inSync"`, `"label": `+string(lb), 1)
	dir := hostileSnapshot(t, "okta/app.json", []byte(app))
	dy, _ := os.ReadFile(snap("good") + "/druva.yaml")
	dyS := regexpReplace(string(dy), `sso_token_sha256: [0-9a-f]+`, "sso_token: "+druvaShaped)
	os.WriteFile(dir+"/druva.yaml", []byte(dyS), 0o644)
	secrets := []string{druvaShaped[6:], relay[4:], "FragTok8Qx2", "AmzTok9Wz3v", "ApiKey7Rt5q", "SessTk6Yh2", "SessTk4Pm8", "JwtVal3Nb7x", "SchemeRel5Kd", "P4ss@word9Lq"}
	cl := newCLI(t)
	for _, f := range reportFormats() {
		cl.run("scan", "--snapshot", dir, "--format", f, "--show-passed")
		out := cl.stdout.String() + cl.stderr.String()
		if f != "prometheus" && !strings.Contains(out, "acme.example") {
			t.Fatalf("%s: the label is not in the report:\n%.2000s", f, out)
		}
		if p := windowLeak(out, secrets); p != "" {
			t.Errorf("%s: %q of a credential shows", f, p)
		}
	}
}

func regexpReplace(s, re, with string) string {
	return regexp.MustCompile(re).ReplaceAllString(s, with)
}

func reportFormats() []string { return report.Formats }
