package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

func nameIDSet(format, tpl string) func(*audit.Target) {
	return func(t *audit.Target) {
		t.App.Settings.SignOn.SubjectNameIDFormat = format
		t.App.Settings.SignOn.SubjectNameIDTemplate = tpl
	}
}

func TestNameIDEmail(t *testing.T) {
	runCases(t, "okta.saml.nameid-email", append([]ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "EmailAddress format",
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "subjectNameIdFormat"); got != nameIDEmailFormat {
					t.Errorf("evidence subjectNameIdFormat = %v", got)
				}
				evidence(t, r, "expected")
				evidence(t, r, "actual")
			}},
		{name: "template unset", mutate: nameIDSet(nameIDEmailFormat, ""), want: audit.StatusPass, message: "no template set"},
		{name: "unspecified format", mutate: nameIDSet("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified", "${user.userName}"),
			want: audit.StatusFail, message: "the Name ID format is Unspecified"},
		{name: "persistent format", mutate: nameIDSet("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "${user.userName}"),
			want: audit.StatusFail, message: "the Name ID format is Persistent"},
		{name: "transient format", mutate: nameIDSet("urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "${user.userName}"),
			want: audit.StatusFail, message: "the Name ID format is Transient"},
		{name: "x509 format", mutate: nameIDSet("urn:oasis:names:tc:SAML:1.1:nameid-format:x509SubjectName", "${user.userName}"),
			want: audit.StatusFail, message: "the Name ID format is x509SubjectName"},
		{name: "Windows format", mutate: nameIDSet("urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName", "${user.userName}"),
			want: audit.StatusFail, message: "the Name ID format is WindowsDomainQualifiedName"},
		{name: "format unset", mutate: nameIDSet("", "${user.userName}"),
			want: audit.StatusFail, message: "the Name ID format is not set"},
		{name: "format differs by case", mutate: nameIDSet("urn:oasis:names:tc:SAML:1.1:nameid-format:emailaddress", "${user.userName}"),
			want: audit.StatusFail, message: "only by letter case or whitespace"},
		{name: "unknown format", mutate: nameIDSet("email", "${user.userName}"),
			want: audit.StatusFail, message: `the Name ID format is "email", which is not one Okta offers`},
		{name: "template ${user.email}", mutate: nameIDSet(nameIDEmailFormat, "${user.email}"),
			want: audit.StatusPass, message: "carries the user's email (${user.email}"},
		{name: "template user.email", mutate: nameIDSet(nameIDEmailFormat, "user.email"),
			want: audit.StatusFail, message: "differs from ${user.email} only by spaces or the ${ } around it"},
		{name: "template ${ user.email }", mutate: nameIDSet(nameIDEmailFormat, "${ user.email }"),
			want: audit.StatusFail, message: "differs from ${user.email} only by spaces"},
		{name: "GovCloud: unspecified passes with the reason", mutate: chain(onPlatform("insync-govcloud"), nameIDSet(audit.NameIDUnspecified, "${user.userName}")),
			want: audit.StatusPass, message: "Unspecified, which the insync-govcloud platform accepts (Druva's GovCloud + Okta article",
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "documented_by"); !strings.Contains(got.(string), "https://help.druva.com/en/articles/9158900") {
					t.Errorf("documented_by = %v", got)
				}
			}},
		{name: "DCP: unspecified fails", mutate: chain(onPlatform("dcp"), nameIDSet(audit.NameIDUnspecified, "${user.userName}")),
			want: audit.StatusFail, message: "allows it for insync-govcloud / dcp-govcloud only"},
		{name: "catalog app: format not sent", mutate: chain(asCatalog("druva"), unsent("subjectNameIdFormat", "subjectNameIdTemplate")),
			want: audit.StatusSkip, message: `Okta does not expose the Name ID format for the "Druva inSync" (catalog integration "druva")`},
		{name: "format null", mutate: nullSent("subjectNameIdFormat"),
			want: audit.StatusSkip, message: "settings.signOn.subjectNameIdFormat is null"},
		{name: "template differs by case", mutate: nameIDSet(nameIDEmailFormat, "${user.username}"),
			want: audit.StatusFail, message: "by letter case, and Okta's expression language is case-sensitive"},
		{name: "other template", mutate: nameIDSet(nameIDEmailFormat, "${user.login}"),
			want: audit.StatusFail, message: `the Name ID template is "${user.login}", not ${user.userName}`},
		{name: "both wrong", mutate: nameIDSet("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "${user.login}"),
			want: audit.StatusFail, message: "Persistent (meant for an opaque, stable identifier, not an email): Druva documents EmailAddress (urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress); the Name ID template is \"${user.login}\""},
	}, samlAppCases()...))
}
