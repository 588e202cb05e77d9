package checks

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/ssoaudit/ssoaudit/audit"
)

// druvaSetupSteps says where the two values come from and where they go.
const druvaSetupSteps = "1. Okta admin console: Applications > Applications > (the Druva app) > Sign On > View SAML setup instructions.\n" +
	"2. inSync Management Console > Settings > Single Sign-On > Edit.\n" +
	"3. \"ID Provider Login URL\": paste the \"Identity Provider Single Sign-On URL\" from step 1, exactly as shown (https).\n" +
	"4. \"ID Provider Certificate\": paste the \"X.509 Certificate\" from step 1, including the BEGIN CERTIFICATE and END CERTIFICATE lines.\n" +
	"5. Save, then record the same values in druva.yaml (sso.idp_login_url, sso.idp_certificate)."

func init() {
	register(&audit.Rule{
		ID:        "druva.sso.configured",
		Title:     "Druva console has an https IdP login URL and a valid IdP certificate",
		Severity:  audit.High,
		Reference: "Druva guide, Configure the inSync Management Console to use Okta, steps 2–4 (\"Enter the details as obtained in previous steps\")",
		Location:  audit.Location{Input: audit.InputConsole, Key: "sso"},
		Needs:     []audit.Input{audit.InputConsole},
		Check:     checkDruvaSSO,
	})
}

func checkDruvaSSO(t *audit.Target) audit.Result {
	sso := t.Console.SSO
	if sso == nil {
		return audit.SkipAbsent(audit.InputConsole, "druva.yaml has no sso section: the console's Single Sign-On settings were not recorded", nil)
	}
	// problems are findings; unrecorded are fields the sso section leaves
	// out, which record nothing (docs/inputs.md, druva.yaml): alone they make the
	// rule skip for want of input, never fail.
	var problems, unrecorded []string
	ev := audit.Evidence{}.
		Add("expected", audit.Evidence{}.
			Add("idp_login_url", "an https URL").
			Add("idp_certificate", "an X.509 certificate, PEM or base64, valid now"))
	actual := audit.Evidence{}

	if sso.IDPLoginURL == nil {
		unrecorded = append(unrecorded, "sso.idp_login_url (\"ID Provider Login URL\")")
	} else if p := druvaLoginURLProblem(sso.IDPLoginURL); p != "" {
		problems = append(problems, p)
	}
	if sso.IDPLoginURL != nil {
		actual = actual.Add("idp_login_url", consoleValue(*sso.IDPLoginURL))
	} else {
		actual = actual.Add("idp_login_url", nil)
	}

	var cert *x509.Certificate
	switch {
	case sso.IDPCertificate == nil:
		unrecorded = append(unrecorded, "sso.idp_certificate (\"ID Provider Certificate\")")
		actual = actual.Add("idp_certificate", nil)
	default:
		c, err := druvaParseCert(*sso.IDPCertificate)
		if err != nil {
			problems = append(problems, "the ID Provider Certificate is not usable: "+err.Error())
			actual = actual.Add("idp_certificate", "unparseable: "+err.Error())
		} else {
			cert = c
			actual = actual.Add("idp_certificate", "X.509 certificate "+certFingerprint(c))
			switch {
			case t.Now.After(c.NotAfter):
				problems = append(problems, fmt.Sprintf("the ID Provider Certificate expired on %s: Druva rejects every sign-in signed with it; paste Okta's current signing certificate into the console",
					certValidityDate(c.NotAfter)))
			case t.Now.Before(c.NotBefore):
				problems = append(problems, fmt.Sprintf("the ID Provider Certificate is not valid until %s: Druva rejects sign-ins until then (a clock or a wrong certificate); paste Okta's current signing certificate into the console",
					certValidityDate(c.NotBefore)))
			}
		}
	}
	ev = ev.Add("actual", actual)
	if cert != nil {
		ev = certEvidence(ev, "certificate_", cert)
	}
	gap := ""
	if len(unrecorded) > 0 {
		gap = "druva.yaml's sso section does not record " + strings.Join(unrecorded, " or ")
	}
	switch {
	case len(problems) > 0 && gap != "":
		return audit.Fail(strings.Join(problems, "; ")+" (and "+gap+")", ev)
	case len(problems) > 0:
		return audit.Fail(strings.Join(problems, "; "), ev)
	case gap != "":
		r := audit.SkipAbsent(audit.InputConsole, gap+": the console's SSO settings cannot be verified", ev)
		r.Remediation = "Record the fields in druva.yaml's sso section as the console shows them: inSync Management Console > " +
			"Settings > Single Sign-On (idp_login_url: the \"ID Provider Login URL\"; idp_certificate: the \"ID Provider Certificate\", " +
			"PEM or base64; an empty field in the console is recorded as \"\"). Then scan again."
		return r
	}
	return audit.Pass(fmt.Sprintf("the console has an https ID Provider Login URL (%q) and an ID Provider Certificate valid now (%q, until %s)",
		*sso.IDPLoginURL, certMatchName(cert), certValidityDate(cert.NotAfter)), ev)
}

// consoleValue is a value typed into the console, for evidence: as typed,
// unless it looks like a token pasted into the wrong field.
func consoleValue(v string) string {
	if audit.LooksLikeSecret(strings.TrimSpace(v)) {
		return "(not shown: it looks like a token)"
	}
	return v
}

// druvaLoginURLProblem says what is wrong with the console's ID Provider
// Login URL, or "" when it is an https URL.
func druvaLoginURLProblem(v *string) string {
	if v == nil {
		return "druva.yaml records no sso.idp_login_url (the console's \"ID Provider Login URL\")"
	}
	s := *v
	if strings.TrimSpace(s) == "" {
		return "the ID Provider Login URL is empty"
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return fmt.Sprintf("the ID Provider Login URL %s contains whitespace: Druva redirects to it verbatim", audit.Shown(s))
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Sprintf("the ID Provider Login URL %s is not an absolute URL (want https://<your-org>.okta.com/app/.../sso/saml)", audit.Shown(s))
	}
	if u.Scheme != "https" {
		return fmt.Sprintf("the ID Provider Login URL %s uses %s, not https: sign-in requests would travel unencrypted (Okta serves SAML over https only)", audit.Shown(s), u.Scheme)
	}
	return ""
}

// druvaParseCert decodes a certificate as a person pastes it into the Druva
// console: one PEM block, or bare base64 DER with any whitespace. Errors never
// quote the input: someone may have pasted a private key here.
func druvaParseCert(s string) (*x509.Certificate, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("it is empty")
	}
	var der []byte
	if strings.HasPrefix(s, "-----BEGIN") {
		block, rest := pem.Decode([]byte(s))
		switch {
		case block == nil:
			return nil, errors.New("malformed PEM (check that the BEGIN CERTIFICATE and END CERTIFICATE lines are complete and on lines of their own)")
		case block.Type != "CERTIFICATE":
			return nil, fmt.Errorf("it is a PEM %q block, not a CERTIFICATE", block.Type)
		case strings.TrimSpace(string(rest)) != "":
			return nil, errors.New("it holds more than one PEM block (give only Okta's signing certificate)")
		}
		der = block.Bytes
	} else {
		var err error
		der, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
		if err != nil {
			return nil, fmt.Errorf("it is neither PEM nor base64 (%v)", err)
		}
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("it is not an X.509 certificate (%v)", err)
	}
	return c, nil
}
