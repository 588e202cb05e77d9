package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// InputDomains is the org's custom domains: GET /api/v1/domains, verbatim
// ({"domains": [...]}), read once per org (docs/inputs.md).
const InputDomains Input = "okta/domains.json"

// Domains are the org's custom domains that serve sign-ins: the host names
// of GET /api/v1/domains whose validationStatus is VERIFIED or COMPLETED
// (Okta's DomainResponse; NOT_STARTED and IN_PROGRESS domains serve
// nothing yet). cross.login-url-match accepts a login URL on one of them.
var Domains = NewOrgFact[[]string]("custom domains", InputDomains,
	"the org's verified custom domains (GET /api/v1/domains), on which Okta serves the same sign-on URLs as on its okta.com host")

// ParseDomains reads GET /api/v1/domains' response and keeps the host names
// of the domains Okta has verified (validationStatus VERIFIED or COMPLETED),
// lower-cased.
func ParseDomains(r io.Reader) ([]string, error) {
	var doc struct {
		Domains *[]struct {
			Domain           string `json:"domain"`
			ValidationStatus string `json:"validationStatus"`
		} `json:"domains"`
	}
	if err := json.NewDecoder(io.LimitReader(r, 16<<20)).Decode(&doc); err != nil {
		return nil, fmt.Errorf("not the Domains API's response: %w", err)
	}
	if doc.Domains == nil {
		return nil, fmt.Errorf(`not the Domains API's response: no "domains" list`)
	}
	out := []string{}
	for _, d := range *doc.Domains {
		switch d.ValidationStatus {
		case "VERIFIED", "COMPLETED":
			out = append(out, strings.ToLower(strings.TrimSuffix(d.Domain, ".")))
		}
	}
	return out, nil
}
