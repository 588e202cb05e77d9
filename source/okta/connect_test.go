package okta

import (
	"strings"
	"testing"
)

// A person with no credentials is told every scope a read-only service app
// needs, the optional ones included (docs/security.md, Least privilege in
// Okta).
func TestNoCredentialsNamesEveryScope(t *testing.T) {
	msg := configError("Your Okta API token is missing. You can generate one in the Okta Developer Console.").Error()
	for _, scope := range []string{ScopeApps, ScopeUsers, ScopePolicies, ScopeDomains} {
		if !strings.Contains(msg, scope) {
			t.Errorf("the message lacks %s: %s", scope, msg)
		}
	}
}
