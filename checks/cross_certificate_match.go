package checks

import (
	"crypto/x509"
	"fmt"

	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:       "cross.certificate-match",
		Title:    "Druva console trusts Okta's active signing certificate",
		Severity: audit.Critical,
		Reference: "Druva guide, Configuring the Okta Druva App, step 10 (\"Copy the Certificate ... to the inSync Management Console\") " +
			"and Configure the inSync Management Console to use Okta, step 3",
		Location: audit.Location{Input: audit.InputConsole, Key: "sso.idp_certificate"},
		Needs:    []audit.Input{audit.InputApp, audit.InputKeys, audit.InputConsole},
		Check:    checkCertMatch,
	})
}

// checkCertMatch compares SHA-256 fingerprints of the DER encodings, so
// PEM versus base64, line breaks and whitespace in the console copy never matter.
func checkCertMatch(t *audit.Target) audit.Result {
	sso := t.Console.SSO
	switch {
	case sso == nil:
		return audit.SkipAbsent(audit.InputConsole, "druva.yaml has no sso section: the console's ID Provider Certificate was not recorded", nil)
	case sso.IDPCertificate == nil:
		return audit.SkipAbsent(audit.InputConsole, "druva.yaml's sso section has no idp_certificate: the console's ID Provider Certificate was not recorded", nil)
	}
	// A certificate a person wrote that cannot be parsed cannot match either:
	// that is a finding about the console (fail), not missing data (error).
	console, err := druvaParseCert(*sso.IDPCertificate)
	if err != nil {
		return audit.Fail("the console's ID Provider Certificate cannot be Okta's signing certificate because it does not parse (see druva.sso.configured): "+err.Error(),
			audit.Evidence{}.Add("actual", "unparseable: "+err.Error()))
	}
	k, res := activeCert(t)
	if res != nil {
		return *res
	}
	want, got := certFingerprint(k.Cert), certFingerprint(console)
	ev := audit.Evidence{}.
		Add("expected", want).
		Add("actual", got).
		Add("active_kid", k.Kid)
	ev = certEvidence(ev, "okta_", k.Cert)
	ev = certEvidence(ev, "console_", console)
	if want == got {
		return audit.Pass(fmt.Sprintf("the console's ID Provider Certificate is Okta's active signing certificate (kid %q, SHA-256 %s)", k.Kid, want), ev)
	}
	for _, other := range t.Keys {
		if other.Cert != nil && other.Kid != k.Kid && certFingerprint(other.Cert) == got {
			ev = ev.Add("console_kid", other.Kid)
			return audit.Fail(fmt.Sprintf("the console's ID Provider Certificate is the certificate of Okta key %q, which is no longer the active one: "+
				"Okta now signs with key %q (SHA-256 %s, valid until %s) and Druva still trusts the old certificate (SHA-256 %s), "+
				"so every sign-in to Druva fails — the classic break after Okta rotates its key",
				other.Kid, k.Kid, want, certValidityDate(k.Cert.NotAfter), got), ev)
		}
	}
	return audit.Fail(fmt.Sprintf("the console's ID Provider Certificate (SHA-256 %s, %q, valid until %s) is not Okta's active signing certificate "+
		"(kid %q, SHA-256 %s, %q, valid until %s) nor any other key of this app: Druva rejects every response Okta signs — "+
		"the classic break after Okta rotates its key, or a certificate copied from another app",
		got, certMatchName(console), certValidityDate(console.NotAfter),
		k.Kid, want, certMatchName(k.Cert), certValidityDate(k.Cert.NotAfter)), ev)
}

// certMatchName names a certificate briefly for a message (its common name);
// the evidence keeps the full subject.
func certMatchName(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return "CN=" + c.Subject.CommonName
	}
	return c.Subject.String()
}
