package checks

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/ssoaudit/ssoaudit/audit"
)

// The guide's "Email" choice of application username format.
const unameEmailTemplate = "${source.email}"

// unameBuiltIns names Okta's built-in username formats as the admin console
// labels them, so a failure says what the admin actually picked.
var unameBuiltIns = map[string]string{
	"${source.email}":                             "Email",
	"${fn:toLowerCase(source.email)}":             "Email (lowercase)",
	`${fn:substringBefore(source.email, "@")}`:    "Email prefix",
	"${source.login}":                             "Okta username",
	`${fn:substringBefore(source.login, "@")}`:    "Okta username prefix",
	"${source.samAccountName}":                    "AD SAM account name",
	"${fn:toLowerCase(source.samAccountName)}":    "AD SAM account name (lowercase)",
	"${source.userName}":                          "AD user principal name",
	`${fn:substringBefore(source.userName, "@")}`: "AD user principal name prefix",
	"${source.employeeID}":                        "AD employee ID",
	"${source.userName}${instance.userSuffix}":    "LDAP UID + custom suffix",
}

func init() {
	register(&audit.Rule{
		ID:       "okta.username.email",
		Title:    "Application username format is Email",
		Severity: audit.High,
		Reference: "Druva guide, Configuring the Okta Druva App, Prerequisite (\"Ensure the Application Username format is set to 'Email' while creating the app\"), and per platform: " +
			audit.ProfileReference(audit.FieldUsernames),
		Terraform:     "set user_name_template = \"${source.email}\" and user_name_template_type = \"BUILT_IN\", with no user_name_template_suffix",
		Location:      audit.Location{Input: audit.InputApp, Key: "credentials.userNameTemplate.template"},
		Needs:         []audit.Input{audit.InputApp},
		Profile:       []audit.ProfileField{audit.FieldUsernames},
		Requires:      []audit.FactType{assignedUsers},
		ReadsPlatform: true,
		Check:         checkUsernameEmail,
	})
}

func checkUsernameEmail(t *audit.Target) audit.Result {
	tpl := t.App.Credentials.UserNameTemplate
	if tpl == nil {
		return audit.Error("okta/app.json has no credentials.userNameTemplate: the application username format could not be read (Okta always returns it; save the app again with GET /api/v1/apps/{appId})",
			audit.Evidence{}.Add("expected", unameEmailTemplate))
	}
	ev := audit.Evidence{}.Add("expected", unameEmailTemplate).Add("actual", tpl.Template).Add("type", tpl.Type)
	if label, ok := unameBuiltIns[tpl.Template]; ok {
		ev = ev.Add("label", label)
	}
	if strings.TrimSpace(tpl.Template) == "" {
		return audit.Error(fmt.Sprintf("okta/app.json has an empty credentials.userNameTemplate.template (type %q): the application username format could not be read", tpl.Type), ev)
	}

	if suffix := tpl.UserSuffix + tpl.Suffix; suffix != "" {
		ev = ev.Add("suffix", suffix)
		return audit.Fail(fmt.Sprintf("the application username format appends the suffix %q to %q: Okta sends Druva a username that is not the user's email", suffix, tpl.Template), ev)
	}
	switch unameClassify(tpl.Template) {
	case unameIsOktaUsername:
		return unameOktaUsername(t, tpl, ev)
	case unameIsEmail:
		if a, ok := audit.Find(profileOf(t).Usernames, audit.UsernameEmail); ok {
			ev = acceptedEvidence(ev, a)
		}
		if tpl.Template == unameEmailTemplate {
			return audit.Pass("the application username format is Email (${source.email})", ev)
		}
		return audit.Pass(fmt.Sprintf("the application username format is the custom expression %q, which is the user's email", tpl.Template), ev)
	case unameIsLowerEmail:
		return audit.Warn(fmt.Sprintf("the application username format is %s (%q, type %s): the user's email in lower case, not the guide's Email; users whose email has capitals get a username that differs from their email, which works only while Druva matches emails case-insensitively",
			unameDescribe(tpl.Template), tpl.Template, unameType(tpl.Type)), ev)
	}
	return audit.Fail(fmt.Sprintf("the application username format is %s (%q, type %s), not Email (%s): Okta sends Druva a username that is not the user's email",
		unameDescribe(tpl.Template), tpl.Template, unameType(tpl.Type), unameEmailTemplate), ev)
}

type unameKind int

const (
	unameOther unameKind = iota
	unameIsEmail
	unameIsLowerEmail
	unameIsOktaUsername
)

// unameOktaUsername judges the "Okta username" choice. Where the platform's
// profile accepts it (Druva's DCP and GovCloud articles show it), Druva still
// needs each username to be the user's email: it passes with the reason when
// every assigned user's is (what okta.users.username-current checks), and
// warns otherwise. Elsewhere it fails, as any username that is not the email.
func unameOktaUsername(t *audit.Target, tpl *audit.UserNameTemplate, ev audit.Evidence) audit.Result {
	accepted, ok := audit.Find(profileOf(t).Usernames, audit.UsernameOktaUsername)
	if !ok {
		msg := fmt.Sprintf("the application username format is %s (%q, type %s), not Email (%s): Okta sends Druva the Okta username, which the %s platform's pages do not document",
			unameDescribe(tpl.Template), tpl.Template, unameType(tpl.Type), unameEmailTemplate, relayPlatform(t))
		if others := otherPlatforms(t, audit.FieldUsernames, audit.UsernameOktaUsername); len(others) > 0 {
			msg += fmt.Sprintf(" (Druva documents it for %s only)", strings.Join(others, " / "))
		}
		return audit.Fail(msg, ev)
	}
	ev = acceptedEvidence(ev, accepted)
	base := fmt.Sprintf("the application username format is Okta username (%q), which the %s platform accepts (%s)", tpl.Template, relayPlatform(t), accepted.Note)
	if g, gap := t.Gap(audit.InputUsers); gap {
		if g.Failed {
			return audit.Error(base+", but only while every username is the user's email, and the assigned users could not be read: "+g.Reason, ev)
		}
		return audit.Warn(base+", but only while every user's Okta username is their email, and the assigned users are not available to confirm it ("+g.Reason+")", ev)
	}
	read := assignedUsers.Of(t)
	if !read.loaded {
		return audit.Warn(base+", but only while every user's Okta username is their email, and the assigned users were not loaded to confirm it", ev)
	}
	c := read.tally
	ev = ev.Add("users", c.total).Add("stale", c.stale)
	switch {
	case read.err != nil:
		return audit.Error(fmt.Sprintf("%s, but only while every username is the user's email, and the assigned users could not all be read: %v", base, read.err), ev)
	case c.stale > 0:
		return audit.Warn(fmt.Sprintf("%s, but %d of %d assigned users %s an Okta username that is not their email (see okta.users.username-current): Druva receives a name it may not match. Prefer Email",
			base, c.stale, c.total, usersHave(c.stale)), ev)
	case c.noEmail+c.noUserName > 0:
		return audit.Warn(base+", but not every assigned user's username could be compared with their email: "+c.unverifiableNote(), ev)
	case c.total == 0:
		return audit.Warn(base+", but no users are assigned to confirm that their usernames are their emails", ev)
	}
	return audit.Pass(fmt.Sprintf("%s, and every one of the %d assigned users' usernames is their email (okta.users.username-current passes)", base, c.total), ev)
}

// unameClassify decides whether a template yields nothing but the user's
// email. Whitespace is tolerated where Okta's expression language ignores it
// (inside ${ } and around a bare custom expression) but not outside ${ },
// where it would become part of every username.
func unameClassify(template string) unameKind {
	expr, ok := unameExpression(template)
	if !ok {
		return unameOther
	}
	// The expressions below contain no string literals, so dropping all
	// whitespace cannot change their meaning.
	expr = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, expr)
	switch expr {
	case "source.email", "user.email":
		return unameIsEmail
	case "fn:toLowerCase(source.email)", "String.toLowerCase(user.email)", "toLowerCase(user.email)":
		return unameIsLowerEmail
	case "source.login", "user.login":
		return unameIsOktaUsername
	}
	return unameOther
}

// unameExpression extracts the single expression of a template: the inside of
// one ${…} that spans the whole template, or a bare (custom) expression.
func unameExpression(template string) (string, bool) {
	if strings.HasPrefix(template, "${") && strings.HasSuffix(template, "}") {
		inner := template[2 : len(template)-1]
		if strings.Contains(inner, "${") || strings.Contains(inner, "}") {
			return "", false // more than one ${…}: something is concatenated
		}
		return inner, true
	}
	if strings.Contains(template, "${") {
		return "", false // literal text around a ${…}
	}
	return strings.TrimSpace(template), true
}

func unameDescribe(template string) string {
	if label, ok := unameBuiltIns[template]; ok {
		return fmt.Sprintf("%q", label)
	}
	return "a custom expression"
}

func unameType(typ string) string {
	if typ == "" {
		return "not set"
	}
	return typ
}
