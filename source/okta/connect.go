// Connecting to an Okta org: credentials, OAuth signing keys and the SDK client.

package okta

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v3"
	sdk "github.com/okta/okta-sdk-golang/v2/okta"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/redact"
)

// Options configure a live connection to an Okta org. Empty fields fall back
// to the Okta SDK's conventions: the environment (OKTA_CLIENT_ORGURL,
// OKTA_CLIENT_TOKEN, OKTA_CLIENT_AUTHORIZATIONMODE, OKTA_CLIENT_CLIENTID,
// OKTA_CLIENT_PRIVATEKEY, OKTA_CLIENT_SCOPES, …) over ~/.okta/okta.yaml.
type Options struct {
	// OrgURL is the org's base URL, e.g. https://acme.okta.com. https only.
	OrgURL string
	// Token is an API token (SSWS). Ignored when ClientID is set.
	Token audit.Secret
	// ClientID and PrivateKeyFile select OAuth 2.0 for a service app: the
	// file holds its private key as PEM (PKCS#1 or PKCS#8, RSA or EC) or as
	// the JWK the Okta admin console downloads. PrivateKeyID is the key's
	// kid, when the JWK does not carry one and the app has several keys.
	ClientID       string
	PrivateKeyFile string
	PrivateKeyID   string
	// HTTPClient supplies the transport (proxy, TLS roots); only its
	// Transport is used. Nil: a transport with the system's trust store
	// (SSL_CERT_FILE, SSL_CERT_DIR work), HTTPS_PROXY and connect timeouts.
	HTTPClient *http.Client
	// Timeout bounds each request: until its response headers, and each
	// wait for more of its body. Zero means 30s. The overall deadline is the
	// context's.
	Timeout time.Duration
	// MaxRetries bounds the retries of one request (429, 5xx, dropped
	// connection). Zero means 3; negative means none.
	MaxRetries int
	// NoUsers skips the app's users: no users request, no users.json.
	NoUsers bool
	// Progress, when set, receives a carriage-return-updated line while
	// users are fetched ("users: 45,500 fetched").
	Progress io.Writer
	// Considered, when set, is told about every app discovery looks at:
	// whether it was taken as a Druva app, and why (DruvaApp).
	Considered func(app *audit.App, taken bool, why string)

	// Now and Sleep are the clock the rate limiter and retries use; nil
	// means the real one. Tests set them so no test waits for real.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error

	// Secrets is the run's redaction layer: Connect adds the credentials
	// it resolves (API token, private key material, client assertion) and
	// the client adds each access token it gets, so the run's reports and
	// errors never show them. Nil: the client keeps its own.
	Secrets *redact.Set
}

// Client reads SAML apps from one Okta org through the Okta SDK, which
// resolves credentials and signs requests (SSWS token, or OAuth 2.0 with a
// service app's private key). Responses are read as the raw bytes Okta sent
// and parsed by the same parsers as a snapshot, so a live scan and a scan of
// its snapshot see the same target.
type Client struct {
	sdk *sdk.Client
	// apiToken and policyToken are a service app's access tokens (nil with
	// an API token): one for the apps (and users) scopes, one for
	// okta.policies.read alone.
	apiToken, policyToken *tokenSource
	// domainsToken is a service app's token for okta.domains.read alone
	// (nil with an API token): a service app not granted it loses only
	// cross.login-url-match's custom-domain check.
	domainsToken *tokenSource
	http         *http.Client
	orgURL       *url.URL
	noUsers      bool
	progress     io.Writer
	considered   func(*audit.App, bool, string)
	// secrets holds every credential the client has seen: errors built
	// from what a server sent go through it (scrub).
	secrets *redact.Set
	// org is what the run knows of the org beyond its apps, and session
	// its global session policies as read (session-policies.json's bytes):
	// both once for every target of the org (sessionPolicies).
	org     *audit.Org
	session orgOnce[[]byte]
	// domains is the org's GET /api/v1/domains as read (domains.json's
	// bytes), once for every target of the org (orgDomains).
	domains orgOnce[[]byte]
}

// configError words the SDK's configuration errors for ssoaudit's users:
// which flag or variable to set, rather than a link to a developer console.
func configError(msg string) error {
	switch {
	case strings.Contains(msg, "Okta URL is missing"):
		return errors.New("no Okta org: give --okta-org https://ORG.okta.com (or set OKTA_CLIENT_ORGURL, or okta.client.orgUrl in ~/.okta/okta.yaml)")
	case strings.Contains(msg, "API token is missing"):
		return errors.New("no Okta credentials: set OKTA_CLIENT_TOKEN to a read-only API token, or use a service app with --okta-client-id and --okta-private-key (scopes okta.apps.read, okta.users.read; optional: okta.policies.read for okta.app.mfa, okta.domains.read for a console login URL on an Okta custom domain in cross.login-url-match)")
	}
	return fmt.Errorf("okta configuration: %s", msg)
}

// Scopes are the OAuth scopes ssoaudit asks for: it only reads.
const (
	ScopeApps  = "okta.apps.read"
	ScopeUsers = "okta.users.read"
	// ScopePolicies is optional: without it okta.app.mfa skips.
	ScopePolicies = "okta.policies.read"
	// ScopeDomains is optional: without it a login URL on a host other
	// than the org's okta.com one skips cross.login-url-match.
	ScopeDomains = "okta.domains.read"
)

// Connect prepares a client. It sends no request (an OAuth token is fetched
// with the first one); its errors are configuration errors.
func Connect(o Options) (*Client, error) {
	if err := checkEnv(); err != nil {
		return nil, err
	}
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	switch {
	case o.MaxRetries == 0:
		o.MaxRetries = defaultMaxRetries
	case o.MaxRetries < 0:
		o.MaxRetries = 0
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	if o.OrgURL != "" {
		u, err := checkOrgURL(o.OrgURL)
		if err != nil {
			return nil, err
		}
		o.OrgURL = u.String()
	}

	base := defaultTransport(o.Timeout)
	if o.HTTPClient != nil && o.HTTPClient.Transport != nil {
		base = o.HTTPClient.Transport
	}
	hc := &http.Client{
		Transport: &transport{base: base, now: o.Now, sleep: o.Sleep, timeout: o.Timeout, maxRetries: o.MaxRetries},
		// Okta's API does not redirect; following one could carry the
		// credential somewhere else.
		CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			return fmt.Errorf("refusing to follow a redirect to %s", req.URL.Redacted())
		},
	}

	setters := []sdk.ConfigSetter{
		sdk.WithCache(false),
		sdk.WithHttpClientPtr(hc),
		sdk.WithRequestTimeout(0), // ours is per attempt, in the transport
		sdk.WithRateLimitMaxRetries(0),
		sdk.WithTestingDisableHttpsCheck(false),
		sdk.WithUserAgentExtra("ssoaudit"),
	}
	if o.OrgURL != "" {
		setters = append(setters, sdk.WithOrgUrl(o.OrgURL))
	}
	secrets := o.Secrets
	if secrets == nil {
		secrets = &redact.Set{}
	}
	secrets.Add(o.Token.Reveal())
	scopes := []string{ScopeApps}
	if !o.NoUsers {
		scopes = append(scopes, ScopeUsers)
	}
	// A service app's tokens are fetched by ssoaudit (oauth.go); the SDK
	// is put in Bearer mode and each request carries the current token.
	bearer := []sdk.ConfigSetter{sdk.WithAuthorizationMode("Bearer"), sdk.WithToken(pendingToken)}
	var signer jose.Signer
	clientID := o.ClientID
	switch {
	case o.ClientID != "" || o.PrivateKeyFile != "":
		if o.ClientID == "" || o.PrivateKeyFile == "" {
			return nil, errors.New("OAuth 2.0 for a service app needs both the client ID and the private key file")
		}
		var err error
		signer, err = loadSigner(o.PrivateKeyFile, o.PrivateKeyID, secrets)
		if err != nil {
			return nil, err
		}
		setters = append(append(setters, bearer...), sdk.WithClientId(o.ClientID))
	case !o.Token.Empty():
		setters = append(setters, sdk.WithAuthorizationMode("SSWS"), sdk.WithToken(o.Token.Reveal()))
	}
	_, client, err := sdk.NewClient(context.Background(), setters...)
	if err != nil {
		return nil, configError(secrets.String(err.Error()))
	}
	cfg := client.GetConfig()
	u, err := checkOrgURL(cfg.Okta.Client.OrgUrl)
	if err != nil {
		return nil, err
	}
	if u.String() != cfg.Okta.Client.OrgUrl {
		if err := client.SetConfig(sdk.WithOrgUrl(u.String())); err != nil {
			return nil, fmt.Errorf("okta configuration: %v", err)
		}
	}
	if cfg.Okta.Client.AuthorizationMode == "JWT" {
		// A client assertion made in advance: the SDK would send it in the
		// token request's URL (where proxies and access logs record it),
		// and it cannot be renewed, so a long run fails once it expires.
		return nil, errors.New("okta configuration: authorization mode JWT (a client assertion made in advance) is not supported: the Okta SDK sends it in the URL and it cannot be renewed; give the service app's private key instead (--okta-client-id and --okta-private-key, or OKTA_CLIENT_AUTHORIZATIONMODE=PrivateKey with OKTA_CLIENT_PRIVATEKEY)")
	}
	if signer == nil && cfg.Okta.Client.AuthorizationMode == "PrivateKey" {
		// okta.yaml or the environment chose a service app: the SDK
		// would fetch its token with the assertion in the URL, so take
		// the key and scopes from its configuration and do it ourselves.
		addKeyMaterial(secrets, []byte(cfg.Okta.Client.PrivateKey))
		if signer = cfg.PrivateKeySigner; signer == nil {
			// The SDK reads only PKCS#1 PEM; parseSigner reads the rest.
			if signer, err = parseSigner([]byte(cfg.Okta.Client.PrivateKey), cfg.Okta.Client.PrivateKeyId); err != nil {
				return nil, fmt.Errorf("okta configuration: private key: %v", err)
			}
		}
		clientID = cfg.Okta.Client.ClientId
		if len(cfg.Okta.Client.Scopes) > 0 {
			scopes = cfg.Okta.Client.Scopes
		}
		if err := client.SetConfig(bearer...); err != nil {
			return nil, fmt.Errorf("okta configuration: %v", err)
		}
	}
	// In Bearer mode the SDK's token is the placeholder, not a credential:
	// hiding it would hide the tool's own name in every report.
	if cfg.Okta.Client.Token != pendingToken {
		secrets.Add(cfg.Okta.Client.Token)
	}
	secrets.Add(cfg.Okta.Client.ClientAssertion)
	c := &Client{sdk: client, http: hc, orgURL: u, noUsers: o.NoUsers, progress: o.Progress, considered: o.Considered, secrets: secrets,
		org: audit.NewOrg(strings.ToLower(strings.TrimRight(u.String(), "/")))}
	if signer != nil {
		src := func(scopes []string) *tokenSource {
			return &tokenSource{clientID: clientID, signer: signer, endpoint: u.String() + "/oauth2/v1/token",
				scopes: scopes, http: hc, now: o.Now, secrets: secrets}
		}
		c.apiToken = src(scopes)
		// The policies scope alone, in a token of its own: a service app
		// not granted it still gets its apps (and users) token, and only
		// the MFA rule learns that the scope is missing. Fetched only when
		// an app has an authentication policy.
		c.policyToken = src([]string{ScopePolicies})
		// Likewise the domains scope, fetched once per org.
		c.domainsToken = src([]string{ScopeDomains})
	}
	return c, nil
}

// OrgURL is the org the client reads.
func (c *Client) OrgURL() string { return c.orgURL.String() }

// addKeyMaterial records a private key's secret parts: each line of a PEM
// body, or the string members of a JWK (the public n and e too: hiding them
// costs nothing). PEM armour ("-----BEGIN …") is not secret and is shared
// with every certificate, so it is not recorded.
func addKeyMaterial(set *redact.Set, data []byte) {
	data = bytes.ReplaceAll(data, []byte(`\n`), []byte("\n"))
	var jwk map[string]any
	if json.Unmarshal(data, &jwk) == nil {
		for _, v := range jwk {
			if s, ok := v.(string); ok && len(s) >= 16 {
				set.Add(s)
			}
		}
		return
	}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "-----") && !strings.Contains(line, ":") {
			set.Add(line)
		}
	}
}

// checkEnv refuses malformed numeric and boolean OKTA_* variables up front:
// the SDK would print "error parsing" to stdout (where the report goes) and
// go on with half a configuration.
func checkEnv() error {
	for _, name := range []string{"OKTA_CLIENT_CONNECTION_TIMEOUT", "OKTA_CLIENT_REQUEST_TIMEOUT",
		"OKTA_CLIENT_RATE_LIMIT_MAX_RETRIES", "OKTA_CLIENT_RATE_LIMIT_MAX_BACKOFF", "OKTA_CLIENT_PROXY_PORT",
		"OKTA_CLIENT_CACHE_DEFAULT_TTL", "OKTA_CLIENT_CACHE_DEFAULT_TTI"} {
		if v, ok := os.LookupEnv(name); ok {
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return fmt.Errorf("environment variable %s=%q is not a whole number", name, v)
			}
		}
	}
	for _, name := range []string{"OKTA_CLIENT_CACHE_ENABLED", "OKTA_TESTING_DISABLE_HTTPS_CHECK"} {
		if v, ok := os.LookupEnv(name); ok {
			if _, err := strconv.ParseBool(v); err != nil {
				return fmt.Errorf("environment variable %s=%q is not true or false", name, v)
			}
		}
	}
	return nil
}

// checkOrgURL accepts an https org URL with nothing but a host (and port).
func checkOrgURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, errors.New("no Okta org URL: pass --okta-org or set OKTA_CLIENT_ORGURL (or okta.client.orgUrl in ~/.okta/okta.yaml)")
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("Okta org URL %q is not a URL like https://acme.okta.com", s)
	}
	// Messages show the scheme and host only: a user name, path or query
	// may hold a credential (https://TOKEN@acme.okta.com, ?token=…).
	shown := u.Scheme + "://" + u.Host
	if u.Scheme != "https" {
		return nil, fmt.Errorf("Okta org URL %s: must be https:// (the API token would travel in clear text)", shown)
	}
	if u.User != nil {
		return nil, fmt.Errorf("Okta org URL %s: must not carry a user name or password", shown)
	}
	if strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("Okta org URL %s/…: give only the org's base URL, like https://acme.okta.com, without a path or query", shown)
	}
	return &url.URL{Scheme: "https", Host: strings.ToLower(u.Host)}, nil
}

func defaultTransport(timeout time.Duration) http.RoundTripper {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConnsPerHost:   10, // a few targets of one org are read at once
	}
}

// loadSigner reads a service app's private key file, recording its secret
// parts in set.
func loadSigner(path, kid string, set *redact.Set) (jose.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("private key file: %w", err)
	}
	addKeyMaterial(set, data)
	s, err := parseSigner(data, kid)
	if err != nil {
		return nil, fmt.Errorf("private key file %s: %v", path, err)
	}
	return s, nil
}

// parseSigner makes the client-assertion signer from a private key given as
// PEM (PKCS#1 or PKCS#8; RSA signs RS256, EC P-256 ES256) or a JWK. Errors
// never quote the key.
func parseSigner(data []byte, kid string) (jose.Signer, error) {
	data = bytes.TrimSpace(bytes.ReplaceAll(data, []byte(`\n`), []byte("\n")))
	var key any
	if bytes.HasPrefix(data, []byte("{")) {
		var jwk jose.JSONWebKey
		if err := jwk.UnmarshalJSON(data); err != nil {
			return nil, errors.New("not a valid JWK")
		}
		if jwk.IsPublic() {
			return nil, errors.New("the JWK is a public key; give the private key")
		}
		key = jwk.Key
		if kid == "" {
			kid = jwk.KeyID
		}
	} else {
		block, _ := pem.Decode(data)
		if block == nil {
			return nil, errors.New("neither PEM nor a JWK")
		}
		switch block.Type {
		case "RSA PRIVATE KEY":
			k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
			if err != nil {
				return nil, errors.New("malformed PKCS#1 RSA private key")
			}
			key = k
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, errors.New("malformed PKCS#8 private key")
			}
			key = k
		case "EC PRIVATE KEY":
			k, err := x509.ParseECPrivateKey(block.Bytes)
			if err != nil {
				return nil, errors.New("malformed EC private key")
			}
			key = k
		default:
			return nil, fmt.Errorf("PEM block is %q, want a private key", block.Type)
		}
	}
	var alg jose.SignatureAlgorithm
	switch k := key.(type) {
	case *rsa.PrivateKey:
		alg = jose.RS256
	case *ecdsa.PrivateKey:
		if k.Curve.Params().Name != "P-256" {
			return nil, fmt.Errorf("EC key on %s: Okta takes P-256 (ES256)", k.Curve.Params().Name)
		}
		alg = jose.ES256
	default:
		return nil, fmt.Errorf("a %T key: Okta service apps use RSA or EC P-256", key)
	}
	opts := &jose.SignerOptions{}
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	return jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts.WithType("JWT"))
}
