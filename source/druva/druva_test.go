package druva

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

// token is a made-up SSO token in the guide's shape; tests assert it never
// reaches an error message.
const token = "A-16620-5232-jbzFc96F3EhGyG+uh2c+kDj+QgVQuS2keB8DD/LtwVs="

// full is section 4's example, line for line.
const full = `platform: insync-cloud
sso:
  idp_login_url: https://acme.okta.com/app/acme_druvainsync_1/exk1abc/sso/saml
  idp_certificate: |
    -----BEGIN CERTIFICATE-----
    MIIB
    -----END CERTIFICATE-----
  sso_token_sha256: 3F1C000000000000000000000000000000000000000000000000000000000000
  authn_requests_signed: false
  want_assertions_encrypted: false
admins:
  sso_enabled: true
  failsafe: true
profiles:
  - name: Engineering
    login_mechanism: sso
  - name: Sales
    login_mechanism: inSync
`

func ptr[T any](v T) *T { return &v }

func TestParseFull(t *testing.T) {
	c, err := Parse("druva.yaml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	want := &audit.Console{
		File:     "druva.yaml",
		Platform: "insync-cloud",
		SSO: &audit.ConsoleSSO{
			IDPLoginURL:             ptr("https://acme.okta.com/app/acme_druvainsync_1/exk1abc/sso/saml"),
			IDPCertificate:          ptr("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
			SSOTokenSHA256:          ptr("3f1c" + strings.Repeat("0", 60)),
			AuthnRequestsSigned:     ptr(false),
			WantAssertionsEncrypted: ptr(false),
		},
		Admins:   &audit.ConsoleAdmins{SSOEnabled: ptr(true), Failsafe: ptr(true)},
		Profiles: []audit.ConsoleProfile{{Name: "Engineering", LoginMechanism: "sso"}, {Name: "Sales", LoginMechanism: "insync"}},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %#v\nwant %#v", c, want)
	}
}

func TestParsePresence(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		check func(t *testing.T, c *audit.Console)
	}{
		{"sections left out are nil", "platform: dcp\n", func(t *testing.T, c *audit.Console) {
			if c.SSO != nil || c.Admins != nil || c.Profiles != nil {
				t.Errorf("want nil sections, got %+v", c)
			}
		}},
		{"empty mapping is a console with nothing recorded", "{}\n", func(t *testing.T, c *audit.Console) {
			if c.Platform != "" || c.SSO != nil || c.Admins != nil || c.Profiles != nil {
				t.Errorf("want empty console, got %+v", c)
			}
		}},
		{"empty profiles list is present", "profiles: []\n", func(t *testing.T, c *audit.Console) {
			if c.Profiles == nil || len(c.Profiles) != 0 {
				t.Errorf("want non-nil empty profiles, got %#v", c.Profiles)
			}
		}},
		{"null profiles is present", "profiles:\n", func(t *testing.T, c *audit.Console) {
			if c.Profiles == nil || len(c.Profiles) != 0 {
				t.Errorf("want non-nil empty profiles, got %#v", c.Profiles)
			}
		}},
		{"empty admins is present with nil fields", "admins: {}\n", func(t *testing.T, c *audit.Console) {
			if c.Admins == nil || c.Admins.SSOEnabled != nil || c.Admins.Failsafe != nil {
				t.Errorf("want empty admins, got %#v", c.Admins)
			}
		}},
		{"null sso is present with nil fields", "sso:\n", func(t *testing.T, c *audit.Console) {
			if c.SSO == nil || !reflect.DeepEqual(*c.SSO, audit.ConsoleSSO{}) {
				t.Errorf("want empty sso, got %#v", c.SSO)
			}
		}},
		{"empty fields are present but empty", "sso:\n  idp_login_url:\n  idp_certificate: \"\"\n  sso_token_sha256: ''\n  sso_token:\n", func(t *testing.T, c *audit.Console) {
			s := c.SSO
			if s.IDPLoginURL == nil || *s.IDPLoginURL != "" || s.IDPCertificate == nil || *s.IDPCertificate != "" {
				t.Errorf("want empty URL and certificate, got %#v", s)
			}
			if s.SSOTokenSHA256 == nil || *s.SSOTokenSHA256 != "" || s.SSOToken == nil || !s.SSOToken.Empty() {
				t.Errorf("want empty token and hash, got %#v", s)
			}
		}},
		{"fields left out are nil", "sso:\n  idp_login_url: https://x\n", func(t *testing.T, c *audit.Console) {
			s := c.SSO
			if s.IDPCertificate != nil || s.SSOToken != nil || s.SSOTokenSHA256 != nil || s.AuthnRequestsSigned != nil {
				t.Errorf("want nil fields, got %#v", s)
			}
		}},
		{"token is a secret, trimmed", "sso:\n  sso_token: |\n    " + token + "\n", func(t *testing.T, c *audit.Console) {
			if c.SSO.SSOToken == nil || c.SSO.SSOToken.Reveal() != token {
				t.Errorf("token not kept")
			}
		}},
		{"token and its matching hash", "sso:\n  sso_token: " + token + "\n  sso_token_sha256: " + strings.ToUpper(audit.Fingerprint(token)) + "\n", func(t *testing.T, c *audit.Console) {
			if *c.SSO.SSOTokenSHA256 != audit.Fingerprint(token) {
				t.Errorf("hash not normalised: %s", *c.SSO.SSOTokenSHA256)
			}
		}},
		{"bare base64 certificate kept raw", "sso:\n  idp_certificate: MIIBxyz==\n", func(t *testing.T, c *audit.Console) {
			if *c.SSO.IDPCertificate != "MIIBxyz==" {
				t.Errorf("got %q", *c.SSO.IDPCertificate)
			}
		}},
		{"numeric profile name", "profiles:\n  - {name: 2024, login_mechanism: AD}\n", func(t *testing.T, c *audit.Console) {
			if !reflect.DeepEqual(c.Profiles, []audit.ConsoleProfile{{Name: "2024", LoginMechanism: "ad"}}) {
				t.Errorf("got %#v", c.Profiles)
			}
		}},
		{"comments and a leading document marker", "# settings\n---\nplatform: dcp-dell # Dell\n", func(t *testing.T, c *audit.Console) {
			if c.Platform != "dcp-dell" {
				t.Errorf("got %q", c.Platform)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("druva.yaml", []byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		line int
		want string // substring of the message
	}{
		{"unknown key", "admins:\n  sso_enabled: true\n  faisafe: true\n", 3,
			`unknown key "faisafe" in admins (known keys: sso_enabled, failsafe); did you mean "failsafe"?`},
		{"unknown top key", "platform: dcp\nplatfrom: dcp\n", 2, `unknown key "platfrom" in the top level (known keys: platform, sso, admins, profiles)`},
		{"unknown key in profile", "profiles:\n  - name: x\n    login: sso\n", 3, `unknown key "login" in profiles[0]`},
		{"unknown sso key", "sso:\n  idp_loginurl: https://x\n", 2, `did you mean "idp_login_url"?`},
		{"wrong type bool", "admins:\n  failsafe: \"yes please\"\n", 2, `admins.failsafe: want true or false, got a string "yes please"`},
		{"yes is not a bool", "admins:\n  failsafe: yes\n", 2, `want true or false, got a string "yes"`},
		{"empty bool", "admins:\n  sso_enabled:\n", 2, `admins.sso_enabled: want true or false, got an empty value`},
		{"list where mapping belongs", "admins:\n  - failsafe: true\n", 2, `admins: want a mapping (key: value lines), got a list`},
		{"mapping where list belongs", "profiles:\n  name: x\n", 2, `profiles: want a list of profiles`},
		{"string where mapping belongs", "sso: on\n", 1, `sso: want a mapping`},
		{"mapping where string belongs", "sso:\n  idp_login_url:\n    a: b\n", 3, `sso.idp_login_url: want a string, got a mapping`},
		{"duplicate key", "platform: dcp\nsso: {}\nplatform: dcp\n", 3, `duplicate key "platform" in the top level (first at line 1)`},
		{"duplicate in admins", "admins:\n  failsafe: true\n  failsafe: false\n", 3, `duplicate key "failsafe"`},
		{"bad platform", "platform: insync\n", 1, `unknown platform "insync" (want one of insync-cloud, insync-govcloud, dcp, dcp-govcloud, dcp-dell, insync-onprem, msc)`},
		{"empty platform", "platform:\n", 1, `unknown platform ""`},
		{"bad login mechanism", "profiles:\n  - name: x\n    login_mechanism: saml\n", 3, `profiles[0].login_mechanism: want one of sso, insync, ad`},
		{"missing login mechanism", "profiles:\n  - name: x\n    login_mechanism: sso\n  - name: y\n", 4, `profiles[1]: login_mechanism is required`},
		{"missing name", "profiles:\n  - login_mechanism: sso\n", 2, `profiles[0]: name is required`},
		{"blank name", "profiles:\n  - name: ' '\n    login_mechanism: sso\n", 2, `profiles[0].name: a profile needs its name`},
		{"profile not a mapping", "profiles:\n  - Engineering\n", 2, `profiles[0]: want a mapping`},
		{"short hash", "sso:\n  sso_token_sha256: 3f1c\n", 2, `sso.sso_token_sha256: want the 64 hex digits of the SSO token's SHA-256, got 4 characters`},
		{"non-hex hash", "sso:\n  sso_token_sha256: " + strings.Repeat("g", 64) + "\n", 2, `not hex digits`},
		{"complex key", "? [a, b]\n: x\n", 1, `keys in the top level must be plain names, got a list`},
		{"custom tag", "sso:\n  idp_login_url: !url https://x\n", 2, `unsupported YAML tag`},
		{"binary tag", "sso:\n  idp_certificate: !!binary aGVsbG8=\n", 2, `unsupported YAML tag`},
		{"empty file", "", 0, `file is empty`},
		{"only comments", "# nothing\n", 0, `file is empty`},
		{"null document", "~\n", 1, `document is empty`},
		{"document is a list", "- platform: dcp\n", 1, `want a mapping of settings`},
		{"document is a string", "hello\n", 1, `want a mapping of settings (key: value lines) at the top of the file, got a string`},
		{"two documents", "platform: dcp\n---\nplatform: dcp\n", 2, `a second YAML document`},
		// yaml.v3 places an unclosed flow at the line before it.
		{"syntax error", "platform: dcp\nsso:\n  idp_login_url: [x\n", 3, `not valid YAML`},
		// yaml.v3 names the line its block starts at; the wrong line is 8.
		{"mis-indented line", "platform: dcp\nsso:\n  idp_login_url: https://acme.okta.com/app/x/sso/saml\n  authn_requests_signed: false\nadmins:\n  sso_enabled: true\nprofiles:\n  - name: E\n   login_mechanism: sso\n", 9, `not valid YAML: did not find expected '-' indicator (in the block that starts at line 7: check this line's indentation)`},
		{"missing colon", "platform: dcp\nsso\nadmins: {}\n", 2, `not valid YAML: could not find expected ':'`},
		{"tab indentation", "sso:\n\tidp_login_url: x\n", 2, `not valid YAML`},
		{"anchor", "sso: &s\n  idp_login_url: x\n", 1, `anchors and aliases`},
		{"alias", "profiles:\n  - &p {name: a, login_mechanism: sso}\n  - *p\n", 2, `anchors and aliases`},
		{"merge key", "sso:\n  <<: {idp_login_url: x}\n", 2, `unknown key (not shown`},
		{"binary junk", "\x00\x01\x02\xff", 0, `not a text file`},
		{"invalid utf-8", "platform: \xff\xfe\n", 0, `not a text file`},
		{"too big", "# " + strings.Repeat("x", MaxFileSize) + "\n", 0, `larger than the 1 MiB limit`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("druva.yaml", []byte(tt.doc))
			if err == nil {
				t.Fatalf("want error, got %+v", c)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("want *FileError, got %T %v", err, err)
			}
			if fe.File != "druva.yaml" || fe.Line != tt.line {
				t.Errorf("got %s:%d, want druva.yaml:%d (%v)", fe.File, fe.Line, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got  %q\nwant it to contain %q", err, tt.want)
			}
			prefix := "druva.yaml: "
			if tt.line > 0 {
				prefix = "druva.yaml:" + strconv.Itoa(tt.line) + ": "
			}
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("got %q, want prefix %q", err, prefix)
			}
		})
	}
}

// TestSecretsNeverEchoed feeds the token to every error path that could
// echo it and checks that no message does.
func TestSecretsNeverEchoed(t *testing.T) {
	tokenHex := "0123456789abcdef0123456789abcdef"
	docs := map[string]string{
		"token as a mapping":        "sso:\n  sso_token:\n    " + token + ": x\n",
		"token as a mapping value":  "sso:\n  sso_token: {value: " + token + "}\n",
		"token in a list":           "sso:\n  sso_token: [" + token + "]\n",
		"token in a block list":     "sso:\n  sso_token:\n    - " + token + "\n",
		"duplicate token key":       "sso:\n  sso_token: " + token + "\n  sso_token: " + token + "\n",
		"token with a custom tag":   "sso:\n  sso_token: !secret " + token + "\n",
		"token pasted in the hash":  "sso:\n  sso_token_sha256: " + token + "\n",
		"hex-looking token in hash": "sso:\n  sso_token_sha256: " + tokenHex + "\n",
		"token as a key":            "sso: {" + token + "}\n",
		"token as a top-level key":  token + ": x\n",
		"token and wrong hash":      "sso:\n  sso_token: " + token + "\n  sso_token_sha256: " + strings.Repeat("a", 64) + "\n",
		"token then a bad key":      "sso:\n  sso_token: " + token + "\n  bogus: 1\n",
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("druva.yaml", []byte(doc))
			if err == nil {
				t.Fatal("want error")
			}
			for _, leak := range []string{token, token[:20], tokenHex, "jbzFc96F3"} {
				if strings.Contains(err.Error(), leak) {
					t.Errorf("error leaks the token: %v", err)
				}
			}
		})
	}
	t.Run("hint when the token is in the hash field", func(t *testing.T) {
		_, err := Parse("druva.yaml", []byte(docs["token pasted in the hash"]))
		if err == nil || !strings.Contains(err.Error(), "looks like the token itself") {
			t.Errorf("want a hint, got %v", err)
		}
	})
}

func TestHostileInputIsFast(t *testing.T) {
	laughs := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		laughs += n + ": &" + n + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n"
		prev = n
	}
	docs := map[string]string{
		"billion laughs":      laughs,
		"deep flow nesting":   strings.Repeat("[", 20000) + strings.Repeat("]", 20000),
		"deep block nesting":  deepBlock(3000),
		"deep flow in a key":  "sso: " + strings.Repeat("{a: ", 5000) + "1" + strings.Repeat("}", 5000),
		"many keys":           manyKeys(40000),
		"long line of quotes": "platform: \"" + strings.Repeat("\\\"", 300000) + "\"\n",
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse("druva.yaml", []byte(doc))
			if err == nil {
				t.Fatal("want error")
			}
			if !strings.HasPrefix(err.Error(), "druva.yaml") {
				t.Errorf("error does not name the file: %v", err)
			}
			if d := time.Since(start); d > 5*time.Second*raceSlowdown {
				t.Errorf("took %v", d)
			}
		})
	}
}

func deepBlock(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	return b.String()
}

func manyKeys(n int) string {
	var b strings.Builder
	b.WriteString("sso:\n")
	for i := range n {
		b.WriteString("  idp_login_url" + strings.Repeat("x", i%3) + ": x\n")
	}
	return b.String()
}

// TestTemplateParses: the template as written is refused, naming each
// placeholder in turn (an unedited copy must not produce findings about the
// template); filled in, it parses with every field.
func TestTemplateParses(t *testing.T) {
	filled := Template
	for _, c := range []struct{ line, placeholder, value string }{
		{"sso.idp_login_url", "https://YOUR-ORG.okta.com/app/YOUR-APP/YOUR-APP-ID/sso/saml", "https://acme.okta.com/app/acme_druvainsync_1/exk1/sso/saml"},
		{"sso.idp_certificate", "PASTE THE CERTIFICATE FROM THE CONSOLE HERE", "MIIB"},
		{"sso.sso_token_sha256", strings.Repeat("0", 64), strings.Repeat("ab", 32)},
	} {
		_, err := Parse("druva.yaml", []byte(filled))
		if err == nil || !strings.Contains(err.Error(), c.line+" still holds the placeholder from `ssoaudit init`") {
			t.Fatalf("want the %s placeholder refused, got %v", c.line, err)
		}
		if !strings.Contains(filled, c.placeholder) {
			t.Fatalf("template lacks %q", c.placeholder)
		}
		filled = strings.Replace(filled, c.placeholder, c.value, 1)
	}
	c, err := Parse("druva.yaml", []byte(filled))
	if err != nil {
		t.Fatal(err)
	}
	if c.Admins != nil || c.Profiles != nil {
		t.Errorf("the template records admins or profiles nobody copied from the console: %+v %+v", c.Admins, c.Profiles)
	}
	// Uncommented, the example sections parse.
	c, err = Parse("druva.yaml", []byte(regexp.MustCompile(`(?m)^# ( *)(admins:|profiles:|  )`).ReplaceAllString(filled, "$1$2")))
	if err != nil {
		t.Fatal(err)
	}
	// The platform is left out: the scan reads it from the Okta app.
	if c.Platform != "" || c.SSO == nil || c.SSO.IDPLoginURL == nil || c.SSO.IDPCertificate == nil ||
		c.SSO.SSOTokenSHA256 == nil || c.Admins == nil || c.Admins.SSOEnabled == nil || c.Admins.Failsafe == nil || len(c.Profiles) != 1 {
		t.Errorf("template leaves out a field: %+v %+v %+v", c, c.SSO, c.Admins)
	}
	for _, label := range []string{"ID Provider Login URL", "ID Provider Certificate", "Generate SSO Token",
		"Enable single sign-on for administrators", "Failsafe for administrators", "Login mechanism"} {
		if !strings.Contains(Template, label) {
			t.Errorf("template does not mention %q", label)
		}
	}
}

func TestTokenRecordingMistakes(t *testing.T) {
	for name, v := range map[string]string{
		"a SHA-256 in sso_token":  strings.Repeat("ab", 32),
		"the token in its quotes": `'"` + token + `"'`,
		"typographic quotes":      "“" + token + "”",
	} {
		_, err := Parse("druva.yaml", []byte("sso:\n  sso_token: "+v+"\n"))
		if err == nil || !strings.HasPrefix(err.Error(), "druva.yaml:2: ") || strings.Contains(err.Error(), token[6:]) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "druva.yaml")
	if err := os.WriteFile(path, []byte(full), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.File != path || c.Platform != "insync-cloud" {
		t.Errorf("got %+v", c)
	}

	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %v, want fs.ErrNotExist", err)
	}

	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("#", 2*MaxFileSize)), 0o600); err != nil {
		t.Fatal(err)
	}
	var fe *FileError
	if _, err := Load(big); !errors.As(err, &fe) || !strings.Contains(err.Error(), "1 MiB") {
		t.Errorf("big file: got %v", err)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("admins:\n  faisafe: true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad); err == nil || !strings.HasPrefix(err.Error(), bad+":2: ") {
		t.Errorf("bad file: got %v, want %s:2: prefix", err, bad)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{full, Template, "", "{}", "admins: {}\n", "profiles: []\n", "sso:\n  sso_token: x\n",
		"- a\n", "a: &a [*a]\n", "sso: {idp_login_url: [x]}\n", "\x00", strings.Repeat("[", 100)} {
		f.Add([]byte(s))
	}
	seeds, _ := filepath.Glob("../../testdata/snapshots/*/druva.yaml")
	seeds = append(seeds, "../../examples/druva.yaml")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("druva.yaml", data)
		if (c == nil) == (err == nil) {
			t.Fatalf("want exactly one of console and error, got %v and %v", c, err)
		}
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("want *FileError, got %T", err)
			}
		}
	})
}
