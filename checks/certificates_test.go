package checks

import (
	"errors"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func TestCertificates(t *testing.T) {
	now := fixture.Now
	soon := fixture.NewCert(t, fixture.CertOptions{NotAfter: now.AddDate(0, 0, 20)})
	good := fixture.GoodCert(t).NotAfter.UTC()
	cases := []struct {
		name   string
		mutate func(*audit.Target)
		want   map[string]time.Time
	}{
		{"good snapshot: both certificates", nil, map[string]time.Time{"okta": good, "druva": good}},
		{"rotated in Okta: each side its own", func(tg *audit.Target) { fixture.SetSigningCert(tg, soon) },
			map[string]time.Time{"okta": soon.NotAfter.UTC(), "druva": good}},
		{"keys.json unreadable: no Okta series", func(tg *audit.Target) { tg.Failed(audit.InputKeys, errors.New("bad JSON")) },
			map[string]time.Time{"druva": good}},
		{"no active key: no Okta series", func(tg *audit.Target) { tg.Keys = append(tg.Keys, tg.Keys[0]); tg.App.Credentials.Signing = nil },
			map[string]time.Time{"druva": good}},
		{"certificate undecodable: no Okta series", func(tg *audit.Target) { tg.Keys[0].Cert, tg.Keys[0].CertErr = nil, errors.New("asn1") },
			map[string]time.Time{"druva": good}},
		{"no druva.yaml: no Druva series", func(tg *audit.Target) { tg.Console = nil; tg.Missing(audit.InputConsole, "not given") },
			map[string]time.Time{"okta": good}},
		{"console certificate unparseable: no Druva series", func(tg *audit.Target) { tg.Console.SSO.IDPCertificate = fixture.Ptr("MIIB...") },
			map[string]time.Time{"okta": good}},
		{"console certificate not recorded: no Druva series", func(tg *audit.Target) { tg.Console.SSO.IDPCertificate = nil },
			map[string]time.Time{"okta": good}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tg := fixture.Good(t)
			tg.Console = fixture.Console(t)
			if c.mutate != nil {
				c.mutate(tg)
			}
			got := map[string]time.Time{}
			for _, ce := range Certificates(tg) {
				if _, dup := got[ce.Side]; dup {
					t.Errorf("side %s twice", ce.Side)
				}
				got[ce.Side] = ce.NotAfter
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for side, w := range c.want {
				if !got[side].Equal(w) {
					t.Errorf("%s: %v, want %v", side, got[side], w)
				}
			}
		})
	}
}
