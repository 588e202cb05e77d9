package checks

import (
	"encoding/base64"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// druvaWrap breaks s into lines of n characters, as base64 is usually pasted.
func druvaWrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\n")
		s = s[n:]
	}
	return b.String() + s
}

func TestDruvaSSOConfigured(t *testing.T) {
	good := fixture.GoodCert(t)
	goodPEM := fixture.CertPEM(good)
	privateKey := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("secret-key-material-0123456789")}))
	setURL := func(v string) func(*audit.Target) {
		return func(t *audit.Target) { t.Console.SSO.IDPLoginURL = fixture.Ptr(v) }
	}
	setCert := func(v string) func(*audit.Target) {
		return func(t *audit.Target) { t.Console.SSO.IDPCertificate = fixture.Ptr(v) }
	}

	runCases(t, "druva.sso.configured", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "https ID Provider Login URL",
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "certificate_sha256"); got != certFingerprint(good) {
					t.Errorf("certificate_sha256 = %v", got)
				}
				act := evidence(t, r, "actual").(audit.Evidence)
				if v, _ := act.Get("idp_login_url"); v != fixture.LoginURL {
					t.Errorf("actual idp_login_url = %v", v)
				}
				evidence(t, r, "expected")
			}},
		{name: "bare base64 certificate", mutate: setCert(fixture.CertBase64(good)), want: audit.StatusPass},
		{name: "bare base64 certificate over lines", mutate: setCert("  " + druvaWrap(fixture.CertBase64(good), 64) + "\n"), want: audit.StatusPass},
		{name: "PEM with CRLF line ends", mutate: setCert(strings.ReplaceAll(goodPEM, "\n", "\r\n")), want: audit.StatusPass},
		{name: "no sso section", mutate: func(t *audit.Target) { t.Console.SSO = nil },
			want: audit.StatusSkip, message: "druva.yaml has no sso section"},
		{name: "empty sso section", mutate: func(t *audit.Target) { t.Console.SSO = &audit.ConsoleSSO{} },
			want: audit.StatusSkip, message: `does not record sso.idp_login_url ("ID Provider Login URL") or sso.idp_certificate ("ID Provider Certificate")`,
			check: func(t *testing.T, r audit.Result) {
				inputAbsent(t, r)
				if !strings.Contains(r.Remediation, "as the console shows them") {
					t.Errorf("remediation %q does not say what to record", r.Remediation)
				}
			}},
		{name: "certificate not recorded", mutate: func(t *audit.Target) { t.Console.SSO.IDPCertificate = nil },
			want: audit.StatusSkip, message: `does not record sso.idp_certificate`, check: inputAbsent},
		{name: "login URL http, certificate not recorded", mutate: func(t *audit.Target) {
			setURL("http://acme.okta.com/app/x/sso/saml")(t)
			t.Console.SSO.IDPCertificate = nil
		}, want: audit.StatusFail, message: `over https only) (and druva.yaml's sso section does not record sso.idp_certificate`},
		{name: "login URL empty", mutate: setURL(""), want: audit.StatusFail, message: "ID Provider Login URL is empty"},
		{name: "login URL blank", mutate: setURL("   "), want: audit.StatusFail, message: "ID Provider Login URL is empty"},
		{name: "login URL http", mutate: setURL(strings.Replace(fixture.LoginURL, "https:", "http:", 1)),
			want: audit.StatusFail, message: `uses http, not https`},
		{name: "login URL not a URL", mutate: setURL("acme.okta.com/app/sso/saml"),
			want: audit.StatusFail, message: `"acme.okta.com/app/sso/saml" is not an absolute URL`},
		{name: "login URL with whitespace", mutate: setURL(fixture.LoginURL + " "),
			want: audit.StatusFail, message: "contains whitespace"},
		{name: "certificate empty", mutate: setCert("\n"), want: audit.StatusFail, message: "Certificate is not usable: it is empty"},
		{name: "certificate garbage", mutate: setCert("paste the certificate here!"),
			want: audit.StatusFail, message: "neither PEM nor base64"},
		{name: "base64 that is not a certificate", mutate: setCert(base64.StdEncoding.EncodeToString([]byte("hello world"))),
			want: audit.StatusFail, message: "not an X.509 certificate"},
		{name: "PEM truncated", mutate: setCert(goodPEM[:len(goodPEM)-30]),
			want: audit.StatusFail, message: "malformed PEM"},
		{name: "PEM markers on one line", mutate: setCert(strings.ReplaceAll(goodPEM, "\n", " ")),
			want: audit.StatusFail, message: "malformed PEM"},
		{name: "two PEM blocks", mutate: setCert(goodPEM + goodPEM),
			want: audit.StatusFail, message: "more than one PEM block"},
		{name: "private key pasted", mutate: setCert(privateKey),
			want: audit.StatusFail, message: `PEM "PRIVATE KEY" block, not a CERTIFICATE`,
			check: func(t *testing.T, r audit.Result) {
				b64 := base64.StdEncoding.EncodeToString([]byte("secret-key-material-0123456789"))
				if strings.Contains(r.Message+evidenceString(r), b64[:20]) {
					t.Errorf("result echoes the pasted key: %s %s", r.Message, evidenceString(r))
				}
			}},
		{name: "both wrong", mutate: func(t *audit.Target) {
			setURL("http://acme.okta.com/x")(t)
			setCert("xyz")(t)
		}, want: audit.StatusFail, message: "not https: sign-in requests would travel unencrypted (Okta serves SAML over https only); the ID Provider Certificate is not usable"},
		{name: "console missing", mutate: missing(audit.InputConsole),
			want: audit.StatusSkip, message: "druva.yaml (the Druva console settings) not available"},
		{name: "console unreadable", mutate: failed(audit.InputConsole),
			want: audit.StatusError, message: "could not read druva.yaml"},
		{name: "console certificate expired", mutate: setCert(fixture.CertPEM(fixture.NewCert(t, fixture.CertOptions{NotBefore: fixture.Now.AddDate(-3, 0, 0), NotAfter: fixture.Now.AddDate(0, 0, -1)}))),
			want: audit.StatusFail, message: "the ID Provider Certificate expired on 2026-11-26 10:00 UTC: Druva rejects every sign-in"},
		{name: "console certificate not yet valid", mutate: setCert(fixture.CertPEM(fixture.NewCert(t, fixture.CertOptions{NotBefore: fixture.Now.AddDate(0, 0, 2), NotAfter: fixture.Now.AddDate(5, 0, 0)}))),
			want: audit.StatusFail, message: "the ID Provider Certificate is not valid until 2026-11-29 10:00 UTC"},
	})
}
