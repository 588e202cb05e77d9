package oktatest_test

import (
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/go-jose/go-jose/v3/jwt"

	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// TestTokenEndpointChecksAssertions: the fake's token endpoint holds
// clients to Okta's private-key JWT flow — the assertion in the form body,
// a jti used once, exp after now and within an hour of iat.
func TestTokenEndpointChecksAssertions(t *testing.T) {
	s, _ := start(t)
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	s.AddServiceApp("0oaSvc", key.Public(), oktatest.ScopeApps)
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, nil)
	now := time.Now()
	assertion := func(jti string, iat, exp time.Time) string {
		a, err := jwt.Signed(signer).Claims(jwt.Claims{Issuer: "0oaSvc", Subject: "0oaSvc", Audience: jwt.Audience{s.URL + "/oauth2/v1/token"},
			ID: jti, IssuedAt: jwt.NewNumericDate(iat), Expiry: jwt.NewNumericDate(exp)}).CompactSerialize()
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	post := func(a string, inQuery bool) (int, string) {
		form := url.Values{"grant_type": {"client_credentials"}, "scope": {oktatest.ScopeApps},
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {a}}
		u, body := s.URL+"/oauth2/v1/token", form.Encode()
		if inQuery {
			u, body = u+"?"+body, ""
		}
		req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	good := assertion("jti-1", now, now.Add(time.Minute))
	for _, tc := range []struct {
		name      string
		assertion string
		inQuery   bool
		status    int
		want      string
	}{
		{"in the URL", assertion("jti-0", now, now.Add(time.Minute)), true, 400, "request body"},
		{"good", good, false, 200, "access_token"},
		{"replayed", good, false, 401, "already used"},
		{"no jti", assertion("", now, now.Add(time.Minute)), false, 401, "jti"},
		{"expired", assertion("jti-2", now.Add(-time.Hour), now.Add(-time.Minute)), false, 401, "expired"},
		{"valid for two hours", assertion("jti-3", now, now.Add(2*time.Hour)), false, 401, "more than an hour"},
	} {
		status, body := post(tc.assertion, tc.inQuery)
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s, want %d and %q", tc.name, status, body, tc.status, tc.want)
		}
	}
}
