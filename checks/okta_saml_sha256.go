package checks

import (
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Okta's API values for the Advanced Settings "Signature Algorithm" and
// "Digest Algorithm".
const (
	sha256Signature = "RSA_SHA256"
	sha256Digest    = "SHA256"
)

func init() {
	register(&audit.Rule{
		ID:       "okta.saml.sha256",
		Title:    "SAML signatures use SHA-256",
		Severity: audit.Medium,
		Reference: "Druva guide, Configuring the Okta Druva App, step 4.4 (\"Under Advanced Settings\"); the algorithms are Okta's Advanced Settings " +
			"and the guide leaves them at Okta's defaults (RSA-SHA256, SHA256)",
		Terraform: "set signature_algorithm = \"RSA_SHA256\" and digest_algorithm = \"SHA256\"",
		Location:  audit.Location{Input: audit.InputApp, Key: "settings.signOn.signatureAlgorithm"},
		Needs:     []audit.Input{audit.InputApp},
		Check:     checkSHA256,
	})
}

func checkSHA256(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	for _, f := range []string{"signatureAlgorithm", "digestAlgorithm"} {
		if r := notSent(t, s, f, "the signature and digest algorithms",
			"Applications > Applications > (the app) > Sign On > Settings > SAML Signing Certificates and the integration's set-up instructions: SHA-256 throughout"); r != nil {
			return *r
		}
	}
	sig, dig := s.SignatureAlgorithm, s.DigestAlgorithm
	ev := audit.Evidence{}.
		Add("expected", sha256Signature+" / "+sha256Digest).
		Add("actual", nameIDShow(sig)+" / "+nameIDShow(dig)).
		Add("signatureAlgorithm", sig).
		Add("digestAlgorithm", dig)

	type wrongAlg struct{ what, why string }
	var wrong []wrongAlg
	var unset []string
	switch {
	case sig == "":
		unset = append(unset, "signatureAlgorithm")
	case sig != sha256Signature:
		wrong = append(wrong, wrongAlg{fmt.Sprintf("the signature algorithm is %q, not %s", sig, sha256Signature), sha256Why(sig)})
	}
	switch {
	case dig == "":
		unset = append(unset, "digestAlgorithm")
	case dig != sha256Digest:
		wrong = append(wrong, wrongAlg{fmt.Sprintf("the digest algorithm is %q, not %s", dig, sha256Digest), sha256Why(dig)})
	}

	switch {
	case len(wrong) == 2 && wrong[0].why == wrong[1].why:
		// One reason for both: say it once.
		msg := "both algorithms are wrong: " + wrong[0].what + "; " + wrong[1].what
		if why := wrong[0].why; why == sha256WhyCase {
			msg += " (each differs only by letter case or whitespace, and Okta's API values are exact)"
		} else if why != "" {
			msg += " (" + why + ")"
		}
		return audit.Fail(msg, ev)
	case len(wrong) > 0:
		parts := make([]string, len(wrong))
		for i, w := range wrong {
			parts[i] = w.what
			if w.why == sha256WhyCase {
				parts[i] += " (it differs only by letter case or whitespace, and Okta's API values are exact)"
			} else if w.why != "" {
				parts[i] += " (" + w.why + ")"
			}
		}
		msg := strings.Join(parts, "; ")
		if len(wrong) == 2 {
			msg = "both algorithms are wrong: " + msg
		}
		if len(unset) > 0 {
			msg += fmt.Sprintf("; also, okta/app.json has no settings.signOn.%s", unset[0])
		}
		return audit.Fail(msg, ev)
	case len(unset) > 0:
		// An absent value is not Okta's default made visible: it is data
		// ssoaudit did not get, so the rule cannot vouch for it.
		return audit.Error(fmt.Sprintf("okta/app.json has no settings.signOn.%s: cannot tell which algorithm Okta uses", strings.Join(unset, " or settings.signOn.")), ev)
	}
	return audit.Pass("Okta signs with RSA-SHA256 over SHA-256 digests", ev)
}

// sha256WhyCase is sha256Why's reason for a value that is right but for
// letter case or whitespace.
const sha256WhyCase = "case"

// sha256Why says why a weak algorithm matters; "" for values it does not know.
func sha256Why(v string) string {
	u := strings.ToUpper(strings.TrimSpace(v))
	switch {
	case u == sha256Signature || u == sha256Digest:
		return sha256WhyCase
	case strings.Contains(u, "SHA1"):
		return "SHA-1 collisions are practical"
	case strings.Contains(u, "MD5"):
		return "MD5 is broken"
	}
	return ""
}
