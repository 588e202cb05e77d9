// Package druva reads druva.yaml, the Druva console's SSO settings as an
// administrator recorded them (docs/inputs.md, druva.yaml), into an audit.Console.
//
// Druva has no public API for these settings, so the file is written by hand.
// Parsing is therefore strict: an unknown key, a wrong type or an impossible
// value is a *FileError naming the file and line, because a typo that
// silently dropped a setting would silently skip the check that reads it.
//
// Presence is preserved: a section left out is nil (its rules skip), a
// section or field present but empty is non-nil and empty (its rules judge
// it). The SSO token is held as an audit.Secret and never echoed in errors.
package druva

import (
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/yamlfile"
)

// The keys of each mapping, in the order messages list them.
var (
	topKeys     = []string{"platform", "sso", "admins", "profiles"}
	ssoKeys     = []string{"idp_login_url", "idp_certificate", "sso_token_sha256", "sso_token", "authn_requests_signed", "want_assertions_encrypted"}
	adminKeys   = []string{"sso_enabled", "failsafe"}
	profileKeys = []string{"name", "login_mechanism"}
)

// LoginMechanisms are the values of a profile's "Login mechanism".
var LoginMechanisms = []string{"sso", "insync", "ad"}

// Load reads and parses the druva.yaml at path. A file that cannot be read
// is returned wrapped (errors.Is(err, fs.ErrNotExist) tells a missing file
// apart); a file that is invalid is a *FileError.
func Load(path string) (*audit.Console, error) {
	data, err := yamlfile.ReadCapped(path)
	if err != nil {
		return nil, fmt.Errorf("druva console settings: %w", err)
	}
	c, err := Parse(path, data)
	if err != nil {
		return nil, err
	}
	c.SHA256 = audit.Fingerprint(string(data))
	return c, nil
}

// Parse parses the contents of a druva.yaml, naming it name in errors, which
// are always *FileError.
func Parse(name string, data []byte) (*audit.Console, error) {
	root, err := yamlfile.Decode(name, data)
	if err != nil {
		return nil, err
	}
	p := &parser{yamlfile.Parser{File: name}}
	fs, err := p.Fields(root, "the top level", topKeys)
	if err != nil {
		return nil, err
	}
	// Every section is read whatever the others hold: each problem is
	// noted, so the person fixing the file sees them all in one run.
	c := &audit.Console{File: name}
	for _, f := range fs {
		switch f.Key {
		case "platform":
			c.Platform, err = p.platform(f.V)
		case "sso":
			c.SSO, err = p.sso(f.V)
		case "admins":
			c.Admins, err = p.admins(f.V)
		case "profiles":
			c.Profiles, err = p.profiles(f.V)
		}
		p.Note(err)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func (p *parser) platform(v *yaml.Node) (string, error) {
	s, err := p.Str(v, "platform")
	if err != nil {
		return "", err
	}
	if _, err := audit.LookupPlatform(s); err != nil {
		if audit.LooksLikeSecret(strings.TrimSpace(s)) {
			return "", p.ErrAt(v, "platform: unknown platform %s (want one of %s)", yamlfile.Shown(v, false), audit.PlatformNames())
		}
		return "", p.ErrAt(v, "platform: %v", err)
	}
	return s, nil
}

// sso reads the console's "Single Sign-On Settings".
func (p *parser) sso(v *yaml.Node) (*audit.ConsoleSSO, error) {
	s := &audit.ConsoleSSO{}
	if yamlfile.IsNull(v) {
		return s, nil
	}
	fs, err := p.Fields(v, "sso", ssoKeys)
	if err != nil {
		return nil, err
	}
	var hashNode *yaml.Node
	for _, f := range fs {
		path := "sso." + f.Key
		switch f.Key {
		case "idp_login_url":
			s.IDPLoginURL, err = p.strPtr(f.V, path)
			if err == nil && strings.Contains(*s.IDPLoginURL, "YOUR-") {
				err = p.placeholder(f.V, path, "Okta's Identity Provider Single Sign-On URL")
			}
		case "idp_certificate":
			s.IDPCertificate, err = p.strPtr(f.V, path)
			if err == nil && strings.Contains(*s.IDPCertificate, "PASTE THE CERTIFICATE") {
				err = p.placeholder(f.V, path, "the certificate pasted into the console")
			}
		case "sso_token_sha256":
			hashNode = f.V
			s.SSOTokenSHA256, err = p.tokenHash(f.V, path)
			if err == nil && *s.SSOTokenSHA256 == strings.Repeat("0", 64) {
				err = p.placeholder(f.V, path, "the SHA-256 of the console's SSO token (printf %s 'TOKEN' | sha256sum)")
			}
		case "sso_token":
			var tok string
			tok, err = p.Str(f.V, path)
			if err == nil {
				err = p.tokenValue(f.V, strings.TrimSpace(tok))
			}
			sec := audit.NewSecret(strings.TrimSpace(tok))
			s.SSOToken = &sec
		case "authn_requests_signed":
			s.AuthnRequestsSigned, err = p.boolPtr(f.V, path)
		case "want_assertions_encrypted":
			s.WantAssertionsEncrypted, err = p.boolPtr(f.V, path)
		}
		p.Note(err)
	}
	// Both forms of the token are allowed, but if they disagree the file
	// contradicts itself and no verdict on it could be trusted.
	if s.SSOToken != nil && s.SSOTokenSHA256 != nil && !s.SSOToken.Empty() && *s.SSOTokenSHA256 != "" {
		got := audit.Fingerprint(s.SSOToken.Reveal())
		if subtle.ConstantTimeCompare([]byte(got), []byte(*s.SSOTokenSHA256)) != 1 {
			p.Note(p.ErrAt(hashNode, "sso.sso_token_sha256 is not the SHA-256 of sso.sso_token: record the token one way only"))
		}
	}
	return s, nil
}

// placeholder reports a value `ssoaudit init` wrote that was never replaced:
// judging it would only produce findings about the template.
func (p *parser) placeholder(v *yaml.Node, path, what string) error {
	return p.ErrAt(v, "%s still holds the placeholder from `ssoaudit init`: record %s (Druva console > Settings > Single Sign-On), or remove the key", path, what)
}

// tokenValue catches the ways a token is mis-recorded that would otherwise
// read as "the token was regenerated": the SHA-256 pasted here instead of
// under sso_token_sha256, or the token with the quotes Okta's attribute needs.
// It never echoes the value.
func (p *parser) tokenValue(v *yaml.Node, tok string) error {
	if len(tok) == 64 {
		if _, err := hex.DecodeString(tok); err == nil {
			return p.ErrAt(v, "sso.sso_token holds 64 hex digits, a SHA-256: record it as sso_token_sha256 instead")
		}
	}
	if strings.ContainsAny(tok, "\"'“”‘’") {
		return p.ErrAt(v, "sso.sso_token contains quote characters: record the token as the console shows it, without the quotes Okta's attribute value needs")
	}
	return nil
}

// tokenHash reads sso_token_sha256. Its value is never echoed: people paste
// the token itself here by mistake.
func (p *parser) tokenHash(v *yaml.Node, path string) (*string, error) {
	s, err := p.Str(v, path)
	if err != nil {
		return nil, err
	}
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return &s, nil
	}
	if _, herr := hex.DecodeString(s); herr != nil || len(s) != 64 {
		msg := fmt.Sprintf("%s: want the 64 hex digits of the SSO token's SHA-256, got %d characters", path, len(s))
		if herr != nil {
			msg += " including some that are not hex digits"
		}
		if audit.LooksLikeToken(s) {
			msg += " (this looks like the token itself: put it under sso_token, or its SHA-256 here)"
		}
		return nil, p.ErrAt(v, "%s", msg)
	}
	return &s, nil
}

// admins reads the administrator switches of the SSO settings page.
func (p *parser) admins(v *yaml.Node) (*audit.ConsoleAdmins, error) {
	a := &audit.ConsoleAdmins{}
	if yamlfile.IsNull(v) {
		return a, nil
	}
	fs, err := p.Fields(v, "admins", adminKeys)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		switch f.Key {
		case "sso_enabled":
			a.SSOEnabled, err = p.boolPtr(f.V, "admins.sso_enabled")
		case "failsafe":
			a.Failsafe, err = p.boolPtr(f.V, "admins.failsafe")
		}
		p.Note(err)
	}
	return a, nil
}

// profiles reads the profile list. Each profile needs both fields: a profile
// without a login mechanism is not something the console can show.
func (p *parser) profiles(v *yaml.Node) ([]audit.ConsoleProfile, error) {
	out := []audit.ConsoleProfile{}
	if yamlfile.IsNull(v) {
		return out, nil
	}
	if v.Kind != yaml.SequenceNode || v.ShortTag() != "!!seq" {
		return nil, p.ErrAt(v, "profiles: want a list of profiles (lines starting with -), got %s", yamlfile.KindName(v))
	}
	for i, e := range v.Content {
		where := fmt.Sprintf("profiles[%d]", i)
		before := p.Problems()
		fs, err := p.Fields(e, where, profileKeys)
		if p.Note(err) {
			continue
		}
		var pr audit.ConsoleProfile
		var hasName, hasMech bool
		for _, f := range fs {
			switch f.Key {
			case "name":
				hasName = true
				pr.Name, err = p.Str(f.V, where+".name")
				if err == nil && strings.TrimSpace(pr.Name) == "" {
					err = p.ErrAt(f.V, "%s.name: a profile needs its name as the console shows it", where)
				}
			case "login_mechanism":
				hasMech = true
				pr.LoginMechanism, err = p.mechanism(f.V, where+".login_mechanism")
			}
			p.Note(err)
		}
		// A missing field is worth saying only when no bad key (a
		// misspelt login_mechanism) already explains it.
		if p.Problems() > before {
			continue
		}
		if !hasName {
			p.Note(p.ErrAt(e, "%s: name is required", where))
		}
		if !hasMech {
			p.Note(p.ErrAt(e, "%s: login_mechanism is required (one of %s)", where, strings.Join(LoginMechanisms, ", ")))
		}
		out = append(out, pr)
	}
	return out, nil
}

// mechanism accepts any case ("SSO", "inSync") and stores lowercase, since
// people copy the console's capitalisation.
func (p *parser) mechanism(v *yaml.Node, path string) (string, error) {
	s, err := p.Str(v, path)
	if err != nil {
		return "", err
	}
	m := strings.ToLower(strings.TrimSpace(s))
	for _, ok := range LoginMechanisms {
		if m == ok {
			return m, nil
		}
	}
	return "", p.ErrAt(v, "%s: want one of %s (Single Sign-On, inSync password, Active Directory/LDAP), got %s",
		path, strings.Join(LoginMechanisms, ", "), yamlfile.Shown(v, false))
}

func (p *parser) strPtr(v *yaml.Node, path string) (*string, error) {
	s, err := p.Str(v, path)
	if err != nil {
		return nil, err
	}
	return &s, nil
}

func (p *parser) boolPtr(v *yaml.Node, path string) (*bool, error) {
	b, err := p.Bool(v, path)
	if err != nil {
		return nil, err
	}
	return &b, nil
}
