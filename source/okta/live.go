package okta

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/go-json-experiment/json"
	sdk "github.com/okta/okta-sdk-golang/v2/okta"

	"github.com/ssoaudit/ssoaudit/audit"
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

	// Now and Sleep are the clock the rate limiter and retries use; nil
	// means the real one. Tests set them so no test waits for real.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
}

// Client reads SAML apps from one Okta org through the Okta SDK, which
// resolves credentials and signs requests (SSWS token, or OAuth 2.0 with a
// service app's private key). Responses are read as the raw bytes Okta sent
// and parsed by the same parsers as a snapshot, so a live scan and a scan of
// its snapshot see the same target.
type Client struct {
	sdk      *sdk.Client
	http     *http.Client
	orgURL   *url.URL
	noUsers  bool
	progress io.Writer
	secrets  []string
}

// configError words the SDK's configuration errors for ssoaudit's users:
// which flag or variable to set, rather than a link to a developer console.
func configError(msg string) error {
	switch {
	case strings.Contains(msg, "Okta URL is missing"):
		return errors.New("no Okta org: give --okta-org https://ORG.okta.com (or set OKTA_CLIENT_ORGURL, or okta.client.orgUrl in ~/.okta/okta.yaml)")
	case strings.Contains(msg, "API token is missing"):
		return errors.New("no Okta credentials: set OKTA_CLIENT_TOKEN to a read-only API token, or use a service app with --okta-client-id and --okta-private-key (scopes okta.apps.read, okta.users.read)")
	}
	return fmt.Errorf("okta configuration: %s", msg)
}

// Scopes are the OAuth scopes ssoaudit asks for: it only reads.
const (
	ScopeApps  = "okta.apps.read"
	ScopeUsers = "okta.users.read"
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
	var secrets []string
	switch {
	case o.ClientID != "" || o.PrivateKeyFile != "":
		if o.ClientID == "" || o.PrivateKeyFile == "" {
			return nil, errors.New("OAuth 2.0 for a service app needs both the client ID and the private key file")
		}
		signer, err := loadSigner(o.PrivateKeyFile, o.PrivateKeyID)
		if err != nil {
			return nil, err
		}
		scopes := []string{ScopeApps}
		if !o.NoUsers {
			scopes = append(scopes, ScopeUsers)
		}
		setters = append(setters, sdk.WithAuthorizationMode("PrivateKey"), sdk.WithClientId(o.ClientID),
			sdk.WithScopes(scopes), sdk.WithPrivateKeySigner(signer), sdk.WithToken(""))
	case !o.Token.Empty():
		setters = append(setters, sdk.WithAuthorizationMode("SSWS"), sdk.WithToken(o.Token.Reveal()))
	}
	_, client, err := sdk.NewClient(context.Background(), setters...)
	if err != nil {
		return nil, configError(scrubAll(err.Error(), o.Token.Reveal()))
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
	if cfg.Okta.Client.AuthorizationMode == "PrivateKey" && cfg.PrivateKeySigner == nil {
		// okta.yaml or the environment gave the key itself: the SDK reads
		// only PKCS#1 PEM, so parse it here as well.
		signer, err := parseSigner([]byte(cfg.Okta.Client.PrivateKey), cfg.Okta.Client.PrivateKeyId)
		if err != nil {
			return nil, fmt.Errorf("okta configuration: private key: %v", err)
		}
		if err := client.SetConfig(sdk.WithPrivateKeySigner(signer)); err != nil {
			return nil, fmt.Errorf("okta configuration: %v", err)
		}
	}
	secrets = append(secrets, cfg.Okta.Client.Token, o.Token.Reveal(), cfg.Okta.Client.ClientAssertion)
	return &Client{sdk: client, http: hc, orgURL: u, noUsers: o.NoUsers, progress: o.Progress, secrets: secrets}, nil
}

// OrgURL is the org the client reads.
func (c *Client) OrgURL() string { return c.orgURL.String() }

func scrubAll(s string, secrets ...string) string {
	for _, x := range secrets {
		if len(x) >= 8 {
			s = strings.ReplaceAll(s, x, "[redacted]")
		}
	}
	return s
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
		MaxIdleConnsPerHost:   4,
	}
}

// loadSigner reads a service app's private key file.
func loadSigner(path, kid string) (jose.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("private key file: %w", err)
	}
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

// appIDPattern is the shape of an Okta object ID; anything else would let a
// crafted ID reach another endpoint.
var appIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func checkAppID(id string) error {
	if !appIDPattern.MatchString(id) {
		return fmt.Errorf("app ID %q is not an Okta app ID (letters and digits, like 0oa1b2c3d4EXAMPLE)", id)
	}
	return nil
}

// Content types each endpoint may answer with.
var (
	typesJSON = []string{"application/json"}
	typesXML  = []string{"application/xml", "text/xml", "application/samlmetadata+xml"}
)

// get sends one GET through the SDK's request executor (which signs it) and
// our transport. path is relative to the org URL. A response other than 200
// with an expected content type is an *APIError.
func (c *Client) get(ctx context.Context, endpoint, path string, accept []string) (*http.Response, error) {
	rq := c.sdk.CloneRequestExecutor()
	req, err := rq.WithAccept(accept[0]).NewRequest(http.MethodGet, path, nil)
	if err != nil {
		// Building the request fails only when signing it does: the OAuth
		// token request was refused or could not be sent.
		ae := c.requestError(endpoint, err)
		var oe *sdk.Error
		if errors.As(err, &oe) {
			said := oe.ErrorSummary
			if oe.ErrorMessage != "" {
				said = strings.TrimSpace(oe.ErrorMessage + ": " + oe.ErrorDescription)
			}
			if said == "" {
				said = oe.Error()
			}
			ae.msg = "authentication failed (check OKTA_CLIENT_TOKEN / the service app's key): the token endpoint POST /oauth2/v1/token said " +
				strconv.Quote(c.scrub(said))
		} else {
			ae.msg = "getting an OAuth access token: " + ae.msg
		}
		return nil, ae
	}
	if accept[0] == typesXML[0] {
		req.Header.Set("Accept", "application/xml, text/xml;q=0.9")
	}
	resp, err := c.http.Do(req.WithContext(ctx))
	if err != nil {
		return nil, c.requestError(endpoint, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, c.statusError(endpoint, resp)
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	for _, a := range accept {
		if mt == a {
			return resp, nil
		}
	}
	discard(resp)
	return nil, &APIError{Endpoint: endpoint, msg: fmt.Sprintf("unexpected Content-Type %s (want %s): not an Okta API response",
		strconvQuote(resp.Header.Get("Content-Type")), strings.Join(accept, " or "))}
}

// fetch reads one document whole (capped at MaxDocumentSize).
func (c *Client) fetch(ctx context.Context, path string, accept []string) ([]byte, error) {
	endpoint := "GET " + path
	resp, err := c.get(ctx, endpoint, path, accept)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := readCapped(resp.Body)
	if err != nil {
		return nil, c.bodyError(endpoint, err)
	}
	return data, nil
}

func (c *Client) bodyError(endpoint string, err error) error {
	ae := c.requestError(endpoint, err)
	ae.msg = "reading the response: " + ae.msg
	if errors.Is(err, io.ErrUnexpectedEOF) {
		ae.msg = "reading the response: the connection closed before the whole body arrived (unexpected EOF)"
	}
	return ae
}

// page is one page of a paged list: its body and the path of the next.
type page struct {
	n    int
	body []byte
	next string
}

// pages fetches a paged list from first, following Link rel="next" (only
// within the org), one page at a time. The body is reused between pages.
func (c *Client) pages(ctx context.Context, name, first string) iter.Seq2[page, error] {
	return func(yield func(page, error) bool) {
		var buf bytes.Buffer
		seen := map[string]bool{}
		for n, path := 1, first; path != ""; n++ {
			endpoint := fmt.Sprintf("GET %s (page %d)", name, n)
			if seen[path] {
				yield(page{}, &APIError{Endpoint: endpoint, msg: "the next-page link points back to a page already read"})
				return
			}
			seen[path] = true
			resp, err := c.get(ctx, endpoint, path, typesJSON)
			if err != nil {
				yield(page{}, err)
				return
			}
			next, err := c.nextLink(resp.Header)
			if err != nil {
				resp.Body.Close()
				yield(page{}, &APIError{Endpoint: endpoint, msg: err.Error()})
				return
			}
			buf.Reset()
			_, err = io.Copy(&buf, io.LimitReader(resp.Body, maxPageSize+1))
			resp.Body.Close()
			if err != nil {
				yield(page{}, c.bodyError(endpoint, err))
				return
			}
			if buf.Len() > maxPageSize {
				yield(page{}, &APIError{Endpoint: endpoint, msg: fmt.Sprintf("a page larger than %d MiB: not an Okta response", maxPageSize>>20)})
				return
			}
			if !yield(page{n: n, body: buf.Bytes(), next: next}, nil) {
				return
			}
			path = next
		}
	}
}

// maxPageSize caps one page of a list: 500 app users are about 1 MiB.
const maxPageSize = 64 << 20

// nextLink finds the Link rel="next" of a page and returns it relative to
// the org. A link to another host is refused: following it would send the
// credential there.
func (c *Client) nextLink(h http.Header) (string, error) {
	for _, v := range h.Values("Link") {
		for _, link := range splitLinks(v) {
			target, params, ok := strings.Cut(link, ";")
			if !ok || !hasRelNext(params) {
				continue
			}
			target = strings.TrimSpace(target)
			target = strings.TrimSuffix(strings.TrimPrefix(target, "<"), ">")
			u, err := c.orgURL.Parse(target)
			if err != nil {
				return "", fmt.Errorf("malformed next-page link")
			}
			if u.Scheme != c.orgURL.Scheme || !strings.EqualFold(u.Host, c.orgURL.Host) {
				return "", fmt.Errorf("the next-page link points outside the org (%s://%s): not following it", u.Scheme, u.Host)
			}
			return u.RequestURI(), nil
		}
	}
	return "", nil
}

// splitLinks splits a Link header value at the commas between links (a
// comma inside <…> belongs to the URL).
func splitLinks(v string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range v {
		switch r {
		case '<':
			depth++
		case '>':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, v[start:i])
				start = i + 1
			}
		}
	}
	return append(out, v[start:])
}

func hasRelNext(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "rel") {
			for _, rel := range strings.Fields(strings.Trim(strings.TrimSpace(v), `"`)) {
				if strings.EqualFold(rel, "next") {
					return true
				}
			}
		}
	}
	return false
}

// Paths of the endpoints ssoaudit reads.
func appPath(id string) string      { return "/api/v1/apps/" + id }
func keysPath(id string) string     { return "/api/v1/apps/" + id + "/credentials/keys" }
func metadataPath(id string) string { return "/api/v1/apps/" + id + "/sso/saml/metadata" }
func usersPath(id string) string    { return "/api/v1/apps/" + id + "/users?limit=500&expand=user" }

// Target reads one app into a target: the app, its signing keys, its IdP
// metadata, and (lazily, when the rules iterate them) its users. Every fetch
// failure becomes a gap, so the rules that need the data end in error; a
// failure to fetch the app itself fails every Okta input. The error is for
// a malformed app ID only. Platform, expectations, clock and the Druva half
// are the caller's to set.
func (c *Client) Target(ctx context.Context, appID string) (*audit.Target, error) {
	if err := checkAppID(appID); err != nil {
		return nil, err
	}
	t := c.newTarget(appID)
	raw, err := c.fetch(ctx, appPath(appID), typesJSON)
	if err != nil {
		c.failAll(t, err)
		return t, nil
	}
	c.fill(ctx, t, appID, raw)
	return t, nil
}

func (c *Client) newTarget(appID string) *audit.Target {
	return &audit.Target{Name: appID, Source: "okta", Origin: c.orgURL.String() + appPath(appID)}
}

func (c *Client) failAll(t *audit.Target, err error) {
	t.Failed(audit.InputApp, err)
	t.Failed(audit.InputKeys, err)
	t.Failed(audit.InputMetadata, err)
	if c.noUsers {
		t.Missing(audit.InputUsers, "--no-users was given")
	} else {
		t.Failed(audit.InputUsers, err)
	}
}

// fill completes a target from the app's raw JSON.
func (c *Client) fill(ctx context.Context, t *audit.Target, appID string, rawApp []byte) {
	if app, err := ParseApp(bytes.NewReader(rawApp)); err != nil {
		t.Failed(audit.InputApp, fmt.Errorf("GET %s: %w", appPath(appID), err))
	} else {
		t.App = app
		if app.Label != "" {
			t.Name = app.Label
		}
	}
	if raw, err := c.fetch(ctx, keysPath(appID), typesJSON); err != nil {
		t.Failed(audit.InputKeys, err)
	} else if keys, err := ParseKeys(bytes.NewReader(raw)); err != nil {
		t.Failed(audit.InputKeys, fmt.Errorf("GET %s: %w", keysPath(appID), err))
	} else {
		t.Keys = keys
	}
	if raw, err := c.fetch(ctx, metadataPath(appID), typesXML); err != nil {
		t.Failed(audit.InputMetadata, err)
	} else if md, err := ParseMetadata(bytes.NewReader(raw)); err != nil {
		t.Failed(audit.InputMetadata, fmt.Errorf("GET %s: %w", metadataPath(appID), err))
	} else {
		t.Metadata = md
	}
	if c.noUsers {
		t.Missing(audit.InputUsers, "--no-users was given")
	} else {
		t.Users = c.users(ctx, appID)
	}
}

// users streams the app's users page by page when iterated: one page is in
// memory at a time, and nothing is fetched until the rules ask.
func (c *Client) users(ctx context.Context, appID string) iter.Seq2[audit.User, error] {
	return func(yield func(audit.User, error) bool) {
		p := c.newProgress()
		defer p.done()
		name := "/api/v1/apps/" + appID + "/users"
		for pg, err := range c.pages(ctx, name, usersPath(appID)) {
			if err != nil {
				yield(audit.User{}, err)
				return
			}
			for u, err := range Users(bytes.NewReader(pg.body)) {
				if err != nil {
					yield(audit.User{}, fmt.Errorf("GET %s (page %d): %w", name, pg.n, err))
					return
				}
				if !yield(u, nil) {
					return
				}
				p.add(1)
			}
			p.show()
		}
	}
}

// progress prints "users: N fetched" on one carriage-return-updated line.
type progress struct {
	w     io.Writer
	n     int
	shown bool
}

func (c *Client) newProgress() *progress { return &progress{w: c.progress} }

func (p *progress) add(n int) { p.n += n }

func (p *progress) show() {
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "\rusers: %s fetched", thousands(p.n))
	p.shown = true
}

func (p *progress) done() {
	if p.w != nil && p.shown {
		fmt.Fprintln(p.w)
	}
}

// thousands formats n with comma separators: 45500 → "45,500".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// listEntry is what ssoaudit reads of an entry of GET /api/v1/apps: the
// list does not carry SAML settings, so an entry is only an ID to fetch.
type listEntry struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// listApps streams the entries of GET /api/v1/apps with the given query.
func (c *Client) listApps(ctx context.Context, q url.Values) iter.Seq2[listEntry, error] {
	q.Set("limit", "200")
	return func(yield func(listEntry, error) bool) {
		for pg, err := range c.pages(ctx, "/api/v1/apps", "/api/v1/apps?"+q.Encode()) {
			if err != nil {
				yield(listEntry{}, err)
				return
			}
			var entries []listEntry
			if err := json.Unmarshal(pg.body, &entries); err != nil {
				yield(listEntry{}, fmt.Errorf("GET /api/v1/apps (page %d): %w", pg.n, jsonError(err)))
				return
			}
			for _, e := range entries {
				if !yield(e, nil) {
					return
				}
			}
		}
	}
}

// ErrNoApp and ErrAmbiguous are what a label lookup or discovery can find
// instead of exactly one app (errors.Is works on the returned errors).
var (
	ErrNoApp     = errors.New("no matching app")
	ErrAmbiguous = errors.New("more than one matching app")
)

// FindByLabel returns the ID of the one app whose label is exactly label
// (GET /api/v1/apps?q=LABEL, which matches prefixes of names and labels).
func (c *Client) FindByLabel(ctx context.Context, label string) (string, error) {
	if strings.TrimSpace(label) == "" {
		return "", errors.New("empty app label")
	}
	var ids, near []string
	for e, err := range c.listApps(ctx, url.Values{"q": {label}}) {
		if err != nil {
			return "", err
		}
		if e.Label == label {
			ids = append(ids, e.ID)
		} else if len(near) < 5 {
			near = append(near, fmt.Sprintf("%q (%s)", e.Label, e.ID))
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		msg := fmt.Errorf("%w: no app in %s is labelled %q", ErrNoApp, c.orgURL, label)
		if len(near) > 0 {
			msg = fmt.Errorf("%w (labels starting with it: %s)", msg, strings.Join(near, ", "))
		}
		return "", msg
	default:
		return "", fmt.Errorf("%w: %d apps are labelled %q (%s): choose one by app ID", ErrAmbiguous, len(ids), label, strings.Join(ids, ", "))
	}
}

// Discover finds every SAML 2.0 app of the org that signs into Druva — its
// audience is a Druva entity ID or its ACS URL is on a druva.com host — and
// reads each into a target. Every app of the org is read in full (the list
// does not carry SAML settings), so this costs one request per app. A
// failure to list or read any app fails discovery: an app that could not
// be read might have been a Druva app.
func (c *Client) Discover(ctx context.Context) ([]*audit.Target, error) {
	var ids []string
	for e, err := range c.listApps(ctx, url.Values{}) {
		if err != nil {
			return nil, err
		}
		if e.ID != "" {
			ids = append(ids, e.ID)
		}
	}
	var targets []*audit.Target
	for _, id := range ids {
		if err := checkAppID(id); err != nil {
			return nil, fmt.Errorf("GET /api/v1/apps: %w", err)
		}
		raw, err := c.fetch(ctx, appPath(id), typesJSON)
		if err != nil {
			return nil, err
		}
		app, err := ParseApp(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("GET %s: %w", appPath(id), err)
		}
		if !IsDruvaApp(app) {
			continue
		}
		t := c.newTarget(id)
		c.fill(ctx, t, id, raw)
		targets = append(targets, t)
	}
	return targets, nil
}

// IsDruvaApp reports whether an app is a SAML 2.0 app that signs into Druva:
// its audience is one of the Druva platforms' entity IDs, or its ACS URL is
// on druva.com.
func IsDruvaApp(app *audit.App) bool {
	if app == nil || app.SignOnMode != "SAML_2_0" || app.Settings.SignOn == nil {
		return false
	}
	so := app.Settings.SignOn
	for _, p := range audit.Platforms {
		if strings.TrimSpace(so.Audience) == p.Audience {
			return true
		}
	}
	u, err := url.Parse(strings.TrimSpace(so.SSOAcsURL))
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return host == "druva.com" || strings.HasSuffix(host, ".druva.com")
}
