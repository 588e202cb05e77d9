package checks

import "github.com/ssoaudit/ssoaudit/audit"

func init() {
	register(&audit.Rule{
		ID:       "okta.saml.assertion-signed",
		Title:    "SAML assertion is signed",
		Severity: audit.Medium,
		Reference: "Druva guide, Configuring the Okta Druva App, step 4.4 (\"Under Advanced Settings, set Response as Signed\"); " +
			"signing the assertion too is a hardening beyond the guide",
		Terraform: "set assertion_signed = true",
		Location:  audit.Location{Input: audit.InputApp, Key: "settings.signOn.assertionSigned"},
		Needs:     []audit.Input{audit.InputApp},
		Check:     checkAssertionSigned,
	})
}

func checkAssertionSigned(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	if r := notSent(t, s, "assertionSigned", "whether the SAML assertion is signed",
		"Applications > Applications > (the app) > Sign On > Settings, and the integration's set-up instructions"); r != nil {
		return *r
	}
	ev := audit.Evidence{}.Add("expected", true).Add("actual", s.AssertionSigned)
	if !s.AssertionSigned {
		if !s.ResponseSigned && s.Has("responseSigned") {
			return audit.Fail("the SAML assertion is not signed (settings.signOn.assertionSigned is false), and neither is the response: nothing Okta asserts is signed (see okta.saml.response-signed)", ev)
		}
		return audit.Fail("the SAML assertion is not signed (settings.signOn.assertionSigned is false): only the response's signature protects it", ev)
	}
	return audit.Pass("the SAML assertion is signed", ev)
}
