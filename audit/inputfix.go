package audit

import "strings"

// snapshotEndpoint is the Okta API request each snapshot file is the
// verbatim response of (PRODUCT.md section 3).
var snapshotEndpoint = map[Input]string{
	InputApp:         "GET /api/v1/apps/{appId}",
	InputKeys:        "GET /api/v1/apps/{appId}/credentials/keys",
	InputMetadata:    "GET /api/v1/apps/{appId}/sso/saml/metadata",
	InputUsers:       "every page of GET /api/v1/apps/{appId}/users?expand=user (follow the Link: rel=\"next\" headers), joined into one JSON array",
	InputPolicyRules: "GET /api/v1/policies/{policyId}/rules for the policy app.json's _links.accessPolicy names",
}

// InputFix is the fix for a rule that could not read an input: how to get
// that data again from where it came (a snapshot file, the live API, a
// Terraform plan), never the rule's own set-up fix, which is beside the
// point until the rule can look.
//
// It is the one place such a fix is written: a rule that finds an input
// unreadable while reading it (a users.json that breaks after some users)
// must give the same fix as the runner gives when the input failed to load,
// rather than fall back to its own set-up remediation.
func InputFix(in Input, source string) string {
	if in == InputUsers && source == "snapshot" {
		// What a saved users.json most often lacks.
		return strings.TrimSuffix(inputFix(in, source), "; then scan again.") +
			"; keep expand=user, or the users carry no email to compare; then scan again."
	}
	return inputFix(in, source)
}

func inputFix(in Input, source string) string {
	if in == InputConsole {
		return "Fix druva.yaml where the message says (or write a fresh template with `ssoaudit init` and fill it in from the Druva console), then scan again."
	}
	switch source {
	case "snapshot":
		ep := snapshotEndpoint[in]
		if ep == "" {
			return InputRemediation
		}
		return "Save " + string(in) + " again, verbatim from the Okta API: " + ep +
			" (e.g. curl -H \"Authorization: SSWS $OKTA_CLIENT_TOKEN\" https://ORG.okta.com/api/v1/...), " +
			"or save the whole snapshot again with `ssoaudit snapshot --okta-org URL --app-id ID --out DIR`; then scan again."
	case "okta":
		scope := "okta.apps.read"
		switch in {
		case InputUsers:
			scope = "okta.users.read"
		case InputPolicyRules:
			scope = "okta.policies.read"
		}
		return "Check what kept ssoaudit from reading Okta, then scan again: the credential (OKTA_CLIENT_TOKEN, or the service app's key with the " +
			scope + " scope), the org URL and the app ID (HTTP 404: no such app), the network and the CA (a private CA: SSL_CERT_FILE)."
	case "terraform":
		return "Write the plan again with `terraform show -json PLAN > plan.json` and scan it; values Terraform knows only after apply " +
			"cannot be judged before it (scan a snapshot of the app after apply)."
	}
	return InputRemediation
}

// UsersFix is InputFix for the assigned users (okta/users.json, or the
// live users endpoint).
func UsersFix(source string) string { return InputFix(InputUsers, source) }
