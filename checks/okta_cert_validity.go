package checks

import (
	"fmt"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

// certRotationSteps is how to replace Okta's signing certificate without an
// outage. Okta signs with the new certificate the moment it is activated, so
// Druva must be given the same certificate in the same change window.
const certRotationSteps = "1. Okta admin console: Applications > Applications > (the Druva app) > Sign On > SAML Signing Certificates > Generate new certificate.\n" +
	"2. Plan a change window: from the moment the new certificate is active, Druva rejects every sign-in until its console has it.\n" +
	"3. In the window, on the new certificate's row: Actions > Activate; then Actions > Download certificate (or open \"View SAML setup instructions\" and copy the X.509 Certificate).\n" +
	"4. Immediately after: inSync Management Console > Settings > Single Sign-On > Edit > paste it into \"ID Provider Certificate\" > Save.\n" +
	"5. Sign in to Druva through Okta to confirm, and record the new certificate in druva.yaml (sso.idp_certificate)."

func init() {
	register(&audit.Rule{
		ID:       "okta.cert.validity",
		Title:    "Okta's active SAML signing certificate is valid",
		Severity: audit.Critical,
		Reference: "Druva guide, Configuring the Okta Druva App, steps 9–10 (\"Copy the Certificate ... to the inSync Management Console\") " +
			"and Configure the inSync Management Console to use Okta, step 3",
		Location: audit.Location{Input: audit.InputKeys},
		Needs:    []audit.Input{audit.InputApp, audit.InputKeys},
		Check:    checkCertValidity,
	})
}

func checkCertValidity(t *audit.Target) audit.Result {
	k, res := activeCert(t)
	if res != nil {
		return *res
	}
	ev := audit.Evidence{}.Add("kid", k.Kid)
	if t.Now.IsZero() {
		return audit.Error("no clock was set for this run (Target.Now is zero): cannot tell whether the certificate is valid", ev)
	}
	warnDays := t.Expect.CertWarnDays
	if warnDays <= 0 {
		warnDays = audit.DefaultCertWarnDays
	}
	c, now := k.Cert, t.Now
	left := c.NotAfter.Sub(now)
	daysLeft := certValidityDays(left)
	ev = ev.
		Add("expected", fmt.Sprintf("valid at %s and for more than %d days", certValidityDate(now), warnDays)).
		Add("actual", fmt.Sprintf("valid from %s to %s", certValidityDate(c.NotBefore), certValidityDate(c.NotAfter))).
		Add("checked_at", now.UTC().Format(time.RFC3339)).
		Add("days_left", daysLeft)
	ev = certEvidence(ev, "", c)

	switch {
	case now.Before(c.NotBefore):
		return audit.Fail(fmt.Sprintf("the active signing certificate (kid %q) is not valid yet: it becomes valid on %s, in %s; Druva rejects responses signed with it until then",
			k.Kid, certValidityDate(c.NotBefore), certValidityPlural(certValidityDays(c.NotBefore.Sub(now)), "day")), ev)
	case now.After(c.NotAfter):
		return audit.Fail(fmt.Sprintf("the active signing certificate (kid %q) expired on %s, %s ago: Druva rejects every sign-in signed with it",
			k.Kid, certValidityDate(c.NotAfter), certValidityPlural(certValidityDays(-left), "day")), ev)
	case left <= time.Duration(warnDays)*24*time.Hour:
		return audit.Warn(fmt.Sprintf("the active signing certificate (kid %q) expires on %s, in %s (warning threshold: %d days). "+
			"Okta does not rotate app signing certificates on its own: an admin must generate a new one, switch the app to it "+
			"and update Druva's console with it at the same time, or SSO to Druva stops on that date",
			k.Kid, certValidityDate(c.NotAfter), certValidityPlural(daysLeft, "day"), warnDays), ev)
	}
	return audit.Pass(fmt.Sprintf("the active signing certificate (kid %q) is valid until %s (%s left)",
		k.Kid, certValidityDate(c.NotAfter), certValidityPlural(daysLeft, "day")), ev)
}

// certValidityDays counts whole days in d, rounding down: a certificate with
// 29 days and 23 hours left has 29 days left.
func certValidityDays(d time.Duration) int { return int(d / (24 * time.Hour)) }

func certValidityDate(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") }

func certValidityPlural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	if n == 0 {
		return "less than 1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
