package checks

import (
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Okta's value of signOnMode for a SAML 2.0 app.
const samlSignOnMode = "SAML_2_0"

// samlSettings returns the app's SAML settings, or the result to report
// instead: a skip when the app is not a SAML app (okta.app.saml-active says
// so), an error when it claims to be one but has no settings.signOn.
func samlSettings(t *audit.Target) (*audit.SAMLSettings, *audit.Result) {
	if t.App.SignOnMode != samlSignOnMode {
		r := audit.Skip(fmt.Sprintf("the app's sign-on mode is %q, not SAML 2.0: see okta.app.saml-active", t.App.SignOnMode),
			audit.Evidence{}.Add("signOnMode", t.App.SignOnMode))
		return nil, &r
	}
	if t.App.Settings.SignOn == nil {
		r := audit.Error("okta/app.json has signOnMode SAML_2_0 but no settings.signOn: the SAML settings could not be read", nil)
		return nil, &r
	}
	return t.App.Settings.SignOn, nil
}

// activeKey finds the app's active signing key: the one named by
// credentials.signing.kid, or the only key when no kid is set. When it
// cannot, the result says why (an error: the data does not say which key signs).
func activeKey(t *audit.Target) (*audit.Key, *audit.Result) {
	kid := ""
	if t.App != nil && t.App.Credentials.Signing != nil {
		kid = t.App.Credentials.Signing.Kid
	}
	if kid == "" {
		if len(t.Keys) == 1 {
			return &t.Keys[0], nil
		}
		r := audit.Error(fmt.Sprintf("the app names no signing key (credentials.signing.kid is empty) and keys.json has %d keys: cannot tell which one signs", len(t.Keys)),
			audit.Evidence{}.Add("keys", len(t.Keys)))
		return nil, &r
	}
	for i := range t.Keys {
		if t.Keys[i].Kid == kid {
			return &t.Keys[i], nil
		}
	}
	kids := make([]string, 0, len(t.Keys))
	for _, k := range t.Keys {
		kids = append(kids, k.Kid)
	}
	r := audit.Fail(fmt.Sprintf("the app's signing key %q is not among its keys in keys.json", kid),
		audit.Evidence{}.Add("kid", kid).Add("keys", kids))
	return nil, &r
}

// activeCert is activeKey for the rules that need its certificate: an
// error result when the key's certificate could not be decoded.
func activeCert(t *audit.Target) (*audit.Key, *audit.Result) {
	k, res := activeKey(t)
	if res != nil {
		return nil, res
	}
	if k.Cert == nil {
		r := audit.Error(fmt.Sprintf("the certificate of Okta's active signing key %q could not be decoded: %s", k.Kid, certDecodeErr(k.CertErr)),
			audit.Evidence{}.Add("kid", k.Kid))
		return nil, &r
	}
	return k, nil
}

// certDecodeErr says why a certificate is missing.
func certDecodeErr(err error) string {
	if err == nil {
		return "keys.json gives no certificate for it"
	}
	return err.Error()
}

// certFingerprint is the hex SHA-256 of a certificate's DER encoding.
func certFingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return hex.EncodeToString(sum[:])
}

// certEvidence describes a certificate for a report: who, when, how strong.
func certEvidence(ev audit.Evidence, prefix string, c *x509.Certificate) audit.Evidence {
	return ev.
		Add(prefix+"subject", subjectString(c)).
		Add(prefix+"not_before", c.NotBefore.UTC().Format(time.RFC3339)).
		Add(prefix+"not_after", c.NotAfter.UTC().Format(time.RFC3339)).
		Add(prefix+"key", keyDescription(c)).
		Add(prefix+"signature_algorithm", c.SignatureAlgorithm.String()).
		Add(prefix+"sha256", certFingerprint(c))
}

// keyDescription names a certificate's public key type and size.
func keyDescription(c *x509.Certificate) string {
	if bits := rsaBits(c); bits > 0 {
		return fmt.Sprintf("RSA %d", bits)
	}
	return c.PublicKeyAlgorithm.String()
}

// subjectString renders a certificate's subject like pkix.Name.String, but
// names the emailAddress attribute Okta puts in its certificates instead of
// printing its OID and DER bytes.
func subjectString(c *x509.Certificate) string {
	name := c.Subject
	var emails, kept []pkix.AttributeTypeAndValue
	for _, a := range name.Names {
		if _, ok := a.Value.(string); ok && a.Type.Equal(oidEmailAddress) {
			emails = append(emails, a)
			continue
		}
		kept = append(kept, a)
	}
	name.Names = kept
	out := name.String()
	for _, e := range emails {
		out = "emailAddress=" + e.Value.(string) + "," + out
	}
	return out
}

// oidEmailAddress is PKCS #9's emailAddress attribute.
var oidEmailAddress = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
