package redact

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

const tok = "A-16620-5232-Qm7xZ2pL9vK4nR8sT1wY6cF3hJ0dG5bE+aU/oI2tX8k="
const api = "00Zr8Kq2Lm5Np7Xv3Tw9Yb4Cd6Fg1Hj0Sk4QeW2"

func TestString(t *testing.T) {
	var s Set
	s.Add(tok, api, "short")
	for _, tc := range []struct{ in, want string }{
		{"relay " + tok + " end", "relay [redacted] end"},
		{"prefix " + api[:8] + "…", "prefix [redacted]…"},
		{"lower " + strings.ToLower(api), "lower [redacted]"},
		{"upper " + strings.ToUpper(api[10:30]), "upper [redacted]"},
		{"split " + api[:20] + "\n" + api[20:], "split [redacted]\n[redacted]"},
		{"two " + api + " and " + api[5:15], "two [redacted] and [redacted]"},
		{"seven " + api[:7], "seven " + api[:7]},
		{"short is not a secret", "short is not a secret"},
		{"https://admin:pw@acme.okta.com/x", "https://[redacted]@acme.okta.com/x"},
		{"https://acme.okta.com/?token=abc&x=1", "https://acme.okta.com/?token=[redacted]&x=1"},
		{"the assertion eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwb2EifQ.c2lnbmF0dXJl is invalid", "the assertion [redacted] is invalid"},
		{"POST /oauth2/v1/token?client_assertion=eyJhbGciOi.x.y&grant_type=client_credentials", "POST /oauth2/v1/token?client_assertion=[redacted]&grant_type=client_credentials"},
		{"https://app.example/cb#access_token=abc123&state=x", "https://app.example/cb#access_token=[redacted]&state=x"},
		{"https://b.s3.amazonaws.com/k?X-Amz-Security-Token=FwoGZX&X-Amz-Signature=ab12&X-Amz-Date=1", "https://b.s3.amazonaws.com/k?X-Amz-Security-Token=[redacted]&X-Amz-Signature=[redacted]&X-Amz-Date=1"},
		{"https://x.example/?api-key=k1&session_token=s1&sessionToken=s2&jwt=j1&RelayState=adminlogin", "https://x.example/?api-key=[redacted]&session_token=[redacted]&sessionToken=[redacted]&jwt=[redacted]&RelayState=adminlogin"},
		{"see //admin:hunter2@acme.okta.com/x", "see //[redacted]@acme.okta.com/x"},
		{"https://u:p@ss@acme.okta.com/x", "https://[redacted]@acme.okta.com/x"},
		{"https://acme.okta.com/app/druva/exk1/sso/saml?fromURI=/x", "https://acme.okta.com/app/druva/exk1/sso/saml?fromURI=/x"},
		{"mail alice@example.com", "mail alice@example.com"},
	} {
		if got := s.String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Anything shaped like a Druva token, known or not: prefix and
	// fingerprint only.
	var empty *Set
	got := empty.String("value A-99999-1234-Zm9vYmFyYmF6cXV4 here")
	if strings.Contains(got, "Zm9vYmFy") || !strings.Contains(got, "A-9999… (sha256:") {
		t.Errorf("Druva shape: %q", got)
	}
}

func TestAddFragments(t *testing.T) {
	var s Set
	s.AddFragments(`“` + tok[:20] + " " + tok[20:] + `”`)
	s.AddFragments("user.email")
	s.AddFragments("${user.insync_auth_token}")
	if got := s.String(tok); got != Hidden {
		t.Errorf("%q", got)
	}
	if got := s.String("${user.email} insync_auth_token"); got != "${user.email} insync_auth_token" {
		t.Errorf("an expression was taken for a token: %q", got)
	}
}

func FuzzString(f *testing.F) {
	f.Add("x"+api+"y", api)
	f.Add(strings.ToLower(tok), tok)
	f.Fuzz(func(t *testing.T, text, secret string) {
		var s Set
		s.Add(secret)
		out := s.String(text)
		if len(secret) < Window {
			return
		}
		low := asciiLower(out)
		sec := asciiLower(secret)
		for i := 0; i+Window <= len(sec); i++ {
			if strings.Contains(low, sec[i:i+Window]) && !strings.Contains(asciiLower(Hidden), sec[i:i+Window]) && !own[sec[i:i+Window]] {
				t.Fatalf("piece %q of the secret in %q", sec[i:i+Window], out)
			}
		}
	})
}

// TestOwnWordsNeverHidden: a "secret" made of the tool's own words (the
// OAuth placeholder, or an sso_token set to the schema) hides none of them.
func TestOwnWordsNeverHidden(t *testing.T) {
	var s Set
	s.Add("ssoaudit-oauth-token-pending", "ssoaudit.report/v1", "ssoaudit")
	for _, in := range []string{`"schema": "ssoaudit.report/v1"`, "ssoaudit diff old.json new.json", "ssoaudit.could-not-evaluate"} {
		if got := s.String(in); got != in {
			t.Errorf("String(%q) = %q", in, got)
		}
	}
}

// TestEncodedForms: a known secret base64-, base64url- or percent-encoded,
// alone or inside a longer encoded value, is hidden too.
func TestEncodedForms(t *testing.T) {
	var s Set
	s.Add(tok)
	for _, pre := range []string{"", "r", "re", "rel"} {
		raw := pre + tok + "&x=1"
		for _, enc := range []string{
			base64.StdEncoding.EncodeToString([]byte(raw)),
			base64.RawURLEncoding.EncodeToString([]byte(raw)),
			url.QueryEscape(raw),
			url.PathEscape(raw),
		} {
			got := s.String("relay " + enc)
			if !strings.Contains(got, Hidden) || strings.Contains(got, enc[len(enc)/2-4:len(enc)/2+4]) {
				t.Errorf("%q: %q", enc, got)
			}
		}
	}
}

// TestInvisibleCharactersDoNotSplit: a known secret or a Druva-shaped token
// with U+200B (or another invisible character) inserted every 7 characters
// is still hidden; a value without a secret keeps its invisible characters
// (escaping shows them).
func TestInvisibleCharactersDoNotSplit(t *testing.T) {
	var s Set
	s.Add(api)
	for _, zw := range []string{"\u200b", "\u2060", "\u00ad", "\U000E0020", "\u202e"} {
		for _, secret := range []string{api, tok} {
			var b strings.Builder
			for i, r := range secret {
				if i > 0 && i%7 == 0 {
					b.WriteString(zw)
				}
				b.WriteRune(r)
			}
			got := s.String("relay " + b.String())
			if strings.Contains(got, secret[10:18]) || strings.Contains(strings.ReplaceAll(got, zw, ""), secret[10:18]) {
				t.Errorf("%q: %q", zw, got)
			}
			// Quoted with %q (or strconv.QuoteToASCII) first, as a rule
			// quoting untrusted text does: the invisible character is now
			// the text of its escape, and still does not split the secret.
			esc := strconv.QuoteToASCII(zw)
			esc = esc[1 : len(esc)-1]
			for _, quoted := range []string{fmt.Sprintf("app %q", b.String()), strconv.QuoteToASCII(b.String())} {
				got := s.String(quoted)
				if strings.Contains(strings.ReplaceAll(got, esc, ""), secret[10:18]) {
					t.Errorf("%s quoted: %q", esc, got)
				}
			}
		}
	}
	// A word that hides nothing keeps its invisible character when
	// another word of the value holds a secret: the value looks the same
	// wherever it is shown.
	if got := s.String("Druva\u200b inSync " + api); !strings.HasPrefix(got, "Druva\u200b inSync ") || strings.Contains(got, api[10:18]) {
		t.Errorf("label with a secret: %q", got)
	}
	if got := s.String(`app "Druva\u200b inSync ` + api + `"`); !strings.HasPrefix(got, `app "Druva\u200b inSync `) || strings.Contains(got, api[10:18]) {
		t.Errorf("quoted label with a secret: %q", got)
	}
	if in := "plain\u200btext"; s.String(in) != in {
		t.Errorf("%q became %q", in, s.String(in))
	}
	if in := `plain\u200btext \u00e9`; s.String(in) != in {
		t.Errorf("%q became %q", in, s.String(in))
	}
}

// TestEncodedDruvaShape: a Druva-shaped token the run does not know,
// base64-encoded inside a value, is hidden.
func TestEncodedDruvaShape(t *testing.T) {
	var empty *Set
	for _, pre := range []string{"", "r=", "re=", "rel="} {
		enc := base64.StdEncoding.EncodeToString([]byte(pre + tok))
		if got := empty.String("RelayState " + enc); strings.Contains(got, enc[8:16]) {
			t.Errorf("%q: %q", pre, got)
		}
	}
	if in := "certificate MIIDpDCCAoygAwIBAgIGAX4aZ2ZzMA0GCSqGSIb3DQEBCwUAMIGSMQswCQYD"; empty.String(in) != in {
		t.Errorf("a certificate was hidden: %q", empty.String(in))
	}
}

// FuzzEncodedAndInterleaved: a known secret reaches no output encoded
// (base64, base64url at any alignment, percent-encoded) or interleaved
// with invisible characters.
func FuzzEncodedAndInterleaved(f *testing.F) {
	f.Add(api, "relay=", uint8(0), uint8(7))
	f.Add(tok, "", uint8(1), uint8(3))
	f.Add(tok, "ab", uint8(2), uint8(1))
	f.Add(api, "x", uint8(3), uint8(5))
	f.Add(api, "y", uint8(4), uint8(2))
	f.Fuzz(func(t *testing.T, secret, prefix string, form, step uint8) {
		if len(secret) < 16 || len(prefix) > 64 || !audit.LooksLikeSecret(secret) {
			return
		}
		var s Set
		s.Add(secret)
		var text, core string
		switch form % 5 {
		case 0: // interleaved with an invisible character
			n := int(step%16) + 1
			var b strings.Builder
			for i, r := range secret {
				if i > 0 && i%n == 0 {
					b.WriteString([]string{"\u200b", "\u2060", "\u00ad", "\U000E0041", "\ufeff"}[int(step)%5])
				}
				b.WriteRune(r)
			}
			text, core = b.String(), secret
		case 1, 2:
			enc := base64.StdEncoding
			if form%5 == 2 {
				enc = base64.RawURLEncoding
			}
			text = enc.EncodeToString([]byte(prefix + secret))
			start := (8*len(prefix) + 5) / 6
			core = text[start : 8*(len(prefix)+len(secret))/6]
		case 3:
			text, core = url.QueryEscape(prefix+secret), url.QueryEscape(secret)
		case 4:
			text, core = url.PathEscape(prefix+secret), url.PathEscape(secret)
		}
		out := s.String("value " + text + " end")
		out, _ = stripInvisible(out)
		low, c := asciiLower(out), asciiLower(core)
		for i := 0; i+Window <= len(c); i++ {
			if w := c[i : i+Window]; strings.Contains(low, w) && !own[w] && !strings.Contains(asciiLower("value  end"+Hidden), w) {
				t.Fatalf("form %d: piece %q of %q in %q", form%5, w, core, out)
			}
		}
	})
}

// TestCredentialParamsDocumented: docs/security.md lists exactly the
// credential parameter stems and names the code uses.
func TestCredentialParamsDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(string(b), "<!-- credential-params -->\n")
	list, _, _ := strings.Cut(rest, "<!-- /credential-params -->")
	quote := func(l []string) string {
		var q []string
		for _, s := range l {
			q = append(q, "`"+s+"`")
		}
		return strings.Join(q, ", ")
	}
	want := "- stems: " + quote(CredentialStems) + "\n- names: " + quote(CredentialNames) + "\n"
	if list != want {
		t.Errorf("docs/security.md lists\n%s\nthe code has\n%s", list, want)
	}
}
