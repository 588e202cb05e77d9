package oktatest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
)

// sessionPolicy is one global session policy the org holds: the policy
// object as GET /api/v1/policies lists it, and its rules.
type sessionPolicy struct {
	id    string
	head  json.RawMessage
	rules []json.RawMessage
}

// DefaultRulesPageSize is how many policy rules the fake serves per page
// when a request names no limit.
const DefaultRulesPageSize = 20

// SetSessionPolicies sets the org's global session policies (type
// OKTA_SIGN_ON) from a snapshot's okta/session-policies.json: a JSON array
// of policies, each with its rules under _embedded.rules. The fake lists
// the policies without _embedded (as Okta's list does) and serves their
// rules, paged, at GET /api/v1/policies/{policyId}/rules. An org without
// them lists none.
func (s *Server) SetSessionPolicies(doc []byte) error {
	var raw []map[string]json.RawMessage
	if err := json.Unmarshal(doc, &raw); err != nil {
		return fmt.Errorf("session policies: %v", err)
	}
	var out []sessionPolicy
	for i, p := range raw {
		var id string
		if err := json.Unmarshal(p["id"], &id); err != nil || id == "" {
			return fmt.Errorf("session policy %d has no id", i)
		}
		var emb struct {
			Rules []json.RawMessage `json:"rules"`
		}
		if e, ok := p["_embedded"]; ok {
			if err := json.Unmarshal(e, &emb); err != nil {
				return fmt.Errorf("session policy %d: _embedded: %v", i, err)
			}
		}
		delete(p, "_embedded")
		head, err := json.Marshal(p)
		if err != nil {
			return err
		}
		out = append(out, sessionPolicy{id: id, head: head, rules: emb.Rules})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessionPolicies = out
	return nil
}

// SetRulesPageSize sets how many policy rules a page holds when a request
// names no limit (default DefaultRulesPageSize), so that a test can put a
// rule on a later page.
func (s *Server) SetRulesPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rulesPage = n
}

// policies serves GET /api/v1/policies?type=OKTA_SIGN_ON, paged; other
// policy types are listed empty.
func (s *Server) policies(r *http.Request) response {
	typ := r.URL.Query().Get("type")
	if typ == "" {
		return oktaError(http.StatusBadRequest, "E0000001", "Api validation failed: type")
	}
	limit, after, bad := pageParams(r, 20, 200)
	if bad != nil {
		return *bad
	}
	s.mu.Lock()
	var items []json.RawMessage
	if typ == "OKTA_SIGN_ON" {
		for _, p := range s.sessionPolicies {
			items = append(items, p.head)
		}
	}
	s.mu.Unlock()
	return s.page(r, items, after, limit)
}

// policyRules serves a policy's rules, paged: an app's authentication
// policy (the policy its _links.accessPolicy names) or a global session
// policy. A list that fits one page is served as stored, byte for byte.
func (s *Server) policyRules(r *http.Request) response {
	policyID := r.PathValue("policyId")
	s.mu.Lock()
	def := s.rulesPage
	if def == 0 {
		def = DefaultRulesPageSize
	}
	var doc []byte
	var rules []json.RawMessage
	found := false
	for _, a := range s.apps {
		if a.policyID == policyID && a.PolicyRules != nil {
			doc, found = a.PolicyRules, true
			break
		}
	}
	for _, p := range s.sessionPolicies {
		if !found && p.id == policyID {
			rules, found = p.rules, true
		}
	}
	s.mu.Unlock()
	if !found {
		return oktaError(http.StatusNotFound, "E0000007", "Not found: Resource not found: "+policyID+" (Policy)")
	}
	limit, after, bad := pageParams(r, def, 200)
	if bad != nil {
		return *bad
	}
	if doc != nil {
		if err := json.Unmarshal(doc, &rules); err != nil || after == 0 && len(rules) <= limit {
			// Not a list (a test's malformed body), or all of it on one
			// page: as stored.
			return jsonResponse(http.StatusOK, doc)
		}
	}
	return s.page(r, rules, after, limit)
}

// page serves items[after:after+limit] as a JSON array with Okta's Link
// headers.
func (s *Server) page(r *http.Request, items []json.RawMessage, after, limit int) response {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := after; i < min(len(items), after+limit); i++ {
		if i > after {
			b.WriteByte(',')
		}
		b.Write(items[i])
	}
	b.WriteByte(']')
	resp := jsonResponse(http.StatusOK, b.Bytes())
	resp.header = s.links(r, after, limit, len(items))
	return resp
}
