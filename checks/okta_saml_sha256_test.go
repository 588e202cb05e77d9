package checks

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

func sha256Set(sig, dig string) func(*audit.Target) {
	return func(t *audit.Target) {
		t.App.Settings.SignOn.SignatureAlgorithm = sig
		t.App.Settings.SignOn.DigestAlgorithm = dig
	}
}

func TestSHA256(t *testing.T) {
	runCases(t, "okta.saml.sha256", append([]ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "RSA-SHA256",
			check: acsEvidence("RSA_SHA256 / SHA256", "RSA_SHA256 / SHA256")},
		{name: "RSA_SHA1 signature", mutate: sha256Set("RSA_SHA1", "SHA256"),
			want: audit.StatusFail, message: `the signature algorithm is "RSA_SHA1", not RSA_SHA256 (SHA-1 collisions are practical)`,
			check: func(t *testing.T, r audit.Result) {
				acsEvidence("RSA_SHA256 / SHA256", "RSA_SHA1 / SHA256")(t, r)
				if strings.Contains(r.Message, "digest") {
					t.Errorf("the digest is right but named: %s", r.Message)
				}
			}},
		{name: "SHA1 digest", mutate: sha256Set("RSA_SHA256", "SHA1"),
			want: audit.StatusFail, message: `the digest algorithm is "SHA1", not SHA256`,
			check: func(t *testing.T, r audit.Result) {
				if strings.Contains(r.Message, "signature algorithm") {
					t.Errorf("the signature algorithm is right but named: %s", r.Message)
				}
			}},
		{name: "both SHA-1", mutate: sha256Set("RSA_SHA1", "SHA1"),
			want: audit.StatusFail, message: `both algorithms are wrong: the signature algorithm is "RSA_SHA1", not RSA_SHA256; the digest algorithm is "SHA1", not SHA256 (SHA-1 collisions are practical)`,
			check: func(t *testing.T, r audit.Result) {
				if n := strings.Count(r.Message, "SHA-1 collisions are practical"); n != 1 {
					t.Errorf("the reason is given %d times: %s", n, r.Message)
				}
			}},
		{name: "SHA-1 signature, MD5 digest", mutate: sha256Set("RSA_SHA1", "MD5"),
			want: audit.StatusFail, message: `both algorithms are wrong: the signature algorithm is "RSA_SHA1", not RSA_SHA256 (SHA-1 collisions are practical); the digest algorithm is "MD5", not SHA256 (MD5 is broken)`},
		{name: "both differ by case", mutate: sha256Set("rsa_sha256", "sha256"),
			want: audit.StatusFail, message: `not SHA256 (each differs only by letter case or whitespace`},
		{name: "case differs", mutate: sha256Set("rsa_sha256", "SHA256"),
			want: audit.StatusFail, message: "differs only by letter case"},
		{name: "wrong signature, digest unset", mutate: sha256Set("RSA_SHA1", ""),
			want: audit.StatusFail, message: `(SHA-1 collisions are practical); also, okta/app.json has no settings.signOn.digestAlgorithm`},
		{name: "signature unset", mutate: sha256Set("", "SHA256"),
			want: audit.StatusError, message: "okta/app.json has no settings.signOn.signatureAlgorithm"},
		{name: "both unset", mutate: sha256Set("", ""),
			want: audit.StatusError, message: "no settings.signOn.signatureAlgorithm or settings.signOn.digestAlgorithm"},
		{name: "catalog app: algorithms not sent", mutate: chain(asCatalog("druva"), unsent("signatureAlgorithm", "digestAlgorithm")),
			want: audit.StatusSkip, message: "Okta does not expose the signature and digest algorithms"},
	}, samlAppCases()...))
}
