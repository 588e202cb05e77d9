package oktatest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

func netListen(addr string) (net.Listener, error) { return net.Listen("tcp", addr) }

// FaultKind is a way the fake misbehaves.
type FaultKind int

// The faults.
const (
	// Status answers with Fault.Status and Okta's error body for it
	// (429 with rate-limit headers, reset one window ahead).
	Status FaultKind = iota + 1
	// Slow waits Fault.Delay before answering normally.
	Slow
	// Stall sends the headers and half the body, then waits Fault.Delay.
	Stall
	// Truncate declares the full Content-Length and sends half the body.
	Truncate
	// InvalidJSON answers 200 with a malformed JSON body.
	InvalidJSON
	// Reset sends the headers and half the body, then resets the TCP
	// connection.
	Reset
	// Echo answers with the request's credential (the SSWS token, the
	// bearer access token, or at the token endpoint the client assertion),
	// passed through Fault.EchoForm, in the place Fault.EchoIn names: a
	// hostile or careless server or proxy repeating what it was sent.
	Echo
)

// Where an Echo fault puts the credential.
const (
	EchoSummary     = "summary"      // 401, in Okta's errorSummary
	EchoErrorCode   = "error-code"   // 401, as the errorCode
	EchoErrorID     = "error-id"     // 401, as the errorId
	EchoOAuth       = "oauth"        // 401, in an OAuth error_description
	EchoContentType = "content-type" // 200 with the credential in the Content-Type
	EchoErrorType   = "error-type"   // 502, a non-JSON body and the credential in the Content-Type
	EchoLinkHost    = "link-host"    // 200 with a next-page Link on a host named after the credential
	EchoPlain       = "plain"        // 502, the credential in a plain-text body
)

// Fault makes requests to one endpoint misbehave.
type Fault struct {
	Endpoint string    // an Endpoint constant; "" matches every endpoint
	Kind     FaultKind // what to do
	// Request is the 1-based number of the first request to Endpoint that
	// misbehaves (0 means 1); Times how many in a row (0 means 1, -1
	// forever).
	Request, Times int
	Status         int           // for Status
	Delay          time.Duration // for Slow and Stall
	NoDate         bool          // send no Date header (with Status 429)
	// For Echo: where the credential goes (an Echo* constant) and how it
	// is changed first (nil: as sent), e.g. a prefix or lower-cased.
	EchoIn   string
	EchoForm func(string) string
}

// Inject adds a fault.
func (s *Server) Inject(f Fault) {
	if f.Request == 0 {
		f.Request = 1
	}
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

func (s *Server) fault(endpoint string, n int) *Fault {
	for _, f := range s.faults {
		if f.Endpoint != "" && f.Endpoint != endpoint {
			continue
		}
		if n >= f.Request && (f.Times < 0 || n < f.Request+f.Times) {
			return f
		}
	}
	return nil
}

// response is what a handler decided, before faults and headers.
type response struct {
	status int
	ct     string
	body   []byte
	header http.Header
}

func jsonResponse(status int, body []byte) response {
	return response{status: status, ct: "application/json", body: body}
}

func oktaError(status int, code, summary string) response {
	b, _ := json.Marshal(map[string]any{
		"errorCode": code, "errorSummary": summary, "errorLink": code,
		"errorId": "oae" + randomHex(11), "errorCauses": []any{},
	})
	return jsonResponse(status, b)
}

// echo answers an Echo fault.
func echo(r *http.Request, f *Fault) response {
	cred := r.Header.Get("Authorization")
	cred = strings.TrimPrefix(strings.TrimPrefix(cred, "SSWS "), "Bearer ")
	if r.URL.Path == "/oauth2/v1/token" {
		_ = r.ParseForm()
		cred = r.Form.Get("client_assertion")
	}
	if f.EchoForm != nil {
		cred = f.EchoForm(cred)
	}
	errBody := func(field string) response {
		m := map[string]any{"errorCode": "E0000011", "errorSummary": "Invalid token provided", "errorId": "oae1", "errorCauses": []any{}}
		m[field] = cred
		if field == "errorSummary" {
			m[field] = "Invalid token provided: " + cred
		}
		b, _ := json.Marshal(m)
		return jsonResponse(http.StatusUnauthorized, b)
	}
	switch f.EchoIn {
	case EchoErrorCode:
		return errBody("errorCode")
	case EchoErrorID:
		return errBody("errorId")
	case EchoOAuth:
		b, _ := json.Marshal(map[string]string{"error": "invalid_client", "error_description": "The client assertion " + cred + " is invalid."})
		return jsonResponse(http.StatusUnauthorized, b)
	case EchoContentType:
		return response{status: http.StatusOK, ct: "text/html; charset=" + cred, body: []byte("<html></html>")}
	case EchoErrorType:
		return response{status: http.StatusBadGateway, ct: "text/plain; x=" + cred, body: []byte("bad gateway")}
	case EchoLinkHost:
		return response{status: http.StatusOK, ct: "application/json", body: []byte("[]"),
			header: http.Header{"Link": {`<https://` + cred + `.evil.example/api/v1/apps?after=x>; rel="next"`}}}
	case EchoPlain:
		return response{status: http.StatusBadGateway, ct: "text/plain", body: []byte("upstream said: " + cred)}
	}
	return errBody("errorSummary")
}

// serve answers one request for the route it matched (rt.endpoint is ""
// for a request no route matches): it counts and logs the request, applies
// the faults and the rate limit, then calls the route's handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, rt route) {
	endpoint := rt.endpoint
	s.mu.Lock()
	s.counts[endpoint]++
	n := s.counts[endpoint]
	now := s.now()
	f := s.fault(endpoint, n)
	idx, gen := len(s.log), s.gen
	s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Endpoint: endpoint})
	s.mu.Unlock()

	status := s.respond(w, r, rt, f, now)
	s.mu.Lock()
	if gen == s.gen { // else the log was reset meanwhile
		s.log[idx].Status = max(status, 0)
	}
	s.mu.Unlock()
	if status == gaveUp {
		// Send nothing: returning would make the server answer an empty
		// 200, which Okta never sends to a client that went away.
		panic(http.ErrAbortHandler)
	}
}

// gaveUp is respond's status for a request the client abandoned while the
// fake was being slow.
const gaveUp = -1

// respond answers one request and returns the status sent (0 if dropped).
func (s *Server) respond(w http.ResponseWriter, r *http.Request, rt route, f *Fault, now time.Time) int {
	endpoint := rt.endpoint
	if f != nil && f.Kind == Slow {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return gaveUp
		}
	}
	var resp response
	limited, rl := s.rateLimit(endpoint, now)
	switch {
	case endpoint == "":
		resp = oktaError(http.StatusNotFound, "E0000022", "The endpoint does not support the provided HTTP method")
	case limited:
		resp = oktaError(http.StatusTooManyRequests, "E0000047", "API call exceeded rate limit due to too many requests.")
	case f != nil && f.Kind == Status:
		resp = s.faultStatus(f.Status, endpoint, now)
	case f != nil && f.Kind == Echo:
		resp = echo(r, f)
	case rt.scope == "": // the token endpoint authenticates its own way
		resp = rt.handle(s, r)
	default:
		if resp = s.authorize(r, rt.scope); resp.status == 0 {
			resp = rt.handle(s, r)
		}
	}
	h := w.Header()
	for k, v := range rl {
		h[k] = v
	}
	for k, v := range resp.header {
		h[k] = v
	}
	h.Set("Date", now.UTC().Format(http.TimeFormat))
	if f != nil && f.NoDate {
		h["Date"] = nil
	}
	h.Set("X-Okta-Request-Id", randomHex(10))
	if resp.ct != "" {
		h.Set("Content-Type", resp.ct)
	}
	body := resp.body
	if f != nil && f.Kind == InvalidJSON && resp.status == http.StatusOK {
		body = []byte(`{"id": "0oa-broken", "label": "Druva", "settings": {"signOn": {`)
		h.Set("Content-Type", "application/json")
		resp.ct = "application/json"
	}
	if f == nil || (f.Kind != Truncate && f.Kind != Reset && f.Kind != Stall) || len(body) < 2 {
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(resp.status)
		_, _ = w.Write(body)
		return resp.status
	}
	half := body[:len(body)/2]
	switch f.Kind {
	case Truncate:
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(resp.status)
		_, _ = w.Write(half)
		return resp.status
	case Stall:
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(resp.status)
		_, _ = w.Write(half)
		w.(http.Flusher).Flush()
		select {
		case <-time.After(f.Delay):
			_, _ = w.Write(body[len(half):])
		case <-r.Context().Done():
		}
		return resp.status
	default: // Reset
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", resp.status, http.StatusText(resp.status))
		h.Set("Content-Length", strconv.Itoa(len(body)))
		_ = h.Write(buf)
		buf.WriteString("\r\n")
		buf.Write(half)
		_ = buf.Flush()
		if tc, ok := conn.(interface{ NetConn() net.Conn }); ok {
			if tcp, ok := tc.NetConn().(*net.TCPConn); ok {
				_ = tcp.SetLinger(0)
			}
			_ = tc.NetConn().Close()
		} else {
			_ = conn.Close()
		}
		return 0
	}
}

// rateLimit counts a call against its endpoint's window and returns the
// headers Okta sends with every response.
func (s *Server) rateLimit(endpoint string, now time.Time) (bool, http.Header) {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := s.limit
	if b, ok := s.budgets[endpoint]; ok {
		limit = b
	}
	win := s.windows[endpoint]
	if win == nil || !now.Before(win.reset) {
		win = &window{reset: now.Add(s.window).Truncate(time.Second)}
		if win.reset.Before(now.Add(s.window)) {
			win.reset = win.reset.Add(time.Second)
		}
		s.windows[endpoint] = win
	}
	limited := win.used >= limit
	if !limited {
		win.used++
	}
	return limited, http.Header{
		"X-Rate-Limit-Limit":     {strconv.Itoa(limit)},
		"X-Rate-Limit-Remaining": {strconv.Itoa(max(0, limit-win.used))},
		"X-Rate-Limit-Reset":     {strconv.FormatInt(win.reset.Unix(), 10)},
	}
}

func (s *Server) faultStatus(status int, endpoint string, now time.Time) response {
	switch status {
	case http.StatusUnauthorized:
		return oktaError(status, "E0000011", "Invalid token provided")
	case http.StatusForbidden:
		return oktaError(status, "E0000006", "You do not have permission to perform the requested action")
	case http.StatusNotFound:
		return oktaError(status, "E0000007", "Not found: Resource not found: (AppInstance)")
	case http.StatusTooManyRequests:
		resp := oktaError(status, "E0000047", "API call exceeded rate limit due to too many requests.")
		s.mu.Lock()
		reset := now.Add(s.window)
		s.mu.Unlock()
		resp.header = http.Header{"X-Rate-Limit-Remaining": {"0"}, "X-Rate-Limit-Reset": {strconv.FormatInt(reset.Unix(), 10)}}
		return resp
	case http.StatusServiceUnavailable:
		return oktaError(status, "E0000010", "Service is in read only mode")
	}
	if status >= 500 {
		return oktaError(status, "E0000009", "Internal Server Error")
	}
	return oktaError(status, "E0000001", http.StatusText(status))
}

// authorize checks the credential and that it grants the scope need; a
// zero response means allowed.
func (s *Server) authorize(r *http.Request, need string) response {
	auth := r.Header.Get("Authorization")
	scheme, cred, _ := strings.Cut(auth, " ")
	s.mu.Lock()
	var scopes []string
	var ok, every bool
	switch scheme {
	case "SSWS":
		scopes, ok = s.tokens[cred]
		every = ok && scopes == nil // the fake's own token: a super admin's
	case "Bearer":
		var bt bearerToken
		bt, ok = s.bearer[cred]
		scopes = bt.scopes
		if ok && !s.now().Before(bt.expires) {
			s.mu.Unlock()
			resp := oktaError(http.StatusUnauthorized, "E0000011", "Invalid token provided")
			resp.header = http.Header{"Www-Authenticate": {`Bearer realm="` + s.URL + `", error="invalid_token", error_description="The access token is expired."`}}
			return resp
		}
	}
	s.mu.Unlock()
	if !ok {
		if scheme == "Bearer" {
			resp := oktaError(http.StatusUnauthorized, "E0000011", "Invalid token provided")
			resp.header = http.Header{"Www-Authenticate": {`Bearer authorization_uri="` + s.URL + `/oauth2/v1/authorize", realm="` + s.URL + `", scope="` + need + `", error="invalid_token", error_description="The access token is invalid.", resource="` + r.URL.Path + `"`}}
			return resp
		}
		return oktaError(http.StatusUnauthorized, "E0000011", "Invalid token provided")
	}
	if !every && !slices.Contains(scopes, need) {
		resp := oktaError(http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action")
		if scheme == "Bearer" {
			resp.header = http.Header{"Www-Authenticate": {`Bearer authorization_uri="` + s.URL + `/oauth2/v1/authorize", realm="` + s.URL + `", scope="` + need + `", error="insufficient_scope", error_description="The access token provided does not contain the required scopes.", resource="` + r.URL.Path + `"`}}
		}
		return resp
	}
	return response{}
}

// app is the app named by the request's {appId}, or nil.
func (s *Server) app(r *http.Request) *App {
	id := r.PathValue("appId")
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.apps {
		if a.id == id {
			return a
		}
	}
	return nil
}

// pageParams reads limit (capped) and after (an opaque cursor: an index).
func pageParams(r *http.Request, def, maxLimit int) (limit, after int, bad *response) {
	q := r.URL.Query()
	limit = def
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			e := oktaError(http.StatusBadRequest, "E0000001", "Api validation failed: limit")
			return 0, 0, &e
		}
		limit = min(n, maxLimit)
	}
	if v := q.Get("after"); v != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(v, "c"))
		if err != nil || n < 0 {
			e := oktaError(http.StatusBadRequest, "E0000001", "Api validation failed: after")
			return 0, 0, &e
		}
		after = n
	}
	return limit, after, nil
}

// links builds Okta's Link headers: self, and next while more remain.
func (s *Server) links(r *http.Request, after, limit, total int) http.Header {
	self := *r.URL
	self.Scheme, self.Host = "https", r.Host
	h := http.Header{"Link": {"<" + self.String() + `>; rel="self"`}}
	if after+limit < total {
		next := self
		q := next.Query()
		q.Set("after", "c"+strconv.Itoa(after+limit))
		q.Set("limit", strconv.Itoa(limit))
		next.RawQuery = q.Encode()
		h.Add("Link", "<"+next.String()+`>; rel="next"`)
	}
	return h
}

func (s *Server) users(r *http.Request) response {
	a := s.app(r)
	if a == nil {
		return appNotFound(r)
	}
	limit, after, bad := pageParams(r, 50, 500)
	if bad != nil {
		return *bad
	}
	total := 0
	if a.Users != nil {
		total = a.Users.Len()
	}
	var b []byte
	b = append(b, '[')
	for i := after; i < min(total, after+limit); i++ {
		if i > after {
			b = append(b, ',')
		}
		b = append(b, a.Users.User(i)...)
	}
	b = append(b, ']')
	resp := jsonResponse(http.StatusOK, b)
	resp.header = s.links(r, after, limit, total)
	return resp
}

func (s *Server) list(r *http.Request) response {
	limit, after, bad := pageParams(r, 20, 200)
	if bad != nil {
		return *bad
	}
	q := strings.ToLower(r.URL.Query().Get("q"))
	s.mu.Lock()
	var match []*App
	for _, a := range s.apps {
		if q == "" || strings.HasPrefix(strings.ToLower(a.label), q) || strings.HasPrefix(strings.ToLower(a.name), q) {
			match = append(match, a)
		}
	}
	summaries := s.listSummaries
	s.mu.Unlock()
	// Okta's list returns the same application objects as GET
	// /api/v1/apps/{id}, settings included; SetListSummaries serves only
	// the heads, as useOptimization=true does.
	b := []byte{'['}
	for i := after; i < min(len(match), after+limit); i++ {
		if i > after {
			b = append(b, ',')
		}
		a := match[i]
		if summaries {
			head, _ := json.Marshal(map[string]string{"id": a.id, "name": a.name, "label": a.label, "status": a.status, "signOnMode": a.signOnMode})
			b = append(b, head...)
		} else {
			b = append(b, a.JSON...)
		}
	}
	b = append(b, ']')
	resp := jsonResponse(http.StatusOK, b)
	resp.header = s.links(r, after, limit, len(match))
	return resp
}

// token is the org authorization server's token endpoint for the client
// credentials grant with a private-key client assertion. Parameters may come
// in the query (as the Okta Go SDK sends them) or a form body.
func (s *Server) token(r *http.Request) response {
	oauthErr := func(status int, code, desc string) response {
		b, _ := json.Marshal(map[string]string{"error": code, "error_description": desc})
		return jsonResponse(status, b)
	}
	// Okta's private-key JWT flow sends the assertion in the form body; an
	// assertion in the URL is refused here, so that no client of the fake
	// gets away with one (proxies and access logs record URLs).
	if q := r.URL.Query(); q.Has("client_assertion") || q.Has("client_assertion_type") {
		return oauthErr(http.StatusBadRequest, "invalid_request", "The client assertion must be sent in the request body, not the URL.")
	}
	_ = r.ParseForm()
	p := r.PostForm
	if p.Get("grant_type") != "client_credentials" {
		return oauthErr(http.StatusBadRequest, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server.")
	}
	if p.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" {
		return oauthErr(http.StatusUnauthorized, "invalid_client", "Client authentication failed.")
	}
	clientID, err := s.verifyAssertion(p.Get("client_assertion"))
	if err != nil {
		return oauthErr(http.StatusUnauthorized, "invalid_client", "The client_assertion signature is invalid: "+err.Error())
	}
	s.mu.Lock()
	app := s.clients[clientID]
	s.mu.Unlock()
	scopes := strings.Fields(p.Get("scope"))
	if len(scopes) == 0 {
		return oauthErr(http.StatusBadRequest, "invalid_scope", "The authorization server resource does not have any configured default scopes, 'scope' must be provided.")
	}
	var denied []string
	for _, sc := range scopes {
		if !slices.Contains(app.scopes, sc) {
			denied = append(denied, sc)
		}
	}
	if len(denied) > 0 {
		return oauthErr(http.StatusBadRequest, "invalid_scope", "The following scopes are not allowed: "+strings.Join(denied, ", "))
	}
	at := "eyJfake." + randomHex(24)
	s.mu.Lock()
	life := s.tokenLife
	s.bearer[at] = bearerToken{scopes: scopes, expires: s.now().Add(life)}
	s.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"token_type": "Bearer", "expires_in": int(life / time.Second), "access_token": at, "scope": strings.Join(scopes, " ")})
	return jsonResponse(http.StatusOK, b)
}

// verifyAssertion checks a client-assertion JWT as Okta does: its signature
// against the service app's key, its iss, sub and aud, an exp in the future
// and at most an hour after iat, and a jti never seen before (a replayed
// assertion is refused). Times are the fake's clock.
func (s *Server) verifyAssertion(jwt string) (string, error) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return "", fmt.Errorf("not a JWS")
	}
	var hdr struct {
		Alg string `json:"alg"`
	}
	var claims struct {
		Iss, Sub, Aud, Jti string
		Iat, Exp           int64
	}
	if err := decodeSegment(parts[0], &hdr); err != nil {
		return "", err
	}
	if err := decodeSegment(parts[1], &claims); err != nil {
		return "", err
	}
	if claims.Iss == "" || claims.Iss != claims.Sub {
		return "", fmt.Errorf("iss and sub must be the client ID")
	}
	if claims.Aud != s.URL+"/oauth2/v1/token" {
		return "", fmt.Errorf("aud must be %s/oauth2/v1/token", s.URL)
	}
	now := s.now().Unix()
	switch {
	case claims.Jti == "":
		return "", fmt.Errorf("the jti claim is required")
	case claims.Exp == 0 || claims.Iat == 0:
		return "", fmt.Errorf("the iat and exp claims are required")
	case claims.Exp <= now:
		return "", fmt.Errorf("the client assertion has expired")
	case claims.Exp-claims.Iat > 3600:
		return "", fmt.Errorf("the client assertion is valid for more than an hour")
	}
	s.mu.Lock()
	app := s.clients[claims.Iss]
	replayed := s.jtis[claims.Jti]
	s.jtis[claims.Jti] = true
	s.mu.Unlock()
	if replayed {
		return "", fmt.Errorf("the jti %q was already used", claims.Jti)
	}
	if app == nil {
		return "", fmt.Errorf("unknown client")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return "", err
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	switch k := app.key.(type) {
	case *rsa.PublicKey:
		if hdr.Alg != "RS256" || rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig) != nil {
			return "", fmt.Errorf("bad RS256 signature")
		}
	case *ecdsa.PublicKey:
		if hdr.Alg != "ES256" || len(sig) != 64 ||
			!ecdsa.Verify(k, digest[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])) {
			return "", fmt.Errorf("bad ES256 signature")
		}
	default:
		return "", fmt.Errorf("unsupported key")
	}
	return claims.Iss, nil
}

func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
