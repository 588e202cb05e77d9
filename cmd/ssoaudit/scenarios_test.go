package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The named scenarios in testdata/snapshots: set-ups found in the field, each
// with the verdicts it must get (docs/platforms.md, docs/inputs.md and docs/rules).
var scenarios = []struct {
	name string
	exit int
	want map[string]string // rule → status
	// says maps a rule to text its message must hold.
	says map[string]string
}{
	{"dcp-catalog", 0, map[string]string{
		// Okta's "Druva 2.0" catalog app: what the integration fixes is
		// not exposed, so those rules skip; the rest still judge.
		"okta.saml.response-signed": "skip", "okta.saml.assertion-signed": "skip", "okta.saml.sha256": "skip",
		"okta.saml.acs-url": "skip", "okta.saml.audience": "skip", "okta.saml.nameid-email": "skip",
		"okta.saml.inline-hook": "skip", "cross.signed-requests": "skip", "cross.assertion-encryption": "skip",
		"okta.saml.relay-state": "pass", "okta.saml.token-attribute": "pass", "okta.saml.token-literal": "pass",
		"cross.token-match": "pass", "okta.username.email": "pass", "okta.cert.validity": "pass",
		"okta.metadata.consistent": "pass", "okta.app.assigned": "pass",
	}, map[string]string{
		"okta.saml.response-signed": `for the "Druva 2.0" (catalog integration "druva2")`,
		"okta.username.email":       "which the dcp platform accepts",
	}},
	{"insync-catalog", 0, map[string]string{
		"okta.saml.response-signed": "skip", "okta.saml.acs-url": "skip", "okta.saml.audience": "skip",
		"okta.saml.relay-state": "pass", "okta.saml.token-literal": "pass", "cross.token-match": "pass",
	}, map[string]string{
		"okta.saml.token-literal": "holds the token bare",
		"okta.saml.relay-state":   "signs administrators in",
	}},
	{"govcloud-unspecified", 0, map[string]string{
		"okta.saml.nameid-email": "pass", "okta.username.email": "pass", "okta.metadata.consistent": "pass",
		"okta.saml.acs-url": "pass", "okta.saml.audience": "pass",
	}, map[string]string{
		"okta.saml.nameid-email": "Unspecified, which the dcp-govcloud platform accepts",
	}},
	{"override-elsewhere", 1, map[string]string{
		"okta.saml.acs-url": "fail", "okta.saml.audience": "fail", "okta.saml.token-literal": "fail",
	}, map[string]string{
		"okta.saml.acs-url":       `acsEndpoints[1] is "http://cloud.druva.com/wrsaml/consume"`,
		"okta.saml.audience":      "audienceOverride replaces",
		"okta.saml.token-literal": "no-break space (U+00A0) outside its quotes",
	}},
	{"hardening-gaps", 1, map[string]string{
		"okta.app.assigned": "fail", "okta.saml.inline-hook": "warn", "cross.assertion-encryption": "fail", "cross.signed-requests": "fail",
	}, nil},
}

func TestScenarios(t *testing.T) {
	chdir(t, t.TempDir())
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			cl := newCLI(t)
			code := cl.run("scan", "--snapshot", snap(sc.name), "--format", "json")
			if code != sc.exit {
				t.Errorf("exit %d, want %d\n%s", code, sc.exit, cl.dump())
			}
			res := cl.report().results(t)
			for rule, want := range sc.want {
				if r := res[rule]; r.Status != want {
					t.Errorf("%s: %s, want %s: %s", rule, r.Status, want, r.Message)
				}
			}
			for rule, text := range sc.says {
				if r := res[rule]; !strings.Contains(r.Message, text) {
					t.Errorf("%s: message lacks %q: %s", rule, text, r.Message)
				}
			}
		})
	}
}

// TestCatalogAppsNoVerdictOnUnsentFields: for a catalog app, no rule passes
// or fails on a settings.signOn field Okta did not send.
func TestCatalogAppsNoVerdictOnUnsentFields(t *testing.T) {
	chdir(t, t.TempDir())
	unsentRules := []string{"okta.saml.response-signed", "okta.saml.assertion-signed", "okta.saml.sha256", "okta.saml.acs-url",
		"okta.saml.audience", "okta.saml.nameid-email", "okta.saml.inline-hook", "cross.signed-requests", "cross.assertion-encryption"}
	for _, name := range []string{"dcp-catalog", "insync-catalog"} {
		cl := newCLI(t)
		cl.run("scan", "--snapshot", snap(name), "--format", "json")
		res := cl.report().results(t)
		for _, rule := range unsentRules {
			if r := res[rule]; r.Status != "skip" || !strings.Contains(r.Message, "Okta did not send") && !strings.Contains(r.Message, "does not expose") {
				t.Errorf("%s: %s is %s: %s", name, rule, r.Status, r.Message)
			}
		}
	}
}

// TestNoVerdictOnAnEmptySignOn: with settings.signOn sent empty — every
// field left out — no rule that reads one of its fields passes or fails,
// for a custom app and for both catalog apps.
func TestNoVerdictOnAnEmptySignOn(t *testing.T) {
	chdir(t, t.TempDir())
	signOnRules := []string{"okta.saml.response-signed", "okta.saml.assertion-signed", "okta.saml.sha256", "okta.saml.acs-url",
		"okta.saml.audience", "okta.saml.nameid-email", "okta.saml.inline-hook", "cross.signed-requests", "cross.assertion-encryption",
		"okta.saml.relay-state"}
	for _, name := range []string{"good", "dcp-catalog", "insync-catalog"} {
		dir := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(filepath.Join(dir, "okta"), 0o700); err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(filepath.Join(snap(name), "okta"))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(snap(name), "okta", e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if e.Name() == "app.json" {
				var app map[string]any
				if err := json.Unmarshal(b, &app); err != nil {
					t.Fatal(err)
				}
				app["settings"].(map[string]any)["signOn"] = map[string]any{}
				if b, err = json.Marshal(app); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(dir, "okta", e.Name()), b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		cl := newCLI(t)
		cl.run("scan", "--snapshot", dir, "--format", "json")
		res := cl.report().results(t)
		for _, rule := range signOnRules {
			if r := res[rule]; r.Status != "skip" {
				t.Errorf("%s with an empty signOn: %s is %s: %s", name, rule, r.Status, r.Message)
			}
		}
	}
}

// TestNewRulesInEveryFormat: the rules added for issue 9 show, with their
// findings, in every report format.
func TestNewRulesInEveryFormat(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	cl := newCLI(t)
	files := []string{"r.json", "r.sarif", "r.xml", "r.md", "r.html", "r.prom"}
	args := []string{"scan", "--snapshot", snap("hardening-gaps")}
	for _, f := range files {
		args = append(args, "--output", f)
	}
	if code := cl.run(args...); code != 1 {
		t.Fatalf("exit %d\n%s", code, cl.dump())
	}
	cl.run("scan", "--snapshot", snap("hardening-gaps"))
	table := cl.stdout.String()
	for _, rule := range []string{"okta.app.assigned", "okta.saml.inline-hook", "cross.assertion-encryption", "cross.signed-requests"} {
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), rule) {
				t.Errorf("%s lacks %s", f, rule)
			}
		}
		if !strings.Contains(table, rule) {
			t.Errorf("the table lacks %s", rule)
		}
	}
}
