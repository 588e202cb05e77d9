package scan

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/config"
)

func TestNameTargets(t *testing.T) {
	app := func(source audit.Source, name, id, label string) *audit.Target {
		return &audit.Target{Name: name, Source: source, App: &audit.App{ID: id, Label: label}}
	}
	cases := []struct {
		name string
		spec Spec
		ts   []*audit.Target
		want []string
	}{
		{"config name wins over the label", Spec{Name: "prod"}, []*audit.Target{app("okta", "staging", "0oa1", "staging")}, []string{"prod"}},
		{"single without config keeps the source's name", Spec{}, []*audit.Target{app("snapshot", "2026-11-27", "0oa1", "Druva")}, []string{"2026-11-27"}},
		{"several under a config name", Spec{Name: "prod"}, []*audit.Target{app("okta", "", "0oa1", "Users"), app("okta", "", "0oa2", "Admins")}, []string{"prod/Users", "prod/Admins"}},
		{"colliding labels take the app ID", Spec{Name: "prod"}, []*audit.Target{app("okta", "", "0oa1", "Druva inSync"), app("okta", "", "0oa2", "Druva inSync"), app("okta", "", "0oa3", "Admins")}, []string{"prod/0oa1", "prod/0oa2", "prod/Admins"}},
		{"colliding labels take the address", Spec{}, []*audit.Target{app("terraform", "okta_app_saml.a", "", "Druva"), app("terraform", "module.m.okta_app_saml.a", "", "Druva")}, []string{"okta_app_saml.a", "module.m.okta_app_saml.a"}},
		{"a label equal to another's ID", Spec{}, []*audit.Target{app("okta", "", "0oa1", "x"), app("okta", "", "0oa2", "x"), app("okta", "", "0oa3", "0oa1")}, []string{"0oa1", "0oa2", "0oa3"}},
		{"no label", Spec{Name: "p"}, []*audit.Target{app("okta", "", "0oa1", ""), app("okta", "", "0oa2", "B")}, []string{"p/0oa1", "p/B"}},
		{"a source repeating an ID", Spec{}, []*audit.Target{app("okta", "", "0oa1", ""), app("okta", "", "0oa1", "")}, []string{"0oa1", "0oa1 (2)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			nameTargets(tc.spec, tc.ts)
			var got []string
			for _, tg := range tc.ts {
				got = append(got, tg.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// The gate bypass of issue 8: a live target is named by its config entry,
// never by the app's label, so a production app labelled "staging" does not
// get staging's suppressions.
func TestLiveTargetNamedByConfigEntry(t *testing.T) {
	cfg := parseConfig(t, `suppress:
  - rule: okta.saml.response-signed
    target: staging
    reason: staging only
    expires: 2099-01-31
targets:
  - name: prod
    okta: {app_id: 0oaProd}
  - name: staging
    okta: {app_id: 0oaStaging}
`)
	req := request(cfg, specsOf(cfg)...)
	req.Fleet = true
	req.Live = func(_ context.Context, spec Spec, found func(*audit.Target)) error {
		// Both apps are labelled "staging"; the real loader names a single
		// app by its label.
		found(&audit.Target{Name: "staging", Source: "okta", App: &audit.App{ID: spec.Okta.AppID, Label: "staging"}})
		return nil
	}
	rep, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Targets[0].Name != "prod" || rep.Targets[1].Name != "staging" {
		t.Fatalf("names %q %q", rep.Targets[0].Name, rep.Targets[1].Name)
	}
	for _, r := range rep.Targets[0].Results {
		if r.Suppressed {
			t.Errorf("prod: %s suppressed by staging's suppression", r.Rule)
		}
	}
}

func TestSuppressionNamingNoTargetOfTheRun(t *testing.T) {
	cfg := parseConfig(t, "suppress:\n  - {rule: okta.saml.sha256, target: prod, reason: r, expires: 2099-01-31}\n")
	_, err := Run(context.Background(), request(cfg, Spec{Snapshot: snap("broken")}))
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), ".ssoaudit.yaml:2: suppress[0]: target \"prod\" is not a target of this run") {
		t.Fatalf("err = %v", err)
	}
	cfg = parseConfig(t, "suppress:\n  - {rule: okta.saml.sha256, target: broken, reason: r, expires: 2099-01-31}\n")
	rep, err := Run(context.Background(), request(cfg, Spec{Snapshot: snap("broken")}))
	if err != nil {
		t.Fatal(err)
	}
	if !results(t, rep, "broken")["okta.saml.sha256"].Suppressed {
		t.Error("not suppressed")
	}
}

func TestScopeMatches(t *testing.T) {
	for _, tc := range []struct {
		scope, name string
		want        bool
	}{
		{"prod", "prod", true}, {"prod", "prod/Druva inSync", true}, {"prod", "production", false},
		{"prod", "pro", false}, {"prod/Users", "prod/Users", true}, {"prod/Users", "prod/Admins", false},
	} {
		if got := config.ScopeMatches(tc.scope, tc.name); got != tc.want {
			t.Errorf("ScopeMatches(%q, %q) = %v", tc.scope, tc.name, got)
		}
	}
}
