package config

import (
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

func TestAttestationsTouchOnlyNotExposedSkips(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)
	c := &Config{File: "cfg.yaml", Attest: []Attestation{
		{Rule: "okta.saml.response-signed", Target: "prod", By: "alice@example.com", Reason: "SEC-1", Expires: now.AddDate(0, 3, 0), Line: 3},
		{Rule: "okta.saml.audience", Target: "prod", By: "bob@example.com", Reason: "SEC-2", Expires: now.AddDate(0, 3, 0), Line: 9},
		{Rule: "okta.saml.sha256", By: "carol@example.com", Reason: "SEC-3", Expires: now.AddDate(0, 0, -1), Line: 15},
	}}
	hidden := func(rule string) audit.Result {
		r := audit.SkipHidden("verify it in the Okta admin console", nil)
		r.Rule = rule
		return r
	}
	decided := audit.Pass("the tool saw it", nil)
	decided.Rule = "okta.saml.audience"
	absent := audit.SkipAbsent(audit.InputConsole, "no druva.yaml", nil)
	absent.Rule = "okta.saml.response-signed"
	results := []audit.Result{hidden("okta.saml.response-signed"), decided, hidden("okta.saml.sha256"), absent, hidden("okta.saml.assertion-signed")}

	run := c.NewAttested()
	c.Attestations([]string{"prod/Druva users"}, results, now, false, run)
	if r := results[0]; r.Status != audit.StatusPass || !r.Attested || r.Attestation == nil || r.Attestation.By != "alice@example.com" || r.Attestation.Line != 3 || r.SkipKind != "" {
		t.Errorf("prod/… is covered by target prod: %+v", r)
	}
	if r := results[1]; r.Status != audit.StatusPass || r.Attested || r.Attestation != nil {
		t.Errorf("a result the tool decided changed: %+v", r)
	}
	if r := results[2]; r.Status != audit.StatusWarn || r.Attested || !r.Attestation.Expired || !strings.HasPrefix(r.Message, "attestation expired on 2026-11-26, verify again") {
		t.Errorf("expired: %+v", r)
	}
	if r := results[3]; r.Status != audit.StatusSkip || r.SkipKind != audit.SkipInputAbsent {
		t.Errorf("an input_absent skip changed: %+v", r)
	}
	if r := results[4]; r.Status != audit.StatusSkip || r.SkipKind != audit.SkipNotExposed {
		t.Errorf("a not_exposed skip no attestation names changed: %+v", r)
	}
	unused := c.Unused(run)
	if len(unused) != 1 || !strings.HasPrefix(unused[0], `cfg.yaml:9: attest[1] for okta.saml.audience on target "prod" was not used`) {
		t.Errorf("unused: %q", unused)
	}

	// A deployment's results are covered only by an attestation naming the
	// deployment: its targets' names are not passed.
	dep := []audit.Result{hidden("okta.saml.response-signed")}
	c.Attestations([]string{"druva-console"}, dep, now, false, nil)
	if dep[0].Status != audit.StatusSkip {
		t.Errorf("an attestation for target prod covered a deployment result: %+v", dep[0])
	}

	// --require attested: uncovered and expired become errors.
	req := []audit.Result{hidden("okta.saml.assertion-signed"), hidden("okta.saml.sha256"), hidden("okta.saml.response-signed")}
	c.Attestations([]string{"prod"}, req, now, true, nil)
	for i, want := range []audit.Status{audit.StatusError, audit.StatusError, audit.StatusPass} {
		if req[i].Status != want {
			t.Errorf("--require attested, %s: %s, want %s", req[i].Rule, req[i].Status, want)
		}
	}
}
