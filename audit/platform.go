package audit

// Platform data: the SAML values of each Druva platform. What each
// platform accepts beyond them is its PlatformProfile (platform_profile.go).

import (
	"fmt"
)

// Expectations are the values a platform (or the config) makes the rules expect.
type Expectations struct {
	ACSURL         string
	Audience       string
	TokenAttribute string
	CertWarnDays   int
}

// Platform is one Druva platform's SAML values (docs/platforms.md).
type Platform struct {
	Name           string
	ACSURL         string // empty where the user must set it (insync-onprem)
	Audience       string // empty where the user must set it (insync-onprem)
	TokenAttribute string
}

// DefaultPlatform is the platform of Druva's set-up guide.
const DefaultPlatform = "insync-cloud"

// DefaultCertWarnDays is how close to expiry a certificate starts to warn.
const DefaultCertWarnDays = 30

// Platforms lists the Druva platforms ssoaudit knows, in catalog order.
var Platforms = []Platform{
	{"insync-cloud", "https://cloud.druva.com/wrsaml/consume", "druva-cloud", "insync_auth_token"},
	{"insync-govcloud", "https://govcloud.druva.com/wrsaml/consume", "druva-govcloud", "insync_auth_token"},
	{"dcp", "https://login.druva.com/api/commonlogin/samlconsume", "DCP-login", "druva_auth_token"},
	{"dcp-govcloud", "https://loginfederal.druva.com/api/commonlogin/samlconsume", "DCP-loginfederal", "druva_auth_token"},
	{"dcp-dell", "https://dell-login.druva.com/api/commonlogin/samlconsume", "DCP-login", "druva_auth_token"},
	// An on-premise server's ACS URL is its own, and its entity ID is the
	// SAML_Identifier Druva Support issues: the config sets both (expect:).
	{"insync-onprem", "", "", "insync_auth_token"},
	// Druva's Managed Services Center, which service providers'
	// administrators sign in to (docs/platforms.md).
	{"msc", "https://login.druva.com/api/commonlogin/mspsamlconsume", "MSC-login", "druva_auth_token"},
}

// LookupPlatform finds a platform by name.
func LookupPlatform(name string) (Platform, error) {
	for _, p := range Platforms {
		if p.Name == name {
			return p, nil
		}
	}
	return Platform{}, fmt.Errorf("unknown platform %q (want one of %s)", name, PlatformNames())
}

// PlatformNames lists the platform names, comma-separated, for messages.
func PlatformNames() string {
	s := ""
	for i, p := range Platforms {
		if i > 0 {
			s += ", "
		}
		s += p.Name
	}
	return s
}

// Expectations returns what the platform expects, with the config's
// overrides (non-zero fields of over) applied.
func (p Platform) Expectations(over Expectations) Expectations {
	e := Expectations{ACSURL: p.ACSURL, Audience: p.Audience, TokenAttribute: p.TokenAttribute, CertWarnDays: DefaultCertWarnDays}
	if over.ACSURL != "" {
		e.ACSURL = over.ACSURL
	}
	if over.Audience != "" {
		e.Audience = over.Audience
	}
	if over.TokenAttribute != "" {
		e.TokenAttribute = over.TokenAttribute
	}
	if over.CertWarnDays != 0 {
		e.CertWarnDays = over.CertWarnDays
	}
	return e
}
