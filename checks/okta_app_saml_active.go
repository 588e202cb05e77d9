package checks

import (
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Okta's value of status for an app users can sign in to.
const samlActiveStatus = "ACTIVE"

func init() {
	register(&audit.Rule{
		ID:       "okta.app.saml-active",
		Title:    "Okta app is an active SAML 2.0 app",
		Severity: audit.High,
		Reference: "Druva guide, Configuring the Okta Druva App, step 3 (\"Select SAML 2.0 and click Create\") and " +
			"step 8 (\"Under Sign-On Options, ensure that SAML 2.0 is selected\")",
		Terraform: "set status = \"ACTIVE\" (an okta_app_saml resource is always SAML 2.0)",
		Location:  audit.Location{Input: audit.InputApp, Key: "signOnMode"},
		Needs:     []audit.Input{audit.InputApp},
		Check:     checkSAMLActive,
	})
}

func checkSAMLActive(t *audit.Target) audit.Result {
	mode, status := t.App.SignOnMode, t.App.Status
	ev := audit.Evidence{}.
		Add("expected", map[string]string{"signOnMode": samlSignOnMode, "status": samlActiveStatus}).
		Add("actual", map[string]string{"signOnMode": mode, "status": status})
	// How the app was recognised: a catalog app's SAML settings are judged
	// only as far as Okta exposes them (docs/inputs.md, Snapshot directory).
	if catalog, how := t.App.Catalog(); catalog {
		ev = ev.Add("catalog_app", how)
	} else if how != "" {
		ev = ev.Add("custom_app", how)
	}

	var wrong, absent []string
	switch {
	case mode == "":
		absent = append(absent, "signOnMode")
	case mode != samlSignOnMode:
		wrong = append(wrong, fmt.Sprintf("its sign-on mode is %q, not SAML 2.0 (%s), and Druva only accepts SAML 2.0", mode, samlSignOnMode))
	}
	switch {
	case status == "":
		absent = append(absent, "status")
	case status == "INACTIVE":
		wrong = append(wrong, fmt.Sprintf("it is deactivated (status %q), so Okta refuses every sign-in to it", status))
	case status != samlActiveStatus:
		wrong = append(wrong, fmt.Sprintf("its status is %q, not %s, so users cannot sign in to it", status, samlActiveStatus))
	}

	// Okta always returns both fields, so an absent one means the file is not
	// a complete app object. A wrong value beside it is still a true finding.
	missingNote := ""
	if len(absent) > 0 {
		missingNote = fmt.Sprintf(" (okta/app.json also has no %s)", strings.Join(absent, " or "))
	}
	switch {
	case len(wrong) > 0:
		return audit.Fail("the Okta app is not usable for Druva SSO: "+strings.Join(wrong, "; and ")+missingNote, ev)
	case len(absent) > 0:
		return audit.Error(fmt.Sprintf("okta/app.json has no %s: cannot tell whether the app is an active SAML 2.0 app (Okta always returns both; save the app again with GET /api/v1/apps/{appId})",
			strings.Join(absent, " or ")), ev)
	}
	if catalog, _ := t.App.Catalog(); catalog {
		return audit.Pass(fmt.Sprintf("the Okta app signs on with SAML 2.0 and is active; it is the %s from Okta's catalog, whose fixed settings Okta does not expose (the rules that need them skip)", t.App.IntegrationName()), ev)
	}
	return audit.Pass("the Okta app signs on with SAML 2.0 and is active", ev)
}
