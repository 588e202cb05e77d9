package okta_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// TestLiveDomainsOncePerOrg: 20 apps of one Identity Engine org cost 5
// requests each (app, keys, metadata, one users page, the policy's rules)
// and 3 for the org (the session policies' list and its one policy's
// rules, GET /api/v1/domains): 103, one of them for the domains.
func TestLiveDomainsOncePerOrg(t *testing.T) {
	const n = 20
	var apps []*oktatest.App
	ids := make([]string, n)
	for i := range n {
		a := ieApp(t)
		ids[i] = fmt.Sprintf("0oaFleet%012d", i)
		a.JSON = bytes.Replace(a.JSON, []byte(goodID), []byte(ids[i]), 1)
		a.Domains = []byte(`{"domains":[{"id":"OcD1","domain":"Login.Acme.com","validationStatus":"VERIFIED"},{"id":"OcD2","domain":"new.acme.com","validationStatus":"IN_PROGRESS"}]}`)
		apps = append(apps, a)
	}
	e := newEnv(t, apps...)
	c := e.client(t)
	for _, id := range ids {
		tg, err := c.Target(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := collect(tg.Users); err != nil {
			t.Fatal(err)
		}
		if d, ok := audit.Domains.Of(tg); !ok || !reflect.DeepEqual(d, []string{"login.acme.com"}) {
			t.Errorf("%s: domains %v, %v", id, d, ok)
		}
	}
	if d, all := e.srv.Count(oktatest.EndpointDomains), e.srv.Count(""); d != 1 || all != 5*n+3 {
		t.Errorf("%d requests (%d for domains), want %d (1 for domains)", all, d, 5*n+3)
	}
}

// TestLiveDomainsRefused: a credential without okta.domains.read leaves the
// domains unread (a refusal naming the scope, not a failure), and a
// snapshot leaves okta/domains.json out; with it the snapshot keeps Okta's
// response verbatim.
func TestLiveDomainsRefused(t *testing.T) {
	e := newEnv(t)
	e.srv.AddToken("00noDomains", oktatest.ScopeApps, oktatest.ScopeUsers, oktatest.ScopePolicies)
	e.opts.Token = audit.NewSecret("00noDomains")
	tg := e.target(t, goodID)
	g, ok := tg.Gap(audit.InputDomains)
	if !ok || g.Failed || !strings.Contains(g.Reason, "okta.domains.read") {
		t.Errorf("domains gap %+v, %v: want a refusal naming okta.domains.read", g, ok)
	}
	dir := filepath.Join(t.TempDir(), "snap")
	if err := e.client(t).Snapshot(context.Background(), goodID, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "okta", "domains.json")); !os.IsNotExist(err) {
		t.Errorf("domains.json written without the scope: %v", err)
	}

	e2 := newEnv(t)
	doc := []byte(`{"domains":[]}`)
	dir2 := filepath.Join(t.TempDir(), "snap")
	if err := e2.client(t).Snapshot(context.Background(), goodID, dir2); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(dir2, "okta", "domains.json")); err != nil || !bytes.Equal(got, doc) {
		t.Errorf("domains.json = %q, %v; want Okta's response %q", got, err, doc)
	}
}
