package checks

import "github.com/ssoaudit/ssoaudit/audit"

func init() {
	register(&audit.Rule{
		ID:        "okta.saml.response-signed",
		Title:     "SAML response is signed",
		Severity:  audit.Critical,
		Reference: "Druva guide, Configuring the Okta Druva App, step 4.4 (\"Under Advanced Settings, set Response as Signed\")",
		Terraform: "set response_signed = true",
		Location:  audit.Location{Input: audit.InputApp, Key: "settings.signOn.responseSigned"},
		Needs:     []audit.Input{audit.InputApp},
		Check:     checkResponseSigned,
	})
}

func checkResponseSigned(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	if r := notSent(t, s, "responseSigned", "whether the SAML response is signed",
		"Applications > Applications > (the app) > Sign On > Settings, and the integration's set-up instructions: Druva's guide requires a signed response"); r != nil {
		return *r
	}
	ev := audit.Evidence{}.Add("expected", true).Add("actual", s.ResponseSigned)
	if !s.ResponseSigned {
		return audit.Fail("the SAML response is not signed (settings.signOn.responseSigned is false)", ev)
	}
	return audit.Pass("the SAML response is signed", ev)
}
