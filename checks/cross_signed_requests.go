package checks

import (
	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:       "cross.signed-requests",
		Title:    "Druva signs its AuthnRequests when Okta requires signed requests",
		Severity: audit.High,
		Reference: "Druva: Configure inSync for SSO (\"AuthnRequests Signed: Select this checkbox, if you want signed SAML Authentication Requests. By default, SAML Authentication Requests are not signed\") " +
			"<https://docs.druva.com/001_inSync_Cloud/Cloud/020_Backup_and_Restore/010_Set_up_inSync/020_Configure_single_sign-on_for_inSync/040_Configure_inSync_for_SSO>; " +
			"Okta Apps API settings.signOn.samlSignedRequestEnabled",
		Terraform: "set saml_signed_request_enabled = false, unless Druva signs its requests (then record authn_requests_signed: true in druva.yaml)",
		Location:  audit.Location{Input: audit.InputApp, Key: "settings.signOn.samlSignedRequestEnabled"},
		Needs:     []audit.Input{audit.InputApp},
		Check:     checkSignedRequests,
	})
}

func checkSignedRequests(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	if r := notSent(t, s, "samlSignedRequestEnabled", "whether Okta requires signed AuthnRequests",
		"the Druva app > General > SAML Settings > Show Advanced Settings > Signed Requests"); r != nil {
		return *r
	}
	ev := audit.Evidence{}.Add("okta_saml_signed_request_enabled", s.SAMLSignedRequestEnabled)
	if !s.SAMLSignedRequestEnabled {
		return audit.Pass("Okta does not require signed AuthnRequests, so Druva's requests are accepted whether or not it signs them", ev.Add("expected", "any").Add("actual", false))
	}
	// Okta requires signatures: only now does Druva's side matter.
	if g, ok := t.Gap(audit.InputConsole); ok {
		if g.Failed {
			r := audit.Error("Okta requires signed AuthnRequests, and the Druva console settings could not be read to tell whether Druva signs them: "+g.Reason, ev)
			r.Remediation = audit.InputRemediation
			return r
		}
		return audit.SkipAbsent(audit.InputConsole, "Okta requires signed AuthnRequests, and druva.yaml is not available to tell whether Druva signs them: "+g.Reason, ev)
	}
	if t.Console == nil || t.Console.SSO == nil || t.Console.SSO.AuthnRequestsSigned == nil {
		return audit.SkipAbsent(audit.InputConsole, "Okta requires signed AuthnRequests, and druva.yaml does not record the console's \"AuthnRequests Signed\" (sso.authn_requests_signed)", ev)
	}
	signed := *t.Console.SSO.AuthnRequestsSigned
	ev = ev.Add("expected", true).Add("actual", signed).Add("druva_authn_requests_signed", signed)
	if !signed {
		return audit.Fail("Okta requires signed AuthnRequests (samlSignedRequestEnabled) but Druva does not sign them (\"AuthnRequests Signed\" is not ticked): every sign-in that starts at Druva is rejected", ev)
	}
	return audit.Pass("Okta requires signed AuthnRequests and Druva signs them", ev)
}
