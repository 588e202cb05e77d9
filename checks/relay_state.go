package checks

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Druva's relay states: the empty one and browseractivate sign a user in,
// adminlogin an administrator.
const (
	relayBrowserActivate = "browseractivate"
	relayAdminLogin      = "adminlogin"
)

// relayDCPUserStates are user relay states that some Druva Cloud Platform
// knowledge-base articles mention; the rule does not accept them, but says
// so precisely rather than calling them unknown.
var relayDCPUserStates = []string{"browserrestore", "deviceactivate", "webrestore"}

func init() {
	register(&audit.Rule{
		ID:       "okta.saml.relay-state",
		Title:    "Default RelayState is one Druva recognises",
		Severity: audit.High,
		Rationale: "Druva routes an IdP-initiated sign-in by its relay state: empty or browseractivate signs a user in, adminlogin an administrator. " +
			"Druva matches the value exactly, so a near miss such as adminLogin or a trailing space silently stops administrators from signing in, " +
			"usually noticed only when they need the console.",
		Remediation: "1. Okta admin console: Applications > Applications > (the Druva app) > General > SAML Settings > Edit > Next.\n" +
			"2. Set \"Default RelayState\": leave it empty (or browseractivate) for the app users sign in with; type adminlogin, in lower case " +
			"and with no spaces, for the app administrators sign in with.\n" +
			"3. Click Next > Finish.\n" +
			"4. For administrators also check the Druva side: inSync Management Console > Settings > Single Sign-On > Edit > " +
			"\"Enable single sign-on for administrators\" (with \"Failsafe for administrators\").",
		Reference: "Druva guide, Configuring the Okta Druva App, step 4 (the user app's SAML settings, no relay state) and " +
			"\"Configure the inSync Management Console to use Okta for inSync Administrators\" (administrator sign-in, relay state adminlogin)",
		Terraform: "set default_relay_state = \"\" for user sign-in, or \"adminlogin\" for the administrators' app",
		Needs:     []audit.Input{audit.InputApp},
		Check:     checkRelayState,
	})
}

func checkRelayState(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	v := s.DefaultRelayState
	ev := audit.Evidence{}.
		Add("expected", `"" or "browseractivate" (users), "adminlogin" (administrators)`).
		Add("actual", v)
	switch v {
	case "":
		return audit.Pass("the Default RelayState is empty: the app signs users in to Druva", ev.Add("mode", "users"))
	case relayBrowserActivate:
		return audit.Pass(`the Default RelayState is "browseractivate": the app signs users in to Druva`, ev.Add("mode", "users"))
	case relayAdminLogin:
		return audit.Pass(`the Default RelayState is "adminlogin": the app signs administrators in to the Druva console`, ev.Add("mode", "administrators"))
	}

	trimmed := strings.TrimSpace(v)
	switch {
	case trimmed == "":
		return audit.Fail(fmt.Sprintf("the Default RelayState is %q: blank but not empty, which Druva does not read as no relay state; clear the field", v), ev)
	case strings.EqualFold(trimmed, relayAdminLogin):
		return audit.Fail(fmt.Sprintf(`the Default RelayState is %q, not "adminlogin" (%s). Druva matches adminlogin exactly and never authenticates an administrator without the exact value`,
			v, relayNearMiss(v, trimmed, relayAdminLogin)), ev)
	case strings.EqualFold(trimmed, relayBrowserActivate):
		return audit.Fail(fmt.Sprintf(`the Default RelayState is %q, not "browseractivate" (%s). ssoaudit accepts browseractivate only exactly as Druva writes it: in lower case, with no spaces`,
			v, relayNearMiss(v, trimmed, relayBrowserActivate)), ev)
	case relayLooksLikeURL(trimmed):
		return audit.Fail(fmt.Sprintf(`the Default RelayState is %q: a URL is not a Druva relay state. Druva expects it empty or "browseractivate" (users) or "adminlogin" (administrators)`, v), ev)
	}
	for _, dcp := range relayDCPUserStates {
		if strings.EqualFold(trimmed, dcp) {
			return audit.Fail(fmt.Sprintf(`the Default RelayState is %q: some Druva Cloud Platform articles mention %q for users, but the rule accepts only an empty value, "browseractivate" or "adminlogin"; `+
				"if Druva confirmed this value for your account, suppress this result in .ssoaudit.yaml with that reason", v, dcp), ev)
		}
	}
	return audit.Fail(fmt.Sprintf(`the Default RelayState is %q, which is not a Druva relay state: Druva expects it empty or "browseractivate" (users) or "adminlogin" (administrators)`, v), ev)
}

// relayNearMiss says how v misses want: stray whitespace, letter case, or both.
func relayNearMiss(v, trimmed, want string) string {
	var notes []string
	before := strings.TrimLeftFunc(v, unicode.IsSpace) != v
	after := strings.TrimRightFunc(v, unicode.IsSpace) != v
	switch {
	case before && after:
		notes = append(notes, "it has a stray space before and after it")
	case before:
		notes = append(notes, "it has a stray space before it")
	case after:
		notes = append(notes, "it has a stray space after it")
	}
	if trimmed != want {
		notes = append(notes, "its letter case differs")
	}
	return strings.Join(notes, ", and ")
}

// relayLooksLikeURL recognises an absolute or site-relative URL, which people
// paste in hoping to land on a Druva page after sign-in.
func relayLooksLikeURL(v string) bool {
	l := strings.ToLower(v)
	return strings.Contains(l, "://") || strings.HasPrefix(l, "/") || strings.HasPrefix(l, "www.")
}
