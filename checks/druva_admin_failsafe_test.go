package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
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
			want: audit.StatusSkip, message: `does not record admins.failsafe ("Failsafe for administrators")`,
			check: func(t *testing.T, r audit.Result) {
				act := evidence(t, r, "actual").(audit.Evidence)
				if v, ok := act.Get("failsafe"); !ok || v != nil {
					t.Errorf("actual failsafe = %v, want null", v)
				}
				inputAbsent(t, r)
				recordOnly(t, r)
			}},
		{name: "admins section present, its fields left out", mutate: admins(nil, nil),
			want: audit.StatusSkip, message: `does not record admins.sso_enabled ("Enable single sign-on for administrators") or admins.failsafe ("Failsafe for administrators")`,
			check: func(t *testing.T, r audit.Result) {
				inputAbsent(t, r)
				recordOnly(t, r)
			}},
		{name: "sso_enabled not recorded", mutate: admins(nil, on),
			want: audit.StatusSkip, message: "does not record admins.sso_enabled (",
			check: func(t *testing.T, r audit.Result) {
				if strings.Contains(r.Message, "admins.failsafe") {
					t.Errorf("message %q asks for failsafe, which is recorded", r.Message)
				}
				inputAbsent(t, r)
			}},
		{name: "no admins section", mutate: func(t *audit.Target) { t.Console.Admins = nil },
			want: audit.StatusSkip, message: "druva.yaml has no admins section", check: inputAbsent},
		{name: "console missing", mutate: missing(audit.InputConsole),
			want: audit.StatusSkip, message: "druva.yaml (the Druva console settings) not available"},
		{name: "console unreadable", mutate: failed(audit.InputConsole),
			want: audit.StatusError, message: "could not read druva.yaml"},
	})
}

// inputAbsent asserts a skip for want of druva.yaml input, which
// --require druva turns into an error.
func inputAbsent(t *testing.T, r audit.Result) {
	t.Helper()
	if r.SkipKind != audit.SkipInputAbsent || r.Absent != audit.InputConsole {
		t.Errorf("skip kind %q for input %q, want %q for %q", r.SkipKind, r.Absent, audit.SkipInputAbsent, audit.InputConsole)
	}
	rs := []audit.Result{r}
	audit.Require(rs, []string{"druva"})
	if rs[0].Status != audit.StatusError {
		t.Errorf("--require druva leaves it %s", rs[0].Status)
	}
}

// recordOnly asserts that the fix for an unrecorded admins switch asks to
// record both switches as the console shows them, and to change nothing.
func recordOnly(t *testing.T, r audit.Result) {
	t.Helper()
	for _, want := range []string{"sso_enabled", "failsafe", "as the console shows them"} {
		if !strings.Contains(r.Remediation, want) {
			t.Errorf("remediation %q lacks %q", r.Remediation, want)
		}
	}
	if strings.Contains(r.Remediation, "Select") || strings.Contains(r.Remediation, "Enable single sign-on for administrators\" is selected") {
		t.Errorf("remediation %q tells the user to change the console", r.Remediation)
	}
}
