package okta_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// pieceOf returns an 8-character piece of secret found in s in any letter
// case, or "".
func pieceOf(s, secret string) string {
	s, secret = strings.ToLower(s), strings.ToLower(secret)
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(s, secret[i:i+8]) {
			return secret[i : i+8]
		}
	}
	return ""
}

// echoForms are the ways a server may repeat a credential.
var echoForms = map[string]func(string) string{
	"whole":      func(s string) string { return s },
	"prefix":     func(s string) string { return s[:10] },
	"middle":     func(s string) string { return s[5 : len(s)-5] },
	"lower case": strings.ToLower,
	"upper case": strings.ToUpper,
}

var echoPlaces = []string{oktatest.EchoSummary, oktatest.EchoErrorCode, oktatest.EchoErrorID, oktatest.EchoOAuth,
	oktatest.EchoContentType, oktatest.EchoErrorType, oktatest.EchoPlain}

// everything is every message a target read through the client carries.
func everything(t *testing.T, tg *audit.Target) string {
	var b strings.Builder
	for _, r := range gapReasons(t, tg) {
		b.WriteString(r + "\n")
	}
	return b.String()
}

// TestServerEchoesTheToken reproduces issue 8's scrubbing gaps: a server (or
// a proxy in front of it) repeating the SSWS token — whole, a prefix, a
// piece, in another letter case — in an error summary, errorCode, errorId,
// a Content-Type, a plain-text body or a next-page Link's host. No error
// carries 8 characters of it.
func TestServerEchoesTheToken(t *testing.T) {
	cases := 0
	for _, place := range append(echoPlaces, oktatest.EchoLinkHost) {
		for name, form := range echoForms {
			e := newEnv(t)
			endpoint := oktatest.EndpointApp
			if place == oktatest.EchoLinkHost {
				endpoint = oktatest.EndpointUsers
			}
			e.srv.Inject(oktatest.Fault{Endpoint: endpoint, Kind: oktatest.Echo, EchoIn: place, EchoForm: form, Times: -1})
			e.opts.MaxRetries = -1
			out := everything(t, e.target(t, goodID))
			if out == "" {
				t.Errorf("%s, %s: no error", place, name)
			}
			if p := pieceOf(out, e.srv.Token); p != "" {
				t.Errorf("%s, %s: %q of the token in:\n%s", place, name, p, out)
			}
			cases++
		}
	}
	t.Logf("%d echo cases", cases)
}

// TestServerEchoesTheOAuthCredentials: the client assertion echoed by the
// token endpoint, and the bearer access token echoed by an API endpoint.
func TestServerEchoesTheOAuthCredentials(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	for _, endpoint := range []string{oktatest.EndpointToken, oktatest.EndpointApp} {
		for _, place := range echoPlaces {
			for name, form := range echoForms {
				e := newEnv(t)
				e.srv.AddServiceApp("0oaService", key.Public(), oktatest.ScopeApps, oktatest.ScopeUsers)
				e.opts.Token = audit.Secret{}
				e.opts.ClientID, e.opts.PrivateKeyFile = "0oaService", writeKey(t, key)
				e.opts.MaxRetries = -1
				var echoed []string
				e.srv.Inject(oktatest.Fault{Endpoint: endpoint, Kind: oktatest.Echo, EchoIn: place, Times: -1,
					EchoForm: func(s string) string { echoed = append(echoed, s); return form(s) }})
				tg, err := e.client(t).Target(context.Background(), goodID)
				if err != nil {
					t.Fatal(err)
				}
				out := everything(t, tg)
				if len(echoed) == 0 || out == "" {
					t.Fatalf("%s %s: nothing echoed", endpoint, place)
				}
				for _, cred := range echoed {
					if p := pieceOf(out, cred); p != "" && len(cred) > 0 {
						t.Errorf("%s, %s, %s: %q of the credential in:\n%s", endpoint, place, name, p, out)
					}
				}
			}
		}
	}
}
