package redact

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
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
			if strings.Contains(low, sec[i:i+Window]) && !strings.Contains(asciiLower(Hidden), sec[i:i+Window]) {
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
