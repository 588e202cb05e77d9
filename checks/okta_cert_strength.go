package checks

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// certStrengthMinRSA is the smallest RSA key accepted: NIST SP 800-131A
// disallows anything shorter for signatures, and Okta generates 2048-bit keys.
const certStrengthMinRSA = 2048

// certStrengthWeak lists signature algorithms with broken hash functions
// (MD2, MD5, SHA-1): collisions in them have been shown in practice.
var certStrengthWeak = map[x509.SignatureAlgorithm]bool{
	x509.MD2WithRSA:    true,
	x509.MD5WithRSA:    true,
	x509.SHA1WithRSA:   true,
	x509.DSAWithSHA1:   true,
	x509.ECDSAWithSHA1: true,
}

func init() {
	register(&audit.Rule{
		ID:       "okta.cert.strength",
		Title:    "Okta's SAML signing certificate uses a strong key and signature",
		Severity: audit.Medium,
		Reference: "Druva guide, Configuring the Okta Druva App, steps 9–10 (the certificate copied to the inSync Management Console); " +
			"NIST SP 800-131A (RSA ≥ 2048 bits, no SHA-1 signatures); a self-signed SHA-1 certificate only warns, and Druva's DCP + Okta article, which activates one, is judged beyond: " + certStrengthDCPArticle,
		Location: audit.Location{Input: audit.InputKeys},
		Needs:    []audit.Input{audit.InputApp, audit.InputKeys},
		Check:    checkCertStrength,
	})
}

func checkCertStrength(t *audit.Target) audit.Result {
	k, res := activeCert(t)
	if res != nil {
		return *res
	}
	ev := audit.Evidence{}.Add("kid", k.Kid)
	c := k.Cert
	ev = ev.
		Add("expected", fmt.Sprintf("RSA key of at least %d bits; signature not MD2, MD5 or SHA-1", certStrengthMinRSA)).
		Add("actual", fmt.Sprintf("%s key; signature %s", keyDescription(c), certStrengthAlgName(c.SignatureAlgorithm)))
	ev = certEvidence(ev, "", c)

	var problems []string
	keyWeak := false
	switch bits := rsaBits(c); {
	case bits == 0:
		problems = append(problems, fmt.Sprintf("its key is %s, not RSA (Okta's app signing certificates are RSA, so this one did not come from Okta's certificate generator)", keyDescription(c)))
		keyWeak = true
	case bits < certStrengthMinRSA:
		problems = append(problems, fmt.Sprintf("its RSA key is %d bits, fewer than the %d required", bits, certStrengthMinRSA))
		keyWeak = true
	}
	selfSigned := bytes.Equal(c.RawSubject, c.RawIssuer)
	if !keyWeak && selfSigned && certStrengthWeak[c.SignatureAlgorithm] {
		// Druva pins this certificate: what protects a sign-in is the key,
		// and a self-signed certificate's own signature vouches for nothing.
		return audit.Warn(fmt.Sprintf("the active signing certificate (kid %q) has a strong %s key but is self-signed with %s, a broken hash: harmless for a pinned certificate "+
			"(Druva trusts this exact certificate, not its signature), but compliance audits flag it. Druva's DCP + Okta article (%s) even has admins activate Okta's SHA-1 certificate; "+
			"this rule judges beyond Druva's pages: prefer a SHA-256 certificate", k.Kid, keyDescription(c), certStrengthAlgName(c.SignatureAlgorithm), certStrengthDCPArticle), ev.Add("self_signed", true))
	}
	switch {
	case certStrengthWeak[c.SignatureAlgorithm]:
		problems = append(problems, fmt.Sprintf("it is signed with %s, a broken hash (use SHA-256)", certStrengthAlgName(c.SignatureAlgorithm)))
	case c.SignatureAlgorithm == x509.UnknownSignatureAlgorithm:
		// Fail closed: an algorithm we cannot name is one we cannot show is not weak.
		problems = append(problems, "its signature algorithm is not one ssoaudit recognises, so it cannot be shown not to be MD5 or SHA-1")
	}
	if len(problems) > 0 {
		return audit.Fail(fmt.Sprintf("the active signing certificate (kid %q) is weak: %s", k.Kid, strings.Join(problems, "; ")), ev)
	}
	return audit.Pass(fmt.Sprintf("the active signing certificate (kid %q) has an %s key and a %s signature", k.Kid, keyDescription(c), c.SignatureAlgorithm), ev)
}

// certStrengthDCPArticle is the Druva page that tells admins to activate a
// SHA-1 signing certificate (its users' app steps 11–13).
const certStrengthDCPArticle = "https://help.druva.com/en/articles/8806061-how-to-configure-sp-and-idp-initiated-sso-for-users-and-admin-under-one-druva-instance-using-okta-as-an-idp"

// certStrengthAlgName names a signature algorithm; Go's String() no longer
// knows MD2 and prints a bare number for it.
func certStrengthAlgName(a x509.SignatureAlgorithm) string {
	if a == x509.MD2WithRSA {
		return "MD2-RSA"
	}
	return a.String()
}
