package checks

import (
	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:       "druva.admin.failsafe",
		Title:    "Administrator SSO keeps the failsafe password sign-in",
		Severity: audit.High,
		Rationale: "With single sign-on enforced for administrators and no failsafe, an Okta outage, an expired or rotated " +
			"signing certificate or a broken SAML setting locks every administrator out of the console they would need to fix it. " +
			"Druva's guide therefore has the failsafe selected by default and recommends keeping it.",
		Remediation: "1. inSync Management Console > Druva Cloud Settings > Single Sign-On > Edit.\n" +
			"2. Select \"Enable single sign-on for administrators\" and make sure \"Failsafe for administrators\" is selected.\n" +
			"3. Save, and record both in druva.yaml (admins.sso_enabled: true, admins.failsafe: true).",
		Reference: "Druva guide, Configure the inSync Management Console to use Okta for inSync Administrators, step 3 " +
			"(\"Select Enable single sign-on for administrators and ensure Failsafe for administrators is selected\")",
		Needs: []audit.Input{audit.InputConsole},
		Check: checkDruvaFailsafe,
	})
}

// checkDruvaFailsafe decides on the two switches. The console parser refuses
// an empty switch, so a nil one was left out of a present admins section:
// that is a gap in the record, and an unrecorded switch cannot pass.
func checkDruvaFailsafe(t *audit.Target) audit.Result {
	a := t.Console.Admins
	if a == nil {
		return audit.SkipAbsent(audit.InputConsole, "druva.yaml has no admins section: the administrator SSO switches were not recorded", nil)
	}
	ev := audit.Evidence{}.
		Add("expected", audit.Evidence{}.Add("sso_enabled", true).Add("failsafe", true)).
		Add("actual", audit.Evidence{}.Add("sso_enabled", failsafeValue(a.SSOEnabled)).Add("failsafe", failsafeValue(a.Failsafe)))
	switch {
	case a.SSOEnabled == nil:
		return audit.Fail("druva.yaml's admins section does not record sso_enabled (\"Enable single sign-on for administrators\"): "+
			"whether administrators can be locked out cannot be verified", ev)
	case !*a.SSOEnabled:
		msg := "single sign-on for administrators is disabled: administrators sign in with passwords only, outside Okta's policies and MFA"
		if a.Failsafe == nil || !*a.Failsafe {
			msg += "; when enabling it, also select \"Failsafe for administrators\""
		}
		return audit.Warn(msg, ev)
	case a.Failsafe == nil:
		return audit.Fail("single sign-on for administrators is enabled but druva.yaml's admins section does not record failsafe "+
			"(\"Failsafe for administrators\"): it cannot be verified that administrators keep a way in when SSO breaks", ev)
	case !*a.Failsafe:
		return audit.Fail("single sign-on for administrators is enabled without \"Failsafe for administrators\": an IdP outage "+
			"or a certificate rotation locks every administrator out of the console", ev)
	}
	return audit.Pass("single sign-on for administrators is enabled with \"Failsafe for administrators\" selected", ev)
}

// failsafeValue shows a switch, or null when it was not recorded.
func failsafeValue(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}
