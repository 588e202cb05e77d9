// Package okta reads the Okta half of a target: from a snapshot directory of
// saved API responses, or live from an org through the Okta SDK. It parses
// and never judges: anything it cannot read becomes a gap on the target.
package okta

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssoaudit/ssoaudit/audit"
)

// MaxDocumentSize caps app.json, keys.json and metadata.xml: Okta's are a few
// KiB, and a file many MiB long is not one of them.
const MaxDocumentSize = 4 << 20

// readCapped reads all of r, refusing more than MaxDocumentSize bytes.
func readCapped(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxDocumentSize {
		return nil, fmt.Errorf("larger than %d MiB: refusing to parse it (an Okta response is a few KiB)", MaxDocumentSize>>20)
	}
	return data, nil
}

// jsonError turns a decoder error into a message that says where, without
// quoting the offending value (which might be a secret).
func jsonError(err error) error {
	var se *json.SemanticError
	if errors.As(err, &se) {
		where := string(se.JSONPointer)
		if where == "" {
			where = "top level"
		}
		kind := se.JSONKind.String()
		switch se.JSONKind {
		case '[':
			kind = "array"
		case '{':
			kind = "object"
		case 't', 'f':
			kind = "boolean"
		}
		if se.GoType != nil {
			return fmt.Errorf("wrong JSON type at %s: got %s, want %s", where, kind, goKind(se.GoType.Kind().String()))
		}
		return fmt.Errorf("invalid JSON at %s", where)
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		if errors.Is(syn.Err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("truncated JSON: the document ends early (at byte offset %d)", syn.ByteOffset)
		}
		return fmt.Errorf("malformed JSON at byte offset %d: %v", syn.ByteOffset, syn.Err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("truncated JSON: the document ends early")
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

func goKind(k string) string {
	switch k {
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	case "bool":
		return "boolean"
	case "int", "int64", "float64":
		return "number"
	}
	return k
}

// ParseApp decodes an application object (GET /api/v1/apps/{appId}).
func ParseApp(r io.Reader) (*audit.App, error) {
	data, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty file")
	}
	if err := checkValueSizes(data); err != nil {
		return nil, err
	}
	var app *audit.App
	if err := json.Unmarshal(data, &app); err != nil {
		return nil, jsonError(err)
	}
	if app == nil {
		return nil, errors.New("null instead of an application object")
	}
	if app.ID == "" {
		return nil, errors.New(`no "id": this is not an Okta application object`)
	}
	if err := readPresence(data, app); err != nil {
		return nil, err
	}
	return app, nil
}

// rawSettings is the part of an app read a second time, as raw JSON, to learn
// what the typed decoding cannot: which signOn fields Okta sent (a catalog
// app leaves out what its integration fixes), fields Okta sends that its SDK
// models lack (assertionEncryption), and the integration's own fields
// (settings.app).
type rawSettings struct {
	Settings *struct {
		App    map[string]jsontext.Value `json:"app"`
		SignOn map[string]jsontext.Value `json:"signOn"`
	} `json:"settings"`
}

// readPresence records, on the app decoded from data, which settings.signOn
// fields were sent, assertionEncryption.enabled, and settings.app's strings.
func readPresence(data []byte, app *audit.App) error {
	var raw rawSettings
	if err := json.Unmarshal(data, &raw); err != nil {
		return jsonError(err)
	}
	if raw.Settings == nil {
		return nil
	}
	for k, v := range raw.Settings.App {
		var s string
		if v.Kind() == '"' && json.Unmarshal(v, &s) == nil {
			if app.Settings.App == nil {
				app.Settings.App = map[string]string{}
			}
			app.Settings.App[k] = s
		}
	}
	so := app.Settings.SignOn
	if so == nil {
		return nil
	}
	so.Sent = make(map[string]audit.FieldState, len(raw.Settings.SignOn)+1)
	for k, v := range raw.Settings.SignOn {
		so.Sent[k] = presence(v)
	}
	if enc, ok := raw.Settings.SignOn["assertionEncryption"]; ok && enc.Kind() == '{' {
		var obj map[string]jsontext.Value
		if json.Unmarshal(enc, &obj) == nil {
			if v, ok := obj["enabled"]; ok {
				so.Sent["assertionEncryption.enabled"] = presence(v)
				if k := v.Kind(); k == 't' || k == 'f' {
					b := k == 't'
					so.AssertionEncryption = &b
				}
			}
		}
	}
	return nil
}

func presence(v jsontext.Value) audit.FieldState {
	if v.Kind() == 'n' {
		return audit.FieldNull
	}
	return audit.FieldSet
}

type jwk struct {
	Kid       string   `json:"kid"`
	Kty       string   `json:"kty"`
	Use       string   `json:"use"`
	Created   string   `json:"created"`
	ExpiresAt string   `json:"expiresAt"`
	X5C       []string `json:"x5c"`
}

// ParseKeys decodes an app's signing keys (GET /api/v1/apps/{appId}/credentials/keys).
// A key whose certificate cannot be decoded is kept, with CertErr saying why.
func ParseKeys(r io.Reader) ([]audit.Key, error) {
	data, err := readCapped(r)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty file")
	}
	if err := checkValueSizes(data); err != nil {
		return nil, err
	}
	var raw *[]jwk
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, jsonError(err)
	}
	if raw == nil {
		return nil, errors.New("null instead of an array of keys")
	}
	keys := make([]audit.Key, 0, len(*raw))
	for i, k := range *raw {
		key := audit.Key{Kid: k.Kid, Kty: k.Kty, Use: k.Use, Created: k.Created, ExpiresAt: k.ExpiresAt}
		if len(k.X5C) == 0 {
			key.CertErr = fmt.Errorf("key %d (kid %q) has no x5c certificate", i, k.Kid)
		} else {
			key.Cert, key.CertErr = ParseCertificate(k.X5C[0])
			if key.CertErr != nil {
				key.CertErr = fmt.Errorf("key %d (kid %q) x5c[0]: %w", i, k.Kid, key.CertErr)
			}
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// ParseCertificate decodes a certificate given as PEM, or as bare base64 DER
// with any whitespace (as in x5c, metadata and the Druva console).
func ParseCertificate(s string) (*x509.Certificate, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("empty certificate")
	}
	if strings.HasPrefix(s, "-----BEGIN") {
		return parsePEM(s)
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		return nil, fmt.Errorf("not base64: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("not an X.509 certificate: %v", err)
	}
	return cert, nil
}

func parsePEM(s string) (*x509.Certificate, error) {
	block, rest := pem.Decode([]byte(s))
	if block == nil {
		return nil, errors.New("malformed PEM block")
	}
	if block.Type != "CERTIFICATE" {
		return nil, fmt.Errorf("PEM block is %q, want CERTIFICATE", block.Type)
	}
	if strings.TrimSpace(string(rest)) != "" {
		return nil, errors.New("more than one PEM block: give only the signing certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("not an X.509 certificate: %v", err)
	}
	return cert, nil
}

// SAML namespaces.
const (
	nsMetadata = "urn:oasis:names:tc:SAML:2.0:metadata"
	nsDSig     = "http://www.w3.org/2000/09/xmldsig#"
)

// Limits on IdP metadata. Okta's metadata for an app is one
// EntityDescriptor with one IDPSSODescriptor: a few dozen elements, one or
// two signing certificates, two NameIDFormats and two SingleSignOnService
// endpoints (HTTP-POST and HTTP-Redirect). A document past any of these is
// not one Okta sent, and is refused as it is read, before it is held: a
// metadata.xml of a million empty elements (under the 4 MiB file cap) took
// 309 MB per target as a tree, and 101,472 SSO locations made the
// cross-checks quadratic.
const (
	MaxMetadataElements   = 10_000
	MaxMetadataAttributes = 64 // per element
	MaxMetadataDepth      = 32
	MaxSSOServices        = 64
	MaxSigningCerts       = 32
	MaxNameIDFormats      = 64
)

// ParseMetadata decodes IdP SAML metadata (GET /api/v1/apps/{appId}/sso/saml/metadata).
// Document type declarations are refused outright: SAML metadata never needs
// one, and refusing them rules out entity expansion and external entities.
// It reads the document as a stream, holding only what it keeps, and
// refuses one past the limits above (MaxMetadataElements, …) or
// MaxDocumentSize as soon as it gets there.
func ParseMetadata(r io.Reader) (*audit.Metadata, error) {
	lr := &io.LimitedReader{R: r, N: MaxDocumentSize + 1}
	runs := &xmlRunLimiter{r: lr, max: MaxValueSize}
	dec := xml.NewDecoder(runs)
	dec.Strict = true
	dec.Entity = nil // only XML's five predefined entities
	var (
		md       *audit.Metadata
		path     []xml.Name // the open elements
		elements int
		inIDP    bool
		seenIDP  bool
		text     *strings.Builder // the X509Certificate or NameIDFormat being read
		textKind string
		signing  []bool // per open KeyDescriptor: is it for signing
	)
	fail := func(err error) (*audit.Metadata, error) {
		if lr.N <= 0 {
			return nil, fmt.Errorf("larger than %d MiB: refusing to parse it (an Okta response is a few KiB)", MaxDocumentSize>>20)
		}
		return nil, err
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if lr.N <= 0 {
				return fail(err)
			}
			if runs.err != nil {
				return nil, runs.err
			}
			return nil, fmt.Errorf("malformed XML: %v", err)
		}
		if lr.N <= 0 {
			return fail(nil)
		}
		switch t := tok.(type) {
		case xml.Directive:
			if bytes.HasPrefix(bytes.ToUpper(bytes.TrimSpace(t)), []byte("DOCTYPE")) || bytes.Contains(bytes.ToUpper(t), []byte("ENTITY")) {
				return nil, errors.New("XML document type declarations (DOCTYPE, ENTITY) are not allowed in SAML metadata")
			}
		case xml.StartElement:
			elements++
			if elements > MaxMetadataElements {
				return nil, fmt.Errorf("more than %d XML elements: not metadata Okta sends (one app's is a few dozen)", MaxMetadataElements)
			}
			if len(t.Attr) > MaxMetadataAttributes {
				return nil, fmt.Errorf("an element with more than %d attributes: not metadata Okta sends", MaxMetadataAttributes)
			}
			if len(path) >= MaxMetadataDepth {
				return nil, fmt.Errorf("elements nested deeper than the maximum depth (%d): not metadata Okta sends", MaxMetadataDepth)
			}
			path = append(path, t.Name)
			if text != nil {
				// An element inside a certificate or format: its text
				// is the outer element's as etree read it (direct text
				// only), so keep collecting only the outer's.
				continue
			}
			name := t.Name
			switch {
			case len(path) == 1:
				if name.Local != "EntityDescriptor" || name.Space != nsMetadata {
					return nil, fmt.Errorf("root element is <%s>, want a SAML 2.0 <EntityDescriptor>", name.Local)
				}
				md = &audit.Metadata{EntityID: attr(t.Attr, "entityID")}
			case len(path) == 2 && name.Local == "IDPSSODescriptor" && name.Space == nsMetadata && !seenIDP:
				inIDP, seenIDP = true, true
			case inIDP && len(path) == 3 && name.Local == "KeyDescriptor" && name.Space == nsMetadata:
				use := attr(t.Attr, "use")
				signing = append(signing, use == "" || use == "signing")
			case inIDP && len(path) == 3 && name.Local == "NameIDFormat" && name.Space == nsMetadata:
				if len(md.NameIDFormats) >= MaxNameIDFormats {
					return nil, fmt.Errorf("more than %d NameIDFormats: not metadata Okta sends", MaxNameIDFormats)
				}
				text, textKind = &strings.Builder{}, "format"
			case inIDP && len(path) == 3 && name.Local == "SingleSignOnService" && name.Space == nsMetadata:
				if len(md.SSOServices) >= MaxSSOServices {
					return nil, fmt.Errorf("more than %d SingleSignOnService locations: not metadata Okta sends (it sends two)", MaxSSOServices)
				}
				md.SSOServices = append(md.SSOServices, audit.Endpoint{Binding: attr(t.Attr, "Binding"), Location: attr(t.Attr, "Location")})
			case inIDP && len(path) == 6 && name.Local == "X509Certificate" && name.Space == nsDSig &&
				path[3] == (xml.Name{Space: nsDSig, Local: "KeyInfo"}) && path[4] == (xml.Name{Space: nsDSig, Local: "X509Data"}) && len(signing) > 0 && signing[len(signing)-1]:
				if len(md.SigningCerts) >= MaxSigningCerts {
					return nil, fmt.Errorf("more than %d signing certificates: not metadata Okta sends", MaxSigningCerts)
				}
				text, textKind = &strings.Builder{}, "cert"
			}
		case xml.CharData:
			if text != nil && len(path) == textDepth(textKind) {
				if text.Len()+len(t) > MaxValueSize {
					return nil, fmt.Errorf("a value larger than %d KiB: not metadata Okta sends", MaxValueSize>>10)
				}
				text.Write(t)
			}
		case xml.EndElement:
			if len(path) == 0 {
				return nil, errors.New("malformed XML: unexpected end element")
			}
			depth := len(path)
			path = path[:depth-1]
			switch {
			case text != nil && depth == textDepth(textKind):
				if textKind == "cert" {
					c, err := ParseCertificate(text.String())
					md.SigningCerts = append(md.SigningCerts, audit.MetadataCert{Cert: c, Err: err})
				} else {
					md.NameIDFormats = append(md.NameIDFormats, strings.TrimSpace(text.String()))
				}
				text = nil
			case inIDP && depth == 3 && t.Name.Local == "KeyDescriptor" && len(signing) > 0:
				signing = signing[:len(signing)-1]
			case inIDP && depth == 2:
				inIDP = false
			}
		}
	}
	if md == nil {
		if runs.nonSpace == 0 {
			return nil, errors.New("empty file")
		}
		if elements == 0 {
			return nil, errors.New("not XML: no root element")
		}
		return nil, errors.New("malformed XML: no root element")
	}
	if len(path) != 0 {
		return nil, errors.New("malformed XML: the document ends inside an element")
	}
	if !seenIDP {
		return nil, errors.New("no <IDPSSODescriptor>: this is not identity-provider metadata")
	}
	return md, nil
}

// xmlRunLimiter passes XML through and fails the read once a run of bytes
// without '<' or '>' — one text node or one tag with its attributes —
// passes max: the XML decoder buffers a whole text or tag, so one
// 4 MiB-long value would otherwise be held whole. It also counts the
// non-space bytes seen, to tell an empty file.
type xmlRunLimiter struct {
	r        io.Reader
	run      int
	max      int
	nonSpace int
	err      error
}

func (l *xmlRunLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i, c := range p[:n] {
		switch c {
		case '<', '>':
			l.run = 0
		case ' ', '\t', '\r', '\n':
			l.run++
			continue
		default:
			l.run++
		}
		l.nonSpace++
		if l.run > l.max {
			l.err = fmt.Errorf("a value or tag larger than %d KiB: not metadata Okta sends", l.max>>10)
			return i, l.err
		}
	}
	return n, err
}

// attr is the value of an element's attribute with no namespace, or "".
func attr(attrs []xml.Attr, local string) string {
	for _, a := range attrs {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

// textDepth is where the text ParseMetadata collects sits: a NameIDFormat
// under IDPSSODescriptor, or an X509Certificate under
// KeyDescriptor/KeyInfo/X509Data.
func textDepth(kind string) int {
	if kind == "cert" {
		return 6
	}
	return 3
}

// Users streams the app users in r, a JSON array of app-user objects (one
// page of GET /api/v1/apps/{appId}/users?expand=user, or all pages joined).
// Only one user is held at a time. A malformed document yields an error
// after the users before it; the sequence stops at the first error.
func Users(r io.Reader) iter.Seq2[audit.User, error] {
	return func(yield func(audit.User, error) bool) {
		for u, err := range decodeUsers(r) {
			if !yield(u, err) || err != nil {
				return
			}
		}
	}
}

func decodeUsers(r io.Reader) iter.Seq2[audit.User, error] {
	return func(yield func(audit.User, error) bool) {
		// Duplicate names are not tracked for the whole document (a cost
		// on every member of every user): decodeAppUser refuses a
		// duplicate of each name it reads, and the rest is skipped unread.
		dec := jsontext.NewDecoder(limitValues(r), jsontext.AllowDuplicateNames(true))
		fail := func(err error) {
			if e := tooLarge(err, dec); e != nil {
				err = e
			} else {
				err = jsonError(err)
			}
			yield(audit.User{}, err)
		}
		tok, err := dec.ReadToken()
		if err != nil {
			fail(err)
			return
		}
		if tok.Kind() != '[' {
			yield(audit.User{}, fmt.Errorf("want a JSON array of app users, got %s", tok.Kind()))
			return
		}
		for n := 0; dec.PeekKind() != ']'; n++ {
			if dec.PeekKind() != '{' {
				if _, err := dec.ReadValue(); err != nil {
					fail(err)
					return
				}
				yield(audit.User{}, fmt.Errorf("element %d is not an app-user object", n))
				return
			}
			var u audit.User
			if err := decodeAppUser(dec, &u); err != nil {
				if e := tooLarge(err, dec); e != nil {
					yield(audit.User{}, fmt.Errorf("user %d: %w", n, e))
					return
				}
				if errors.Is(err, errDuplicateName) {
					yield(audit.User{}, fmt.Errorf("user %d: %w", n, err))
					return
				}
				yield(audit.User{}, fmt.Errorf("user %d: %w", n, jsonError(err)))
				return
			}
			if !yield(u, nil) {
				return
			}
		}
		if _, err := dec.ReadToken(); err != nil {
			fail(err)
			return
		}
		if _, err := dec.ReadToken(); err != io.EOF {
			yield(audit.User{}, errors.New("unexpected data after the array of users"))
		}
	}
}
