package audit

// The Okta model: what ssoaudit reads of an Okta SAML app, its signing
// keys, metadata, assigned users and authentication policy, with Okta's
// field names. Sources fill it; rules read it, and both ask it for the
// values Okta actually uses (EffectiveACS, EffectiveAudience, …).

import (
	"crypto/x509"
	"fmt"
	"regexp"
	"strings"
)

// App is the part of an Okta application object (GET /api/v1/apps/{id}) that
// the rules read. Field names and JSON tags follow Okta's API.
type App struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Label       string         `json:"label"`
	Status      string         `json:"status"`
	SignOnMode  string         `json:"signOnMode"`
	Credentials AppCredentials `json:"credentials"`
	Settings    AppSettings    `json:"settings"`
	Links       AppLinks       `json:"_links"`
}

// AppLinks are the app's _links that ssoaudit follows.
type AppLinks struct {
	// AccessPolicy is the app's authentication policy; Okta sends it on
	// Identity Engine orgs only.
	AccessPolicy *Link `json:"accessPolicy"`
}

// Link is one HAL link of an Okta object.
type Link struct {
	Href string `json:"href"`
}

// AccessPolicyID is the ID of the app's authentication policy (the last
// segment of _links.accessPolicy.href), or "" when Okta sent no link: a
// Classic Engine org, where apps have no authentication policy.
func (a *App) AccessPolicyID() string {
	if a == nil || a.Links.AccessPolicy == nil {
		return ""
	}
	h := strings.TrimRight(a.Links.AccessPolicy.Href, "/")
	if i := strings.LastIndex(h, "/"); i >= 0 {
		h = h[i+1:]
	}
	return h
}

// AppCredentials holds the app's username template and signing key ID.
type AppCredentials struct {
	UserNameTemplate *UserNameTemplate `json:"userNameTemplate"`
	Signing          *AppSigning       `json:"signing"`
}

// UserNameTemplate is Okta's "Application username format".
type UserNameTemplate struct {
	Template string `json:"template"`
	Type     string `json:"type"`
	// UserSuffix (older responses: Suffix) is appended to every username.
	UserSuffix string `json:"userSuffix"`
	Suffix     string `json:"suffix"`
}

// AppSigning names the app's active signing key.
type AppSigning struct {
	Kid string `json:"kid"`
}

// AppSettings holds the app's SAML settings.
type AppSettings struct {
	SignOn *SAMLSettings `json:"signOn"`
	// App holds the string values of settings.app: a catalog integration's
	// own fields (for Okta's "Druva" app, the inSync auth token). Sources
	// fill it; non-string values are left out.
	App map[string]string `json:"-"`
}

// FieldState says whether a source sent a field, sent it as null, or left it
// out. A field left out is not a field set to false or empty: apps from
// Okta's catalog do not expose what their integration fixes.
type FieldState uint8

// Field states.
const (
	FieldAbsent FieldState = iota
	FieldNull
	FieldSet
)

// SAMLSettings is settings.signOn of a SAML 2.0 app. The Go zero value of a
// field stands for "absent" and "null" too: State tells them apart.
type SAMLSettings struct {
	DefaultRelayState     string               `json:"defaultRelayState"`
	SSOAcsURL             string               `json:"ssoAcsUrl"`
	SSOAcsURLOverride     string               `json:"ssoAcsUrlOverride"`
	Recipient             string               `json:"recipient"`
	RecipientOverride     string               `json:"recipientOverride"`
	Destination           string               `json:"destination"`
	DestinationOverride   string               `json:"destinationOverride"`
	Audience              string               `json:"audience"`
	AudienceOverride      string               `json:"audienceOverride"`
	IdpIssuer             string               `json:"idpIssuer"`
	SubjectNameIDTemplate string               `json:"subjectNameIdTemplate"`
	SubjectNameIDFormat   string               `json:"subjectNameIdFormat"`
	ResponseSigned        bool                 `json:"responseSigned"`
	AssertionSigned       bool                 `json:"assertionSigned"`
	SignatureAlgorithm    string               `json:"signatureAlgorithm"`
	DigestAlgorithm       string               `json:"digestAlgorithm"`
	AttributeStatements   []AttributeStatement `json:"attributeStatements"`
	// AllowMultipleAcsEndpoints lets the SP ask, by index, for an assertion
	// at any of AcsEndpoints instead of SSOAcsURL.
	AllowMultipleAcsEndpoints bool          `json:"allowMultipleAcsEndpoints"`
	AcsEndpoints              []ACSEndpoint `json:"acsEndpoints"`
	// SAMLSignedRequestEnabled: Okta verifies the SP's AuthnRequest signatures.
	SAMLSignedRequestEnabled bool         `json:"samlSignedRequestEnabled"`
	InlineHooks              []InlineHook `json:"inlineHooks"`
	// AssertionEncryption is settings.signOn.assertionEncryption.enabled,
	// which Okta sends though its SDK models lack it; nil when absent, null
	// or not a boolean (State("assertionEncryption.enabled") says which).
	AssertionEncryption *bool `json:"-"`

	// Sent records, for each field name as Okta spells it, whether the
	// source had it. Nil means every field was present (a source that fills
	// the settings from typed data, such as a Terraform plan).
	Sent map[string]FieldState `json:"-"`
}

// State says whether the source sent the field (Okta's JSON name).
func (s *SAMLSettings) State(field string) FieldState {
	if s.Sent == nil {
		return FieldSet
	}
	return s.Sent[field]
}

// Has reports whether the source sent the field with a non-null value.
func (s *SAMLSettings) Has(field string) bool { return s.State(field) == FieldSet }

// Effective is the value Okta actually uses for a field that has an
// *Override, and the field (Okta's JSON name) it comes from.
type Effective struct {
	Value string
	// From is the field's name, or its override's ("ssoAcsUrlOverride")
	// when the override is set.
	From string
}

// Overridden reports whether the value comes from the field's override.
func (e Effective) Overridden() bool { return strings.HasSuffix(e.From, "Override") }

// effective picks the override when it is set to something, else the field.
// (A non-empty value was sent: absence and null both decode to "".)
func effective(field, value, override string) Effective {
	if override != "" {
		return Effective{override, field + "Override"}
	}
	return Effective{value, field}
}

// EffectiveACS is the ACS URL Okta posts the response to: ssoAcsUrlOverride
// when set, else ssoAcsUrl.
func (s *SAMLSettings) EffectiveACS() Effective {
	return effective("ssoAcsUrl", s.SSOAcsURL, s.SSOAcsURLOverride)
}

// EffectiveAudience is the audience Okta sends: audienceOverride when set,
// else audience.
func (s *SAMLSettings) EffectiveAudience() Effective {
	return effective("audience", s.Audience, s.AudienceOverride)
}

// EffectiveRecipient is the Recipient Okta writes into the assertion:
// recipientOverride when set, else recipient ("" when neither is).
func (s *SAMLSettings) EffectiveRecipient() Effective {
	return effective("recipient", s.Recipient, s.RecipientOverride)
}

// EffectiveDestination is the Destination Okta writes into the response:
// destinationOverride when set, else destination ("" when neither is).
func (s *SAMLSettings) EffectiveDestination() Effective {
	return effective("destination", s.Destination, s.DestinationOverride)
}

// RequestableACS lists the other endpoints a service provider may ask Okta
// to send the assertion to: acsEndpoints, when allowMultipleAcsEndpoints is
// on; none otherwise.
func (s *SAMLSettings) RequestableACS() []ACSEndpoint {
	if !s.AllowMultipleAcsEndpoints {
		return nil
	}
	return s.AcsEndpoints
}

// ACSEndpoint is one of the app's additional ACS URLs.
type ACSEndpoint struct {
	URL   string `json:"url"`
	Index int    `json:"index"`
}

// InlineHook is a SAML assertion inline hook attached to the app.
type InlineHook struct {
	ID string `json:"id"`
}

// customAppName is the shape of the name Okta gives a custom ("App Integration
// Wizard") app: <org>_<label>_<n>. A catalog app's name is its integration's
// key instead (office365, druva, …).
var customAppName = regexp.MustCompile(`^[A-Za-z0-9-]+_[A-Za-z0-9]+_[0-9]+$`)

// Catalog says whether the app is from Okta's catalog (the Okta Integration
// Network) and how that was recognised. A custom SAML app has a
// <org>_<label>_<n> name and a full settings.signOn (ssoAcsUrl among it); a
// catalog app's name is its integration's key and its signOn leaves out what
// the integration fixes.
func (a *App) Catalog() (bool, string) {
	if a == nil {
		return false, ""
	}
	custom := customAppName.MatchString(a.Name)
	noACS := a.Settings.SignOn != nil && a.Settings.SignOn.Sent != nil && a.Settings.SignOn.State("ssoAcsUrl") == FieldAbsent
	switch {
	case !custom && noACS:
		return true, fmt.Sprintf("its name %q is a catalog integration's key (not a custom app's <org>_<label>_<n>) and settings.signOn has no ssoAcsUrl", a.Name)
	case !custom && a.Name != "" && a.Settings.SignOn != nil && a.Settings.SignOn.Sent != nil:
		return false, fmt.Sprintf("its name %q is not a custom app's <org>_<label>_<n>, but settings.signOn is complete (ssoAcsUrl present): judged as a custom SAML app", a.Name)
	case noACS:
		return true, fmt.Sprintf("settings.signOn has no ssoAcsUrl, as a catalog integration's (its name %q has a custom app's shape)", a.Name)
	}
	return false, fmt.Sprintf("custom SAML app: name %q and a full settings.signOn", a.Name)
}

// IntegrationName names the app for messages about its catalog integration.
func (a *App) IntegrationName() string {
	if a.Label != "" && !strings.EqualFold(a.Label, a.Name) {
		return fmt.Sprintf("%q (catalog integration %q)", a.Label, a.Name)
	}
	return fmt.Sprintf("catalog integration %q", a.Name)
}

// AttributeStatement is one SAML attribute statement of the app.
type AttributeStatement struct {
	Type      string   `json:"type"`
	Name      string   `json:"name"`
	Namespace string   `json:"namespace"`
	Values    []string `json:"values"`
}

// Key is one of the app's signing keys (GET /api/v1/apps/{id}/credentials/keys).
type Key struct {
	Kid       string
	Kty       string
	Use       string
	Created   string
	ExpiresAt string
	// Cert is the decoded first x5c certificate; nil when CertErr says why.
	Cert    *x509.Certificate
	CertErr error
}

// Metadata is the app's IdP SAML metadata (…/sso/saml/metadata), parsed.
type Metadata struct {
	EntityID      string
	SigningCerts  []MetadataCert
	SSOServices   []Endpoint
	NameIDFormats []string
}

// MetadataCert is one signing certificate in the metadata.
type MetadataCert struct {
	Cert *x509.Certificate
	Err  error
}

// Endpoint is one SingleSignOnService of the metadata.
type Endpoint struct {
	Binding  string
	Location string
}

// User is one user assigned to the app (GET /api/v1/apps/{id}/users?expand=user).
type User struct {
	ID       string
	UserName string // credentials.userName: the username Okta sends to the app
	Email    string // the Okta user's profile.email
}
