package okta_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

// serviceEnv is a fake org with a service app and a client using its key.
func serviceEnv(t *testing.T) *env {
	t.Helper()
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	e := newEnv(t)
	e.srv.AddServiceApp("0oaService", key.Public(), oktatest.ScopeApps, oktatest.ScopeUsers, oktatest.ScopePolicies, oktatest.ScopeDomains)
	e.opts.Token = audit.Secret{}
	e.opts.ClientID, e.opts.PrivateKeyFile = "0oaService", writeKey(t, key)
	return e
}

// TestOAuthAssertionInTheBody reproduces issue 8's OAuth finding: the SDK
// sent its client assertion in the token request's URL. Ours goes in the
// form body (the fake refuses it in the URL, requires a jti and refuses a
// replayed one, and checks exp), and every API request carries the bearer
// token it bought.
func TestOAuthAssertionInTheBody(t *testing.T) {
	e := serviceEnv(t)
	c := e.client(t)
	for i := 0; i < 3; i++ {
		tg, err := c.Target(context.Background(), goodID)
		if err != nil {
			t.Fatal(err)
		}
		noGaps(t, tg)
		if _, err := collect(tg.Users); err != nil {
			t.Fatal(err)
		}
	}
	tokens := 0
	for _, r := range e.srv.Requests() {
		if r.Endpoint != oktatest.EndpointToken {
			continue
		}
		tokens++
		if r.Method != "POST" || len(r.Query) != 0 {
			t.Errorf("token request %s with query %v", r.Method, r.Query)
		}
		if r.Status != 200 {
			t.Errorf("token request refused: %d", r.Status)
		}
	}
	// One for the apps and users scopes, one for okta.policies.read (the
	// org's global session policies, read once) and one for
	// okta.domains.read (the org's custom domains, read once).
	if tokens != 3 {
		t.Errorf("%d token requests for 3 reads within the token's life, want 3", tokens)
	}
}

// TestOAuthTokenRenewed: a long run renews the token before it expires
// (injected clock, 10-minute tokens), so no request is refused for an
// expired one.
func TestOAuthTokenRenewed(t *testing.T) {
	e := serviceEnv(t)
	e.srv.SetTokenLifetime(10 * time.Minute)
	c := e.client(t)
	read := func() {
		t.Helper()
		tg, err := c.Target(context.Background(), goodID)
		if err != nil {
			t.Fatal(err)
		}
		noGaps(t, tg)
	}
	read()
	// The first read also took a token for okta.policies.read (the org's
	// global session policies, read once per org) and one for
	// okta.domains.read (its custom domains, likewise): two more throughout.
	e.clock.Advance(7 * time.Minute) // within the last quarter? not yet
	read()
	if n := e.srv.Count(oktatest.EndpointToken); n != 3 {
		t.Errorf("renewed too early: %d token requests", n)
	}
	e.clock.Advance(1 * time.Minute) // 8 of 10 minutes: renew
	read()
	if n := e.srv.Count(oktatest.EndpointToken); n != 4 {
		t.Errorf("%d token requests after 8 of 10 minutes, want 4 (renewed)", n)
	}
	e.clock.Advance(time.Hour) // long past both: a fresh one, no 401
	read()
	if n := e.srv.Count(oktatest.EndpointToken); n != 5 {
		t.Errorf("%d token requests after an hour, want 5", n)
	}
	if n := e.srv.Served(401); n != 0 {
		t.Errorf("%d requests refused (an expired token was sent)", n)
	}
}

// TestJWTModeRefused: a client assertion made in advance would go in the
// token request's URL through the SDK, and cannot be renewed.
func TestJWTModeRefused(t *testing.T) {
	e := newEnv(t)
	t.Setenv("OKTA_CLIENT_AUTHORIZATIONMODE", "JWT")
	t.Setenv("OKTA_CLIENT_CLIENTID", "0oaService")
	t.Setenv("OKTA_CLIENT_SCOPES", "okta.apps.read")
	t.Setenv("OKTA_CLIENT_CLIENTASSERTION", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIwb2FTZXJ2aWNlIn0.c2ln")
	e.opts.Token = audit.Secret{}
	_, err := okta.Connect(e.opts)
	if err == nil || !strings.Contains(err.Error(), "authorization mode JWT") || strings.Contains(err.Error(), "eyJ") {
		t.Fatalf("err = %v", err)
	}
	if n := e.srv.Count(oktatest.EndpointToken); n != 0 {
		t.Errorf("%d token requests", n)
	}
}

// TestPrivateKeyModeFromTheEnvironment: a service app configured the SDK's
// way (environment or okta.yaml) takes the same path: assertion in the
// body (the fake refuses it in the URL), our renewal.
func TestPrivateKeyModeFromTheEnvironment(t *testing.T) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	e := newEnv(t)
	e.srv.AddServiceApp("0oaService", key.Public(), oktatest.ScopeApps, oktatest.ScopeUsers)
	pem, err := os.ReadFile(writeKey(t, key))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("OKTA_CLIENT_AUTHORIZATIONMODE", "PrivateKey")
	t.Setenv("OKTA_CLIENT_CLIENTID", "0oaService")
	t.Setenv("OKTA_CLIENT_SCOPES", "okta.apps.read,okta.users.read")
	t.Setenv("OKTA_CLIENT_PRIVATEKEY", string(pem))
	e.opts.Token = audit.Secret{}
	tg := e.target(t, goodID)
	noGaps(t, tg)
	// The apps and users scopes, okta.policies.read and okta.domains.read
	// (both refused).
	if n := e.srv.Count(oktatest.EndpointToken); n != 3 {
		t.Errorf("%d token requests", n)
	}
}

// TestOAuthUnreachableOrg: with a service app, the first request to an org
// whose certificate is not trusted is the token request: the org could not
// be reached (Unreachable, one cause for its targets), as with an API token.
func TestOAuthUnreachableOrg(t *testing.T) {
	e := serviceEnv(t)
	e.opts.HTTPClient = nil // the system trust store, which lacks the fake's CA
	e.opts.MaxRetries = -1
	_, err := e.client(t).Target(context.Background(), goodID)
	cause, ok := okta.Unreachable(err)
	if !ok || !strings.Contains(cause, "certificate signed by unknown authority") {
		t.Fatalf("err %v, cause %q (unreachable %v)", err, cause, ok)
	}
}
