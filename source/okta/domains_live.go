// Reading the org's custom domains live: GET /api/v1/domains, once per org.

package okta

import (
	"bytes"
	"context"
	"fmt"

	"github.com/ssoaudit/ssoaudit/audit"
)

// domainsPath lists the org's custom domains ({"domains": [...]}, not paged).
const domainsPath = "/api/v1/domains"

// FileDomains is the org's custom domains in a snapshot.
const FileDomains = string(audit.InputDomains)

// domainsDoc reads GET /api/v1/domains whole (capped at MaxDocumentSize)
// and checks it is the Domains API's response; the bytes are kept verbatim.
func (c *Client) domainsDoc(ctx context.Context) ([]byte, error) {
	doc, err := c.fetch(ctx, domainsPath, typesJSON)
	if err != nil {
		return nil, err
	}
	if err := checkValueSizes(doc); err != nil {
		return nil, fmt.Errorf("GET %s: %w", domainsPath, err)
	}
	if _, err := audit.ParseDomains(bytes.NewReader(doc)); err != nil {
		return nil, fmt.Errorf("GET %s: %w", domainsPath, err)
	}
	return doc, nil
}

// orgDomains gives the target the org's verified custom domains
// (audit.Domains), read once per org however many of its apps are
// scanned, as the global session policies are. A credential without
// okta.domains.read makes only cross.login-url-match skip (naming the
// scope) where the login URL is on another host; any other failure is an
// error of that rule alone.
func (c *Client) orgDomains(ctx context.Context, t *audit.Target) {
	t.Org = c.org
	audit.Domains.Load(c.org, func() ([]string, error) {
		doc, err := c.domains.get(func() ([]byte, error) { return c.domainsDoc(ctx) })
		switch {
		case forbidden(err):
			return nil, audit.Refused(ScopeDomains, err)
		case err != nil:
			return nil, err
		}
		return audit.ParseDomains(bytes.NewReader(doc))
	})
}

// snapshotDomains saves GET /api/v1/domains verbatim; as for the session
// policies, a credential without okta.domains.read leaves the optional
// file out, and any other failure fails the snapshot.
func (c *Client) snapshotDomains(ctx context.Context, tmp string) error {
	doc, err := c.domains.get(func() ([]byte, error) { return c.domainsDoc(ctx) })
	switch {
	case forbidden(err):
		return nil
	case err != nil:
		return fmt.Errorf("snapshot %s: %w", FileDomains, err)
	}
	return writeRaw(tmp, FileDomains, doc)
}
