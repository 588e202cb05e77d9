package checks

import (
	"errors"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func TestCertificateMatch(t *testing.T) {
	good := fixture.GoodCert(t)
	rotated := fixture.NewCert(t, fixture.CertOptions{CommonName: "acme-2027"})
	stranger := fixture.NewCert(t, fixture.CertOptions{CommonName: "someone-else"})
	// rotate does what Okta does on "Generate new certificate" + "Activate":
	// the old key stays in keys.json, the new one signs.
	rotate := func(t *audit.Target) {
		t.Keys = append(t.Keys, audit.Key{Kid: "kid-2027", Kty: "RSA", Use: "sig", Cert: rotated})
		t.App.Credentials.Signing.Kid = "kid-2027"
		t.Metadata.SigningCerts = []audit.MetadataCert{{Cert: rotated}}
	}
	setCert := func(v string) func(*audit.Target) {
		return func(t *audit.Target) { t.Console.SSO.IDPCertificate = fixture.Ptr(v) }
	}

	runCases(t, "cross.certificate-match", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "is Okta's active signing certificate",
			check: func(t *testing.T, r audit.Result) {
				fp := certFingerprint(good)
				if evidence(t, r, "expected") != fp || evidence(t, r, "actual") != fp {
					t.Errorf("evidence = %s", evidenceString(r))
				}
				evidence(t, r, "okta_not_after")
				evidence(t, r, "console_subject")
			}},
		{name: "console has the same certificate as bare base64", mutate: setCert(fixture.CertBase64(good)),
			want: audit.StatusPass},
		{name: "Okta rotated, Druva still has the old certificate", mutate: rotate,
			want: audit.StatusFail, message: `which is no longer the active one: Okta now signs with key "kid-2027"`,
			check: func(t *testing.T, r audit.Result) {
				if !strings.Contains(r.Message, "classic break after Okta rotates its key") {
					t.Errorf("message %q", r.Message)
				}
				if got := evidence(t, r, "console_kid"); got != "Zb2bx8Wq0xDPrpTnSfEUgIUqjLL9yqg3VsRnH5e0FkM" {
					t.Errorf("console_kid = %v", got)
				}
				if evidence(t, r, "expected") != certFingerprint(rotated) || evidence(t, r, "actual") != certFingerprint(good) {
					t.Errorf("evidence = %s", evidenceString(r))
				}
			}},
		{name: "rotated and the console updated", mutate: func(t *audit.Target) {
			rotate(t)
			setCert(fixture.CertPEM(rotated))(t)
		}, want: audit.StatusPass, message: `kid "kid-2027"`},
		{name: "console certificate from elsewhere", mutate: setCert(fixture.CertPEM(stranger)),
			want: audit.StatusFail, message: "nor any other key of this app",
			check: func(t *testing.T, r audit.Result) {
				for _, want := range []string{"CN=someone-else", "CN=acme", certFingerprint(stranger), certFingerprint(good), "classic break"} {
					if !strings.Contains(r.Message, want) {
						t.Errorf("message %q lacks %q", r.Message, want)
					}
				}
				if _, ok := r.Evidence.Get("console_kid"); ok {
					t.Errorf("names a key the console does not have: %s", evidenceString(r))
				}
			}},
		{name: "Okta signs with a new certificate no key lists as old", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, rotated) },
			want: audit.StatusFail, message: "is not Okta's active signing certificate"},
		{name: "console certificate empty", mutate: setCert(""),
			want: audit.StatusFail, message: "cannot be Okta's signing certificate because it does not parse (see druva.sso.configured): it is empty"},
		{name: "console certificate unparseable", mutate: setCert("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n"),
			want: audit.StatusFail, message: "(see druva.sso.configured): malformed PEM (check that the BEGIN CERTIFICATE and END CERTIFICATE lines are complete and on lines of their own)",
			check: func(t *testing.T, r audit.Result) {
				if strings.Contains(r.Message, ") (") {
					t.Errorf("two bracket groups in a row: %s", r.Message)
				}
			}},
		{name: "no idp_certificate", mutate: func(t *audit.Target) { t.Console.SSO.IDPCertificate = nil },
			want: audit.StatusSkip, message: "no idp_certificate"},
		{name: "no sso section", mutate: func(t *audit.Target) { t.Console.SSO = nil },
			want: audit.StatusSkip, message: "druva.yaml has no sso section"},
		{name: "Okta certificate undecodable", mutate: func(t *audit.Target) {
			t.Keys[0].Cert, t.Keys[0].CertErr = nil, errors.New("x5c[0]: not base64")
		}, want: audit.StatusError, message: "could not be decoded: x5c[0]: not base64"},
		{name: "signing kid not among keys", mutate: func(t *audit.Target) { t.App.Credentials.Signing.Kid = "gone" },
			want: audit.StatusFail, message: "not among its keys"},
		{name: "console missing", mutate: missing(audit.InputConsole),
			want: audit.StatusSkip, message: "druva.yaml (the Druva console settings) not available"},
		{name: "console unreadable", mutate: failed(audit.InputConsole),
			want: audit.StatusError, message: "could not read druva.yaml"},
		{name: "keys.json unreadable", mutate: failed(audit.InputKeys),
			want: audit.StatusError, message: "could not read okta/keys.json"},
	})
}
