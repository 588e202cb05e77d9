// Package oktatest is a fake Okta API for tests: the endpoints ssoaudit
// reads, served over TLS and behaving as Okta documents them — SSWS and
// OAuth 2.0 (private-key client assertion) authentication with scopes,
// Okta's error bodies, Link-header paging, per-endpoint rate limits with
// their headers — plus injectable faults and a request log. Every endpoint
// is one line of the routes table (routes.go): net/http method and path
// patterns, the endpoint's name, the scope it needs and its handler.
package oktatest

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// App is one application the fake serves. Its documents are served
// verbatim.
type App struct {
	JSON     []byte // GET /api/v1/apps/{id}; the ID is read from it
	Keys     []byte // GET /api/v1/apps/{id}/credentials/keys
	Metadata []byte // GET /api/v1/apps/{id}/sso/saml/metadata
	Users    Users  // GET /api/v1/apps/{id}/users; nil: none
	// PolicyRules is GET /api/v1/policies/{policyId}/rules for the policy
	// the app's _links.accessPolicy names (Identity Engine); with no such
	// link the app has no policy, as on a Classic Engine org.
	PolicyRules []byte
	// SessionPolicies is the org's global session policies as a snapshot
	// holds them (okta/session-policies.json: each policy with its rules
	// under _embedded.rules); AddApp hands them to the org (SetSessionPolicies).
	SessionPolicies []byte
	// Domains is the org's custom domains as a snapshot holds them
	// (okta/domains.json, GET /api/v1/domains verbatim); AddApp hands them
	// to the org (SetDomains).
	Domains []byte

	id, label, name, signOnMode, status, policyID string
}

// Users is an app's assigned users, generated or stored, by index.
type Users interface {
	Len() int
	// User returns the raw JSON of user i (an app user with _embedded.user).
	User(i int) []byte
}

// Request is one request the fake received.
type Request struct {
	Method   string
	Path     string
	Query    url.Values
	Endpoint string // one of the Endpoint constants, or "" when unknown
	Status   int    // the status the fake answered with (0: connection dropped)
}

// Server is the fake Okta org. Configure it before or while it serves;
// every method is safe for concurrent use.
type Server struct {
	// URL is the org URL, https://127.0.0.1:PORT.
	URL string
	// Token is the API token the fake accepts (with every scope).
	Token string

	srv *httptest.Server

	mu         sync.Mutex
	now        func() time.Time
	apps       []*App
	tokens     map[string][]string // SSWS token → scopes (nil: all)
	clients    map[string]*serviceApp
	bearer     map[string]bearerToken // access token → scopes, expiry
	jtis       map[string]bool        // client assertions' jti seen
	tokenLife  time.Duration          // access tokens' lifetime
	metadataCT string
	// listSummaries makes GET /api/v1/apps serve only each app's head.
	listSummaries bool
	limit         int
	window        time.Duration
	budgets       map[string]int
	windows       map[string]*window
	faults        []*Fault
	counts        map[string]int
	log           []Request
	gen           int // bumped by ResetLog
	// sessionPolicies are the org's global session policies (policies.go);
	// rulesPage is the page size of policy rules when a request names none.
	sessionPolicies []sessionPolicy
	rulesPage       int
	// domainsDoc is GET /api/v1/domains' body; nil: no custom domains.
	domainsDoc []byte
}

type bearerToken struct {
	scopes  []string
	expires time.Time
}

// SetTokenLifetime sets how long the access tokens the fake issues are
// valid (default an hour, Okta's): a request with an expired one is refused.
func (s *Server) SetTokenLifetime(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenLife = d
}

type serviceApp struct {
	key    crypto.PublicKey
	scopes []string
}

type window struct {
	used  int
	reset time.Time
}

// New makes a fake org with no apps, not yet serving. The API token is
// random; the rate limit is generous (10,000 calls a minute per endpoint).
func New() *Server {
	s := &Server{
		Token:      "00" + randomHex(20),
		now:        time.Now,
		tokens:     map[string][]string{},
		clients:    map[string]*serviceApp{},
		bearer:     map[string]bearerToken{},
		jtis:       map[string]bool{},
		tokenLife:  time.Hour,
		metadataCT: "application/xml",
		limit:      10000,
		window:     time.Minute,
		budgets:    map[string]int{},
		windows:    map[string]*window{},
		counts:     map[string]int{},
	}
	s.tokens[s.Token] = nil
	s.srv = httptest.NewUnstartedServer(s.mux())
	return s
}

// Start serves the fake on a loopback port over TLS and closes it when the
// test ends.
func Start(tb TB, apps ...*App) *Server {
	tb.Helper()
	s := New()
	for _, a := range apps {
		if err := s.AddApp(a); err != nil {
			tb.Fatalf("oktatest: %v", err)
		}
	}
	s.Serve()
	tb.Cleanup(s.Close)
	return s
}

// TB is the part of testing.TB the fake needs (so that the package does
// not import "testing" into cmd/fakeokta).
type TB interface {
	Helper()
	Fatalf(string, ...any)
	Cleanup(func())
}

// Serve starts serving over TLS on a loopback port.
func (s *Server) Serve() {
	s.srv.StartTLS()
	s.URL = s.srv.URL
}

// ServeOn starts serving over TLS on addr (e.g. "127.0.0.1:8443").
func (s *Server) ServeOn(addr string) error {
	l, err := netListen(addr)
	if err != nil {
		return err
	}
	s.srv.Listener.Close()
	s.srv.Listener = l
	s.Serve()
	return nil
}

// Close stops the fake.
func (s *Server) Close() { s.srv.Close() }

// Client returns an http.Client that trusts the fake's certificate.
func (s *Server) Client() *http.Client { return s.srv.Client() }

// CertPEM is the fake's TLS certificate, for a CA file (SSL_CERT_FILE).
func (s *Server) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.srv.Certificate().Raw})
}

// SetClock makes the fake's rate-limit windows and Date headers follow now.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// AddApp adds an app; its ID, label and sign-on mode are read from its JSON.
func (s *Server) AddApp(a *App) error {
	var head struct {
		ID         string `json:"id"`
		Label      string `json:"label"`
		Name       string `json:"name"`
		SignOnMode string `json:"signOnMode"`
		Status     string `json:"status"`
		Links      struct {
			AccessPolicy struct {
				Href string `json:"href"`
			} `json:"accessPolicy"`
		} `json:"_links"`
	}
	if err := json.Unmarshal(a.JSON, &head); err != nil || head.ID == "" {
		return fmt.Errorf("app JSON without an id: %v", err)
	}
	a.id, a.label, a.name, a.signOnMode, a.status = head.ID, head.Label, head.Name, head.SignOnMode, head.Status
	if h := head.Links.AccessPolicy.Href; h != "" {
		a.policyID = h[strings.LastIndex(h, "/")+1:]
	}
	if a.SessionPolicies != nil {
		if err := s.SetSessionPolicies(a.SessionPolicies); err != nil {
			return err
		}
	}
	if a.Domains != nil {
		s.SetDomains(a.Domains)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apps = append(s.apps, a)
	return nil
}

// AddToken adds an API token granted only the given scopes (an admin whose
// role lacks a permission answers 403 where the scope is missing).
func (s *Server) AddToken(token string, scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[token] = append([]string{}, scopes...)
}

// AddServiceApp registers an OAuth 2.0 service app: client assertions are
// verified against key (an RSA or ECDSA public key), and it may be granted
// the given scopes.
func (s *Server) AddServiceApp(clientID string, key crypto.PublicKey, scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clients[clientID] = &serviceApp{key: key, scopes: scopes}
}

// SetMetadataContentType sets the metadata's Content-Type (default
// application/xml; Okta has also sent text/xml).
func (s *Server) SetMetadataContentType(ct string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.metadataCT = ct
}

// SetListSummaries makes GET /api/v1/apps answer with each app's id,
// name, label, status and sign-on mode only (as Okta does with
// useOptimization=true), instead of the full application objects.
func (s *Server) SetListSummaries(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listSummaries = on
}

// SetRateLimit sets the calls each endpoint may take per window.
func (s *Server) SetRateLimit(limit int, per time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit, s.window = limit, per
	s.windows = map[string]*window{}
}

// SetBudget sets one endpoint's calls per window, overriding SetRateLimit.
func (s *Server) SetBudget(endpoint string, limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.budgets[endpoint] = limit
}

// Requests returns the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// Count is how many requests an endpoint received ("" counts all).
func (s *Server) Count(endpoint string) int {
	n := 0
	for _, r := range s.Requests() {
		if endpoint == "" || r.Endpoint == endpoint {
			n++
		}
	}
	return n
}

// Served counts the responses with the given status.
func (s *Server) Served(status int) int {
	n := 0
	for _, r := range s.Requests() {
		if r.Status == status {
			n++
		}
	}
	return n
}

// ResetLog forgets the requests received so far (and the per-endpoint
// request numbers faults are matched against).
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
	s.gen++
	s.counts = map[string]int{}
}

// FromSnapshot loads a snapshot directory (docs/inputs.md, Snapshot directory) as an app:
// okta/app.json, keys.json, metadata.xml and, if present, users.json and
// policy-rules.json.
func FromSnapshot(dir string) (*App, error) {
	read := func(name string) ([]byte, error) {
		return os.ReadFile(filepath.Join(dir, "okta", name))
	}
	var a App
	var err error
	if a.JSON, err = read("app.json"); err != nil {
		return nil, err
	}
	if a.Keys, err = read("keys.json"); err != nil {
		return nil, err
	}
	if a.Metadata, err = read("metadata.xml"); err != nil {
		return nil, err
	}
	switch rules, err := read("policy-rules.json"); {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		a.PolicyRules = rules
	}
	switch sp, err := read("session-policies.json"); {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		a.SessionPolicies = sp
	}
	switch d, err := read("domains.json"); {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		a.Domains = d
	}
	users, err := read("users.json")
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		var raw []json.RawMessage
		if err := json.Unmarshal(users, &raw); err != nil {
			return nil, fmt.Errorf("users.json: %v", err)
		}
		a.Users = StoredUsers(raw)
	}
	return &a, nil
}

// StoredUsers serves the given app users.
type StoredUsers []json.RawMessage

// Len is the number of users.
func (u StoredUsers) Len() int { return len(u) }

// User is user i's JSON.
func (u StoredUsers) User(i int) []byte { return u[i] }

// Synthetic generates n app users on demand, so a fake org can have 100,000
// users without holding them. User i's username is its email, except every
// StaleEvery-th user (when non-zero), whose username is an old address.
type Synthetic struct {
	N          int
	StaleEvery int
	Domain     string // default acme.example
}

// Len is the number of users.
func (g Synthetic) Len() int { return g.N }

// User is user i's JSON, shaped as Okta's app user with expand=user.
func (g Synthetic) User(i int) []byte {
	domain := g.Domain
	if domain == "" {
		domain = "acme.example"
	}
	id := fmt.Sprintf("00u%017d", i)
	email := fmt.Sprintf("user%06d@%s", i, domain)
	userName := email
	if g.StaleEvery > 0 && i%g.StaleEvery == g.StaleEvery-1 {
		userName = fmt.Sprintf("old.user%06d@%s", i, domain)
	}
	return fmt.Appendf(nil, `{"id":%q,"externalId":null,"created":"2026-01-21T09:00:00.000Z","lastUpdated":"2026-06-01T12:00:00.000Z","scope":"USER","status":"ACTIVE","statusChanged":"2026-01-21T09:00:00.000Z","passwordChanged":null,"syncState":"DISABLED","credentials":{"userName":%q},"profile":{},"_links":{"user":{"href":"https://acme.okta.com/api/v1/users/%s"}},"_embedded":{"user":{"id":%q,"status":"ACTIVE","created":"2026-01-10T09:00:00.000Z","type":{"id":"oty8f3k2aa000001d7"},"profile":{"firstName":"User","lastName":"%06d","login":%q,"email":%q},"credentials":{"provider":{"type":"OKTA","name":"OKTA"}}}}}`,
		id, userName, id, id, i, email, email)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// parsePublicKeyPEM parses a PEM public key or certificate (for tests that
// keep keys in files).
func parsePublicKeyPEM(data []byte) (crypto.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	if block.Type == "CERTIFICATE" {
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		return c.PublicKey, nil
	}
	return x509.ParsePKIXPublicKey(block.Bytes)
}

// ParsePublicKeyPEM parses a PEM public key ("PUBLIC KEY") or certificate.
func ParsePublicKeyPEM(data []byte) (crypto.PublicKey, error) { return parsePublicKeyPEM(data) }

// ID is the app's ID (after AddApp).
func (a *App) ID() string {
	if a.id != "" {
		return a.id
	}
	var head struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(a.JSON, &head)
	return head.ID
}

// Hermetic keeps a test binary away from the developer's Okta settings: it
// unsets every OKTA_* variable and points HOME at a fresh directory, which
// the returned function removes. Call it from TestMain. (The SDK reads
// ~/.okta/okta.yaml of the account's home directory from the password
// database, not $HOME; tests set every field it could take from there.)
func Hermetic() (cleanup func()) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "OKTA_") {
			os.Unsetenv(k)
		}
	}
	home, err := os.MkdirTemp("", "ssoaudit-home-")
	if err != nil {
		panic(err)
	}
	os.Setenv("HOME", home)
	return func() { os.RemoveAll(home) }
}
