package checks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/words"
)

func init() {
	register(&audit.Rule{
		ID:       "druva.admin.sign-in-path",
		Title:    "Administrators have an Okta app to sign in to the Druva console with",
		Severity: audit.High,
		Reference: "Druva guide, Configure the inSync Management Console to use Okta for inSync Administrators, step 3; " +
			"the administrators' relay state per platform (inSync: \"Make sure to enter the relay state as : adminlogin, otherwise admin will never get authenticated\", " +
			"Druva's inSync administrators' Okta article; Managed Services Center: every app is an administrators' app): " +
			audit.ProfileReference(audit.FieldAdminRelayStates),
		Location:        audit.Location{Input: audit.InputConsole, Key: "admins.sso_enabled"},
		Needs:           []audit.Input{audit.InputConsole},
		Profile:         []audit.ProfileField{audit.FieldAdminRelayStates},
		Requires:        []audit.FactType{deploymentApps},
		CheckDeployment: checkAdminSignInPath,
	})
}

// checkAdminSignInPath looks, among the deployment's apps, for one that
// sends the administrators' relay state and has someone assigned.
func checkAdminSignInPath(d *audit.Deployment) audit.Result {
	a := d.Console.Admins
	switch {
	case a == nil:
		// Unrecorded, not inapplicable: --require druva makes it an error.
		return audit.SkipAbsent(audit.InputConsole, "druva.yaml has no admins section: whether administrators sign in with SSO was not recorded", nil)
	case a.SSOEnabled == nil:
		r := audit.SkipAbsent(audit.InputConsole, "druva.yaml's admins section does not record admins.sso_enabled "+
			"(\"Enable single sign-on for administrators\"): whether administrators sign in through Okta is unknown", nil)
		r.Remediation = adminsRecordFix
		return r
	case !*a.SSOEnabled:
		return audit.Pass("single sign-on for administrators is off: administrators sign in with their Druva password, "+
			"so no Okta app needs to send the administrators' relay state", audit.Evidence{}.Add("admin_sso_enabled", false))
	}
	p, err := audit.LookupPlatform(d.Platform)
	if err != nil {
		return audit.Error(err.Error(), nil)
	}
	accepted := audit.Values(p.Profile().AdminRelayStates)
	members := deploymentApps.In(d)
	apps := make([]string, 0, len(members))
	var senders, unassigned, unknownAssign, unreadable, nearMiss []appInDeployment
	for _, m := range members {
		// One line per app: what the rule saw of it.
		e := memberName(m)
		switch {
		case m.AppGap != "":
			unreadable = append(unreadable, m)
			apps = append(apps, e+": could not be read")
			continue
		case m.RelayState == nil:
			apps = append(apps, e+": no SAML settings")
			continue
		}
		e += ": relay state " + audit.Shown(*m.RelayState)
		switch {
		case m.Assigned == nil:
			e += ", assignments not read"
		case *m.Assigned:
			e += ", users assigned"
		default:
			e += ", nobody assigned"
		}
		apps = append(apps, e)
		if !slices.Contains(accepted, *m.RelayState) {
			if adminRelayNearMiss(*m.RelayState, accepted) != "" {
				nearMiss = append(nearMiss, m)
			}
			continue
		}
		switch {
		case m.Assigned == nil:
			unknownAssign = append(unknownAssign, m)
		case *m.Assigned:
			senders = append(senders, m)
		default:
			unassigned = append(unassigned, m)
		}
	}
	// The deployment's name and platform head its section of every report.
	ev := audit.Evidence{}.Add("admin_relay_states", accepted).Add("apps", apps)
	want := strings.Join(quoteAll(accepted), " or ")
	switch {
	case len(senders) > 0:
		return audit.Pass(fmt.Sprintf("administrators sign in through %s, which sends the administrators' relay state %s and has users assigned",
			memberName(senders[0]), audit.Shown(*senders[0].RelayState)), ev)
	case len(unknownAssign) > 0:
		return audit.SkipAbsent(audit.InputUsers, fmt.Sprintf("%s sends the administrators' relay state %s, but whether anyone is assigned to it "+
			"was not read (%s): save okta/users.json or scan live to verify", memberName(unknownAssign[0]), audit.Shown(*unknownAssign[0].RelayState),
			unknownAssign[0].AssignedGap), ev)
	case len(unassigned) > 0:
		return audit.Fail(fmt.Sprintf("%s sends the administrators' relay state %s but nobody is assigned to it: "+
			"administrators have no SSO path into the console", memberName(unassigned[0]), audit.Shown(*unassigned[0].RelayState)), ev)
	case len(nearMiss) > 0:
		// The administrators' app is there, with its relay state mistyped:
		// that app's fix, not a hunt for another app.
		m := nearMiss[0]
		// As below, a deployment of one app is a warning: okta.saml.relay-state
		// already fails that app, and the run may not know every app.
		verdict := audit.Fail
		if len(members) == 1 {
			verdict = audit.Warn
		}
		r := verdict(fmt.Sprintf("the console enables single sign-on for administrators, and %s sends the relay state %s, a near miss of the administrators' %q: "+
			"Druva matches it exactly, so it never authenticates an administrator through this app. Set that app's Default RelayState to %q (see okta.saml.relay-state)",
			memberName(m), audit.Shown(*m.RelayState), adminRelayNearMiss(*m.RelayState, accepted), adminRelayNearMiss(*m.RelayState, accepted)), ev.Add("near_miss", m.Target))
		r.Remediation = fmt.Sprintf("1. Okta admin console: Applications > Applications > (the app of target %q) > General > SAML Settings > Edit > Next.\n"+
			"2. Set \"Default RelayState\" to %s exactly: lower case, no spaces. Next > Finish.\n"+
			"3. Rerun the scan: okta.saml.relay-state judges that app's value on its own.", m.Target, adminRelayNearMiss(*m.RelayState, accepted))
		return r
	case len(unreadable) > 0:
		return audit.Error(fmt.Sprintf("no readable app of deployment %s sends the administrators' relay state (%s), and %s could not be read: "+
			"it may be the administrators' app", d.Name, want, memberName(unreadable[0])), ev)
	case len(members) == 1:
		// The fix's step 3 says how to audit both apps in one run.
		r := audit.Warn(fmt.Sprintf("audit the administrators' app in the same run: the console enables single sign-on for administrators, "+
			"and the only app this run knows, %s, does not send the administrators' relay state (%s)",
			memberName(members[0]), want), ev)
		// About the run's view, not a fault found: a note to people.
		r.Note = true
		return r
	}
	names := make([]string, len(members))
	for i, m := range members {
		names[i] = memberName(m)
	}
	return audit.Fail(fmt.Sprintf("the console enables single sign-on for administrators, but none of its %d apps (%s) sends the administrators' relay state (%s): "+
		"Druva never authenticates an administrator through SSO", len(members), strings.Join(names, ", "), want), ev)
}

// adminRelayNearMiss returns the accepted non-empty administrators' relay
// state v narrowly misses — letter case, stray whitespace, or a typo of up
// to two edits (adminLogin, "adminlogin ", admin_login) — or "".
func adminRelayNearMiss(v string, accepted []string) string {
	t := strings.ToLower(strings.TrimSpace(v))
	if t == "" {
		return ""
	}
	for _, a := range accepted {
		if a != "" && words.Distance(t, a) <= 2 {
			return a
		}
	}
	return ""
}

// memberName names an app of a deployment for messages.
func memberName(m appInDeployment) string {
	label := m.App.Label
	if label == "" {
		label = m.App.ID
	}
	if label == "" || label == m.Target {
		return fmt.Sprintf("target %q", m.Target)
	}
	return fmt.Sprintf("app %q (target %q)", label, m.Target)
}
