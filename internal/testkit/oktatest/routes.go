package oktatest

import "net/http"

// Endpoint names, for faults, budgets and counting requests.
const (
	EndpointToken    = "token"    // POST /oauth2/v1/token
	EndpointApps     = "apps"     // GET /api/v1/apps
	EndpointApp      = "app"      // GET /api/v1/apps/{appId}
	EndpointKeys     = "keys"     // GET /api/v1/apps/{appId}/credentials/keys
	EndpointMetadata = "metadata" // GET /api/v1/apps/{appId}/sso/saml/metadata
	EndpointUsers    = "users"    // GET /api/v1/apps/{appId}/users
	// EndpointPolicyRules is GET /api/v1/policies/{policyId}/rules.
	EndpointPolicyRules = "policy-rules"
	// EndpointPolicies is GET /api/v1/policies (the org's global session
	// policies, type=OKTA_SIGN_ON).
	EndpointPolicies = "policies"
	// EndpointDomains is GET /api/v1/domains (the org's custom domains).
	EndpointDomains = "domains"
)

// Scopes.
const (
	ScopeApps     = "okta.apps.read"
	ScopeUsers    = "okta.users.read"
	ScopePolicies = "okta.policies.read"
	ScopeDomains  = "okta.domains.read"
)

// route is one endpoint of the fake.
type route struct {
	// pattern is net/http's method and path pattern; a handler reads
	// its wildcards with r.PathValue("appId").
	pattern string
	// endpoint names the route for faults, budgets and the request log.
	endpoint string
	// scope is the OAuth scope (or admin permission) the endpoint
	// needs; "" means the endpoint authenticates on its own (the token
	// endpoint).
	scope string
	// handle answers a request that passed faults, rate limit and
	// authorization.
	handle func(s *Server, r *http.Request) response
}

// routes is every endpoint the fake serves. To add one: an Endpoint
// constant above (and a Scope constant if it needs a new scope), a line
// here with Okta's path, and its handler — a method returning a response
// (jsonResponse for a document, oktaError for Okta's error body). Counting,
// the request log, faults, rate limits, Date and X-Okta-Request-Id headers
// and authorization come with the line. A request that matches no pattern
// is Okta's 404 E0000022, counted under the endpoint "".
var routes = []route{
	{"POST /oauth2/v1/token", EndpointToken, "", (*Server).token},
	{"GET /api/v1/apps", EndpointApps, ScopeApps, (*Server).list},
	{"GET /api/v1/apps/{appId}", EndpointApp, ScopeApps, appDocument(func(a *App) []byte { return a.JSON })},
	{"GET /api/v1/apps/{appId}/credentials/keys", EndpointKeys, ScopeApps, appDocument(func(a *App) []byte { return a.Keys })},
	{"GET /api/v1/apps/{appId}/sso/saml/metadata", EndpointMetadata, ScopeApps, (*Server).metadata},
	{"GET /api/v1/apps/{appId}/users", EndpointUsers, ScopeUsers, (*Server).users},
	{"GET /api/v1/policies", EndpointPolicies, ScopePolicies, (*Server).policies},
	{"GET /api/v1/policies/{policyId}/rules", EndpointPolicyRules, ScopePolicies, (*Server).policyRules},
	{"GET /api/v1/domains", EndpointDomains, ScopeDomains, (*Server).domains},
}

// mux routes requests by method and path.
func (s *Server) mux() *http.ServeMux {
	m := http.NewServeMux()
	for _, rt := range routes {
		m.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, rt) })
	}
	unknown := route{handle: func(*Server, *http.Request) response {
		return oktaError(http.StatusNotFound, "E0000022", "The endpoint does not support the provided HTTP method")
	}}
	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, unknown) })
	return m
}

// appDocument serves one of an app's stored JSON documents verbatim.
func appDocument(doc func(*App) []byte) func(*Server, *http.Request) response {
	return func(s *Server, r *http.Request) response {
		a := s.app(r)
		if a == nil {
			return appNotFound(r)
		}
		return jsonResponse(http.StatusOK, doc(a))
	}
}

// metadata serves an app's SAML metadata with the Content-Type set by
// SetMetadataContentType.
func (s *Server) metadata(r *http.Request) response {
	a := s.app(r)
	if a == nil {
		return appNotFound(r)
	}
	s.mu.Lock()
	ct := s.metadataCT
	s.mu.Unlock()
	return response{status: http.StatusOK, ct: ct, body: a.Metadata}
}

// appNotFound is Okta's 404 for an app ID it does not know.
func appNotFound(r *http.Request) response {
	return oktaError(http.StatusNotFound, "E0000007", "Not found: Resource not found: "+r.PathValue("appId")+" (AppInstance)")
}

// domains serves the org's custom domains as stored (SetDomains; an app's
// Domains), {"domains":[]} when none were given.
func (s *Server) domains(*http.Request) response {
	s.mu.Lock()
	doc := s.domainsDoc
	s.mu.Unlock()
	if doc == nil {
		doc = []byte(`{"domains":[]}`)
	}
	return jsonResponse(http.StatusOK, doc)
}

// SetDomains sets the org's GET /api/v1/domains response, served verbatim.
func (s *Server) SetDomains(doc []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.domainsDoc = doc
}
