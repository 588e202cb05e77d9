package config

import (
	"errors"
	"github.com/ssoaudit/ssoaudit/internal/testkit/race"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

// ruleIDs is the rule catalog (checks.All), written out.
var ruleIDs = []string{
	"okta.app.saml-active", "okta.username.email", "okta.users.username-current", "okta.saml.acs-url",
	"okta.saml.audience", "okta.saml.relay-state", "okta.saml.nameid-email", "okta.saml.response-signed",
	"okta.saml.assertion-signed", "okta.saml.sha256", "okta.saml.token-attribute", "okta.saml.token-literal",
	"okta.cert.validity", "okta.cert.strength", "okta.metadata.consistent", "druva.sso.configured",
	"druva.admin.failsafe", "druva.profile.sso", "cross.certificate-match", "cross.login-url-match", "cross.token-match",
}

func known(id string) bool { return slices.Contains(ruleIDs, id) }

func ptr[T any](v T) *T { return &v }

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

const full = `fail_on: HIGH
platform: insync-cloud
expect:
  acs_url: https://cloud.druva.com/wrsaml/consume
  audience: druva-cloud
  token_attribute: insync_auth_token
  cert_warn_days: 45
rules:
  okta.saml.assertion-signed: {enabled: false}
  okta.users.username-current: {severity: medium}
  okta.saml.sha256:
suppress:
  - rule: okta.saml.sha256
    target: prod
    reason: "Okta org pinned to SHA-1 until migration INC-123"
    expires: 2027-01-31
  - rule: cross.token-match
    reason: rotating
    expires: "2026-12-01"
targets:
  - name: prod
    snapshot: snapshots/prod
    druva: prod-druva.yaml
    platform: dcp
  - name: live
    okta: {org_url: https://acme.okta.com, app_id: 0oa123}
  - name: by-label
    okta: {app_label: Druva inSync, discover: false}
  - name: discovered
    okta:
      discover: true
  - name: tf
    terraform: /abs/plan.json
`

func TestParseFull(t *testing.T) {
	c, err := Parse("cfg.yaml", []byte(full), known)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		File:     "cfg.yaml",
		FailOn:   audit.High,
		Platform: "insync-cloud",
		Expect: audit.Expectations{ACSURL: "https://cloud.druva.com/wrsaml/consume", Audience: "druva-cloud",
			TokenAttribute: "insync_auth_token", CertWarnDays: 45},
		Rules: map[string]RuleConfig{
			"okta.saml.assertion-signed":  {Enabled: ptr(false), Line: 9},
			"okta.users.username-current": {Severity: audit.Medium, Line: 10},
			"okta.saml.sha256":            {Line: 11},
		},
		Suppress: []Suppression{
			{Rule: "okta.saml.sha256", Target: "prod", Reason: "Okta org pinned to SHA-1 until migration INC-123", Expires: date("2027-01-31"), Line: 13},
			{Rule: "cross.token-match", Reason: "rotating", Expires: date("2026-12-01"), Line: 17},
		},
		Targets: []TargetSpec{
			{Name: "prod", Snapshot: "snapshots/prod", Druva: "prod-druva.yaml", Platform: "dcp", Line: 21, DruvaLine: 23, SourceLine: 22},
			{Name: "live", Okta: &OktaSpec{OrgURL: "https://acme.okta.com", AppID: "0oa123"}, Line: 25, SourceLine: 26},
			{Name: "by-label", Okta: &OktaSpec{AppLabel: "Druva inSync"}, Line: 27, SourceLine: 28},
			{Name: "discovered", Okta: &OktaSpec{Discover: true}, Line: 29, SourceLine: 31},
			{Name: "tf", Terraform: "/abs/plan.json", Line: 32, SourceLine: 33},
		},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
}

func TestParseMinimal(t *testing.T) {
	for _, doc := range []string{"{}", "fail_on: low\n", "rules:\nsuppress:\ntargets:\nexpect:\n"} {
		c, err := Parse("cfg.yaml", []byte(doc), known)
		if err != nil {
			t.Errorf("%q: %v", doc, err)
			continue
		}
		if c.Platform != "" || c.Expect != (audit.Expectations{}) || len(c.Targets) != 0 || len(c.Suppress) != 0 {
			t.Errorf("%q: want nothing set, got %+v", doc, c)
		}
	}
	// A nil knownRule accepts every ID.
	if _, err := Parse("cfg.yaml", []byte("rules:\n  made.up: {enabled: false}\n"), nil); err != nil {
		t.Errorf("nil knownRule: %v", err)
	}
}

// Two on-premise servers: each target's expect: keys win over the top
// level's, which fill the rest; okta_domains: likewise (section
// "Config keys" of docs/inputs.md).
func TestParseTargetExpectAndDomains(t *testing.T) {
	doc := `expect:
  audience: shared-id
  token_attribute: insync_auth_token
okta_domains: [login.acme.com]
targets:
  - name: east
    snapshot: snaps/east
    platform: insync-onprem
    expect:
      acs_url: https://east.acme.internal/wrsaml/consume
      audience: east-id
    okta_domains: [SSO.Acme.com.]
  - name: west
    snapshot: snaps/west
`
	c, err := Parse("cfg.yaml", []byte(doc), known)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.OktaDomains, []string{"login.acme.com"}) || c.Expect.Audience != "shared-id" {
		t.Errorf("top level: %+v %+v", c.OktaDomains, c.Expect)
	}
	east, west := c.Targets[0], c.Targets[1]
	if got := east.Expect.Or(c.Expect); got != (audit.Expectations{ACSURL: "https://east.acme.internal/wrsaml/consume", Audience: "east-id", TokenAttribute: "insync_auth_token"}) {
		t.Errorf("east's expectations: %+v", got)
	}
	if !reflect.DeepEqual(east.OktaDomains, []string{"sso.acme.com"}) || west.OktaDomains != nil || west.Expect != (audit.Expectations{}) {
		t.Errorf("targets: %+v / %+v", east, west)
	}
	for _, bad := range []struct{ doc, want string }{
		{"okta_domains: login.acme.com\n", "okta_domains: want a list of host names"},
		{"okta_domains: [https://login.acme.com/]\n", `okta_domains[0]: "https://login.acme.com/": want a host name`},
		{"targets:\n  - name: a\n    snapshot: s\n    expect:\n      audiense: x\n", `unknown key "audiense" in targets[0].expect`},
		{"targets:\n  - name: a\n    snapshot: s\n    expect:\n      acs_url: http://x/wrsaml/consume\n", "targets[0].expect.acs_url: want an https:// URL"},
	} {
		if _, err := Parse("cfg.yaml", []byte(bad.doc), known); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: got %v, want %q", bad.doc, err, bad.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		line int
		want string
	}{
		{"unknown top key", "fail_on: high\nfailon: high\n", 2, `unknown key "failon" in the top level (known keys: fail_on, fail_on_warn, require, platform, expect, okta_domains, rules, suppress, attest, targets); did you mean "fail_on"?`},
		{"unknown expect key", "expect:\n  acs: https://x\n", 2, `unknown key "acs" in expect (known keys: acs_url, audience, token_attribute, cert_warn_days)`},
		{"unknown rule key", "rules:\n  okta.saml.sha256: {enable: false}\n", 2, `unknown key "enable" in rules.okta.saml.sha256 (known keys: enabled, severity); did you mean "enabled"?`},
		{"expect is a list", "expect:\n  - acs_url: x\n", 2, `expect: want a mapping`},
		{"bad fail_on", "fail_on: severe\n", 1, `fail_on: unknown severity "severe"`},
		{"fail_on a list", "fail_on: [high]\n", 1, `fail_on: want a string, got a list`},
		{"bad platform", "platform: cloud\n", 1, `platform: unknown platform "cloud" (want one of insync-cloud`},
		{"bad target platform", "targets:\n  - name: a\n    snapshot: s\n    platform: dcp2\n", 4, `targets[0].platform: unknown platform "dcp2"`},
		{"http acs_url", "expect:\n  acs_url: http://cloud.druva.com/wrsaml/consume\n", 2, `expect.acs_url: want an https:// URL, got a string "http://cloud.druva.com/wrsaml/consume"`},
		{"relative acs_url", "expect:\n  acs_url: cloud.druva.com\n", 2, `want an https:// URL`},
		{"empty audience", "expect:\n  audience: \"\"\n", 2, `expect.audience: must not be empty`},
		{"zero cert_warn_days", "expect:\n  cert_warn_days: 0\n", 2, `expect.cert_warn_days: want a positive whole number, got a number "0"`},
		{"negative cert_warn_days", "expect:\n  cert_warn_days: -3\n", 2, `want a positive whole number`},
		{"fractional cert_warn_days", "expect:\n  cert_warn_days: 1.5\n", 2, `want a positive whole number`},
		{"string cert_warn_days", "expect:\n  cert_warn_days: \"30\"\n", 2, `want a positive whole number, got a string "30"`},
		{"huge cert_warn_days", "expect:\n  cert_warn_days: 99999999999999999999999\n", 2, `want a positive whole number`},
		{"unknown rule", "rules:\n  okta.saml.sha265: {enabled: false}\n", 2, `rules: unknown rule "okta.saml.sha265" (` + "`ssoaudit rules`" + ` lists them); did you mean "okta.saml.sha256"?`},
		{"rule missing prefix", "rules:\n  saml.sha256: {enabled: false}\n", 2, `did you mean "okta.saml.sha256"?`},
		{"rule far off", "rules:\n  something.else: {enabled: false}\n", 2, `unknown rule "something.else" (`},
		{"duplicate rule", "rules:\n  okta.saml.sha256: {enabled: false}\n  okta.saml.sha256: {severity: low}\n", 3, `duplicate key "okta.saml.sha256" in rules (first at line 2)`},
		{"bad rule severity", "rules:\n  okta.saml.sha256: {severity: urgent}\n", 2, `rules.okta.saml.sha256.severity: unknown severity "urgent"`},
		{"enabled not bool", "rules:\n  okta.saml.sha256:\n    enabled: no\n", 3, `rules.okta.saml.sha256.enabled: want true or false, got a string "no"`},
		{"rule entry a list", "rules:\n  okta.saml.sha256: [x]\n", 2, `rules.okta.saml.sha256: want a mapping`},
		{"suppress not a list", "suppress:\n  rule: x\n", 2, `suppress: want a list of suppressions`},
		{"suppress missing reason", "suppress:\n  - rule: okta.saml.sha256\n    expires: 2027-01-31\n", 2, `suppress[0]: reason is required`},
		{"suppress empty reason", "suppress:\n  - rule: okta.saml.sha256\n    reason: \" \"\n    expires: 2027-01-31\n", 3, `suppress[0].reason: must not be empty`},
		{"suppress missing expires", "suppress:\n  - rule: okta.saml.sha256\n    reason: r\n", 2, `suppress[0]: expires is required (YYYY-MM-DD)`},
		{"suppress missing rule", "suppress:\n  - reason: r\n    expires: 2027-01-31\n", 2, `suppress[0]: rule is required`},
		{"suppress second entry", "suppress:\n  - {rule: okta.saml.sha256, reason: r, expires: 2027-01-31}\n  - rule: okta.saml.sha256\n    reason: r\n", 3, `suppress[1]: expires is required`},
		{"suppress unknown rule", "suppress:\n  - rule: okta.saml.sha1\n    reason: r\n    expires: 2027-01-31\n", 2, `suppress[0].rule: unknown rule "okta.saml.sha1"`},
		{"expires with time", "suppress:\n  - rule: okta.saml.sha256\n    reason: r\n    expires: 2027-01-31T10:00:00Z\n", 4, `suppress[0].expires: want a date as YYYY-MM-DD, got a string "2027-01-31T10:00:00Z"`},
		{"expires us date", "suppress:\n  - rule: okta.saml.sha256\n    reason: r\n    expires: 01/31/2027\n", 4, `want a date as YYYY-MM-DD`},
		{"expires impossible day", "suppress:\n  - rule: okta.saml.sha256\n    reason: r\n    expires: 2027-02-30\n", 4, `want a date as YYYY-MM-DD`},
		{"expires a number", "suppress:\n  - rule: okta.saml.sha256\n    reason: r\n    expires: 20270131\n", 4, `got a number "20270131"`},
		{"unknown suppress key", "suppress:\n  - rule: okta.saml.sha256\n    reson: r\n", 3, `unknown key "reson" in suppress[0] (known keys: rule, target, reason, expires); did you mean "reason"?`},
		{"org_url with user info", "targets:\n  - name: p\n    okta: {org_url: \"https://admin:00Zr8Kq2Lm5Np7Xv3Tw9@acme.okta.com\", app_id: 0oa1}\n", 3, `targets[0].okta.org_url: https://acme.okta.com: must not carry a user name or password`},
		{"org_url with a token as the user", "targets:\n  - name: p\n    okta: {org_url: \"https://00Zr8Kq2Lm5Np7Xv3Tw9@acme.okta.com\", app_id: 0oa1}\n", 3, `must not carry a user name or password`},
		{"org_url with a token in the path", "targets:\n  - name: p\n    okta: {org_url: \"https://acme.okta.com/00Zr8Kq2Lm5Np7Xv3Tw9\", app_id: 0oa1}\n", 3, `https://acme.okta.com/…: give only the org's base URL`},
		{"org_url with a token in the query", "targets:\n  - name: p\n    okta: {org_url: \"https://acme.okta.com/?token=00Zr8Kq2Lm5Np7Xv3Tw9\", app_id: 0oa1}\n", 3, `without a path or query`},
		{"org_url with a fragment", "targets:\n  - name: p\n    okta: {org_url: \"https://acme.okta.com#00Zr8Kq2Lm5Np7Xv3Tw9\", app_id: 0oa1}\n", 3, `without a path or query`},
		{"org_url over http", "targets:\n  - name: p\n    okta: {org_url: \"http://acme.okta.com\", app_id: 0oa1}\n", 3, `must be https://`},
		{"target name with a slash", "targets:\n  - {name: prod/eu, snapshot: s}\n", 2, `targets[0].name: "prod/eu": a target name must not contain "/"`},
		{"suppress an app of an unknown entry", "suppress:\n  - {rule: okta.saml.sha256, target: prd/Druva, reason: r, expires: 2027-01-31}\ntargets:\n  - {name: prod, okta: {discover: true}}\n", 2, `suppress[0]: target "prd/Druva" is not one of the targets (prod)`},
		{"suppress unknown target", "suppress:\n  - {rule: okta.saml.sha256, target: prd, reason: r, expires: 2027-01-31}\ntargets:\n  - {name: prod, snapshot: s}\n", 2, `suppress[0]: target "prd" is not one of the targets (prod)`},
		{"target without source", "targets:\n  - name: a\n    druva: d.yaml\n", 2, `targets[0]: want one of snapshot, okta or terraform`},
		{"target with two sources", "targets:\n  - name: a\n    snapshot: s\n    terraform: t.json\n", 2, `targets[0]: want only one of snapshot, okta or terraform, got snapshot and terraform`},
		{"target without name", "targets:\n  - snapshot: s\n", 2, `targets[0]: name is required`},
		{"target empty name", "targets:\n  - name:\n    snapshot: s\n", 2, `targets[0].name: must not be empty`},
		{"target empty snapshot", "targets:\n  - name: a\n    snapshot: ''\n", 3, `targets[0].snapshot: must not be empty`},
		{"duplicate target", "targets:\n  - {name: a, snapshot: s}\n  - {name: b, snapshot: s}\n  - {name: a, terraform: t}\n", 4, `targets[2]: duplicate target name "a" (first at line 2)`},
		{"targets a mapping", "targets:\n  prod: {snapshot: s}\n", 2, `targets: want a list of targets`},
		{"target a string", "targets:\n  - prod\n", 2, `targets[0]: want a mapping`},
		{"unknown target key", "targets:\n  - name: a\n    snapshots: s\n", 3, `unknown key "snapshots" in targets[0] (known keys: name, snapshot, okta, terraform, druva, platform, deployment, expect, okta_domains); did you mean "snapshot"?`},
		{"deployment named like a target", "targets:\n  - name: a\n    snapshot: s\n    deployment: b\n  - {name: b, snapshot: s}\n", 4, `target "a": deployment: "b" is also the name of the target at line 5; give the deployment a name of its own`},
		{"deployment empty", "targets:\n  - name: a\n    snapshot: s\n    deployment: ''\n", 4, `targets[0].deployment: must not be empty`},
		{"suppress unknown deployment", "suppress:\n  - {rule: okta.saml.sha256, target: acm, reason: r, expires: 2027-01-31}\ntargets:\n  - {name: prod, snapshot: s, deployment: acme}\n", 2, `suppress[0]: target "acm" is not one of the targets (prod) or deployments (acme)`},
		{"okta without app", "targets:\n  - name: a\n    okta: {org_url: https://acme.okta.com}\n", 3, `targets[0].okta: want one of app_id, app_label or discover: true`},
		{"okta empty", "targets:\n  - name: a\n    okta:\n", 3, `targets[0].okta: want one of app_id, app_label or discover: true`},
		{"okta discover false", "targets:\n  - name: a\n    okta: {discover: false}\n", 3, `want one of app_id, app_label or discover: true`},
		{"okta two ways", "targets:\n  - name: a\n    okta:\n      app_id: 0oa1\n      discover: true\n", 4, `targets[0].okta: want only one of app_id, app_label or discover: true, got app_id and discover: true`},
		{"okta http org", "targets:\n  - name: a\n    okta: {org_url: http://acme.okta.com, app_id: x}\n", 3, `targets[0].okta.org_url: http://acme.okta.com: must be https://`},
		{"okta bad discover", "targets:\n  - name: a\n    okta: {discover: maybe}\n", 3, `targets[0].okta.discover: want true or false`},
		{"okta unknown key", "targets:\n  - name: a\n    okta: {appid: x}\n", 3, `unknown key "appid" in targets[0].okta`},
		{"okta a string", "targets:\n  - name: a\n    okta: 0oa123\n", 3, `targets[0].okta: want a mapping`},
		{"unset variable in a path", "targets:\n  - name: a\n    snapshot: /srv/snap/${SSOAUDIT_TEST_UNSET_NIGHT}/users\n", 3, `targets[0].snapshot: environment variable SSOAUDIT_TEST_UNSET_NIGHT is not set (the value is "/srv/snap/${SSOAUDIT_TEST_UNSET_NIGHT}/users")`},
		{"bad variable reference", "targets:\n  - name: a\n    snapshot: s\n    druva: ${1X}/druva.yaml\n", 4, `targets[0].druva: "${1X}" is not an environment variable reference`},
		{"anchor", "rules: &r\n  okta.saml.sha256: {enabled: false}\n", 1, `anchors and aliases`},
		{"empty", "", 0, `file is empty`},
		{"not a mapping", "- fail_on: high\n", 1, `want a mapping of settings`},
		{"two documents", "fail_on: high\n---\n", 2, `a second YAML document`},
		{"syntax", "fail_on: high\nrules\nsuppress: []\n", 2, `not valid YAML`},
		{"mis-indented line 8", "fail_on: high\ntargets:\n  - name: users\n    snapshot: good\n    okta:\n      org_url: https://a.okta.com\n      app_id: x\n     app_label: y\n", 8, `not valid YAML: did not find expected key (in the block that starts at line 2: check this line's indentation)`},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00", 0, `not a text file`},
		{"too big", strings.Repeat("#", MaxFileSize+1), 0, `larger than the 1 MiB limit`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("cfg.yaml", []byte(tt.doc), known)
			if err == nil {
				t.Fatalf("want error, got %+v", c)
			}
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("want *FileError, got %T %v", err, err)
			}
			if fe.Line != tt.line {
				t.Errorf("got line %d, want %d (%v)", fe.Line, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got  %q\nwant it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "00Zr8Kq2") {
				t.Errorf("the credential is shown: %q", err)
			}
			prefix := "cfg.yaml: "
			if tt.line > 0 {
				prefix = "cfg.yaml:" + strconv.Itoa(tt.line) + ": "
			}
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("got %q, want prefix %q", err, prefix)
			}
		})
	}
}

func TestOverrides(t *testing.T) {
	c, err := Parse("cfg.yaml", []byte(full), known)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]audit.Override{
		"okta.saml.assertion-signed":  {Disabled: true},
		"okta.users.username-current": {Severity: audit.Medium},
		"okta.saml.sha256":            {},
	}
	if got := c.Overrides(); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	on, err := Parse("cfg.yaml", []byte("rules:\n  okta.saml.sha256: {enabled: true, severity: critical}\n"), known)
	if err != nil {
		t.Fatal(err)
	}
	if got := on.Overrides()["okta.saml.sha256"]; got != (audit.Override{Severity: audit.Critical}) {
		t.Errorf("enabled: true: got %+v", got)
	}
	if got := (&Config{}).Overrides(); len(got) != 0 {
		t.Errorf("empty config: got %+v", got)
	}
}

func TestApply(t *testing.T) {
	c := &Config{Suppress: []Suppression{
		{Rule: "okta.saml.sha256", Target: "prod", Reason: "SHA-1 until INC-123", Expires: date("2027-01-31")},
		{Rule: "cross.token-match", Reason: "rotating", Expires: date("2026-12-01")},
		{Rule: "okta.cert.validity", Reason: "old", Expires: date("2026-01-01")},
		{Rule: "okta.cert.validity", Reason: "renewed", Expires: date("2027-01-01")},
		{Rule: "druva.profile.sso", Reason: "first lapsed", Expires: date("2025-01-01")},
		{Rule: "druva.profile.sso", Reason: "second lapsed", Expires: date("2025-06-01")},
	}}
	results := func() []audit.Result {
		return []audit.Result{
			{Rule: "okta.saml.sha256", Status: audit.StatusFail},
			{Rule: "cross.token-match", Status: audit.StatusFail},
			{Rule: "okta.saml.response-signed", Status: audit.StatusFail},
			{Rule: "okta.cert.validity", Status: audit.StatusWarn},
			{Rule: "druva.profile.sso", Status: audit.StatusFail},
			// An error is never suppressed, even by an active suppression of its rule.
			{Rule: "okta.saml.sha256", Status: audit.StatusError},
		}
	}
	type want struct {
		suppressed bool
		note       *audit.SuppressionNote
	}
	active := func(reason, exp string) want {
		return want{true, &audit.SuppressionNote{Reason: reason, Expires: exp}}
	}
	expired := func(reason, exp string) want {
		return want{false, &audit.SuppressionNote{Reason: reason, Expires: exp, Expired: true}}
	}
	tests := []struct {
		name   string
		target string
		now    time.Time
		want   []want
	}{
		{"active, target-scoped match", "prod", time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), []want{
			active("SHA-1 until INC-123", "2027-01-31"), active("rotating", "2026-12-01"), {},
			active("renewed", "2027-01-01"), expired("first lapsed", "2025-01-01"), {},
		}},
		{"other target: scoped suppression does not apply", "staging", time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), []want{
			{}, active("rotating", "2026-12-01"), {}, active("renewed", "2027-01-01"), expired("first lapsed", "2025-01-01"), {},
		}},
		{"holds through its last day", "prod", time.Date(2026, 12, 1, 23, 59, 59, 0, time.UTC), []want{
			active("SHA-1 until INC-123", "2027-01-31"), active("rotating", "2026-12-01"), {},
			active("renewed", "2027-01-01"), expired("first lapsed", "2025-01-01"), {},
		}},
		{"expired the next day", "prod", time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), []want{
			active("SHA-1 until INC-123", "2027-01-31"), expired("rotating", "2026-12-01"), {},
			active("renewed", "2027-01-01"), expired("first lapsed", "2025-01-01"), {},
		}},
		{"everything expired", "prod", time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), []want{
			expired("SHA-1 until INC-123", "2027-01-31"), expired("rotating", "2026-12-01"), {},
			expired("old", "2026-01-01"), expired("first lapsed", "2025-01-01"), {},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := results()
			c.Apply(tt.target, rs, tt.now)
			for i, r := range rs {
				w := tt.want[i]
				if r.Suppressed != w.suppressed || !reflect.DeepEqual(r.Suppression, w.note) {
					t.Errorf("%s: got suppressed=%v %+v, want %v %+v", r.Rule, r.Suppressed, r.Suppression, w.suppressed, w.note)
				}
				if r.Status != results()[i].Status {
					t.Errorf("%s: status changed to %s", r.Rule, r.Status)
				}
			}
		})
	}
	t.Run("pass and skip are untouched", func(t *testing.T) {
		rs := []audit.Result{{Rule: "okta.saml.sha256", Status: audit.StatusPass}, {Rule: "okta.saml.sha256", Status: audit.StatusSkip}}
		c.Apply("prod", rs, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
		for _, r := range rs {
			if r.Suppressed || r.Suppression != nil {
				t.Errorf("%s result touched: %+v", r.Status, r)
			}
		}
	})
	t.Run("the gate ignores what Apply suppressed", func(t *testing.T) {
		rs := []audit.Result{{Rule: "okta.saml.sha256", Status: audit.StatusFail, Severity: audit.Critical}}
		c.Apply("prod", rs, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC))
		if code := audit.ExitCode([]audit.TargetReport{{Results: rs}}, audit.High); code != audit.ExitOK {
			t.Errorf("exit code %d", code)
		}
	})
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	if got, err := Find(dir); got != "" || err != nil {
		t.Errorf("empty dir: got %q, %v", got, err)
	}
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte("fail_on: high\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(dir); got != path || err != nil {
		t.Errorf("got %q, %v; want %q", got, err, path)
	}
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	if got, err := Find(sub); got != "" || err != nil {
		t.Errorf("parents are not searched: got %q, %v", got, err)
	}
	if err := os.Mkdir(filepath.Join(sub, FileName), 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(sub); err == nil {
		t.Error("a directory named .ssoaudit.yaml: want error")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	doc := "targets:\n  - {name: a, snapshot: snaps/a, druva: a.yaml}\n  - {name: b, terraform: /abs/plan.json}\n  - {name: c, okta: {app_id: x}}\n"
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path, known)
	if err != nil {
		t.Fatal(err)
	}
	if c.File != path {
		t.Errorf("File = %q", c.File)
	}
	if got, want := c.Targets[0].Snapshot, filepath.Join(dir, "snaps/a"); got != want {
		t.Errorf("snapshot %q, want %q", got, want)
	}
	if got, want := c.Targets[0].Druva, filepath.Join(dir, "a.yaml"); got != want {
		t.Errorf("druva %q, want %q", got, want)
	}
	if got := c.Targets[1].Terraform; got != "/abs/plan.json" {
		t.Errorf("absolute path changed: %q", got)
	}

	// Parse keeps paths as written.
	p, err := Parse(path, []byte(doc), known)
	if err != nil {
		t.Fatal(err)
	}
	if p.Targets[0].Snapshot != "snaps/a" {
		t.Errorf("Parse resolved a path: %q", p.Targets[0].Snapshot)
	}

	if _, err := Load(filepath.Join(dir, "missing.yaml"), known); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: got %v", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("fail_on: high\nexpect:\n  cert_warn_days: soon\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(bad, known); err == nil || !strings.HasPrefix(err.Error(), bad+":3: ") {
		t.Errorf("bad: got %v", err)
	}
}

// exampleLine is a commented-out setting in Template: "#" then YAML, where
// prose comments have "# " and one space.
var exampleLine = regexp.MustCompile(`(?m)^#(\S|  )`)

func TestTemplate(t *testing.T) {
	c, err := Parse(FileName, []byte(Template), known)
	if err != nil {
		t.Fatal(err)
	}
	if c.FailOn != audit.High || c.Platform != "" || len(c.Rules) != 0 || len(c.Targets) != 0 || len(c.Suppress) != 0 {
		t.Errorf("template as written should only set the default gate: %+v", c)
	}

	uncommented := exampleLine.ReplaceAllString(Template, "$1")
	c, err = Parse(FileName, []byte(uncommented), known)
	if err != nil {
		t.Fatalf("template with examples uncommented: %v\n%s", err, uncommented)
	}
	if c.Platform == "" || c.Expect.ACSURL == "" || c.Expect.CertWarnDays == 0 || len(c.Rules) != 2 || len(c.Suppress) != 1 || len(c.Targets) != 3 ||
		c.FailOnWarn == nil || !*c.FailOnWarn || len(c.Require) != 3 {
		t.Errorf("an example is missing: %+v", c)
	}
}

// The gate's keys are explained where they are offered, and no example says
// that warnings never fail the gate: --fail-on-warn makes them.
func TestTemplateAndExamplesDescribeTheGate(t *testing.T) {
	for _, k := range []string{"#fail_on_warn: ", "--fail-on-warn", "#require: ", "--require"} {
		if !strings.Contains(Template, k) {
			t.Errorf("template lacks %q", k)
		}
	}
	for _, p := range []string{"template.go", "../examples/.ssoaudit.yaml", "../examples/README.md", "../examples/github-actions/ssoaudit.yml", "../examples/gitlab-ci/.gitlab-ci.yml"} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if m := regexp.MustCompile(`(?i)warn\w* never fail`).Find(b); m != nil {
			t.Errorf("%s says %q, which --fail-on-warn contradicts", p, m)
		}
	}
}

func TestHostileInput(t *testing.T) {
	laughs := "a: &a [x,x,x,x,x,x,x,x,x]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		laughs += n + ": &" + n + " [" + strings.Repeat("*"+prev+",", 8) + "*" + prev + "]\n"
		prev = n
	}
	docs := map[string]string{
		"billion laughs":    laughs,
		"deep flow nesting": "rules: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000),
		"deep mapping":      "targets: " + strings.Repeat("{a: ", 5000) + "1" + strings.Repeat("}", 5000),
		"long rule ID":      "rules:\n  " + strings.Repeat("x", 100000) + ": {}\n",
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse("cfg.yaml", []byte(doc), known)
			if err == nil || !strings.HasPrefix(err.Error(), "cfg.yaml") {
				t.Fatalf("want an error naming the file, got %v", err)
			}
			if d := time.Since(start); d > 5*time.Second*race.Factor {
				t.Errorf("took %v", d)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{full, Template, exampleLine.ReplaceAllString(Template, "$1"), "", "{}",
		"rules:\n  okta.saml.sha256: {enabled: false}\n", "suppress:\n  - {rule: x, reason: r, expires: 2027-01-31}\n",
		"targets:\n  - {name: a, okta: {discover: true}}\n", "a: &a [*a]\n", "\x00"} {
		f.Add([]byte(s))
	}
	if b, err := os.ReadFile("../examples/.ssoaudit.yaml"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("cfg.yaml", data, known)
		if (c == nil) == (err == nil) {
			t.Fatalf("want exactly one of config and error, got %v and %v", c, err)
		}
		if err != nil {
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("want *FileError, got %T", err)
			}
		}
	})
}

// A suppression's scope is checked past the targets' other problems, as
// long as every target's name was read: a target whose name could not be
// read might be the one it names.
func TestSuppressScopeCheckedPastOtherProblems(t *testing.T) {
	supp := "suppress:\n  - rule: okta.saml.sha256\n    target: zzz\n    reason: x\n    expires: 2027-01-01\n"
	tests := []struct {
		name, targets string
		want          []string
	}{
		{"a bad key and a duplicate", "targets:\n  - name: a\n    snapshot: s\n    bogus: 1\n  - name: a\n    snapshot: t\n",
			[]string{`cfg.yaml:4: unknown key "bogus"`, `cfg.yaml:5: targets[1]: duplicate target name "a" (first at line 2)`, `cfg.yaml:8: suppress[0]: target "zzz" is not one of the targets (a)`}},
		{"a name not read", "targets:\n  - nme: zzz\n    snapshot: s\n  - name: b\n    snapshot: t\n",
			[]string{`cfg.yaml:2: unknown key "nme"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("cfg.yaml", []byte(tt.targets+supp), known)
			if err == nil {
				t.Fatal("want errors")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(lines), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(lines[i], w) {
					t.Errorf("problem %d: %q, want %q", i+1, lines[i], w)
				}
			}
		})
	}
}

// LoadAll returns, with a config's problems, the targets as far as they
// were read (paths resolved), so the files they name are checked in the
// same run; Load returns nothing.
func TestLoadAllKeepsWhatWasRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte("targets:\n  - name: a\n    snapshot: s\n    druva: d.yaml\n    bogus: 1\n  - name: b\n    snapshot: s\n"), 0o644)
	c, err := LoadAll(path, known)
	if err == nil || c == nil {
		t.Fatalf("got %v, %v; want the config read so far and its problems", c, err)
	}
	if len(c.Targets) != 2 || c.Targets[0].Druva != filepath.Join(dir, "d.yaml") || c.Targets[0].DruvaLine != 4 {
		t.Errorf("targets %+v", c.Targets)
	}
	if c, err := Load(path, known); c != nil || err == nil {
		t.Errorf("Load: %v, %v", c, err)
	}
}

// TestDeploymentKey: deployment: puts a target in a named deployment, which
// a suppression may name.
func TestDeploymentKey(t *testing.T) {
	doc := "targets:\n  - {name: users, snapshot: s, deployment: acme}\n  - {name: admins, snapshot: s2, deployment: acme}\n" +
		"suppress:\n  - {rule: druva.admin.sign-in-path, target: acme, reason: r, expires: 2027-01-31}\n"
	c, err := Parse("cfg.yaml", []byte(doc), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Targets) != 2 || c.Targets[0].Deployment != "acme" || c.Targets[1].Deployment != "acme" {
		t.Errorf("targets %+v", c.Targets)
	}
}

// ${NAME} in snapshot, druva and terraform values is the environment
// variable's value (a nightly's dated paths); elsewhere it stays as written.
func TestPathVariables(t *testing.T) {
	t.Setenv("SSOAUDIT_NIGHT", "2026-12-07")
	doc := "targets:\n" +
		"  - {name: users, snapshot: \"snaps/${SSOAUDIT_NIGHT}/users\", druva: \"druva-${SSOAUDIT_NIGHT}.yaml\", deployment: \"d-${SSOAUDIT_NIGHT}\"}\n" +
		"  - {name: plan, terraform: \"plans/$HOME/${SSOAUDIT_NIGHT}.json\"}\n"
	c, err := Parse("cfg.yaml", []byte(doc), func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	u, p := c.Targets[0], c.Targets[1]
	if u.Snapshot != "snaps/2026-12-07/users" || u.Druva != "druva-2026-12-07.yaml" || u.Deployment != "d-${SSOAUDIT_NIGHT}" || p.Terraform != "plans/$HOME/2026-12-07.json" {
		t.Errorf("expanded: %+v %+v", u, p)
	}
}
