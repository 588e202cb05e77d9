package checks

import (
	"github.com/ssoaudit/ssoaudit/audit"
)

// Certificates reads the not-after dates of the certificates a target's
// sign-ins depend on, for monitoring: Okta's active signing certificate
// (the one okta.cert.validity judges) and the console's ID Provider
// Certificate (the one druva.sso.configured judges). A certificate that
// could not be read — its input missing or unreadable, no active key, an
// undecodable certificate — is left out, never given a zero date: a
// monitoring system must see it absent, not expired in 1970.
func Certificates(t *audit.Target) []audit.CertExpiry {
	var out []audit.CertExpiry
	if _, gap := t.Gap(audit.InputKeys); !gap {
		if _, appGap := t.Gap(audit.InputApp); !appGap {
			if k, res := activeCert(t); res == nil {
				out = append(out, audit.CertExpiry{Side: audit.SideOkta, NotAfter: k.Cert.NotAfter.UTC()})
			}
		}
	}
	if _, gap := t.Gap(audit.InputConsole); !gap && t.Console != nil && t.Console.SSO != nil && t.Console.SSO.IDPCertificate != nil {
		if c, err := druvaParseCert(*t.Console.SSO.IDPCertificate); err == nil {
			out = append(out, audit.CertExpiry{Side: audit.SideDruva, NotAfter: c.NotAfter.UTC()})
		}
	}
	return out
}
