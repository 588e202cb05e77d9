// Reading policies live: an app's authentication policy rules (every page)
// and the org's global session policies with their rules (every page of
// both, once per org).

package okta

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssoaudit/ssoaudit/audit"
)

// orgOnce holds one org-wide document: read by the first target that needs
// it, shared by every other target of the org (the client is one per org).
type orgOnce[T any] struct {
	once sync.Once
	val  T
	err  error
}

func (o *orgOnce[T]) get(read func() (T, error)) (T, error) {
	o.once.Do(func() { o.val, o.err = read() })
	return o.val, o.err
}

// maxListPages bounds the pages of a policy list or a policy's rules: a
// server that keeps answering with new next links must not keep ssoaudit
// reading for ever.
const maxListPages = 1000

// rawList reads every page of a paged list of JSON objects (following Link
// rel="next") and returns them as one JSON array: a single page as Okta
// sent it, several pages' elements verbatim, in order, joined. max bounds
// the elements.
func (c *Client) rawList(ctx context.Context, name, first string, max int) ([]byte, error) {
	var out bytes.Buffer
	n, pages := 0, 0
	var only []byte
	for pg, err := range c.pages(ctx, name, first) {
		if err != nil {
			return nil, err
		}
		pages = pg.n
		if pg.n > maxListPages {
			return nil, fmt.Errorf("GET %s: more than %d pages: not an Okta list", name, maxListPages)
		}
		if err := checkValueSizes(pg.body); err != nil {
			return nil, fmt.Errorf("GET %s (page %d): %w", name, pg.n, err)
		}
		dec := jsontext.NewDecoder(bytes.NewReader(pg.body))
		if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '[' {
			return nil, fmt.Errorf("GET %s (page %d): not a JSON array", name, pg.n)
		}
		for dec.PeekKind() != ']' {
			raw, err := dec.ReadValue()
			if err != nil {
				return nil, fmt.Errorf("GET %s (page %d): %w", name, pg.n, jsonError(err))
			}
			if n++; n > max {
				return nil, fmt.Errorf("GET %s: more than %d entries: not an Okta list", name, max)
			}
			if n == 1 {
				out.WriteString("[\n")
			} else {
				out.WriteString(",\n")
			}
			out.Write(raw)
		}
		if _, err := dec.ReadToken(); err != nil {
			return nil, fmt.Errorf("GET %s (page %d): %w", name, pg.n, jsonError(err))
		}
		if pg.n == 1 {
			only = bytes.Clone(pg.body)
		}
	}
	switch {
	case pages == 1:
		return only, nil
	case n == 0:
		return []byte("[]\n"), nil
	}
	out.WriteString("\n]\n")
	return out.Bytes(), nil
}

// policyRulesDoc is policy-rules.json for a policy: every page of its
// rules, joined.
func (c *Client) policyRulesDoc(ctx context.Context, policyID string) ([]byte, error) {
	if err := checkAppID(policyID); err != nil {
		return nil, fmt.Errorf("the app's _links.accessPolicy does not name an Okta policy: %q", policyID)
	}
	path := policyRulesPath(policyID)
	doc, err := c.rawList(ctx, path, path, maxPolicyRules)
	if err != nil {
		return nil, err
	}
	if _, err := ParsePolicyRules(bytes.NewReader(doc)); err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	return doc, nil
}

// sessionPoliciesDoc assembles session-policies.json: every page of the
// org's OKTA_SIGN_ON policies, each with every page of its rules under
// _embedded.rules (GET /api/v1/policies/{id}/rules, not ?expand=rules,
// which stops at 20 rules). One list request, plus one per policy (more
// when a list pages).
func (c *Client) sessionPoliciesDoc(ctx context.Context) ([]byte, error) {
	list, err := c.rawList(ctx, "/api/v1/policies?type=OKTA_SIGN_ON", sessionPoliciesPath, maxSessionPolicies)
	if err != nil {
		return nil, err
	}
	var policies []jsontext.Value
	if err := json.Unmarshal(list, &policies); err != nil {
		return nil, jsonError(err)
	}
	out := make([]jsontext.Value, 0, len(policies))
	for i, p := range policies {
		var head struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		if err := json.Unmarshal(p, &head); err != nil {
			return nil, fmt.Errorf("GET %s: policy %d: %w", sessionPoliciesPath, i, jsonError(err))
		}
		if err := checkAppID(head.ID); err != nil {
			return nil, fmt.Errorf("GET %s: policy %d (%q) has no Okta policy id", sessionPoliciesPath, i, head.Name)
		}
		path := policyRulesPath(head.ID)
		rules, err := c.rawList(ctx, path, path, maxPolicyRules)
		if err != nil {
			return nil, err
		}
		withRules, err := embedRules(p, rules)
		if err != nil {
			return nil, fmt.Errorf("GET %s: policy %d (%q): %w", sessionPoliciesPath, i, head.Name, err)
		}
		out = append(out, withRules)
	}
	doc, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	if _, err := ParseSessionPolicies(bytes.NewReader(doc)); err != nil {
		return nil, fmt.Errorf("GET %s: %w", sessionPoliciesPath, err)
	}
	return doc, nil
}

// embedRules puts a policy's rules under its _embedded.rules, keeping every
// other member as Okta sent it, in its order.
func embedRules(policy, rules jsontext.Value) (jsontext.Value, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(policy))
	var buf bytes.Buffer
	enc := jsontext.NewEncoder(&buf)
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return nil, errors.New("a policy that is not a JSON object")
	}
	if err := enc.WriteToken(jsontext.BeginObject); err != nil {
		return nil, err
	}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, jsonError(err)
		}
		name := tok.Clone()
		val, err := dec.ReadValue()
		if err != nil {
			return nil, jsonError(err)
		}
		if name.String() == "_embedded" {
			// Okta embeds nothing in a plain list; rules are what this file
			// keeps there.
			continue
		}
		if err := enc.WriteToken(name); err != nil {
			return nil, err
		}
		if err := enc.WriteValue(val); err != nil {
			return nil, err
		}
	}
	if err := enc.WriteToken(jsontext.String("_embedded")); err != nil {
		return nil, err
	}
	if err := enc.WriteValue(jsontext.Value(`{"rules":` + string(rules) + `}`)); err != nil {
		return nil, err
	}
	if err := enc.WriteToken(jsontext.EndObject); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}

// forbidden reports whether err is Okta refusing the credential's scope.
func forbidden(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Forbidden()
}

// policyRules reads every page of the rules of the app's authentication
// policy, only when the app links one (Identity Engine). A credential
// without okta.policies.read makes the MFA rule skip, naming the scope,
// rather than fail the other rules or the run.
func (c *Client) policyRules(ctx context.Context, t *audit.Target) {
	id := t.App.AccessPolicyID()
	if id == "" {
		return
	}
	doc, err := c.policyRulesDoc(ctx, id)
	switch {
	case forbidden(err):
		t.Missing(audit.InputPolicyRules, fmt.Sprintf("the credential may not read authentication policies (%s): grant the %s scope (OAuth service app) or a role that includes it (API token) to check MFA",
			err, ScopePolicies))
	case err != nil:
		t.Failed(audit.InputPolicyRules, err)
	default:
		rules, err := ParsePolicyRules(bytes.NewReader(doc))
		if err != nil {
			t.Failed(audit.InputPolicyRules, err)
			return
		}
		t.PolicyRules = rules
	}
}

// sessionPolicies gives the target the org's global session policies
// (audit.SessionPolicies), read once per org however many of its apps are
// scanned: the client is one per org, and so is its audit.Org.
func (c *Client) sessionPolicies(ctx context.Context, t *audit.Target) {
	t.Org = c.org
	audit.SessionPolicies.Load(c.org, func() ([]audit.SessionPolicy, error) {
		doc, err := c.session.get(func() ([]byte, error) { return c.sessionPoliciesDoc(ctx) })
		switch {
		case forbidden(err):
			return nil, audit.Refused(ScopePolicies, err)
		case err != nil:
			return nil, err
		}
		return ParseSessionPolicies(bytes.NewReader(doc))
	})
}

// snapshotPolicyRules saves the app's authentication policy rules, every
// page joined. A credential without okta.policies.read leaves the optional
// file out (a scan of the snapshot then skips the MFA rule), so that a
// least-privilege job keeps working; any other failure fails the snapshot,
// as for the other documents.
func (c *Client) snapshotPolicyRules(ctx context.Context, tmp, policyID string) error {
	doc, err := c.policyRulesDoc(ctx, policyID)
	switch {
	case forbidden(err):
		return nil
	case err != nil:
		return fmt.Errorf("snapshot %s: %w", FilePolicyRules, err)
	}
	return writeRaw(tmp, FilePolicyRules, doc)
}

// snapshotSessionPolicies saves the org's global session policies with
// their rules; as for the policy rules, a credential without
// okta.policies.read leaves the optional file out.
func (c *Client) snapshotSessionPolicies(ctx context.Context, tmp string) error {
	doc, err := c.session.get(func() ([]byte, error) { return c.sessionPoliciesDoc(ctx) })
	switch {
	case forbidden(err):
		return nil
	case err != nil:
		return fmt.Errorf("snapshot %s: %w", FileSessionPolicies, err)
	}
	return writeRaw(tmp, FileSessionPolicies, doc)
}
