package okta

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"

	"github.com/ssoaudit/ssoaudit/internal/redact"
)

// APIError is a request to Okta that finally failed: refused, rate limited
// beyond the retries, answered with a server error, or lost on the network.
// Its message names the endpoint and the cause and never carries a
// credential: it is built from Okta's error body and the network error with
// any URL query (where a client assertion may travel) left out.
type APIError struct {
	// Endpoint is the request, e.g. "GET /api/v1/apps/0oa1/credentials/keys".
	Endpoint string
	// Status is the HTTP status; 0 when no response came.
	Status int
	// Okta's error body, when there was one.
	Code, Summary, ErrorID string
	// Retries is how many times the request was retried before giving up.
	Retries int

	hint string
	msg  string // the cause, already stripped of secrets
	// scopeRefused is set when the OAuth token endpoint refused a scope
	// the request needed (invalid_scope): like a 403, a missing grant.
	scopeRefused bool
	// unreachable is set when no connection to the org could be made or
	// kept (TLS, DNS, refused or reset): the org, not one endpoint, failed.
	unreachable bool
	err         error // kept for errors.Is (context cancellation, timeouts)
	// secrets are the client's: the whole message goes through them when
	// it is rendered, so that whatever a server echoed — in a body, a
	// Content-Type, a Link header, an error code — and whatever credential
	// the client learnt since (a renewed access token) is hidden.
	secrets *redact.Set
}

func (e *APIError) Error() string { return e.secrets.String(e.message()) }

func (e *APIError) message() string {
	var b strings.Builder
	b.WriteString(e.Endpoint)
	b.WriteString(": ")
	if e.Status != 0 {
		fmt.Fprintf(&b, "HTTP %d", e.Status)
		if e.hint != "" {
			b.WriteString(" ")
			b.WriteString(e.hint)
		}
	} else {
		b.WriteString(e.msg)
	}
	if e.Summary != "" || e.Code != "" {
		b.WriteString(": Okta says ")
		if e.Summary != "" {
			fmt.Fprintf(&b, "%q", e.Summary)
		}
		var ids []string
		if e.Code != "" {
			ids = append(ids, e.Code)
		}
		if e.ErrorID != "" {
			ids = append(ids, "errorId "+e.ErrorID)
		}
		if len(ids) > 0 {
			fmt.Fprintf(&b, " (%s)", strings.Join(ids, ", "))
		}
	} else if e.Status != 0 && e.msg != "" {
		b.WriteString(": ")
		b.WriteString(e.msg)
	}
	if e.Retries > 0 {
		fmt.Fprintf(&b, " (after %d retries)", e.Retries)
	}
	return b.String()
}

func (e *APIError) Unwrap() error { return e.err }

// Forbidden reports whether the credential lacks the permission or scope
// the request needed (HTTP 403, or an OAuth scope the token endpoint
// refused), as opposed to a request that failed.
func (e *APIError) Forbidden() bool { return e.Status == http.StatusForbidden || e.scopeRefused }

// Unreachable reports whether err is a request that could not reach the
// org at all — a TLS failure (an untrusted certificate), a refused or
// reset connection, a name that does not resolve — rather than an answer
// with an error status or the run's deadline, and returns the cause
// without the endpoint (credentials scrubbed): the same for every request
// to that org, so every target of the org shares it.
func Unreachable(err error) (string, bool) {
	var ae *APIError
	if !errors.As(err, &ae) || !ae.unreachable {
		return "", false
	}
	return ae.secrets.String(ae.msg), true
}

// okError is Okta's error body, for API calls and the OAuth token endpoint.
type okError struct {
	ErrorCode    string `json:"errorCode"`
	ErrorSummary string `json:"errorSummary"`
	ErrorID      string `json:"errorId"`
	ErrorCauses  []struct {
		ErrorSummary string `json:"errorSummary"`
	} `json:"errorCauses"`
	OAuthError       string `json:"error"`
	OAuthDescription string `json:"error_description"`
}

// scopeFor is the OAuth scope (or admin permission) an endpoint needs.
func scopeFor(endpoint string) string {
	if strings.Contains(endpoint, "/api/v1/policies") {
		return ScopePolicies
	}
	if strings.Contains(endpoint, domainsPath) {
		return ScopeDomains
	}
	if strings.Contains(endpoint, "/users") {
		return "okta.users.read"
	}
	return "okta.apps.read"
}

// statusError reads a failed response's Okta error body into an APIError.
func (c *Client) statusError(endpoint string, resp *http.Response) *APIError {
	defer resp.Body.Close()
	e := &APIError{secrets: c.secrets, Endpoint: endpoint, Status: resp.StatusCode}
	e.Retries, _ = strconv.Atoi(resp.Header.Get(retriesHeader))
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var oe okError
	if json.Unmarshal(body, &oe) == nil {
		e.Code, e.ErrorID = c.scrub(oe.ErrorCode), c.scrub(oe.ErrorID)
		e.Summary = oe.ErrorSummary
		for _, cause := range oe.ErrorCauses {
			if cause.ErrorSummary != "" {
				e.Summary += "; " + cause.ErrorSummary
			}
		}
		if e.Summary == "" && oe.OAuthError != "" {
			e.Summary = strings.TrimSpace(oe.OAuthError + ": " + oe.OAuthDescription)
		}
		e.Summary = c.scrub(e.Summary)
	}
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized:
		e.hint = "authentication failed (check OKTA_CLIENT_TOKEN / the service app's key)"
	case s == http.StatusForbidden:
		e.hint = fmt.Sprintf("permission denied: needs the %s scope (OAuth service app) or an admin role that grants it (API token)", scopeFor(endpoint))
	case s == http.StatusNotFound:
		e.hint = "no such app"
		if strings.HasPrefix(endpoint, "GET /api/v1/apps?") || endpoint == "GET /api/v1/apps" {
			e.hint = "not found: is the org URL an Okta org?"
		}
	case s == http.StatusTooManyRequests:
		e.hint = "rate limited: Okta's rate limit for this endpoint is used up"
		if reset := resp.Header.Get("X-Rate-Limit-Reset"); reset != "" {
			if r, err := strconv.ParseInt(reset, 10, 64); err == nil {
				e.hint += fmt.Sprintf(" until epoch %d", r)
			}
		}
	case s >= 500:
		e.hint = "Okta server error"
	default:
		e.hint = http.StatusText(s)
	}
	if e.Summary == "" && e.Code == "" && len(body) > 0 {
		e.msg = "no Okta error body (Content-Type " + strconvQuote(resp.Header.Get("Content-Type")) + ")"
	}
	return e
}

func strconvQuote(s string) string {
	if s == "" {
		return "none"
	}
	return strconv.Quote(s)
}

// requestError turns a request that got no usable response into an APIError.
func (c *Client) requestError(endpoint string, err error) *APIError {
	return &APIError{secrets: c.secrets, Endpoint: endpoint, msg: c.scrub(describe(err)), err: err}
}

// describe renders a network or SDK error without the URL of a *url.Error,
// whose query may hold the OAuth client assertion.
func describe(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline exceeded: the run's --timeout passed before Okta answered"
	}
	msg := err.Error()
	var unknownCA x509.UnknownAuthorityError
	if errors.As(err, &unknownCA) {
		msg += " (behind a TLS-inspecting proxy or a private CA? set SSL_CERT_FILE to its CA certificate, PEM)"
	}
	return msg
}

// scrub removes the credentials this client holds from a message, in case
// something (an Okta error body, a proxy's error page, a header) echoes one
// — whole, in part (8 characters or more), or in another letter case.
func (c *Client) scrub(s string) string { return c.secrets.String(s) }
