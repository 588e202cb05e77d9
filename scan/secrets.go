package scan

import (
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/redact"
)

// AddSecrets records the secrets a target holds (docs/security.md), so
// that no report or error of the run shows them, whatever field they also
// turn up in: druva.yaml's sso_token, the values of the app's token
// attribute statements (under the expected name or any platform's, quoted or
// not), and a catalog app's token fields (settings.app keys naming a token).
func AddSecrets(set *redact.Set, t *audit.Target) {
	if set == nil {
		return
	}
	if c := t.Console; c != nil && c.SSO != nil && c.SSO.SSOToken != nil {
		set.Add(c.SSO.SSOToken.Reveal())
		set.AddFragments(c.SSO.SSOToken.Reveal())
	}
	if t.App == nil {
		return
	}
	if so := t.App.Settings.SignOn; so != nil {
		for _, st := range so.AttributeStatements {
			if !audit.IsTokenAttribute(st.Name, t.Expect.TokenAttribute) {
				continue
			}
			for _, v := range st.Values {
				set.AddFragments(v)
			}
		}
	}
	for k, v := range t.App.Settings.App {
		if strings.Contains(strings.ToLower(k), "token") {
			set.AddFragments(v)
		}
	}
}
