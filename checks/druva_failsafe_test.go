package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/fixture"
)

func TestDruvaFailsafe(t *testing.T) {
	admins := func(sso, failsafe *bool) func(*audit.Target) {
		return func(t *audit.Target) { t.Console.Admins = &audit.ConsoleAdmins{SSOEnabled: sso, Failsafe: failsafe} }
	}
	on, off := fixture.Ptr(true), fixture.Ptr(false)

	runCases(t, "druva.admin.failsafe", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "enabled with \"Failsafe for administrators\" selected",
			check: func(t *testing.T, r audit.Result) {
				act := evidence(t, r, "actual").(audit.Evidence)
				if v, _ := act.Get("failsafe"); v != true {
					t.Errorf("actual failsafe = %v", v)
				}
				evidence(t, r, "expected")
			}},
		{name: "admin SSO without failsafe", mutate: admins(on, off),
			want: audit.StatusFail, message: "locks every administrator out"},
		{name: "admin SSO disabled", mutate: admins(off, on),
			want: audit.StatusWarn, message: "administrators sign in with passwords only",
			check: func(t *testing.T, r audit.Result) {
				if got := r.Message; strings.Contains(got, "also select") {
					t.Errorf("message %q asks for a failsafe that is already on", got)
				}
			}},
		{name: "admin SSO and failsafe disabled", mutate: admins(off, off),
			want: audit.StatusWarn, message: "also select \"Failsafe for administrators\""},
		{name: "admin SSO disabled, failsafe not recorded", mutate: admins(off, nil),
			want: audit.StatusWarn, message: "passwords only"},
		{name: "failsafe not recorded", mutate: admins(on, nil),
			want: audit.StatusFail, message: "does not record failsafe",
			check: func(t *testing.T, r audit.Result) {
				act := evidence(t, r, "actual").(audit.Evidence)
				if v, ok := act.Get("failsafe"); !ok || v != nil {
					t.Errorf("actual failsafe = %v, want null", v)
				}
			}},
		{name: "empty admins section", mutate: admins(nil, nil),
			want: audit.StatusFail, message: "does not record sso_enabled"},
		{name: "sso_enabled not recorded", mutate: admins(nil, on),
			want: audit.StatusFail, message: "does not record sso_enabled"},
		{name: "no admins section", mutate: func(t *audit.Target) { t.Console.Admins = nil },
			want: audit.StatusSkip, message: "druva.yaml has no admins section"},
		{name: "console missing", mutate: missing(audit.InputConsole),
			want: audit.StatusSkip, message: "druva.yaml (the Druva console settings) not available"},
		{name: "console unreadable", mutate: failed(audit.InputConsole),
			want: audit.StatusError, message: "could not read druva.yaml"},
	})
}
