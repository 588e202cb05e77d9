package terraform

import (
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

// Defaults of the okta/okta provider's okta_app_saml schema. Terraform writes
// them into plans and states itself; they matter only for documents that
// leave an attribute null, where Okta gets the provider's default.
const (
	defaultStatus           = "ACTIVE"
	defaultUserNameTemplate = "${source.login}"
	defaultUserNameType     = "BUILT_IN"
	defaultStatementType    = "EXPRESSION"
	defaultNamespace        = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
)

// newTarget maps one okta_app_saml resource onto the target the rules read.
func newTarget(origin string, plan bool, f found) *audit.Target {
	t := &audit.Target{Name: f.res.Address, Source: Source, Origin: origin}
	a := newAttrs(f, plan)
	t.App = a.app(f.res.Address)
	switch {
	case f.res.Values == nil:
		t.Failed(audit.InputApp, fmt.Errorf("%s has no attribute values (at %s)", f.res.Address, f.at))
	case a.err != nil:
		t.Failed(audit.InputApp, a.err)
	case len(a.unknown) > 0:
		t.Failed(audit.InputApp, fmt.Errorf("the plan leaves %s of %s unknown until apply (computed from another resource or a data source), so what Okta will be sent cannot be checked: audit the state after apply, or make the value known at plan time",
			strings.Join(a.unknown, ", "), f.res.Address))
	case a.preconfigured != "" && t.App.Settings.SignOn.SSOAcsURL == "":
		// The settings of an Okta Integration Network app come from the
		// catalog, not from these attributes: judging the empty attributes
		// would report a correctly set-up app as broken.
		t.App.Settings.SignOn = nil
		t.Missing(audit.InputApp, fmt.Sprintf("%s is the Okta Integration Network app %q (preconfigured_app): its SAML settings come from the OIN catalog, not from Terraform; audit it live (--okta-org, --app-id) or from a snapshot",
			f.res.Address, a.preconfigured))
	}
	a.keys(t)
	a.metadata(t)
	for _, e := range f.res.refused {
		if in := attrInput(e.name); in != audit.InputApp {
			t.Failed(in, e.err)
		}
	}
	t.Missing(audit.InputUsers, "a Terraform plan or state does not list the app's assigned users: audit live or from a snapshot with okta/users.json to check usernames")
	t.Missing(audit.InputPolicyRules, "a Terraform plan or state of okta_app_saml does not hold the rules of the app's authentication policy: audit live or from a snapshot with okta/policy-rules.json to check MFA")
	return t
}

// attrs reads one resource's attribute values. It records the first value of
// the wrong JSON type in err, and in a plan the rule-relevant attributes
// whose values are not known until apply in unknown.
type attrs struct {
	vals map[string]jsontext.Value
	// at is the JSON pointer of the values object.
	at   string
	plan bool
	// afterUnknown are the attributes the plan's change.after_unknown marks:
	// values Terraform will only know after apply. Nil for a state, or a
	// plan without a change entry for the resource.
	afterUnknown []string
	hasChange    bool

	err           error
	unknown       []string
	preconfigured string
}

func newAttrs(f found, plan bool) *attrs {
	a := &attrs{vals: f.res.Values, at: f.at + "/values", plan: plan}
	if plan && f.change != nil {
		// Without a readable after_unknown, absence from planned_values is
		// still there to go on.
		a.hasChange, a.afterUnknown = f.change.hasChange, f.change.unknown
	}
	for _, e := range f.res.refused {
		if attrInput(e.name) == audit.InputApp {
			a.fail(e.err)
		}
	}
	return a
}

// isUnknown reports whether the plan leaves the attribute to be decided at
// apply time. Terraform marks such values in after_unknown and omits them from
// planned_values; without a change entry, omission is all there is to go on.
func (a *attrs) isUnknown(name string) bool {
	if a.markedUnknown(name) {
		return true
	}
	_, ok := a.vals[name]
	return a.plan && !a.hasChange && !ok
}

// markedUnknown reports whether the plan's after_unknown marks the attribute.
func (a *attrs) markedUnknown(name string) bool {
	if _, ok := unknownAttrs[name]; !ok {
		// Every target reads every attribute: any test finds this.
		panic("terraform: " + name + " is read for after_unknown but missing from unknownAttrs")
	}
	return a.plan && slices.Contains(a.afterUnknown, name)
}

// unknownAttrs are the attributes whose after_unknown mark the mapping reads
// (markedUnknown), each mapped to itself: the first pass keeps only these of
// a change (one copy of each name), so what it keeps per app is bounded
// whatever after_unknown holds.
var unknownAttrs = func() map[string]string {
	m := map[string]string{}
	for _, name := range []string{"status", "preconfigured_app", "user_name_template", "user_name_template_type",
		"user_name_template_suffix", "default_relay_state", "sso_url", "recipient", "destination", "audience",
		"subject_name_id_template", "subject_name_id_format", "response_signed", "assertion_signed",
		"signature_algorithm", "digest_algorithm", "attribute_statements", "saml_signed_request_enabled",
		"inline_hook_id", "acs_endpoints", "acs_endpoints_indices", "saml_version", "keys", "certificate", "metadata"} {
		m[name] = name
	}
	return m
}()

// attrInput is the input an attribute's value belongs to, for an attribute
// whose value cannot be read at all.
func attrInput(name string) audit.Input {
	switch name {
	case "keys", "certificate":
		return audit.InputKeys
	case "metadata":
		return audit.InputMetadata
	}
	return audit.InputApp
}

// value returns the attribute's raw value, or nil when it is null, absent or
// (in a plan, for a rule-relevant attribute) unknown.
func (a *attrs) value(name string, relevant bool) jsontext.Value {
	if relevant && a.isUnknown(name) {
		a.unknown = append(a.unknown, name)
		return nil
	}
	v, ok := a.vals[name]
	if !ok || v.Kind() == 'n' {
		return nil
	}
	return v
}

func (a *attrs) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

func (a *attrs) wrongType(name string, v jsontext.Value, want string) {
	a.fail(fmt.Errorf("wrong JSON type at %s/%s: got %s, want %s", a.at, name, kindName(v.Kind()), want))
}

// str reads a string attribute; def stands in for null.
func (a *attrs) str(name, def string, relevant bool) string {
	v := a.value(name, relevant)
	if v == nil {
		return def
	}
	var s string
	if v.Kind() != '"' || json.Unmarshal(v, &s) != nil {
		a.wrongType(name, v, "a string")
		return def
	}
	return s
}

// boolean reads a boolean attribute; null is false, as the provider sends it.
func (a *attrs) boolean(name string) bool {
	v := a.value(name, true)
	if v == nil {
		return false
	}
	switch v.Kind() {
	case 't':
		return true
	case 'f':
		return false
	}
	a.wrongType(name, v, "a boolean")
	return false
}

// app maps the attributes onto Okta's application object, as the provider
// builds it for the API (resource_okta_app_saml.go, buildSamlApp).
func (a *attrs) app(address string) *audit.App {
	app := &audit.App{
		ID:     a.str("id", "", false),
		Name:   a.str("name", "", false),
		Label:  a.str("label", "", false),
		Status: a.str("status", defaultStatus, true),
	}
	if app.ID == "" {
		// A resource Terraform has yet to create has no ID: its address is
		// the best name a report can give it.
		app.ID = address
	}
	app.SignOnMode = a.signOnMode()
	a.preconfigured = a.str("preconfigured_app", "", true)
	if app.Name == "" {
		app.Name = a.preconfigured
	}
	app.Credentials.UserNameTemplate = &audit.UserNameTemplate{
		Template: a.str("user_name_template", defaultUserNameTemplate, true),
		Type:     a.str("user_name_template_type", defaultUserNameType, true),
		// The provider sends it as credentials.userNameTemplate.suffix.
		Suffix: a.str("user_name_template_suffix", "", true),
	}
	if kid := a.str("key_id", "", false); kid != "" {
		app.Credentials.Signing = &audit.AppSigning{Kid: kid}
	}
	app.Settings.SignOn = &audit.SAMLSettings{
		DefaultRelayState:     a.str("default_relay_state", "", true),
		SSOAcsURL:             a.str("sso_url", "", true),
		Recipient:             a.str("recipient", "", true),
		Destination:           a.str("destination", "", true),
		Audience:              a.str("audience", "", true),
		IdpIssuer:             a.str("idp_issuer", "", false),
		SubjectNameIDTemplate: a.str("subject_name_id_template", "", true),
		SubjectNameIDFormat:   a.str("subject_name_id_format", "", true),
		ResponseSigned:        a.boolean("response_signed"),
		AssertionSigned:       a.boolean("assertion_signed"),
		SignatureAlgorithm:    a.str("signature_algorithm", "", true),
		DigestAlgorithm:       a.str("digest_algorithm", "", true),
		AttributeStatements:   a.statements(),
		// The provider sends samlSignedRequestEnabled as given, and turns
		// on allowMultipleAcsEndpoints whenever acs_endpoints (or
		// acs_endpoints_indices) lists any (buildSamlApp).
		SAMLSignedRequestEnabled: a.newerBool("saml_signed_request_enabled"),
		AcsEndpoints:             a.acsEndpoints(),
		// assertionEncryption and the *Override fields have no provider
		// attribute: left unset here, which the rules read as "not known".
	}
	so := app.Settings.SignOn
	so.AllowMultipleAcsEndpoints = len(so.AcsEndpoints) > 0
	if v := a.newer("inline_hook_id"); v != nil {
		var id string
		if v.Kind() != '"' || json.Unmarshal(v, &id) != nil {
			a.wrongType("inline_hook_id", v, "a string")
		} else if id != "" {
			so.InlineHooks = []audit.InlineHook{{ID: id}}
		}
	}
	// Every field the provider has an attribute for is known; the ones it
	// lacks are left out, so that rules reading them skip instead of
	// taking Go's zero value for Okta's.
	so.Sent = providerSent()
	return app
}

// providerSent marks the settings.signOn fields okta_app_saml has an
// attribute for as sent.
func providerSent() map[string]audit.FieldState {
	sent := map[string]audit.FieldState{}
	for _, f := range []string{"defaultRelayState", "ssoAcsUrl", "recipient", "destination", "audience", "idpIssuer",
		"subjectNameIdTemplate", "subjectNameIdFormat", "responseSigned", "assertionSigned", "signatureAlgorithm",
		"digestAlgorithm", "attributeStatements", "allowMultipleAcsEndpoints", "acsEndpoints", "samlSignedRequestEnabled", "inlineHooks"} {
		sent[f] = audit.FieldSet
	}
	return sent
}

// newer reads a rule-relevant attribute that older providers lack: its
// absence from a plan is not taken for a value known only at apply (as
// signOnMode does for saml_version), but after_unknown still is.
func (a *attrs) newer(name string) jsontext.Value {
	if a.markedUnknown(name) {
		a.unknown = append(a.unknown, name)
		return nil
	}
	return a.value(name, false)
}

// newerBool is newer for a boolean; absent or null is false, the default.
func (a *attrs) newerBool(name string) bool {
	v := a.newer(name)
	switch {
	case v == nil:
		return false
	case v.Kind() == 't':
		return true
	case v.Kind() != 'f':
		a.wrongType(name, v, "a boolean")
	}
	return false
}

// acsEndpoints reads acs_endpoints (a list of URLs, indexed in order) or
// acs_endpoints_indices (a set of {url, index}), whichever the resource has.
func (a *attrs) acsEndpoints() []audit.ACSEndpoint {
	var out []audit.ACSEndpoint
	if v := a.newer("acs_endpoints"); v != nil {
		var urls []string
		if err := json.Unmarshal(v, &urls); err != nil {
			a.fail(jsonError(prefixPointer(err, a.at+"/acs_endpoints"), "acs_endpoints"))
			return nil
		}
		for i, u := range urls {
			out = append(out, audit.ACSEndpoint{URL: u, Index: i})
		}
	}
	if v := a.newer("acs_endpoints_indices"); v != nil {
		var eps []audit.ACSEndpoint
		if err := json.Unmarshal(v, &eps); err != nil {
			a.fail(jsonError(prefixPointer(err, a.at+"/acs_endpoints_indices"), "acs_endpoints_indices"))
			return nil
		}
		out = append(out, eps...)
	}
	return out
}

// signOnMode is Okta's signOnMode for the app. A state records what Okta
// reported (sign_on_mode); a plan's sign_on_mode is the prior state's, so
// there saml_version, which apply sends, decides.
func (a *attrs) signOnMode() string {
	if !a.plan {
		if m := a.str("sign_on_mode", "", false); m != "" {
			return m
		}
	}
	// Older providers have no saml_version, so its absence is not taken
	// for an unknown value.
	if a.markedUnknown("saml_version") {
		a.unknown = append(a.unknown, "saml_version")
		return ""
	}
	switch v := a.str("saml_version", "2.0", false); v {
	case "2.0", "":
		return "SAML_2_0"
	case "1.1":
		return "SAML_1_1"
	default:
		return "SAML_" + strings.ReplaceAll(v, ".", "_")
	}
}

// statement is one element of attribute_statements. Pointers tell null
// apart: in a plan, a null inside the list is a value known only at apply.
type statement struct {
	Type      *string   `json:"type"`
	Name      *string   `json:"name"`
	Namespace *string   `json:"namespace"`
	Values    []*string `json:"values"`
}

func (a *attrs) statements() []audit.AttributeStatement {
	v := a.value("attribute_statements", true)
	if v == nil {
		return nil
	}
	var raw []*statement
	if err := json.Unmarshal(v, &raw); err != nil {
		a.fail(jsonError(prefixPointer(err, a.at+"/attribute_statements"), "attribute_statements"))
		return nil
	}
	out := make([]audit.AttributeStatement, 0, len(raw))
	unknown := false
	for i, s := range raw {
		if s == nil {
			unknown = true
			continue
		}
		st := audit.AttributeStatement{
			Type:      deref(s.Type, defaultStatementType),
			Name:      deref(s.Name, ""),
			Namespace: deref(s.Namespace, defaultNamespace),
		}
		for j, val := range s.Values {
			if val == nil {
				if !a.plan {
					a.fail(fmt.Errorf("null at %s/attribute_statements/%d/values/%d: want a string", a.at, i, j))
				}
				unknown = true
				continue
			}
			st.Values = append(st.Values, *val)
		}
		out = append(out, st)
	}
	if unknown && a.plan && !slices.Contains(a.unknown, "attribute_statements") {
		a.unknown = append(a.unknown, "attribute_statements")
	}
	return out
}

func deref(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}

// prefixPointer makes a decoder error's JSON pointer relative to the whole
// document rather than to the attribute value that was decoded alone.
func prefixPointer(err error, at string) error {
	var se *json.SemanticError
	if errors.As(err, &se) {
		se.JSONPointer = jsontext.Pointer(at) + se.JSONPointer
	}
	return err
}

// key is one element of the provider's computed keys attribute: the app's
// signing keys as GET /api/v1/apps/{id}/credentials/keys lists them.
type key struct {
	Kid       string   `json:"kid"`
	Kty       string   `json:"kty"`
	Use       string   `json:"use"`
	Created   string   `json:"created"`
	ExpiresAt string   `json:"expires_at"`
	X5C       []string `json:"x5c"`
}

// keys sets the target's signing keys: every key from the keys attribute when
// the document has it, else the active certificate alone (certificate,
// key_id). A plan for a new app has neither: Okta makes the key at apply.
func (a *attrs) keys(t *audit.Target) {
	if v := a.known("keys"); v != nil {
		var raw []key
		if err := json.Unmarshal(v, &raw); err != nil {
			t.Failed(audit.InputKeys, fmt.Errorf("the keys attribute of %s: %w", t.Name, jsonError(prefixPointer(err, a.at+"/keys"), "keys")))
			return
		}
		if len(raw) > 0 {
			for i, k := range raw {
				ak := audit.Key{Kid: k.Kid, Kty: k.Kty, Use: k.Use, Created: apiTime(k.Created), ExpiresAt: apiTime(k.ExpiresAt)}
				if len(k.X5C) == 0 {
					ak.CertErr = fmt.Errorf("key %d (kid %q) of %s has no x5c certificate", i, k.Kid, t.Name)
				} else if ak.Cert, ak.CertErr = okta.ParseCertificate(k.X5C[0]); ak.CertErr != nil {
					ak.CertErr = fmt.Errorf("key %d (kid %q) of %s, x5c[0]: %w", i, k.Kid, t.Name, ak.CertErr)
				}
				t.Keys = append(t.Keys, ak)
			}
			return
		}
	}
	v := a.known("certificate")
	var s string
	if v != nil && (v.Kind() != '"' || json.Unmarshal(v, &s) != nil) {
		t.Failed(audit.InputKeys, fmt.Errorf("wrong JSON type at %s/certificate: got %s, want a string", a.at, kindName(v.Kind())))
		return
	}
	if strings.TrimSpace(s) == "" {
		if a.plan {
			t.Missing(audit.InputKeys, "a Terraform plan has no signing certificate for an app Okta has yet to create (the state has it after apply: audit `terraform show -json` of the state)")
		} else {
			t.Missing(audit.InputKeys, "the state records no signing certificate for this app (the okta provider saves it only for an active app with a signing key)")
		}
		return
	}
	k := audit.Key{Kid: a.str("key_id", "", false), Use: "sig"}
	if k.Cert, k.CertErr = okta.ParseCertificate(s); k.CertErr != nil {
		k.CertErr = fmt.Errorf("the certificate attribute of %s: %w", t.Name, k.CertErr)
	} else {
		k.Kty = keyType(k.Cert)
		k.ExpiresAt = k.Cert.NotAfter.UTC().Format(time.RFC3339)
	}
	t.Keys = []audit.Key{k}
}

// metadata sets the target's IdP metadata from the provider's computed
// metadata attribute (the XML of GET …/sso/saml/metadata).
func (a *attrs) metadata(t *audit.Target) {
	v := a.known("metadata")
	var s string
	if v != nil && (v.Kind() != '"' || json.Unmarshal(v, &s) != nil) {
		t.Failed(audit.InputMetadata, fmt.Errorf("wrong JSON type at %s/metadata: got %s, want a string", a.at, kindName(v.Kind())))
		return
	}
	if strings.TrimSpace(s) == "" {
		if a.plan {
			t.Missing(audit.InputMetadata, "a Terraform plan has no IdP metadata for an app Okta has yet to create (the state has it after apply: audit `terraform show -json` of the state)")
		} else {
			t.Missing(audit.InputMetadata, "the state records no IdP metadata for this app (the okta provider saves it only for an active app with a signing key)")
		}
		return
	}
	md, err := okta.ParseMetadata(strings.NewReader(s))
	if err != nil {
		t.Failed(audit.InputMetadata, fmt.Errorf("the metadata attribute of %s: %w", t.Name, err))
		return
	}
	t.Metadata = md
}

// known returns a computed attribute's value when the document knows it.
func (a *attrs) known(name string) jsontext.Value {
	if a.isUnknown(name) {
		return nil
	}
	return a.value(name, false)
}

// apiTime turns the provider's rendering of a key's dates (Go's time.String)
// back into the API's RFC 3339, so reports show the same text as a snapshot.
func apiTime(s string) string {
	if t, err := time.Parse("2006-01-02 15:04:05.999999999 -0700 MST", s); err == nil {
		return t.UTC().Format(time.RFC3339)
	}
	return s
}

func keyType(c *x509.Certificate) string {
	switch c.PublicKeyAlgorithm {
	case x509.RSA:
		return "RSA"
	case x509.ECDSA:
		return "EC"
	}
	return c.PublicKeyAlgorithm.String()
}
