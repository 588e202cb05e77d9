package checks

import (
	"errors"
	"fmt"
	"iter"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func usersOK(id, email string) audit.User { return audit.User{ID: id, UserName: email, Email: email} }

// usersThenError yields the users, then an error, as a reader does when
// users.json is cut off half-way.
func usersThenError(err error, users ...audit.User) func(*audit.Target) {
	return func(t *audit.Target) {
		t.Users = func(yield func(audit.User, error) bool) {
			for _, u := range users {
				if !yield(u, nil) {
					return
				}
			}
			yield(audit.User{}, err)
		}
	}
}

func withUsers(users ...audit.User) func(*audit.Target) {
	return func(t *audit.Target) { fixture.Users(t, users...) }
}

func TestUsersUsername(t *testing.T) {
	stale := audit.User{ID: "00u2", UserName: "jdoe@old.example", Email: "jane.doe@acme.example"}
	runCases(t, "okta.users.username-current", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "all 5 assigned users", check: func(t *testing.T, r audit.Result) {
			if evidence(t, r, "users") != 5 || evidence(t, r, "stale") != 0 {
				t.Errorf("evidence: %s", evidenceString(r))
			}
		}},
		{name: "case differs only", mutate: withUsers(audit.User{ID: "00u1", UserName: "Jane.Doe@ACME.example", Email: "jane.doe@acme.example"}),
			want: audit.StatusPass, message: "the one assigned user's app username is their email"},
		{name: "one stale user", mutate: withUsers(usersOK("00u1", "a@acme.example"), stale),
			want: audit.StatusFail, message: `1 of 2 assigned users has an app username that is not their email, so Druva receives a stale name (e.g. user 00u2 has username "jdoe@old.example" but email "jane.doe@acme.example")`,
			check: func(t *testing.T, r audit.Result) {
				ex := evidence(t, r, "examples").([]usersExample)
				if len(ex) != 1 || ex[0] != (usersExample{"00u2", "jdoe@old.example", "jane.doe@acme.example"}) {
					t.Errorf("examples = %+v", ex)
				}
				if evidence(t, r, "users") != 2 || evidence(t, r, "stale") != 1 {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "many stale users keep five examples", mutate: func(t *audit.Target) {
			var users []audit.User
			for i := range 12 {
				users = append(users, audit.User{ID: fmt.Sprintf("00u%d", i), UserName: fmt.Sprintf("user%d", i), Email: fmt.Sprintf("user%d@acme.example", i)})
			}
			fixture.Users(t, users...)
		}, want: audit.StatusFail, message: "12 of 12", check: func(t *testing.T, r audit.Result) {
			if ex := evidence(t, r, "examples").([]usersExample); len(ex) != usersMaxExamples || ex[0].ID != "00u0" {
				t.Errorf("examples = %+v", ex)
			}
		}},
		{name: "users without email", mutate: withUsers(usersOK("00u1", "a@acme.example"), audit.User{ID: "00u3", UserName: "b@acme.example"}),
			want: audit.StatusError, message: "1 user has no email: was users.json fetched with expand=user?",
			check: func(t *testing.T, r audit.Result) {
				if evidence(t, r, "no_email") != 1 {
					t.Errorf("evidence: %s", evidenceString(r))
				}
			}},
		{name: "users without username", mutate: withUsers(audit.User{ID: "00u3", Email: "b@acme.example"}),
			want: audit.StatusError, message: "1 user has no app username"},
		{name: "stale and unverifiable users", mutate: withUsers(stale, audit.User{ID: "00u3", UserName: "b@acme.example"}),
			want: audit.StatusFail, message: "1 of 2 assigned users", check: func(t *testing.T, r audit.Result) {
				if !strings.Contains(r.Message, "also 1 user has no email") {
					t.Errorf("message %q does not count the users without email", r.Message)
				}
			}},
		{name: "no users assigned", mutate: withUsers(),
			want: audit.StatusSkip, message: "no users are assigned to the app"},
		{name: "stream error mid-way", mutate: usersThenError(errors.New("okta/users.json: user 2: unexpected EOF"), usersOK("00u1", "a@acme.example"), usersOK("00u2", "b@acme.example")),
			want: audit.StatusError, message: "could not read every assigned user (stopped after 2 users): okta/users.json: user 2: unexpected EOF", check: usersDataFix},
		{name: "stream error after a stale user", mutate: usersThenError(errors.New("page 3: 429 Too Many Requests"), stale),
			want: audit.StatusError, message: "1 of the users read has an app username that is not their email"},
		{name: "stream error at once", mutate: usersThenError(errors.New("okta/users.json: not an array")),
			want: audit.StatusError, message: "(stopped after 0 users)", check: usersDataFix},
		{name: "stream error after one user", mutate: usersThenError(errors.New("page 2: 429 Too Many Requests"), usersOK("00u1", "a@acme.example")),
			want: audit.StatusError, message: "could not read every assigned user (stopped after 1 user): page 2"},
		{name: "users never loaded", mutate: func(t *audit.Target) { t.Users = nil },
			want: audit.StatusError, message: "users were not loaded", check: usersDataFix},
		{name: "users.json absent", mutate: missing(audit.InputUsers),
			want: audit.StatusSkip, message: "okta/users.json (the assigned users) not available"},
		{name: "users.json unreadable", mutate: failed(audit.InputUsers),
			want: audit.StatusError, message: "could not read okta/users.json", check: usersDataFix},
	})
}

// TestUsersUsernameStreams checks that the rule reads a large org one user at
// a time, once, without stopping early on a pass.
func TestUsersUsernameStreams(t *testing.T) {
	const n = 100_000
	reads := 0
	target := fixture.Good(t)
	var seq iter.Seq2[audit.User, error] = func(yield func(audit.User, error) bool) {
		reads++
		for i := range n {
			e := fmt.Sprintf("user%d@acme.example", i)
			u := audit.User{ID: fmt.Sprint(i), UserName: e, Email: e}
			if i == n-1 {
				u.UserName = "last@old.example"
			}
			if !yield(u, nil) {
				return
			}
		}
	}
	target.Users = seq
	r := audit.Evaluate(registry["okta.users.username-current"], target)
	if r.Status != audit.StatusFail || !strings.Contains(r.Message, "1 of 100000") || reads != 1 {
		t.Fatalf("status %s, reads %d: %s", r.Status, reads, r.Message)
	}
}
