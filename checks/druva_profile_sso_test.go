package checks

import (
	"slices"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

func TestDruvaProfileSSO(t *testing.T) {
	profiles := func(ps ...audit.ConsoleProfile) func(*audit.Target) {
		return func(t *audit.Target) { t.Console.Profiles = append([]audit.ConsoleProfile{}, ps...) }
	}

	runCases(t, "druva.profile.sso", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: `single sign-on is the login mechanism of "Engineering"; not of "Contractors" (inSync password)`,
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "sso_profiles").([]string); !slices.Equal(got, []string{"Engineering"}) {
					t.Errorf("sso_profiles = %v", got)
				}
				if got := evidence(t, r, "other_profiles").([]string); !slices.Equal(got, []string{`"Contractors" (inSync password)`}) {
					t.Errorf("other_profiles = %v", got)
				}
				if got := evidence(t, r, "actual"); got != "1 of 2 profiles use SSO" {
					t.Errorf("actual = %v", got)
				}
				evidence(t, r, "expected")
			}},
		{name: "every profile on SSO", mutate: profiles(audit.ConsoleProfile{Name: "All", LoginMechanism: "sso"}),
			want: audit.StatusPass, message: `of "All"`},
		{name: "mechanism in capitals", mutate: profiles(audit.ConsoleProfile{Name: "All", LoginMechanism: "SSO"}),
			want: audit.StatusPass},
		{name: "no profile on SSO", mutate: profiles(
			audit.ConsoleProfile{Name: "Contractors", LoginMechanism: "insync"},
			audit.ConsoleProfile{Name: "Staff", LoginMechanism: "ad"}),
			want: audit.StatusFail, message: `no profile signs in with single sign-on: "Contractors" (inSync password), "Staff" (Active Directory/LDAP)`},
		{name: "empty profile list", mutate: profiles(),
			want: audit.StatusFail, message: "lists no profiles"},
		{name: "no profiles section", mutate: func(t *audit.Target) { t.Console.Profiles = nil },
			want: audit.StatusSkip, message: "druva.yaml has no profiles section"},
		{name: "console missing", mutate: missing(audit.InputConsole),
			want: audit.StatusSkip, message: "druva.yaml (the Druva console settings) not available"},
		{name: "console unreadable", mutate: failed(audit.InputConsole),
			want: audit.StatusError, message: "could not read druva.yaml"},
	})
}
