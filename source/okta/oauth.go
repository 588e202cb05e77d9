// OAuth 2.0 for a service app: ssoaudit fetches its access tokens itself.

package okta

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/go-jose/go-jose/v3/jwt"
	"github.com/go-json-experiment/json"

	"github.com/ssoaudit/ssoaudit/internal/redact"
)

// The client credentials flow with a private-key JWT, as Okta documents it
// for service apps ("Implement OAuth for Okta with a service app",
// https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/):
// POST /oauth2/v1/token with a form body holding grant_type
// client_credentials, the scopes, client_assertion_type jwt-bearer and the
// client_assertion, a JWT signed with the app's private key whose iss and
// sub are the client ID, aud the token endpoint, with iat, exp (at most an
// hour later) and a unique jti.
//
// The Okta SDK (v2.20.0) does this itself but sends the assertion in the
// URL's query — where TLS-inspecting proxies and access logs record it, and
// where its hour of validity and missing jti let anyone replay it for
// tokens — so ssoaudit signs and sends its own, in the body, valid for
// assertionLifetime with a fresh jti, and hands the SDK only the bearer token.
const (
	assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
	// assertionLifetime is how long a client assertion is valid: long
	// enough for clock skew and one slow request, short enough that a copy
	// is worth little.
	assertionLifetime = 2 * time.Minute
	// maxRenewMargin is how long before expiry a token is renewed, at most;
	// a quarter of a shorter lifetime otherwise.
	maxRenewMargin = 5 * time.Minute
	// pendingToken is what the SDK is configured with in Bearer mode: it
	// requires a token at construction, before any is fetched. Every
	// request's Authorization header is set from the token source, so this
	// never leaves the process.
	pendingToken = "ssoaudit-oauth-token-pending"
)

// tokenSource fetches, caches and renews one access token (one set of
// scopes) for a service app.
type tokenSource struct {
	clientID string
	signer   jose.Signer
	endpoint string // https://ORG/oauth2/v1/token
	scopes   []string
	http     *http.Client
	now      func() time.Time
	secrets  *redact.Set

	mu      sync.Mutex
	token   string
	expires time.Time
	renewAt time.Time
}

// tokenError is the token endpoint refusing or failing.
type tokenError struct {
	code, description string // OAuth error and error_description
	status            int
	err               error // the network error, when no answer came
	// unreachable: the token endpoint could not be reached at all (as
	// APIError.unreachable).
	unreachable bool
}

func (e *tokenError) Error() string {
	if e.err != nil {
		return e.err.Error()
	}
	return strings.TrimSpace(e.code + ": " + e.description)
}

func (e *tokenError) Unwrap() error { return e.err }

// get returns a token valid for a while yet, fetching a new one when there
// is none or the current one is within its renewal margin of expiring, so
// that a long fleet run never sends an expired token.
func (s *tokenSource) get(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.token != "" && now.Before(s.renewAt) {
		return s.token, nil
	}
	tok, life, err := s.fetch(ctx, now)
	if err != nil {
		return "", err
	}
	margin := life / 4
	if margin > maxRenewMargin {
		margin = maxRenewMargin
	}
	s.token, s.expires, s.renewAt = tok, now.Add(life), now.Add(life-margin)
	return tok, nil
}

// assertion signs a fresh client assertion.
func (s *tokenSource) assertion(now time.Time) (string, error) {
	var jti [16]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return "", err
	}
	claims := jwt.Claims{
		Issuer:   s.clientID,
		Subject:  s.clientID,
		Audience: jwt.Audience{s.endpoint},
		IssuedAt: jwt.NewNumericDate(now),
		Expiry:   jwt.NewNumericDate(now.Add(assertionLifetime)),
		ID:       hex.EncodeToString(jti[:]),
	}
	a, err := jwt.Signed(s.signer).Claims(claims).CompactSerialize()
	if err != nil {
		return "", fmt.Errorf("signing the client assertion: %v", err)
	}
	s.secrets.Add(a)
	return a, nil
}

func (s *tokenSource) fetch(ctx context.Context, now time.Time) (string, time.Duration, error) {
	a, err := s.assertion(now)
	if err != nil {
		return "", 0, &tokenError{err: err}
	}
	form := url.Values{
		"grant_type":            {"client_credentials"},
		"scope":                 {strings.Join(s.scopes, " ")},
		"client_assertion_type": {assertionType},
		"client_assertion":      {a},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", 0, &tokenError{err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		var ne net.Error
		return "", 0, &tokenError{err: err, unreachable: ctx.Err() == nil && !(errors.As(err, &ne) && ne.Timeout())}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return "", 0, &tokenError{err: err}
	}
	var r struct {
		AccessToken string `json:"access_token"`
		TokenType   string `json:"token_type"`
		ExpiresIn   int64  `json:"expires_in"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	jerr := json.Unmarshal(bytes.TrimSpace(body), &r)
	switch {
	case resp.StatusCode != http.StatusOK:
		if jerr != nil || r.Error == "" {
			return "", 0, &tokenError{status: resp.StatusCode, code: "HTTP " + strconv.Itoa(resp.StatusCode), description: "no OAuth error in the answer"}
		}
		return "", 0, &tokenError{status: resp.StatusCode, code: r.Error, description: r.Description}
	case jerr != nil || r.AccessToken == "" || !strings.EqualFold(r.TokenType, "Bearer"):
		return "", 0, &tokenError{status: resp.StatusCode, code: "invalid_response", description: "the token endpoint's answer holds no Bearer access token"}
	}
	s.secrets.Add(r.AccessToken)
	life := time.Duration(r.ExpiresIn) * time.Second
	if life <= 0 || life > 24*time.Hour {
		life = time.Hour // Okta's documented lifetime for these tokens
	}
	return r.AccessToken, life, nil
}

// oauthError turns a failed token request into the error of the request
// that needed the token.
func (c *Client) oauthError(endpoint string, err error) *APIError {
	ae := c.requestError(endpoint, err)
	var te *tokenError
	if errors.As(err, &te) && te.err == nil {
		ae.msg = "authentication failed (check OKTA_CLIENT_TOKEN / the service app's key): the token endpoint POST /oauth2/v1/token said " +
			strconv.Quote(c.scrub(te.Error()))
		ae.scopeRefused = te.code == "invalid_scope"
		return ae
	}
	ae.msg = "getting an OAuth access token: " + ae.msg
	ae.unreachable = errors.As(err, &te) && te.unreachable
	return ae
}
