package checks

import (
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

const (
	nameIDEmailFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	// nameIDAppUsername is Okta's default Name ID: the app username, which
	// the guide's prerequisite makes the user's email.
	nameIDAppUsername = "${user.userName}"
)

// nameIDFormatLabels name the formats Okta offers (by the URN's last part) as
// its admin console does, with what each means for Druva.
var nameIDFormatLabels = map[string]string{
	"unspecified":                "Unspecified (it does not tell Druva the value is an email)",
	"persistent":                 "Persistent (meant for an opaque, stable identifier, not an email)",
	"transient":                  "Transient (meant for a one-time identifier that changes at each sign-in)",
	"x509SubjectName":            "x509SubjectName (meant for a certificate subject name, not an email)",
	"WindowsDomainQualifiedName": `WindowsDomainQualifiedName (meant for DOMAIN\user, not an email)`,
	"entity":                     "Entity (meant for a SAML entity ID, not a user)",
	"kerberos":                   "Kerberos (meant for a Kerberos principal, not an email)",
}

func init() {
	register(&audit.Rule{
		ID:       "okta.saml.nameid-email",
		Title:    "Name ID is the user's email, in EmailAddress format",
		Severity: audit.High,
		Rationale: "Druva identifies the signing-in user by the SAML Name ID, which the guide requires in EmailAddress format and which Okta fills from " +
			"the application username (set to Email). Another format, or a template that bypasses the application username, sends Druva an identity " +
			"it may not match, or match to the wrong account.",
		Remediation: "1. Okta admin console: Applications > Applications > (the Druva app) > General > SAML Settings > Edit > Next.\n" +
			"2. Set \"Name ID format\" to EmailAddress and \"Application username\" to Email.\n" +
			"3. Click Next > Finish.\n" +
			"4. The Name ID template (settings.signOn.subjectNameIdTemplate) is not shown in the admin console: if it is not ${user.userName}, set it back " +
			"through the Apps API (PUT /api/v1/apps/{appId}) or Terraform (okta_app_saml subject_name_id_template = \"${user.userName}\").",
		Reference: "Druva guide, Configuring the Okta Druva App, step 4.3 (\"Name ID format: EmailAddress\") and the prerequisite " +
			"(\"Ensure the Application Username format is set to 'Email'\")",
		Terraform: "set subject_name_id_format = \"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\" and subject_name_id_template = \"${user.userName}\"",
		Needs:     []audit.Input{audit.InputApp},
		Check:     checkNameIDEmail,
	})
}

func checkNameIDEmail(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	format, tpl := s.SubjectNameIDFormat, s.SubjectNameIDTemplate
	ev := audit.Evidence{}.
		Add("expected", fmt.Sprintf("format %s, template %s (or unset)", nameIDEmailFormat, nameIDAppUsername)).
		Add("actual", fmt.Sprintf("format %s, template %s", nameIDShow(format), nameIDShow(tpl))).
		Add("subjectNameIdFormat", format).
		Add("subjectNameIdTemplate", tpl)

	var problems []string
	if format != nameIDEmailFormat {
		problems = append(problems, nameIDFormatProblem(format))
	}
	if tpl != "" && tpl != nameIDAppUsername {
		problems = append(problems, nameIDTemplateProblem(tpl))
	}
	if len(problems) > 0 {
		return audit.Fail(strings.Join(problems, "; "), ev)
	}
	how := "the application username (" + nameIDAppUsername + ")"
	if tpl == "" {
		how = "the application username (no template set, which Okta treats as " + nameIDAppUsername + ")"
	}
	return audit.Pass("the Name ID is in EmailAddress format and carries "+how, ev)
}

func nameIDFormatProblem(format string) string {
	switch {
	case strings.TrimSpace(format) == "":
		return fmt.Sprintf("the Name ID format is not set (%q): Druva's guide requires EmailAddress (%s)", format, nameIDEmailFormat)
	case strings.EqualFold(strings.TrimSpace(format), nameIDEmailFormat):
		return fmt.Sprintf("the Name ID format is %q: it differs from %s only by letter case or whitespace, and format URNs are compared exactly", format, nameIDEmailFormat)
	}
	last := format[strings.LastIndex(format, ":")+1:]
	if label, ok := nameIDFormatLabels[last]; ok && strings.HasPrefix(format, "urn:oasis:names:tc:SAML:") {
		return fmt.Sprintf("the Name ID format is %s: Druva's guide requires EmailAddress (%s)", label, nameIDEmailFormat)
	}
	return fmt.Sprintf("the Name ID format is %q, which is not one Okta offers: Druva's guide requires EmailAddress (%s)", format, nameIDEmailFormat)
}

func nameIDTemplateProblem(tpl string) string {
	switch strings.ReplaceAll(tpl, " ", "") {
	case "${user.email}", "user.email":
		return fmt.Sprintf("the Name ID template is %q: it sends the Okta profile's email directly and bypasses the application username "+
			"(the guide's Email choice, which Okta admins see and can override per user), so the Name ID no longer follows what "+
			"okta.username.email and okta.users.username-current audit; set it to %s", tpl, nameIDAppUsername)
	case nameIDAppUsername:
		return fmt.Sprintf("the Name ID template is %q: it differs from %s only by spaces", tpl, nameIDAppUsername)
	}
	if strings.EqualFold(strings.TrimSpace(tpl), nameIDAppUsername) {
		return fmt.Sprintf("the Name ID template is %q: it differs from %s by letter case, and Okta's expression language is case-sensitive", tpl, nameIDAppUsername)
	}
	return fmt.Sprintf("the Name ID template is %q, not %s: Druva receives whatever that expression yields instead of the application username (the user's email)", tpl, nameIDAppUsername)
}

// nameIDShow makes an unset value visible in evidence.
func nameIDShow(v string) string {
	if v == "" {
		return "(unset)"
	}
	return v
}
