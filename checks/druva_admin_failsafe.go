package checks

import (
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:       "druva.admin.failsafe",
		Title:    "Administrator SSO keeps the failsafe password sign-in",
		Severity: audit.High,
		Reference: "Druva guide, Configure the inSync Management Console to use Okta for inSync Administrators, step 3 " +
			"(\"Select Enable single sign-on for administrators and ensure Failsafe for administrators is selected\")",
		Location: audit.Location{Input: audit.InputConsole, Key: "admins.failsafe"},
		Needs:    []audit.Input{audit.InputConsole},
		Check:    checkDruvaFailsafe,
	})
}

// checkDruvaFailsafe decides on the two switches. The console parser refuses
// an empty switch, so a nil one was left out of a present admins section:
// that section records nothing about it, so the rule cannot look — a skip
// for want of input (docs/inputs.md, druva.yaml: a section left out skips; only a
// field present but empty is a finding), which --require druva turns into
// an error. It is no reason to tell anyone to change the console.
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
		return adminsUnrecorded(a, "whether administrators sign in with SSO, and so whether they can be locked out, is unknown", ev)
	case !*a.SSOEnabled:
		msg := "single sign-on for administrators is disabled: administrators sign in with passwords only, outside Okta's policies and MFA"
		if a.Failsafe == nil || !*a.Failsafe {
			msg += "; when enabling it, also select \"Failsafe for administrators\""
		}
		return audit.Warn(msg, ev)
	case a.Failsafe == nil:
		return adminsUnrecorded(a, "single sign-on for administrators is enabled, but whether administrators keep a way in when SSO breaks is unknown", ev)
	case !*a.Failsafe:
		return audit.Fail("single sign-on for administrators is enabled without \"Failsafe for administrators\": an IdP outage "+
			"or a certificate rotation locks every administrator out of the console", ev)
	}
	return audit.Pass("single sign-on for administrators is enabled with \"Failsafe for administrators\" selected", ev)
}

// adminSwitches names the admins fields of druva.yaml with the console
// labels they record.
var adminSwitches = []struct{ key, label string }{
	{"sso_enabled", "Enable single sign-on for administrators"},
	{"failsafe", "Failsafe for administrators"},
}

// adminsUnrecorded is the skip of an admins section that leaves out a switch
// the rule needs: it says which fields to record, from where, and changes
// nothing in the console.
func adminsUnrecorded(a *audit.ConsoleAdmins, why string, ev audit.Evidence) audit.Result {
	var keys []string
	for i, v := range []*bool{a.SSOEnabled, a.Failsafe} {
		if v == nil {
			keys = append(keys, fmt.Sprintf("admins.%s (%q)", adminSwitches[i].key, adminSwitches[i].label))
		}
	}
	r := audit.SkipAbsent(audit.InputConsole, "druva.yaml's admins section does not record "+strings.Join(keys, " or ")+": "+why, ev)
	r.Remediation = adminsRecordFix
	return r
}

// adminsRecordFix says how to complete a druva.yaml admins section: record
// what the console shows, whatever it is; a record is not a setting.
const adminsRecordFix = "Record the administrator switches in druva.yaml as the console shows them, without changing them: " +
	"inSync Management Console > Settings > Single Sign-On (the guide's administrator section: Druva Cloud Settings > Single Sign-On Settings), " +
	"then under admins: write sso_enabled: true or false (\"Enable single sign-on for administrators\") and " +
	"failsafe: true or false (\"Failsafe for administrators\"). Then scan again."

// failsafeValue shows a switch, or null when it was not recorded.
func failsafeValue(b *bool) any {
	if b == nil {
		return nil
	}
	return *b
}
