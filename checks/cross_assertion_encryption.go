package checks

import (
	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:       "cross.assertion-encryption",
		Title:    "Okta encrypts assertions exactly when Druva wants them encrypted",
		Severity: audit.High,
		Reference: "Druva: Configure inSync for SSO (\"Want Assertions Encrypted: Select this checkbox, if you want to enable encryption for the SAML assertions. By default, encryption is disabled\") " +
			"<https://docs.druva.com/001_inSync_Cloud/Cloud/020_Backup_and_Restore/010_Set_up_inSync/020_Configure_single_sign-on_for_inSync/040_Configure_inSync_for_SSO>; " +
			"Okta Apps API settings.signOn.assertionEncryption",
		Location: audit.Location{Input: audit.InputApp, Key: "settings.signOn.assertionEncryption"},
		Needs:    []audit.Input{audit.InputApp, audit.InputConsole},
		Check:    checkAssertionEncryption,
	})
}

func checkAssertionEncryption(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	if t.Console.SSO == nil || t.Console.SSO.WantAssertionsEncrypted == nil {
		return audit.SkipAbsent(audit.InputConsole, "druva.yaml does not record the console's \"Want Assertions Encrypted\" (sso.want_assertions_encrypted): nothing to compare Okta's assertion encryption with", nil)
	}
	want := *t.Console.SSO.WantAssertionsEncrypted
	ev := audit.Evidence{}.Add("expected", want).Add("druva_want_assertions_encrypted", want)
	if s.AssertionEncryption == nil {
		why := "Okta did not send settings.signOn.assertionEncryption.enabled"
		switch {
		case t.Source == audit.SourceTerraform:
			why = "the okta_app_saml resource has no attribute for assertion encryption, so a plan or state cannot say whether Okta encrypts"
		case s.State("assertionEncryption.enabled") == audit.FieldSet:
			why = "settings.signOn.assertionEncryption.enabled is not a boolean"
		case s.State("assertionEncryption.enabled") == audit.FieldNull:
			why = "settings.signOn.assertionEncryption.enabled is null"
		}
		r := audit.SkipHidden(why+": verify it in the Okta admin console (the Druva app > General > SAML Settings > Show Advanced Settings > Assertion Encryption)", ev.Add("actual", nil))
		return r
	}
	got := *s.AssertionEncryption
	ev = ev.Add("actual", got).Add("okta_assertion_encryption", got)
	switch {
	case want && !got:
		return audit.Fail("Druva wants encrypted assertions (\"Want Assertions Encrypted\" is ticked) but Okta sends them unencrypted: Druva rejects every sign-in", ev)
	case !want && got:
		return audit.Fail("Okta encrypts the assertions but Druva does not want them encrypted (\"Want Assertions Encrypted\" is not ticked): Druva cannot read them and every sign-in fails", ev)
	case want:
		return audit.Pass("Druva wants encrypted assertions and Okta encrypts them", ev)
	}
	return audit.Pass("neither side encrypts assertions: Druva does not want them encrypted and Okta sends them unencrypted", ev)
}
