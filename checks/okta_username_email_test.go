package checks

import (
	"errors"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func unameTemplate(template, typ string) func(*audit.Target) {
	return func(t *audit.Target) {
		t.App.Credentials.UserNameTemplate = &audit.UserNameTemplate{Template: template, Type: typ}
	}
}

func TestUsernameEmail(t *testing.T) {
	runCases(t, "okta.username.email", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "Email (${source.email})", check: func(t *testing.T, r audit.Result) {
			if evidence(t, r, "actual") != "${source.email}" || evidence(t, r, "label") != "Email" {
				t.Errorf("evidence: %s", evidenceString(r))
			}
		}},
		{name: "Email with a user suffix", mutate: func(t *audit.Target) {
			t.App.Credentials.UserNameTemplate = &audit.UserNameTemplate{Template: "${source.email}", Type: "BUILT_IN", UserSuffix: "@druva.acme"}
		}, want: audit.StatusFail, message: `appends the suffix "@druva.acme"`},
		{name: "Email with a legacy suffix", mutate: func(t *audit.Target) {
			t.App.Credentials.UserNameTemplate = &audit.UserNameTemplate{Template: "${source.email}", Type: "BUILT_IN", Suffix: ".x"}
		}, want: audit.StatusFail, message: "appends the suffix"},
		{name: "custom ${user.email}", mutate: unameTemplate("${user.email}", "CUSTOM"),
			want: audit.StatusPass, message: "which is the user's email"},
		{name: "custom bare user.email", mutate: unameTemplate("user.email", "CUSTOM"),
			want: audit.StatusPass},
		{name: "custom with spaces inside braces", mutate: unameTemplate("${ user.email }", "CUSTOM"),
			want: audit.StatusPass},
		{name: "custom bare with surrounding spaces", mutate: unameTemplate("  user.email ", "CUSTOM"),
			want: audit.StatusPass},
		{name: "space outside the braces", mutate: unameTemplate("${user.email} ", "CUSTOM"),
			want: audit.StatusFail, message: `a custom expression ("${user.email} ", type CUSTOM)`},
		{name: "Okta username", mutate: unameTemplate("${source.login}", "BUILT_IN"),
			want: audit.StatusFail, message: `"Okta username" ("${source.login}", type BUILT_IN), not Email`},
		{name: "Okta username on inSync names where Druva documents it", mutate: unameTemplate("${source.login}", "BUILT_IN"),
			want: audit.StatusFail, message: "(Druva documents it for insync-govcloud / dcp / dcp-govcloud / dcp-dell only)"},
		{name: "DCP: Okta username, every username the email", mutate: chain(onPlatform("dcp"), unameTemplate("${source.login}", "BUILT_IN")),
			want: audit.StatusPass, message: "which the dcp platform accepts (Druva's DCP + Okta article shows Application username = Okta username",
			check: func(t *testing.T, r audit.Result) {
				if evidence(t, r, "users").(int) == 0 {
					t.Errorf("no users counted: %s", evidenceString(r))
				}
			}},
		{name: "DCP: Okta username, a stale username warns", mutate: chain(onPlatform("dcp"), unameTemplate("${source.login}", "BUILT_IN"), func(t *audit.Target) {
			fixture.Users(t, audit.User{ID: "00u1", UserName: "jdoe", Email: "jane.doe@acme.example"}, audit.User{ID: "00u2", UserName: "a@acme.example", Email: "a@acme.example"})
		}), want: audit.StatusWarn, message: "but 1 of 2 assigned users has an Okta username that is not their email"},
		{name: "DCP: Okta username, users.json absent warns", mutate: chain(onPlatform("dcp"), unameTemplate("${source.login}", "BUILT_IN"), missing(audit.InputUsers)),
			want: audit.StatusWarn, message: "the assigned users are not available to confirm it"},
		{name: "DCP: Okta username, users.json unreadable errors", mutate: chain(onPlatform("dcp"), unameTemplate("${source.login}", "BUILT_IN"), failed(audit.InputUsers)),
			want: audit.StatusError, message: "could not be read"},
		{name: "DCP: Okta username, nobody assigned warns", mutate: chain(onPlatform("dcp"), unameTemplate("${source.login}", "BUILT_IN"), func(t *audit.Target) { fixture.Users(t) }),
			want: audit.StatusWarn, message: "no users are assigned"},
		{name: "GovCloud: Okta username cites the GovCloud article", mutate: chain(onPlatform("insync-govcloud"), unameTemplate("${source.login}", "BUILT_IN")),
			want: audit.StatusPass, message: "Druva's GovCloud + Okta article shows Application username = Okta username"},
		{name: "AD SAM account name", mutate: unameTemplate("${source.samAccountName}", "BUILT_IN"),
			want: audit.StatusFail, message: `"AD SAM account name"`},
		{name: "Email prefix", mutate: unameTemplate(`${fn:substringBefore(source.email, "@")}`, "BUILT_IN"),
			want: audit.StatusFail, message: `"Email prefix"`},
		{name: "custom email prefix", mutate: unameTemplate(`String.substringBefore(user.email, "@")`, "CUSTOM"),
			want: audit.StatusFail, message: `a custom expression ("String.substringBefore(user.email, \"@\")", type CUSTOM)`},
		{name: "email with a suffix", mutate: unameTemplate(`${user.email}.druva`, "CUSTOM"),
			want: audit.StatusFail, message: "a custom expression"},
		{name: "two expressions", mutate: unameTemplate(`${user.email}${user.login}`, "CUSTOM"),
			want: audit.StatusFail},
		{name: "wrong case", mutate: unameTemplate("${user.Email}", "CUSTOM"),
			want: audit.StatusFail},
		{name: "no type", mutate: unameTemplate("${source.login}", ""),
			want: audit.StatusFail, message: "type not set"},
		{name: "email lowercase", mutate: unameTemplate("${fn:toLowerCase(source.email)}", "BUILT_IN"),
			want: audit.StatusWarn, message: `"Email (lowercase)"`},
		{name: "no userNameTemplate", mutate: func(t *audit.Target) { t.App.Credentials.UserNameTemplate = nil },
			want: audit.StatusError, message: "no credentials.userNameTemplate"},
		{name: "empty template", mutate: unameTemplate("", "BUILT_IN"),
			want: audit.StatusError, message: "empty credentials.userNameTemplate.template"},
		{name: "app.json unreadable", mutate: failed(audit.InputApp),
			want: audit.StatusError, message: "could not read okta/app.json"},
	})
}

// TestUsersReadOnce: okta.username.email (Okta username on DCP) and
// okta.users.username-current both judge the assigned users, which a target
// may yield only once (live, page by page): they share one read.
func TestUsersReadOnce(t *testing.T) {
	target := fixture.Good(t)
	onPlatform("dcp")(target)
	unameTemplate("${source.login}", "BUILT_IN")(target)
	reads := 0
	users := target.Users
	target.Users = func(yield func(audit.User, error) bool) {
		reads++
		if reads > 1 {
			yield(audit.User{}, errors.New("users consumed twice"))
			return
		}
		users(yield)
	}
	var rules []*audit.Rule
	for _, id := range []string{"okta.username.email", "okta.users.username-current"} {
		r, _ := Lookup(id)
		rules = append(rules, r)
	}
	for _, r := range audit.Run(target, rules, nil) {
		if r.Status != audit.StatusPass {
			t.Errorf("%s: %s: %s", r.Rule, r.Status, r.Message)
		}
	}
	if reads != 1 {
		t.Errorf("users read %d times, want 1", reads)
	}
}
