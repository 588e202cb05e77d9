package checks

import (
	"slices"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// TestProfileValuesAcrossPlatforms is the table of docs/platforms.md (What each platform accepts):
// every value a Druva page documents for some platform passes on every
// platform whose profile accepts it and fails on every other one.
func TestProfileValuesAcrossPlatforms(t *testing.T) {
	type field struct {
		rule   string
		values func(audit.PlatformProfile) []string
		set    func(*audit.Target, string)
	}
	relay := func(p audit.PlatformProfile) []string {
		return append(audit.Values(p.UserRelayStates), audit.Values(p.AdminRelayStates)...)
	}
	fields := map[string]field{
		"relay state": {"okta.saml.relay-state", relay,
			func(t *audit.Target, v string) { t.App.Settings.SignOn.DefaultRelayState = v }},
		"Name ID format": {"okta.saml.nameid-email", func(p audit.PlatformProfile) []string { return audit.Values(p.NameIDFormats) },
			func(t *audit.Target, v string) { t.App.Settings.SignOn.SubjectNameIDFormat = v }},
		"application username": {"okta.username.email", func(p audit.PlatformProfile) []string { return audit.Values(p.Usernames) },
			func(t *audit.Target, v string) {
				tpl := map[string]string{audit.UsernameEmail: "${source.email}", audit.UsernameOktaUsername: "${source.login}"}[v]
				t.App.Credentials.UserNameTemplate = &audit.UserNameTemplate{Template: tpl, Type: "BUILT_IN"}
			}},
	}
	checked := 0
	for fname, f := range fields {
		// Every value any platform documents.
		var documented []string
		for _, p := range audit.Platforms {
			for _, v := range f.values(p.Profile()) {
				if !slices.Contains(documented, v) {
					documented = append(documented, v)
				}
			}
		}
		rule, _ := Lookup(f.rule)
		for _, p := range audit.Platforms {
			accepted := f.values(p.Profile())
			for _, v := range documented {
				target := fixture.Good(t)
				onPlatform(p.Name)(target)
				f.set(target, v)
				r := audit.Evaluate(rule, target)
				want := audit.StatusFail
				if slices.Contains(accepted, v) {
					want = audit.StatusPass
				}
				if r.Status != want {
					t.Errorf("%s %q on %s: %s, want %s: %s", fname, v, p.Name, r.Status, want, r.Message)
				}
				if want == audit.StatusPass {
					if _, ok := r.Evidence.Get("documented_by"); !ok {
						t.Errorf("%s %q on %s passes without naming the Druva page: %s", fname, v, p.Name, evidenceString(r))
					}
				}
				checked++
			}
		}
	}
	t.Logf("%d platform × value cases", checked)
}

// TestProfileCitations: every accepted value cites a Druva page by address,
// and every rule judging by the profiles cites them in its reference.
func TestProfileCitations(t *testing.T) {
	for _, p := range audit.Platforms {
		prof := p.Profile()
		for _, f := range []audit.ProfileField{audit.FieldUserRelayStates, audit.FieldAdminRelayStates, audit.FieldNameIDFormats, audit.FieldUsernames} {
			for _, a := range f.Get(prof) {
				if a.Source.Title == "" || a.Source.URL == "" {
					t.Errorf("%s: %s %q has no cited page: %+v", p.Name, f.Name, a.Value, a.Source)
				}
			}
		}
	}
	for _, r := range All() {
		for _, f := range r.Profile {
			for _, p := range audit.Platforms {
				for _, a := range f.Get(p.Profile()) {
					if !containsStr(r.Reference, a.Source.URL) {
						t.Errorf("%s's reference does not cite %s (%s %q on %s)", r.ID, a.Source.URL, f.Name, a.Value, p.Name)
					}
				}
			}
		}
	}
	relay, _ := Lookup("okta.saml.relay-state")
	if containsStr(relay.Reference, "Configure the inSync Management Console to use Okta for inSync Administrators") {
		t.Errorf("okta.saml.relay-state cites the guide's administrators section, which never mentions relay states: %s", relay.Reference)
	}
}

func containsStr(s, sub string) bool { return sub != "" && strings.Contains(s, sub) }
