package checks

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func TestCertValidity(t *testing.T) {
	now := fixture.Now
	expired := fixture.NewCert(t, fixture.CertOptions{NotBefore: now.AddDate(-2, 0, 0), NotAfter: now.AddDate(0, 0, -10)})
	future := fixture.NewCert(t, fixture.CertOptions{NotBefore: now.AddDate(0, 0, 5)})
	soon := fixture.NewCert(t, fixture.CertOptions{NotAfter: now.AddDate(0, 0, 10).Add(time.Hour)})
	edge := fixture.NewCert(t, fixture.CertOptions{NotAfter: now.AddDate(0, 0, 30).Add(-time.Hour)})

	runCases(t, "okta.cert.validity", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "valid until 2036-01-15",
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "days_left"); got.(int) < 3000 {
					t.Errorf("days_left = %v", got)
				}
				if got := evidence(t, r, "kid"); got != "Zb2bx8Wq0xDPrpTnSfEUgIUqjLL9yqg3VsRnH5e0FkM" {
					t.Errorf("kid = %v", got)
				}
				if got := evidence(t, r, "sha256"); got != certFingerprint(fixture.GoodCert(t)) {
					t.Errorf("sha256 = %v", got)
				}
				evidence(t, r, "expected")
				evidence(t, r, "actual")
				evidence(t, r, "subject")
				evidence(t, r, "key")
			}},
		{name: "expired", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, expired) },
			want: audit.StatusFail, message: "10 days ago",
			check: func(t *testing.T, r audit.Result) {
				if !strings.Contains(r.Message, "expired on") {
					t.Errorf("message %q does not say since when", r.Message)
				}
				if got := evidence(t, r, "days_left"); got != -10 {
					t.Errorf("days_left = %v, want -10", got)
				}
			}},
		{name: "not yet valid", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, future) },
			want: audit.StatusFail, message: "not valid yet: it becomes valid on"},
		{name: "expires within the warning window", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, soon) },
			want: audit.StatusWarn, message: "in 10 days",
			check: func(t *testing.T, r audit.Result) {
				for _, want := range []string{"does not rotate", "update Druva's console"} {
					if !strings.Contains(r.Message, want) {
						t.Errorf("message %q lacks %q", r.Message, want)
					}
				}
			}},
		{name: "just inside 30 days rounds down", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, edge) },
			want: audit.StatusWarn, message: "in 29 days"},
		{name: "configured threshold below days left", mutate: func(t *audit.Target) {
			fixture.SetSigningCert(t, soon)
			t.Expect.CertWarnDays = 5
		}, want: audit.StatusPass, message: "10 days left"},
		{name: "unset threshold uses the default", mutate: func(t *audit.Target) {
			fixture.SetSigningCert(t, soon)
			t.Expect.CertWarnDays = 0
		}, want: audit.StatusWarn, message: "threshold: 30 days"},
		{name: "certificate undecodable", mutate: func(t *audit.Target) {
			t.Keys[0].Cert, t.Keys[0].CertErr = nil, errors.New(`key 0 (kid "x") x5c[0]: not base64`)
		}, want: audit.StatusError, message: "could not be decoded: key 0"},
		{name: "key without certificate or reason", mutate: func(t *audit.Target) { t.Keys[0].Cert = nil },
			want: audit.StatusError, message: "could not be decoded"},
		{name: "signing kid not among keys", mutate: func(t *audit.Target) { t.App.Credentials.Signing.Kid = "gone" },
			want: audit.StatusFail, message: "not among its keys"},
		{name: "no kid, one key", mutate: func(t *audit.Target) { t.App.Credentials.Signing = nil },
			want: audit.StatusPass},
		{name: "no kid, two keys", mutate: func(t *audit.Target) {
			t.App.Credentials.Signing = nil
			t.Keys = append(t.Keys, audit.Key{Kid: "second", Cert: expired})
		}, want: audit.StatusError, message: "cannot tell which one signs"},
		{name: "active key is the second one", mutate: func(t *audit.Target) {
			t.Keys = append(t.Keys, audit.Key{Kid: "new", Cert: expired})
			t.App.Credentials.Signing.Kid = "new"
		}, want: audit.StatusFail, message: `(kid "new") expired`},
		{name: "no clock", mutate: func(t *audit.Target) { t.Now = time.Time{} },
			want: audit.StatusError, message: "no clock"},
		{name: "keys.json unreadable", mutate: failed(audit.InputKeys),
			want: audit.StatusError, message: "could not read okta/keys.json"},
		{name: "app.json unreadable", mutate: failed(audit.InputApp),
			want: audit.StatusError, message: "could not read okta/app.json"},
	})
}
