package checks

import (
	"errors"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

// ruleCase is one scenario for one rule: the good snapshot plus one named
// mutation, and the verdict it must produce.
type ruleCase struct {
	name   string
	mutate func(t *audit.Target)
	want   audit.Status
	// message, when set, must appear in the result's message.
	message string
	// kind, when set, is the skip's kind.
	kind string
	// check, when set, inspects the whole result (evidence, remediation).
	check func(t *testing.T, r audit.Result)
}

// runCases evaluates rule id on each case's target and asserts the verdict.
func runCases(t *testing.T, id string, cases []ruleCase) {
	t.Helper()
	rule, ok := Lookup(id)
	if !ok {
		t.Fatalf("rule %s is not registered", id)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := fixture.Good(t)
			if c.mutate != nil {
				c.mutate(target)
			}
			r := audit.Evaluate(rule, target)
			if r.Status != c.want {
				t.Fatalf("status = %s, want %s; message: %s; evidence: %v", r.Status, c.want, r.Message, r.Evidence)
			}
			if c.message != "" && !strings.Contains(r.Message, c.message) {
				t.Errorf("message %q does not contain %q", r.Message, c.message)
			}
			if c.kind != "" && r.SkipKind != c.kind {
				t.Errorf("skip kind %q, want %q", r.SkipKind, c.kind)
			}
			if r.Rule != id || r.Title == "" || r.Remediation == "" || r.Reference == "" {
				t.Errorf("result lacks metadata: %+v", r)
			}
			if strings.Contains(r.Message, fixture.Token) || strings.Contains(evidenceString(r), fixture.Token) {
				t.Errorf("result reveals the SSO token: %+v", r)
			}
			// A skip a person must settle is not_exposed, never
			// not_applicable (README: Skips: three kinds).
			if r.SkipKind == audit.SkipNotApplicable && strings.Contains(strings.ToLower(r.Message), "verify") {
				t.Errorf("a skip that asks a person to verify is %s, want %s: %s", r.SkipKind, audit.SkipNotExposed, r.Message)
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

// samlAppCases are the cases every rule that reads the app's SAML settings
// shares: not a SAML app (skip), a SAML app without settings and an
// unreadable app.json (both error, never pass).
func samlAppCases() []ruleCase {
	return []ruleCase{
		{name: "not a SAML app", mutate: func(t *audit.Target) { t.App.SignOnMode = "BROWSER_PLUGIN" },
			want: audit.StatusSkip, message: "not SAML 2.0: see okta.app.saml-active", kind: audit.SkipNotApplicable},
		{name: "SAML app without settings", mutate: func(t *audit.Target) { t.App.Settings.SignOn = nil },
			want: audit.StatusError, message: "no settings.signOn"},
		{name: "app.json unreadable", mutate: failed(audit.InputApp),
			want: audit.StatusError, message: "could not read okta/app.json"},
	}
}

// failed marks an input as unreadable, as a source does for a malformed file.
func failed(in audit.Input) func(*audit.Target) {
	return func(t *audit.Target) { t.Failed(in, errors.New("malformed JSON at byte offset 12")) }
}

// missing marks an optional input as absent.
func missing(in audit.Input) func(*audit.Target) {
	return func(t *audit.Target) { t.Missing(in, "not in the snapshot") }
}

func evidenceString(r audit.Result) string {
	b, err := r.Evidence.MarshalJSON()
	if err != nil {
		return err.Error()
	}
	return string(b)
}

// evidence returns one evidence value of a result, failing the test when absent.
func evidence(t *testing.T, r audit.Result, key string) any {
	t.Helper()
	v, ok := r.Evidence.Get(key)
	if !ok {
		t.Fatalf("no evidence %q in %s", key, evidenceString(r))
	}
	return v
}

// chain applies several mutations in order.
func chain(ms ...func(*audit.Target)) func(*audit.Target) {
	return func(t *audit.Target) {
		for _, m := range ms {
			m(t)
		}
	}
}

// onPlatform judges the target as the named platform would, with its
// default expectations.
func onPlatform(name string) func(*audit.Target) {
	return func(t *audit.Target) {
		p, err := audit.LookupPlatform(name)
		if err != nil {
			panic(err)
		}
		t.Platform = p.Name
		t.Expect = p.Expectations(audit.Expectations{})
		if p.ACSURL != "" {
			t.App.Settings.SignOn.SSOAcsURL = p.ACSURL
			t.App.Settings.SignOn.Recipient = p.ACSURL
			t.App.Settings.SignOn.Destination = p.ACSURL
		}
		t.App.Settings.SignOn.Audience = p.Audience
	}
}

// asCatalog makes the app look like one from Okta's catalog: its name is the
// integration's key and its signOn leaves out ssoAcsUrl.
func asCatalog(name string) func(*audit.Target) {
	return func(t *audit.Target) {
		t.App.Name = name
		delete(t.App.Settings.SignOn.Sent, "ssoAcsUrl")
	}
}

// unsent removes fields from what Okta sent in settings.signOn.
func unsent(fields ...string) func(*audit.Target) {
	return func(t *audit.Target) {
		for _, f := range fields {
			delete(t.App.Settings.SignOn.Sent, f)
		}
	}
}

// nullSent makes Okta send fields of settings.signOn as null.
func nullSent(fields ...string) func(*audit.Target) {
	return func(t *audit.Target) {
		for _, f := range fields {
			t.App.Settings.SignOn.Sent[f] = audit.FieldNull
		}
	}
}

// catalogToken makes the app Okta's "Druva" catalog integration, which keeps
// the token in its own settings.app field instead of an attribute statement.
func catalogToken(value string) func(*audit.Target) {
	return func(t *audit.Target) {
		asCatalog("druva")(t)
		unsent("ssoAcsUrl", "audience", "responseSigned", "assertionSigned", "subjectNameIdFormat", "subjectNameIdTemplate", "signatureAlgorithm", "digestAlgorithm")(t)
		t.App.Settings.SignOn.AttributeStatements = nil
		t.App.Settings.App = map[string]string{"siteURL": "https://cloud.druva.com", "authToken": value}
	}
}
