package checks

import (
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:        "druva.profile.sso",
		Title:     "At least one Druva profile signs in with single sign-on",
		Severity:  audit.Medium,
		Reference: "Druva guide, Enable SAML on inSync Management Console, steps 1–2 (\"under User Privacy & Access select Single Sign-on as Login mechanism\")",
		Location:  audit.Location{Input: audit.InputConsole, Key: "profiles"},
		Needs:     []audit.Input{audit.InputConsole},
		Check:     checkDruvaProfile,
	})
}

func checkDruvaProfile(t *audit.Target) audit.Result {
	if profileOf(t).NoUserProfiles {
		return audit.Skip(fmt.Sprintf("the %s platform has no user profiles to put on single sign-on: its console signs in administrators only", t.Platform),
			audit.Evidence{}.Add("platform", t.Platform))
	}
	profiles := t.Console.Profiles
	if profiles == nil {
		return audit.SkipAbsent(audit.InputConsole, "druva.yaml has no profiles section: the profiles' login mechanisms were not recorded", nil)
	}
	sso, other := []string{}, []string{}
	for _, p := range profiles {
		if strings.EqualFold(strings.TrimSpace(p.LoginMechanism), "sso") {
			sso = append(sso, p.Name)
		} else {
			other = append(other, fmt.Sprintf("%q (%s)", p.Name, profileMechanism(p.LoginMechanism)))
		}
	}
	ev := audit.Evidence{}.
		Add("expected", "at least one profile with login_mechanism sso").
		Add("actual", fmt.Sprintf("%d of %d profiles use SSO", len(sso), len(profiles))).
		Add("sso_profiles", sso).
		Add("other_profiles", other)
	switch {
	case len(profiles) == 0:
		return audit.Fail("druva.yaml's profiles section lists no profiles, so no profile signs in with single sign-on", ev)
	case len(sso) == 0:
		return audit.Fail(fmt.Sprintf("no profile signs in with single sign-on: %s", strings.Join(other, ", ")), ev)
	}
	msg := fmt.Sprintf("single sign-on is the login mechanism of %s", profileQuote(sso))
	if len(other) > 0 {
		msg += fmt.Sprintf("; not of %s", strings.Join(other, ", "))
	}
	return audit.Pass(msg, ev)
}

// profileMechanism names a login mechanism as the console labels it.
func profileMechanism(m string) string {
	switch strings.ToLower(strings.TrimSpace(m)) {
	case "insync":
		return "inSync password"
	case "ad":
		return "Active Directory/LDAP"
	case "":
		return "no login mechanism"
	}
	return fmt.Sprintf("login mechanism %q", m)
}

func profileQuote(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}
