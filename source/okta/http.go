// Requests to the Okta API: sending through the SDK, content types, Link paging.

package okta

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	sdk "github.com/okta/okta-sdk-golang/v2/okta"
)

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
	var bearer string
	if src := c.tokenFor(path); src != nil {
		tok, err := src.get(ctx)
		if err != nil {
			return nil, c.oauthError(endpoint, err)
		}
		bearer = tok
	}
	rq := c.sdk.CloneRequestExecutor()
	req, err := rq.WithAccept(accept[0]).NewRequest(http.MethodGet, path, nil)
	if err == nil && bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
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
			ae.scopeRefused = oe.ErrorMessage == "invalid_scope"
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
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			// The run's deadline passed (or it was cancelled) while the
			// request was out: that, not how the connection then ended,
			// is why it failed.
			err = fmt.Errorf("%w (%v)", cerr, err)
		}
		ae := c.requestError(endpoint, err)
		var ne net.Error
		// A request Okta was slow to answer is that endpoint's failure;
		// one that found no org to talk to is the org's.
		ae.unreachable = ctx.Err() == nil && !(errors.As(err, &ne) && ne.Timeout())
		return nil, ae
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
	return nil, &APIError{secrets: c.secrets, Endpoint: endpoint, msg: fmt.Sprintf("unexpected Content-Type %s (want %s): not an Okta API response",
		strconvQuote(resp.Header.Get("Content-Type")), strings.Join(accept, " or "))}
}

// tokenFor picks the service app's token source for a request to path; nil
// with an API token.
func (c *Client) tokenFor(path string) *tokenSource {
	if strings.HasPrefix(path, "/api/v1/policies/") || strings.HasPrefix(path, "/api/v1/policies?") {
		return c.policyToken
	}
	if path == domainsPath {
		return c.domainsToken
	}
	return c.apiToken
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
				yield(page{}, &APIError{secrets: c.secrets, Endpoint: endpoint, msg: "the next-page link points back to a page already read"})
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
				yield(page{}, &APIError{secrets: c.secrets, Endpoint: endpoint, msg: err.Error()})
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
				yield(page{}, &APIError{secrets: c.secrets, Endpoint: endpoint, msg: fmt.Sprintf("a page larger than %d MiB: not an Okta response", maxPageSize>>20)})
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
