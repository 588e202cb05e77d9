package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

const tok = "A-16620-5232-jbzFc96F3EhGyG+uh2c+kDj+QgVQuS2keB8DD/LtwVs="

func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret(tok)
	j, _ := json.Marshal(map[string]any{"s": s, "p": &s})
	txt, _ := s.MarshalText()
	outs := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x %d", s, s, s, s, s, s, s),
		fmt.Sprintf("%v", struct{ S Secret }{s}), fmt.Sprintf("%+v", &struct{ S *Secret }{&s}),
		string(j), string(txt), fmt.Errorf("wrap: %v", s).Error(),
	}
	for _, o := range outs {
		if strings.Contains(o, tok) || strings.Contains(o, tok[6:]) {
			t.Errorf("secret leaked: %s", o)
		}
		if !strings.Contains(o, "A-1662") {
			t.Errorf("redacted form lacks the 6-character prefix: %s", o)
		}
	}
	if s.Reveal() != tok || Prefix(tok) != "A-1662" || len(Fingerprint(tok)) != 64 {
		t.Fatal("Reveal/Prefix/Fingerprint")
	}
	if Redact("") != "(empty)" {
		t.Fatal("empty")
	}
}

func TestEvidenceKeepsOrder(t *testing.T) {
	ev := Evidence{}.Add("z", 1).Add("a", "x&y<z>").Add("m", []string{"b"})
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as the JSON report does
	if err := enc.Encode(ev); err != nil {
		t.Fatal(err)
	}
	b := []byte(strings.TrimSpace(buf.String()))
	if got, want := string(b), `{"z":1,"a":"x&y<z>","m":["b"]}`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	var back Evidence
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back) != 3 || back[0].Key != "z" || back[2].Key != "m" {
		t.Fatalf("round trip lost order: %+v", back)
	}
	if v, ok := back.Get("a"); !ok || v != "x&y<z>" {
		t.Fatalf("Get: %v %v", v, ok)
	}
	if err := json.Unmarshal([]byte(`[1]`), &back); err == nil {
		t.Fatal("array accepted as evidence")
	}
}

func rule(check func(*Target) Result, needs ...Input) *Rule {
	return &Rule{ID: "x.y", Title: "t", Severity: High, Rationale: "r", Remediation: "fix", Reference: "ref", Needs: needs, Check: check}
}

func TestEvaluate(t *testing.T) {
	pass := func(*Target) Result { return Pass("ok", nil) }
	cases := []struct {
		name  string
		rule  *Rule
		setup func(*Target)
		want  Status
		msg   string
	}{
		{"check runs", rule(pass, InputApp), nil, StatusPass, "ok"},
		{"failed input errors", rule(pass, InputApp, InputKeys), func(t *Target) { t.Failed(InputKeys, errors.New("truncated")) }, StatusError, "could not read okta/keys.json (the app's signing keys): truncated"},
		{"missing input skips", rule(pass, InputUsers), func(t *Target) { t.Missing(InputUsers, "not saved") }, StatusSkip, "okta/users.json (the assigned users) not available: not saved"},
		{"skip wins over error", rule(pass, InputApp, InputConsole), func(t *Target) {
			t.Failed(InputApp, errors.New("bad"))
			t.Missing(InputConsole, "none")
		}, StatusSkip, "druva.yaml (the Druva console settings) not available"},
		{"panic is an error, never a pass", rule(func(*Target) Result { panic("boom") }), nil, StatusError, "internal error in rule x.y: boom"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tg := &Target{Source: "snapshot"}
			if c.setup != nil {
				c.setup(tg)
			}
			r := Evaluate(c.rule, tg)
			if r.Status != c.want || !strings.Contains(r.Message, c.msg) {
				t.Fatalf("got %s %q, want %s %q", r.Status, r.Message, c.want, c.msg)
			}
			wantFix := "fix"
			if r.Status == StatusError && c.name != "panic is an error, never a pass" {
				in, _ := r.Evidence.Get("input")
				wantFix = InputFix(Input(in.(string)), tg.Source) // the data needs fixing first, not the set-up
			}
			if r.Rule != "x.y" || r.Severity != High || r.Remediation != wantFix || r.Evidence == nil {
				t.Fatalf("metadata not filled: %+v", r)
			}
		})
	}
}

func TestDescribeBySource(t *testing.T) {
	if got := InputApp.Describe("snapshot"); got != "okta/app.json (the Okta app)" {
		t.Error(got)
	}
	if got := InputApp.Describe("okta"); got != "the Okta app" {
		t.Error(got)
	}
	if got := InputConsole.Describe("terraform"); got != "druva.yaml (the Druva console settings)" {
		t.Error(got)
	}
}

func TestRunOverrides(t *testing.T) {
	a := rule(func(*Target) Result { return Fail("bad", nil) })
	b := &Rule{ID: "b", Title: "t", Severity: Low, Rationale: "r", Remediation: "f", Reference: "r", Check: a.Check}
	res := Run(&Target{}, []*Rule{a, b}, map[string]Override{"x.y": {Severity: Critical}, "b": {Disabled: true}})
	if len(res) != 1 || res[0].Severity != Critical || res[0].DefaultSeverity != High {
		t.Fatalf("got %+v", res)
	}
}

func TestExitCode(t *testing.T) {
	tr := func(rs ...Result) []TargetReport { return []TargetReport{{Results: rs}} }
	r := func(st Status, sev Severity, sup bool) Result {
		return Result{Status: st, Severity: sev, Suppressed: sup}
	}
	cases := []struct {
		name   string
		in     []TargetReport
		failOn Severity
		want   int
	}{
		{"all pass", tr(r(StatusPass, Critical, false)), High, 0},
		{"warn never fails", tr(r(StatusWarn, Critical, false)), Info, 0},
		{"high fail at high", tr(r(StatusFail, High, false)), High, 1},
		{"medium fail below high", tr(r(StatusFail, Medium, false)), High, 0},
		{"medium fail at low", tr(r(StatusFail, Medium, false)), Low, 1},
		{"error beats fail", tr(r(StatusFail, Critical, false), r(StatusError, Low, false)), High, 3},
		{"suppressed fail", tr(r(StatusFail, Critical, true)), High, 0},
		{"an error is never suppressed", tr(r(StatusError, Critical, true)), High, 3},
	}
	for _, c := range cases {
		if got := ExitCode(c.in, c.failOn); got != c.want {
			t.Errorf("%s: exit %d, want %d", c.name, got, c.want)
		}
	}
}

func TestSeverityAndPlatforms(t *testing.T) {
	if s, err := ParseSeverity(" HIGH "); err != nil || s != High {
		t.Fatal(s, err)
	}
	if _, err := ParseSeverity("urgent"); err == nil {
		t.Fatal("urgent accepted")
	}
	p, err := LookupPlatform("dcp")
	if err != nil {
		t.Fatal(err)
	}
	e := p.Expectations(Expectations{Audience: "custom"})
	if e.Audience != "custom" || e.TokenAttribute != "druva_auth_token" || e.CertWarnDays != DefaultCertWarnDays {
		t.Fatalf("%+v", e)
	}
	if _, err := LookupPlatform("insync"); err == nil || !strings.Contains(err.Error(), "insync-cloud") {
		t.Fatal(err)
	}
}

func TestLooksLikeSecret(t *testing.T) {
	for s, want := range map[string]bool{
		tok:                                    true,
		"00aBcD1234efGH5678ij":                 true, // an Okta API token's shape
		"https://acme.okta.com/app/x/sso/saml": false,
		"insync-cloud":                         false,
		"Engineering":                          false,
		"adminlogin":                           false,
		"d64b5840e2301d4ef94f461":              false, // lower-case hex: a fingerprint, not a token
	} {
		if got := LooksLikeSecret(s); got != want {
			t.Errorf("LooksLikeSecret(%q) = %v", s, got)
		}
	}
	if Shown(tok) == `"`+tok+`"` || Shown("insync") != `"insync"` {
		t.Fatal("Shown")
	}
}

func TestTerraformRemediation(t *testing.T) {
	r := rule(func(*Target) Result { return Fail("bad", nil) })
	r.Terraform = "set response_signed = true"
	if got := Evaluate(r, &Target{Source: "terraform"}).Remediation; !strings.HasPrefix(got, "In Terraform, on the okta_app_saml resource: set response_signed = true.") {
		t.Fatal(got)
	}
	if got := Evaluate(r, &Target{Source: "snapshot"}).Remediation; got != "fix" {
		t.Fatal(got)
	}
}

func TestEffectiveValues(t *testing.T) {
	s := &SAMLSettings{SSOAcsURL: "https://a", Audience: "aud", AudienceOverride: "over", Recipient: "https://r",
		DestinationOverride: "https://d2", AcsEndpoints: []ACSEndpoint{{URL: "https://x", Index: 1}}}
	for _, c := range []struct {
		name string
		got  Effective
		want Effective
	}{
		{"acs from the field", s.EffectiveACS(), Effective{"https://a", "ssoAcsUrl"}},
		{"audience from its override", s.EffectiveAudience(), Effective{"over", "audienceOverride"}},
		{"recipient from the field", s.EffectiveRecipient(), Effective{"https://r", "recipient"}},
		{"destination from its override", s.EffectiveDestination(), Effective{"https://d2", "destinationOverride"}},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, c.got, c.want)
		}
	}
	if !s.EffectiveAudience().Overridden() || s.EffectiveACS().Overridden() {
		t.Error("Overridden disagrees with From")
	}
	if got := s.RequestableACS(); got != nil {
		t.Errorf("acsEndpoints without allowMultipleAcsEndpoints are requestable: %v", got)
	}
	s.AllowMultipleAcsEndpoints = true
	if got := s.RequestableACS(); len(got) != 1 || got[0].URL != "https://x" {
		t.Errorf("RequestableACS = %v, want the one endpoint", got)
	}
}
