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

// nameIDUserEmail is a Name ID template that sends the Okta profile's email
// directly: still the user's email, which is what Druva matches.
const nameIDUserEmail = "${user.email}"

func init() {
	register(&audit.Rule{
		ID:       "okta.saml.nameid-email",
		Title:    "Name ID is the user's email, in a format Druva documents",
		Severity: audit.High,
		Reference: "Druva guide, Configuring the Okta Druva App, step 4.3 (\"Name ID format: EmailAddress\"), and per platform: " +
			audit.ProfileReference(audit.FieldNameIDFormats),
		Terraform:     "set subject_name_id_format = \"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\" and subject_name_id_template = \"${user.userName}\"",
		Location:      audit.Location{Input: audit.InputApp, Key: "settings.signOn.subjectNameIdFormat"},
		Needs:         []audit.Input{audit.InputApp},
		Profile:       []audit.ProfileField{audit.FieldNameIDFormats},
		ReadsPlatform: true,
		Check:         checkNameIDEmail,
	})
}

func checkNameIDEmail(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	if r := notSent(t, s, "subjectNameIdFormat", "the Name ID format",
		"Applications > Applications > (the app) > Sign On > View SAML setup instructions (or the integration's set-up notes): the Name ID must be the user's email"); r != nil {
		return *r
	}
	prof := profileOf(t)
	format, tpl := s.SubjectNameIDFormat, s.SubjectNameIDTemplate
	ev := audit.Evidence{}.
		Add("platform", t.Platform).
		Add("expected", fmt.Sprintf("format %s, template %s, %s or unset", strings.Join(audit.Values(prof.NameIDFormats), " or "), nameIDAppUsername, nameIDUserEmail)).
		Add("actual", fmt.Sprintf("format %s, template %s", nameIDShow(format), nameIDShow(tpl))).
		Add("subjectNameIdFormat", format).
		Add("subjectNameIdTemplate", tpl)

	var problems []string
	accepted, ok := audit.Find(prof.NameIDFormats, format)
	if !ok {
		problems = append(problems, nameIDFormatProblem(t, prof, format))
	}
	if tpl != "" && tpl != nameIDAppUsername && tpl != nameIDUserEmail {
		problems = append(problems, nameIDTemplateProblem(tpl))
	}
	if len(problems) > 0 {
		return audit.Fail(strings.Join(problems, "; "), ev)
	}
	ev = acceptedEvidence(ev, accepted)
	how := "the application username (" + nameIDAppUsername + ")"
	switch tpl {
	case "":
		how = "the application username (no template set, which Okta treats as " + nameIDAppUsername + ")"
	case nameIDUserEmail:
		how = "the user's email (" + nameIDUserEmail + ", read from the Okta profile rather than the application username)"
	}
	if format == audit.NameIDUnspecified {
		return audit.Pass(fmt.Sprintf("the Name ID format is Unspecified, which the %s platform accepts (%s), and the Name ID carries %s", t.Platform, accepted.Note, how), ev)
	}
	return audit.Pass("the Name ID is in EmailAddress format and carries "+how, ev)
}

func nameIDFormatProblem(t *audit.Target, prof audit.PlatformProfile, format string) string {
	want := fmt.Sprintf("Druva documents EmailAddress (%s)", nameIDEmailFormat)
	if len(prof.NameIDFormats) > 1 {
		want = fmt.Sprintf("the %s platform accepts %s", t.Platform, strings.Join(audit.Values(prof.NameIDFormats), " or "))
	}
	for _, a := range prof.NameIDFormats {
		if format != a.Value && strings.EqualFold(strings.TrimSpace(format), a.Value) {
			return fmt.Sprintf("the Name ID format is %q: it differs from %s only by letter case or whitespace, and format URNs are compared exactly", format, a.Value)
		}
	}
	switch {
	case strings.TrimSpace(format) == "":
		return fmt.Sprintf("the Name ID format is not set (%q): %s", format, want)
	case strings.EqualFold(strings.TrimSpace(format), nameIDEmailFormat):
		return fmt.Sprintf("the Name ID format is %q: it differs from %s only by letter case or whitespace, and format URNs are compared exactly", format, nameIDEmailFormat)
	}
	last := format[strings.LastIndex(format, ":")+1:]
	if label, ok := nameIDFormatLabels[last]; ok && strings.HasPrefix(format, "urn:oasis:names:tc:SAML:") {
		msg := fmt.Sprintf("the Name ID format is %s: %s", label, want)
		if others := otherPlatforms(t, audit.FieldNameIDFormats, format); len(others) > 0 {
			msg += fmt.Sprintf(" (Druva's GovCloud + Okta article allows it for %s only)", strings.Join(others, " / "))
		}
		return msg
	}
	return fmt.Sprintf("the Name ID format is %q, which is not one Okta offers: %s", format, want)
}

func nameIDTemplateProblem(tpl string) string {
	switch strings.ReplaceAll(tpl, " ", "") {
	case nameIDUserEmail, "user.email":
		return fmt.Sprintf("the Name ID template is %q: it differs from %s only by spaces or the ${ } around it; write it exactly %s (or %s)", tpl, nameIDUserEmail, nameIDUserEmail, nameIDAppUsername)
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
