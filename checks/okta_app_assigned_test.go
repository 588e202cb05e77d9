package checks

import (
	"errors"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func TestAppAssigned(t *testing.T) {
	runCases(t, "okta.app.assigned", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "5 users are assigned to the app"},
		{name: "one user", mutate: func(t *audit.Target) { fixture.Users(t, audit.User{ID: "00u1", UserName: "a@x", Email: "a@x"}) },
			want: audit.StatusPass, message: "1 user is assigned"},
		{name: "assigned to nobody", mutate: func(t *audit.Target) { fixture.Users(t) },
			want: audit.StatusFail, message: "no one is assigned to the app: Okta signs nobody in to Druva"},
		{name: "list breaks after some users", mutate: func(t *audit.Target) {
			t.Users = func(yield func(audit.User, error) bool) {
				if yield(audit.User{ID: "00u1"}, nil) {
					yield(audit.User{}, errors.New("page 2: HTTP 500"))
				}
			}
		}, want: audit.StatusError, message: "could not read every assigned user (stopped after 1 user): page 2: HTTP 500", check: usersDataFix},
		{name: "list unreadable from the start", mutate: func(t *audit.Target) {
			t.Users = func(yield func(audit.User, error) bool) { yield(audit.User{}, errors.New("truncated JSON")) }
		}, want: audit.StatusError, message: "could not read every assigned user (stopped after 0 users): truncated JSON", check: usersDataFix},
		{name: "users never loaded", mutate: func(t *audit.Target) { t.Users = nil },
			want: audit.StatusError, message: "the app's users were not loaded", check: usersDataFix},
		{name: "users.json absent", mutate: missing(audit.InputUsers),
			want: audit.StatusSkip, message: "okta/users.json (the assigned users) not available"},
		{name: "users.json unreadable", mutate: failed(audit.InputUsers),
			want: audit.StatusError, message: "could not read okta/users.json", check: usersDataFix},
	})
}

// usersDataFix asserts that a users list that could not be read gets the
// data's fix — the one okta.users.username-current gives too — and not the
// rule's own (assign users).
func usersDataFix(t *testing.T, r audit.Result) {
	t.Helper()
	want := audit.InputFix(audit.InputUsers, "snapshot")
	if r.Remediation != want {
		t.Errorf("remediation %q, want users.json's fix %q", r.Remediation, want)
	}
	for _, bad := range []string{"Assign", "Assignments"} {
		if strings.Contains(r.Remediation, bad) {
			t.Errorf("remediation %q tells the user to assign users", r.Remediation)
		}
	}
}
