package okta_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

// ieApp is the good app on an Identity Engine org: it links an
// authentication policy whose rules the fake serves.
func ieApp(tb testing.TB) *oktatest.App {
	tb.Helper()
	a, err := oktatest.FromSnapshot(fixture.IdentityEngineDir(tb, "two-factors.json"))
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func TestLivePolicyRules(t *testing.T) {
	e := newEnv(t, ieApp(t))
	live := e.target(t, goodID)
	noGaps(t, live)
	if g, ok := live.Gap(audit.InputPolicyRules); ok {
		t.Fatalf("policy rules gap: %s", g.Reason)
	}
	want, err := okta.LoadSnapshot(fixture.IdentityEngineDir(t, "two-factors.json"))
	if err != nil {
		t.Fatal(err)
	}
	sameTarget(t, live, want)
	if !reflect.DeepEqual(live.PolicyRules, want.PolicyRules) {
		t.Errorf("policy rules differ:\n got %+v\nwant %+v", live.PolicyRules, want.PolicyRules)
	}
	// The previous minimum for one app (app, keys, metadata, one users
	// page) plus exactly one: the policy's rules; and, per org, the list
	// of global session policies and the rules of its one policy, and its
	// custom domains.
	if n, p := e.srv.Count(""), e.srv.Count(oktatest.EndpointPolicyRules); n != 8 || p != 2 {
		t.Errorf("%d requests (%d for policy rules), want 8 (4 + 1, and 3 per org)", n, p)
	}
	for _, r := range e.srv.Requests() {
		if r.Endpoint == oktatest.EndpointPolicyRules && r.Path != "/api/v1/policies/"+fixture.PolicyID+"/rules" && r.Path != "/api/v1/policies/00p8f3k2mfaDEFp0d7/rules" {
			t.Errorf("policy rules read from %s", r.Path)
		}
	}
}

func TestLivePolicyRequestCount(t *testing.T) {
	for _, n := range []int{0, 500, 1234} {
		app := ieApp(t)
		app.Users = oktatest.Synthetic{N: n}
		e := newEnv(t, app)
		if _, err := collect(e.target(t, goodID).Users); err != nil {
			t.Fatal(err)
		}
		want := max(1, (n+499)/500) + 3 + 1 + 2 + 1
		if got := e.srv.Count(""); got != want {
			t.Errorf("N=%d: %d requests, want %d", n, got, want)
		}
	}
}

func TestLivePolicyRulesRefused(t *testing.T) {
	t.Run("API token without the permission", func(t *testing.T) {
		e := newEnv(t, ieApp(t))
		e.srv.AddToken("00limited", oktatest.ScopeApps, oktatest.ScopeUsers)
		e.opts.Token = audit.NewSecret("00limited")
		tg := e.target(t, goodID)
		noGaps(t, tg)
		g, ok := tg.Gap(audit.InputPolicyRules)
		if !ok || g.Failed || !strings.Contains(g.Reason, "okta.policies.read") || !strings.Contains(g.Reason, "HTTP 403") {
			t.Errorf("gap %+v, %v: want a skip naming okta.policies.read", g, ok)
		}
	})
	t.Run("service app not granted the scope", func(t *testing.T) {
		e := newEnv(t, ieApp(t))
		key, _ := rsa.GenerateKey(rand.Reader, 2048)
		e.srv.AddServiceApp("0oaService", key.Public(), oktatest.ScopeApps, oktatest.ScopeUsers)
		e.opts.Token = audit.Secret{}
		e.opts.ClientID, e.opts.PrivateKeyFile = "0oaService", writeKey(t, key)
		tg := e.target(t, goodID)
		noGaps(t, tg)
		g, ok := tg.Gap(audit.InputPolicyRules)
		if !ok || g.Failed || !strings.Contains(g.Reason, "okta.policies.read") || !strings.Contains(g.Reason, "invalid_scope") {
			t.Errorf("gap %+v, %v: want a skip naming okta.policies.read", g, ok)
		}
		if n := e.srv.Count(oktatest.EndpointToken); n != 4 {
			t.Errorf("%d token requests, want 4 (apps and users; policies alone, for the app's policy and once for the org's session policies; domains alone, once for the org)", n)
		}
	})
	t.Run("service app granted the scope", func(t *testing.T) {
		e := newEnv(t, ieApp(t))
		key, _ := rsa.GenerateKey(rand.Reader, 2048)
		e.srv.AddServiceApp("0oaService", key.Public(), oktatest.ScopeApps, oktatest.ScopeUsers, oktatest.ScopePolicies)
		e.opts.Token = audit.Secret{}
		e.opts.ClientID, e.opts.PrivateKeyFile = "0oaService", writeKey(t, key)
		tg := e.target(t, goodID)
		if _, ok := tg.Gap(audit.InputPolicyRules); ok || len(tg.PolicyRules) != 2 {
			t.Errorf("policy rules: %d", len(tg.PolicyRules))
		}
	})
	t.Run("server error", func(t *testing.T) {
		e := newEnv(t, ieApp(t))
		e.opts.MaxRetries = -1
		e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointPolicyRules, Kind: oktatest.Status, Status: 500})
		g, ok := e.target(t, goodID).Gap(audit.InputPolicyRules)
		if !ok || !g.Failed || !strings.Contains(g.Reason, "HTTP 500") {
			t.Errorf("gap %+v, %v: want an error", g, ok)
		}
	})
	t.Run("malformed body", func(t *testing.T) {
		app := ieApp(t)
		app.PolicyRules = []byte(`[{"id":"r","type":"SIGN_ON"}]`)
		g, ok := newEnv(t, app).target(t, goodID).Gap(audit.InputPolicyRules)
		if !ok || !g.Failed || !strings.Contains(g.Reason, "not an authentication policy") {
			t.Errorf("gap %+v, %v: want an error", g, ok)
		}
	})
}

func TestSnapshotPolicyRulesRoundTrip(t *testing.T) {
	e := newEnv(t, ieApp(t))
	dir := filepath.Join(t.TempDir(), "snap")
	if err := e.client(t).Snapshot(context.Background(), goodID, dir); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, okta.FilePolicyRules))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(filepath.Join(fixture.PolicyDir(), "two-factors.json"))
	if !bytes.Equal(got, want) {
		t.Error("policy-rules.json is not Okta's response verbatim")
	}
	if st, _ := os.Stat(filepath.Join(dir, okta.FilePolicyRules)); st.Mode().Perm() != 0o600 {
		t.Errorf("policy-rules.json mode %v, want 0600", st.Mode().Perm())
	}

	// Without the permission the snapshot is still taken, without the file.
	e.srv.AddToken("00limited", oktatest.ScopeApps, oktatest.ScopeUsers)
	e.opts.Token = audit.NewSecret("00limited")
	dir = filepath.Join(t.TempDir(), "snap")
	if err := e.client(t).Snapshot(context.Background(), goodID, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, okta.FilePolicyRules)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("policy-rules.json without the permission: %v", err)
	}
}

// TestLivePolicyRulesPaged: the rules of the app's authentication policy
// are read page by page (Link rel="next"), and equal the snapshot's joined
// file; the snapshot command writes them joined.
func TestLivePolicyRulesPaged(t *testing.T) {
	e := newEnv(t, ieApp(t))
	e.srv.SetRulesPageSize(1)
	live := e.target(t, goodID)
	want, err := okta.LoadSnapshot(fixture.IdentityEngineDir(t, "two-factors.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(live.PolicyRules, want.PolicyRules) {
		t.Errorf("policy rules differ:\n got %+v\nwant %+v", live.PolicyRules, want.PolicyRules)
	}
	app := 0
	for _, r := range e.srv.Requests() {
		if r.Path == "/api/v1/policies/"+fixture.PolicyID+"/rules" {
			app++
		}
	}
	if app != 2 {
		t.Errorf("%d requests for the app's two rules one a page, want 2", app)
	}
	dir := filepath.Join(t.TempDir(), "snap")
	if err := e.client(t).Snapshot(context.Background(), goodID, dir); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, okta.FilePolicyRules))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if rules, err := okta.ParsePolicyRules(f); err != nil || !reflect.DeepEqual(rules, want.PolicyRules) {
		t.Errorf("snapshot's joined policy-rules.json: %v\n%+v", err, rules)
	}
}

// TestLiveSessionPolicies: the org's global session policies are read once
// per client (org) for every target, equal the snapshot's, and a failure to
// read them touches only them.
func TestLiveSessionPolicies(t *testing.T) {
	t.Run("once per org", func(t *testing.T) {
		e := newEnv(t)
		c := e.client(t)
		for range 3 {
			tg, err := c.Target(context.Background(), goodID)
			if err != nil {
				t.Fatal(err)
			}
			ps, ok := audit.SessionPolicies.Of(tg)
			if !ok || len(ps) != 1 || ps[0].Name != "Default Policy" {
				t.Fatalf("session policies %+v, %v", ps, ok)
			}
		}
		if n := e.srv.Count(oktatest.EndpointPolicies); n != 1 {
			t.Errorf("%d list requests for three targets of one org, want 1", n)
		}
		if n := e.srv.Count(oktatest.EndpointPolicyRules); n != 1 {
			t.Errorf("%d rules requests for three targets of one org's one policy, want 1", n)
		}
	})
	t.Run("server error", func(t *testing.T) {
		e := newEnv(t)
		e.opts.MaxRetries = -1
		e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointPolicies, Kind: oktatest.Status, Status: 500})
		tg := e.target(t, goodID)
		noGaps(t, tg)
		g, ok := tg.Gap(audit.InputSessionPolicies)
		if !ok || !g.Failed || !strings.Contains(g.Reason, "HTTP 500") {
			t.Errorf("gap %+v, %v: want an error", g, ok)
		}
	})
	t.Run("refused", func(t *testing.T) {
		e := newEnv(t)
		e.srv.AddToken("00limited", oktatest.ScopeApps, oktatest.ScopeUsers)
		e.opts.Token = audit.NewSecret("00limited")
		tg := e.target(t, goodID)
		noGaps(t, tg)
		g, ok := tg.Gap(audit.InputSessionPolicies)
		if !ok || g.Failed || !strings.Contains(g.Reason, "okta.policies.read") {
			t.Errorf("gap %+v, %v: want a skip naming okta.policies.read", g, ok)
		}
	})
	t.Run("snapshot", func(t *testing.T) {
		e := newEnv(t)
		e.srv.SetRulesPageSize(1)
		dir := filepath.Join(t.TempDir(), "snap")
		if err := e.client(t).Snapshot(context.Background(), goodID, dir); err != nil {
			t.Fatal(err)
		}
		got, err := okta.LoadSnapshot(dir)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := okta.LoadSnapshot(fixture.GoodDir())
		gp, ok1 := audit.SessionPolicies.Of(got)
		wp, ok2 := audit.SessionPolicies.Of(want)
		if !ok1 || !ok2 || !reflect.DeepEqual(gp, wp) {
			t.Errorf("snapshot's session-policies.json:\n got %+v\nwant %+v", gp, wp)
		}
		if st, _ := os.Stat(filepath.Join(dir, okta.FileSessionPolicies)); st == nil || st.Mode().Perm() != 0o600 {
			t.Errorf("session-policies.json: %v", st)
		}
	})
}
