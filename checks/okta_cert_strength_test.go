package checks

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// strengthECDSACert is a certificate Okta would never generate: an ECDSA key.
func strengthECDSACert(t *testing.T, alg x509.SignatureAlgorithm) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{
		SerialNumber:       big.NewInt(1),
		Subject:            pkix.Name{CommonName: "acme-ec"},
		NotBefore:          fixture.Now.AddDate(-1, 0, 0),
		NotAfter:           fixture.Now.AddDate(1, 0, 0),
		SignatureAlgorithm: alg,
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// strengthWithAlgorithm copies c claiming another signature algorithm: Go
// refuses to create MD5-signed certificates, and the rule reads only the field.
func strengthWithAlgorithm(c *x509.Certificate, alg x509.SignatureAlgorithm) *x509.Certificate {
	cp := *c
	cp.SignatureAlgorithm = alg
	return &cp
}

func TestCertStrength(t *testing.T) {
	small := fixture.NewCert(t, fixture.CertOptions{Bits: 1024})
	sha1 := fixture.NewCert(t, fixture.CertOptions{SignatureAlgorithm: x509.SHA1WithRSA})
	both := fixture.NewCert(t, fixture.CertOptions{Bits: 1024, SignatureAlgorithm: x509.SHA1WithRSA})
	ec := strengthECDSACert(t, x509.ECDSAWithSHA256)
	ecSHA1 := strengthECDSACert(t, x509.ECDSAWithSHA1)
	strong := fixture.NewCert(t, fixture.CertOptions{Bits: 3072, SignatureAlgorithm: x509.SHA512WithRSA})
	good := fixture.GoodCert(t)

	runCases(t, "okta.cert.strength", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "RSA 2048 key and a SHA256-RSA signature",
			check: func(t *testing.T, r audit.Result) {
				if got := evidence(t, r, "actual"); got != "RSA 2048 key; signature SHA256-RSA" {
					t.Errorf("actual = %v", got)
				}
				evidence(t, r, "expected")
				evidence(t, r, "sha256")
			}},
		{name: "stronger than required", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, strong) },
			want: audit.StatusPass, message: "RSA 3072"},
		{name: "1024-bit key", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, small) },
			want: audit.StatusFail, message: "RSA key is 1024 bits, fewer than the 2048 required",
			check: func(t *testing.T, r audit.Result) {
				if strings.Contains(r.Message, "signed with") {
					t.Errorf("message %q blames the signature too", r.Message)
				}
			}},
		{name: "self-signed with SHA-1 warns", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, sha1) },
			want: audit.StatusWarn, message: "is self-signed with SHA1-RSA, a broken hash: harmless for a pinned certificate",
			check: func(t *testing.T, r audit.Result) {
				if strings.Contains(r.Message, "bits") {
					t.Errorf("message %q blames the key too", r.Message)
				}
			}},
		{name: "small key and SHA-1", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, both) },
			want: audit.StatusFail, message: "1024 bits, fewer than the 2048 required; it is signed with SHA1-RSA"},
		{name: "self-signed with MD5 warns", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, strengthWithAlgorithm(good, x509.MD5WithRSA)) },
			want: audit.StatusWarn, message: "self-signed with MD5-RSA"},
		{name: "self-signed with MD2 warns", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, strengthWithAlgorithm(good, x509.MD2WithRSA)) },
			want: audit.StatusWarn, message: "self-signed with MD2-RSA"},
		{name: "CA-signed with SHA-1 fails", mutate: func(t *audit.Target) {
			c := strengthWithAlgorithm(sha1, x509.SHA1WithRSA)
			c.RawIssuer = []byte("another issuer")
			fixture.SetSigningCert(t, c)
		}, want: audit.StatusFail, message: "signed with SHA1-RSA, a broken hash"},
		{name: "unrecognised signature algorithm", mutate: func(t *audit.Target) {
			fixture.SetSigningCert(t, strengthWithAlgorithm(good, x509.UnknownSignatureAlgorithm))
		}, want: audit.StatusFail, message: "not one ssoaudit recognises"},
		{name: "ECDSA key", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, ec) },
			want: audit.StatusFail, message: "its key is ECDSA, not RSA"},
		{name: "ECDSA key signed with SHA-1", mutate: func(t *audit.Target) { fixture.SetSigningCert(t, ecSHA1) },
			want: audit.StatusFail, message: "not RSA (Okta's app signing certificates are RSA, so this one did not come from Okta's certificate generator); it is signed with ECDSA-SHA1"},
		{name: "certificate undecodable", mutate: func(t *audit.Target) {
			t.Keys[0].Cert, t.Keys[0].CertErr = nil, errors.New("x5c[0]: not an X.509 certificate")
		}, want: audit.StatusError, message: "could not be decoded: x5c[0]"},
		{name: "signing kid not among keys", mutate: func(t *audit.Target) { t.App.Credentials.Signing.Kid = "gone" },
			want: audit.StatusFail, message: "not among its keys"},
		{name: "keys.json unreadable", mutate: failed(audit.InputKeys),
			want: audit.StatusError, message: "could not read okta/keys.json"},
	})
}
