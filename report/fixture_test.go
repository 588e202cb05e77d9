package report

import (
	"errors"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

// testCatalog is a small rule set shaped like the real one.
func testCatalog() []*audit.Rule {
	return []*audit.Rule{
		{ID: "okta.app.saml-active", Title: "The Okta app is an active SAML 2.0 app", Severity: audit.High,
			Rationale:   "An inactive or non-SAML app cannot sign anyone in to Druva.",
			Remediation: "In the Okta Admin Console, open Applications → Applications → the Druva app and activate it.",
			Reference:   "Druva guide, step 1", Needs: []audit.Input{audit.InputApp}, Location: audit.Location{Input: audit.InputApp}},
		{ID: "okta.saml.response-signed", Title: "SAML responses are signed", Severity: audit.Critical,
			Rationale:   "Druva rejects unsigned responses; an unsigned response could be forged.",
			Remediation: "In Okta: Sign On → Edit → Advanced settings → Response: Signed.",
			Reference:   "Druva guide, step 4", Needs: []audit.Input{audit.InputApp}, Location: audit.Location{Input: audit.InputApp},
			Controls: []audit.Control{
				{Framework: "nist-800-53", ID: "IA-13(2)", Title: "Verification of Identity Assertions and Access Tokens", Why: "Druva verifies the signature on every response"},
				{Framework: "cis-v8", ID: "4.1", Title: "Establish and Maintain a Secure Configuration Process"},
			}},
		{ID: "okta.saml.acs-url", Title: "Single sign-on URL is Druva's ACS URL", Severity: audit.High,
			Rationale:   "Okta posts the assertion to this URL; a wrong one means nobody can sign in.",
			Remediation: "In Okta: General → SAML Settings → Edit → Single sign on URL: set it to the platform's ACS URL.\nIf your Druva deployment uses another URL, pin it with expect.acs_url in .ssoaudit.yaml.",
			Reference:   "https://docs.druva.com/ (Okta SSO guide, step 3)", Needs: []audit.Input{audit.InputApp}, Location: audit.Location{Input: audit.InputApp}},
		{ID: "okta.saml.sha256", Title: "Signatures use SHA-256", Severity: audit.Medium,
			Rationale: "SHA-1 signatures can be forged.", Remediation: "Set Signature Algorithm RSA-SHA256 and Digest Algorithm SHA256.",
			Reference: "Druva guide, step 4", Needs: []audit.Input{audit.InputApp}, Location: audit.Location{Input: audit.InputApp}},
		{ID: "okta.saml.assertion-signed", Title: "Assertions are signed", Severity: audit.Medium,
			Rationale: "A signed assertion survives being relayed.", Remediation: "Set Assertion Signature: Signed.",
			Reference: "Druva guide, step 4", Needs: []audit.Input{audit.InputApp}, Location: audit.Location{Input: audit.InputApp}},
		{ID: "okta.users.username-current", Title: "Assigned users' usernames are their emails", Severity: audit.High,
			Rationale: "Okta keeps the username from assignment time.", Remediation: "Re-assign the listed users, or edit their app usernames.",
			Reference: "Druva guide, known issues", Needs: []audit.Input{audit.InputApp, audit.InputUsers}, Location: audit.Location{Input: audit.InputApp}},
		{ID: "okta.cert.validity", Title: "The signing certificate is valid", Severity: audit.Critical,
			Rationale: "An expired certificate stops every sign-in.", Remediation: "Rotate the signing key in Okta, then upload the new certificate to Druva.",
			Reference: "Okta docs: rotate app signing keys", Needs: []audit.Input{audit.InputApp, audit.InputKeys}, Location: audit.Location{Input: audit.InputApp},
			Controls: []audit.Control{{Framework: "nist-800-53", ID: "IA-13(1)", Title: "Protection of Cryptographic Keys"}, {Framework: "nist-800-53", ID: "SC-12", Title: "Cryptographic Key Establishment and Management"}}},
		{ID: "okta.cert.strength", Title: "The signing key is strong", Severity: audit.Medium,
			Rationale: "Weak keys can be broken.", Remediation: "Generate a 2048-bit key.", Reference: "Okta docs", Needs: []audit.Input{audit.InputKeys}, Location: audit.Location{Input: audit.InputKeys}},
		{ID: "okta.metadata.consistent", Title: "IdP metadata matches the app", Severity: audit.Medium,
			Rationale: "Druva is configured from the metadata.", Remediation: "Download the metadata again.", Reference: "Druva guide, step 5", Needs: []audit.Input{audit.InputMetadata}, Location: audit.Location{Input: audit.InputMetadata}},
		{ID: "druva.admin.failsafe", Title: "Administrators have a failsafe", Severity: audit.High,
			Rationale: "Without failsafe an IdP outage locks every admin out.", Remediation: "In Druva: Settings → Single Sign-On → Failsafe for administrators.",
			Reference: "Druva guide, step 7", Needs: []audit.Input{audit.InputConsole}, Location: audit.Location{Input: audit.InputConsole}},
		{ID: "druva.profile.sso", Title: "A profile uses SSO", Severity: audit.Medium,
			Rationale: "Users sign in with SSO only through a profile that uses it.", Remediation: "Set a profile's login mechanism to SSO.",
			Reference: "Druva guide, step 8", Needs: []audit.Input{audit.InputConsole}, Location: audit.Location{Input: audit.InputConsole}},
		{ID: "okta.saml.audience", Title: "Audience URI is Druva's entity ID", Severity: audit.High,
			Rationale: "Druva rejects an assertion meant for another audience.", Remediation: "In Okta: General → SAML Settings → Audience URI: set it to the platform's entity ID.",
			Reference: "Druva guide, step 3", Needs: []audit.Input{audit.InputApp}, Location: audit.Location{Input: audit.InputApp}},
		{ID: "cross.certificate-match", Title: "Druva holds Okta's active signing certificate", Severity: audit.Critical,
			Rationale: "Druva verifies every response with the certificate it holds.", Remediation: "Upload the active certificate from Okta to Druva.",
			Reference: "Druva guide, step 6", Needs: []audit.Input{audit.InputKeys, audit.InputConsole}, Location: audit.Location{Input: audit.InputKeys}},
		{ID: "druva.admin.sign-in-path", Title: "Administrators have an Okta app to sign in with", Severity: audit.High,
			Rationale: "Druva authenticates an administrator only with the administrators' relay state.", Remediation: "Add an Okta app for administrators with Default RelayState adminlogin.",
			Reference: "Druva SSO FAQ", Needs: []audit.Input{audit.InputConsole}, Location: audit.Location{Input: audit.InputConsole},
			CheckDeployment: func(*audit.Deployment) audit.Result { return audit.Result{} }},
	}
}

// testReport is a decided report covering every status, several
// severities, nested evidence, a suppressed result and an expired
// suppression, across two targets. It is built the way the command builds
// one: results from rules, summary and exit code from the audit package.
func testReport() *audit.Report {
	prod := audit.TargetReport{
		Name: "acme-prod", Source: "snapshot", Platform: "insync-cloud", PlatformSource: audit.PlatformFromConsole,
		PlatformInference: &audit.Inference{Audience: "druva-cloud", ACSURL: "https://cloud.druva.com/wrsaml/consume", Matches: []string{"insync-cloud"}},
		Origin:            "testdata/snapshots/acme-prod", Console: "testdata/snapshots/acme-prod/druva.yaml", ConsoleSHA256: "d64b5840e2301d4ef94f461f9c0120564a9e3b0b4157728e586d93a2e453a07d",
		App: audit.AppRef{ID: "0oa1prodABC", Label: "Druva inSync"},
		Certificates: []audit.CertExpiry{
			{Side: audit.SideOkta, NotAfter: time.Date(2036, 1, 15, 0, 0, 0, 0, time.UTC)},
			{Side: audit.SideDruva, NotAfter: time.Date(2026, 12, 20, 12, 0, 0, 0, time.UTC)},
		},
		Results: []audit.Result{
			res("okta.app.saml-active", audit.StatusPass, "The app is an active SAML 2.0 app.",
				audit.Evidence{}.Add("signOnMode", "SAML_2_0").Add("status", "ACTIVE")),
			res("okta.saml.response-signed", audit.StatusFail, "SAML responses are not signed: Druva will reject every sign-in.",
				audit.Evidence{}.Add("responseSigned", false)),
			res("okta.saml.acs-url", audit.StatusFail,
				"Single sign on URL is https://cloud.druva.com/wrsaml/consume/ | with a trailing slash; Druva expects https://cloud.druva.com/wrsaml/consume exactly.\nRecipient <differs> too & more.",
				audit.Evidence{}.
					Add("expected", "https://cloud.druva.com/wrsaml/consume").
					Add("actual", "https://cloud.druva.com/wrsaml/consume/").
					Add("recipient", "https://cloud.druva.com/wrsaml/consume/?a=1&b=2")),
			suppressed(res("okta.saml.sha256", audit.StatusFail, "Signature algorithm is RSA_SHA1.",
				audit.Evidence{}.Add("signatureAlgorithm", "RSA_SHA1").Add("digestAlgorithm", "SHA1")),
				"Legacy IdP tenant; migration tracked in SEC-1234", "2027-03-31", false),
			expired(res("okta.saml.assertion-signed", audit.StatusFail, "Assertions are not signed.",
				audit.Evidence{}.Add("assertionSigned", false)),
				"Waiting for Druva support case 998", "2026-10-01"),
			res("okta.users.username-current", audit.StatusFail, "2 of 120 assigned users have a username that is not their current email.",
				audit.Evidence{}.
					Add("assigned", 120).
					Add("mismatched", 2).
					Add("examples", []map[string]any{
						{"id": "00u1", "userName": "j.doe@old.example", "email": "jane.doe@example.com"},
						{"id": "00u2", "userName": "bob@old.example", "email": "bob@example.com"},
					}).
					Add("by_domain", map[string]int{"old.example": 2, "example.com": 118})),
			res("okta.cert.validity", audit.StatusWarn, "The active signing certificate expires in 12 days (2026-12-09).",
				audit.Evidence{}.Add("kid", "k1").Add("not_after", time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC)).Add("days_left", 12)),
			withSeverity(res("okta.cert.strength", audit.StatusPass, "RSA 2048-bit key, SHA-256 signature.", audit.Evidence{}.Add("bits", 2048)), audit.Info),
			inputError(res("okta.metadata.consistent", audit.StatusError, "could not read okta/metadata.xml (the IdP metadata): XML syntax error on line 3: unexpected EOF",
				audit.Evidence{}.Add("input", "okta/metadata.xml"))),
			res("druva.admin.failsafe", audit.StatusSkip, "druva.yaml not available: admins section left out", audit.Evidence{}.Add("input", "druva.yaml")),
		},
	}
	dev := audit.TargetReport{
		Name: "acme-dev", Source: "okta", Platform: "dcp", PlatformSource: audit.PlatformFromInferred,
		PlatformInference: &audit.Inference{Audience: "DCP-login", ACSURL: "https://login.druva.com/api/commonlogin/samlconsume", Matches: []string{"dcp"}},
		App:               audit.AppRef{ID: "0oa2devXYZ", Label: "Druva DCP (dev)"},
		Results: []audit.Result{
			res("okta.app.saml-active", audit.StatusPass, "The app is an active SAML 2.0 app.", nil),
			withSeverity(res("druva.profile.sso", audit.StatusFail, "No profile uses SSO.", audit.Evidence{}.Add("profiles", []string{"Engineering", "Sales"})), audit.Low),
			withSeverity(res("okta.cert.strength", audit.StatusWarn, "The certificate is signed with SHA-256 but the key is 2048 bits; consider 3072.", nil), audit.Info),
			res("druva.admin.failsafe", audit.StatusSkip, "druva.yaml not available: no console settings given", nil),
		},
	}
	rep := &audit.Report{
		Schema:      audit.Schema,
		Tool:        audit.Tool{Name: "ssoaudit", Version: "1.2.3"},
		GeneratedAt: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC),
		Targets:     []audit.TargetReport{prod, dev},
		// The deployments (docs/deployments.md): prod's console, whose
		// only known app does not send adminlogin, and dev without one.
		Deployments: []audit.DeploymentReport{
			{Name: "testdata/snapshots/acme-prod/druva.yaml", Console: "testdata/snapshots/acme-prod/druva.yaml", ConsoleSHA256: prod.ConsoleSHA256,
				Platform: "insync-cloud", Targets: []string{"acme-prod"}, Results: []audit.Result{
					res("druva.admin.sign-in-path", audit.StatusWarn, `the console enables single sign-on for administrators, and the only app this run knows, "Druva inSync" (target "acme-prod"), does not send the administrators' relay state ("adminlogin")`,
						audit.Evidence{}.Add("deployment", "testdata/snapshots/acme-prod/druva.yaml").Add("apps", []string{`app "Druva inSync" (target "acme-prod"): relay state "", users assigned`})),
				}},
			{Name: "acme-dev", Platform: "dcp", PlatformSource: audit.PlatformFromInferred, Targets: []string{"acme-dev"}, Results: []audit.Result{
				res("druva.admin.sign-in-path", audit.StatusSkip, "druva.yaml (the Druva console settings) not available: no console settings given", nil),
			}},
		},
		FailOn: audit.High,
		Config: ".ssoaudit.yaml",
		Overrides: []audit.RuleOverride{
			{Rule: "okta.cert.strength", Severity: audit.Info, DefaultSeverity: audit.Medium},
			{Rule: "druva.profile.sso", Severity: audit.Low, DefaultSeverity: audit.Medium},
			{Rule: "okta.saml.audience", Disabled: true, DefaultSeverity: audit.High},
		},
	}
	decide(rep)
	return rep
}

// liveFailure is the set-up of incompleteReport: the Okta token was refused,
// so every input read from Okta failed the same way, and no druva.yaml was
// given.
const liveFailure = "GET https://acme.okta.com/api/v1/apps/0oa3liveQRS: 401 Unauthorized: Invalid token provided"

// incompleteReport is one live target whose Okta data could not be read:
// many rules end in error for the same reason, the Druva-side and cross
// checks are skipped, and the config re-rated one rule. It is made by the
// runner itself, so its messages and remediations are the real ones.
func incompleteReport() *audit.Report {
	tg := &audit.Target{Name: "acme-live", Source: "okta", Platform: "insync-cloud", Origin: "https://acme.okta.com"}
	fail := errors.New(liveFailure)
	tg.Failed(audit.InputApp, fail)
	tg.Failed(audit.InputKeys, fail)
	tg.Failed(audit.InputUsers, fail)
	tg.Failed(audit.InputMetadata, fail)
	tg.Missing(audit.InputConsole, "no druva.yaml was given (pass --druva FILE to check the Druva side)")
	over := map[string]audit.Override{"okta.saml.response-signed": {Severity: audit.Info}}
	rep := &audit.Report{
		Schema:      audit.Schema,
		Tool:        audit.Tool{Name: "ssoaudit", Version: "1.2.3"},
		GeneratedAt: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC),
		Targets: []audit.TargetReport{{
			Name: tg.Name, Source: tg.Source, Platform: tg.Platform, Origin: tg.Origin, ConfigLine: 7,
			App:     audit.AppRef{ID: "0oa3liveQRS"},
			Results: audit.Run(tg, testCatalog(), over),
		}},
		FailOn: audit.High,
		Config: "ci/ssoaudit.yaml",
		Overrides: []audit.RuleOverride{
			{Rule: "okta.saml.response-signed", Severity: audit.Info, DefaultSeverity: audit.Critical},
		},
	}
	decide(rep)
	return rep
}

// decide fills what the command would: per-target and overall summaries and
// the exit code.
func decide(rep *audit.Report) {
	rep.Summary = audit.Summary{}
	for i := range rep.Targets {
		t := &rep.Targets[i]
		t.Summary = audit.Summary{}
		for _, r := range t.Results {
			t.Summary.Add(r.Status)
			rep.Summary.Add(r.Status)
		}
	}
	for i := range rep.Deployments {
		d := &rep.Deployments[i]
		d.Summary = audit.Summary{}
		for _, r := range d.Results {
			d.Summary.Add(r.Status)
			rep.Summary.Add(r.Status)
		}
	}
	rep.ExitCode = audit.Gate{FailOn: rep.FailOn}.ExitCodeOf(rep.Results())
}

// res builds a result as the runner completes it, from the test catalog.
func res(id string, st audit.Status, msg string, ev audit.Evidence) audit.Result {
	for _, r := range testCatalog() {
		if r.ID == id {
			if ev == nil {
				ev = audit.Evidence{}
			}
			return audit.Result{Rule: id, Status: st, Severity: r.Severity, Title: r.Title, Message: msg,
				Remediation: r.Remediation, Reference: r.Reference, Evidence: ev, Controls: r.Controls}
		}
	}
	panic("no such rule in test catalog: " + id)
}

func suppressed(r audit.Result, reason, expires string, expiredNote bool) audit.Result {
	r.Suppressed = true
	r.Suppression = &audit.SuppressionNote{Reason: reason, Expires: expires, Expired: expiredNote}
	return r
}

func expired(r audit.Result, reason, expires string) audit.Result {
	r.Suppression = &audit.SuppressionNote{Reason: reason, Expires: expires, Expired: true}
	return r
}

// withSeverity re-rates a result as a config override does.
func withSeverity(r audit.Result, s audit.Severity) audit.Result {
	r.DefaultSeverity, r.Severity = r.Severity, s
	return r
}

// inputError makes a result what the runner makes of a rule whose data
// could not be read: its remediation is about the data.
func inputError(r audit.Result) audit.Result {
	r.Remediation = audit.InputFix(audit.InputApp, "okta")
	return r
}
