package checks

import (
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
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
