package okta

import (
	"strings"
	"testing"
)

// TestDruvaApp: which apps of an org discovery takes, and the reason it
// gives, on application objects shaped as Okta's list returns them.
func TestDruvaApp(t *testing.T) {
	tests := []struct {
		name, json string
		taken      bool
		why        string
	}{
		{"custom app, Druva audience", `{"id":"0oa1","name":"acme_druvainsync_1","label":"Backup","signOnMode":"SAML_2_0",
			"settings":{"signOn":{"ssoAcsUrl":"https://example.net/acs","audience":"DCP-login"}}}`, true, `its audience "DCP-login" is the dcp platform's entity ID`},
		{"custom app, Druva ACS URL", `{"id":"0oa1","name":"acme_backup_1","label":"Backup","signOnMode":"SAML_2_0",
			"settings":{"signOn":{"ssoAcsUrl":"https://cloud.druva.com/wrsaml/consume","audience":"x"}}}`, true, "is on druva.com"},
		{"custom app, Druva only through an override", `{"id":"0oa1","name":"acme_backup_1","label":"Backup","signOnMode":"SAML_2_0",
			"settings":{"signOn":{"ssoAcsUrl":"https://example.net","audience":"x","audienceOverride":"druva-cloud"}}}`, true, `its audience "druva-cloud"`},
		// The shape of a catalog SAML app in Okta's recorded responses
		// (settings.signOn with the relay state and *Override fields only).
		{"catalog app Druva 2.0", `{"id":"0oa2","name":"druva2","label":"Druva 2.0","signOnMode":"SAML_2_0",
			"settings":{"app":{},"signOn":{"defaultRelayState":null,"ssoAcsUrlOverride":null,"audienceOverride":null,"recipientOverride":null}}}`,
			true, `a catalog app whose name "druva2" or label "Druva 2.0" mentions Druva`},
		{"catalog app with an inSync field", `{"id":"0oa2","name":"acmebackup","label":"Backups","signOnMode":"SAML_2_0",
			"settings":{"app":{"insyncAuthToken":"A-1-2-x"},"signOn":{"defaultRelayState":null}}}`, true, "an inSync field"},
		{"catalog app of another vendor", `{"id":"0oa3","name":"office365","label":"Microsoft Office 365","signOnMode":"SAML_2_0",
			"settings":{"app":{"domain":"okta.com"},"signOn":{"defaultRelayState":null,"ssoAcsUrlOverride":null}}}`, false, `a catalog app (integration "office365")`},
		{"custom app labelled Druva pointing elsewhere", `{"id":"0oa4","name":"acme_druva_1","label":"Druva","signOnMode":"SAML_2_0",
			"settings":{"signOn":{"ssoAcsUrl":"https://sso.example.net/acs","audience":"https://sso.example.net"}}}`, true, "taken so that the rules say what is wrong"},
		{"bookmark named Druva", `{"id":"0oa5","name":"bookmark","label":"Druva docs","signOnMode":"BOOKMARK","settings":{"app":{"url":"https://docs.druva.com"}}}`,
			false, `sign-on mode is "BOOKMARK", not SAML 2.0`},
		{"another custom SAML app", `{"id":"0oa6","name":"acme_salesforce_1","label":"Salesforce","signOnMode":"SAML_2_0",
			"settings":{"signOn":{"ssoAcsUrl":"https://acme.my.salesforce.com","audience":"https://saml.salesforce.com"}}}`, false, "are not Druva's"},
		{"Druva's host as a suffix of another", `{"id":"0oa7","name":"acme_x_1","label":"X","signOnMode":"SAML_2_0",
			"settings":{"signOn":{"ssoAcsUrl":"https://evildruva.com/acs","audience":"x"}}}`, false, "are not Druva's"},
	}
	for _, tc := range tests {
		app, err := ParseApp(strings.NewReader(tc.json))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		taken, why := DruvaApp(app)
		if taken != tc.taken || !strings.Contains(why, tc.why) {
			t.Errorf("%s: taken %v (%s), want %v (%s)", tc.name, taken, why, tc.taken, tc.why)
		}
	}
}
