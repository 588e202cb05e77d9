package audit

import (
	"crypto/x509"
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
)

// Input names one piece of data a rule reads. Its value is the path of that
// data inside a snapshot directory, which is also how messages name it.
type Input string

// The inputs a target can carry.
const (
	InputApp      Input = "okta/app.json"
	InputKeys     Input = "okta/keys.json"
	InputMetadata Input = "okta/metadata.xml"
	InputUsers    Input = "okta/users.json"
	InputConsole  Input = "druva.yaml"
	// InputPolicyRules is the rules of the app's authentication policy
	// (Identity Engine orgs only; optional).
	InputPolicyRules Input = "okta/policy-rules.json"
)

// Describe names an input for messages: what it is, and for a snapshot the
// file it was read from.
func (in Input) Describe(source string) string {
	what := map[Input]string{
		InputApp:         "the Okta app",
		InputKeys:        "the app's signing keys",
		InputMetadata:    "the IdP metadata",
		InputUsers:       "the assigned users",
		InputConsole:     "the Druva console settings",
		InputPolicyRules: "the app's authentication policy rules",
	}[in]
	switch {
	case what == "":
		return string(in)
	case source == "snapshot" || in == InputConsole:
		return string(in) + " (" + what + ")"
	}
	return what
}

// Gap records why an input is not available to the rules.
type Gap struct {
	// Failed is true when the data exists (or should) but could not be read,
	// parsed or fetched: rules that need it end in error. When false the
	// input is optional and absent: rules that need it are skipped.
	Failed bool
	Reason string
}

// Target is everything known about one Okta app and the Druva console it signs
// into. Sources fill it; rules only read it.
type Target struct {
	Name     string
	Source   string // snapshot, okta or terraform
	Platform string
	// Origin is the file or URL the target was read from (reports point at it).
	Origin string
	Expect Expectations
	// Now is the clock every time-dependent rule uses.
	Now time.Time

	App      *App
	Keys     []Key
	Metadata *Metadata
	// Users yields the app's assigned users one at a time, so that a large
	// org is never held in memory. It may be consumed once.
	Users   iter.Seq2[User, error]
	Console *Console
	// PolicyRules are the rules of the app's authentication policy
	// (GET /api/v1/policies/{policyId}/rules), in Okta's order.
	PolicyRules []PolicyRule
	// Deployment is what the target's deployment (PRODUCT.md section 10)
	// tells a per-target rule about the other apps signing into the same
	// console; nil when the target is alone.
	Deployment *DeploymentView

	gaps map[Input]Gap

	memoMu sync.Mutex
	memo   map[string]any

	// hashes are the SHA-256 of each input file read whole, for reports:
	// an auditor can tie a verdict to the exact files it judged.
	hashMu sync.Mutex
	hashes []InputFile
}

// InputFile is one file a target was read from and the SHA-256 of its bytes.
type InputFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Hashed records the SHA-256 of an input file. Sources call it as they read
// (users.json when its stream reaches the end, possibly during the rules).
func (t *Target) Hashed(path, sum string) {
	t.hashMu.Lock()
	defer t.hashMu.Unlock()
	t.hashes = append(t.hashes, InputFile{Path: path, SHA256: sum})
}

// InputFiles lists the input files read whole, sorted by path.
func (t *Target) InputFiles() []InputFile {
	t.hashMu.Lock()
	defer t.hashMu.Unlock()
	out := slices.Clone(t.hashes)
	slices.SortFunc(out, func(a, b InputFile) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// Once returns the value f computes for key, computing it on the first call
// only. Rules share a derived value through it when the input it comes from
// can be read only once (Users) or is costly to read twice (a live org's
// users, page by page): the rules stay pure functions of the target, and
// the input is read once however many rules need it.
func (t *Target) Once(key string, f func() any) any {
	t.memoMu.Lock()
	defer t.memoMu.Unlock()
	if v, ok := t.memo[key]; ok {
		return v
	}
	if t.memo == nil {
		t.memo = map[string]any{}
	}
	v := f()
	t.memo[key] = v
	return v
}

// Missing marks an optional input as absent; rules that need it skip.
func (t *Target) Missing(in Input, reason string) {
	t.setGap(in, Gap{Reason: reason})
}

// Failed marks an input as unreadable; rules that need it end in error.
func (t *Target) Failed(in Input, err error) {
	t.setGap(in, Gap{Failed: true, Reason: err.Error()})
}

func (t *Target) setGap(in Input, g Gap) {
	if t.gaps == nil {
		t.gaps = map[Input]Gap{}
	}
	t.gaps[in] = g
}

// Gap reports whether an input is unavailable, and why.
func (t *Target) Gap(in Input) (Gap, bool) {
	g, ok := t.gaps[in]
	return g, ok
}

// Expectations are the values a platform (or the config) makes the rules expect.
type Expectations struct {
	ACSURL         string
	Audience       string
	TokenAttribute string
	CertWarnDays   int
}

// Platform is one Druva platform's SAML values (PRODUCT.md section 2).
type Platform struct {
	Name           string
	ACSURL         string // empty where the user must set it (insync-onprem)
	Audience       string
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
	{"insync-onprem", "", "druva-cloud", "insync_auth_token"},
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

// Console is the Druva console's SSO settings (druva.yaml). A nil section was
// left out of the file; a nil field inside a present section was left out too.
type Console struct {
	File string
	// SHA256 is the hex SHA-256 of the file's bytes.
	SHA256   string
	Platform string
	SSO      *ConsoleSSO
	Admins   *ConsoleAdmins
	// Profiles is nil when the section was left out.
	Profiles []Profile
}

// ConsoleSSO is the console's "Single Sign-On Settings".
type ConsoleSSO struct {
	IDPLoginURL             *string
	IDPCertificate          *string
	SSOTokenSHA256          *string
	SSOToken                *Secret
	AuthnRequestsSigned     *bool
	WantAssertionsEncrypted *bool
}

// ConsoleAdmins holds the administrator SSO switches.
type ConsoleAdmins struct {
	SSOEnabled *bool
	Failsafe   *bool
}

// Profile is one inSync profile and its login mechanism.
type Profile struct {
	Name           string
	LoginMechanism string
}
