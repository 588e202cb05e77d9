package okta_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

const goodID = "0oa8f3k2ldRUVA7xk5d7"

// TestMain keeps the tests hermetic (oktatest.Hermetic).
func TestMain(m *testing.M) {
	cleanup := oktatest.Hermetic()
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// env is one test's fake org and a client connected to it.
type env struct {
	srv   *oktatest.Server
	clock *oktatest.Clock
	opts  okta.Options
}

func goodApp(tb testing.TB) *oktatest.App {
	tb.Helper()
	a, err := oktatest.FromSnapshot(fixture.GoodDir())
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func newEnv(tb testing.TB, apps ...*oktatest.App) *env {
	tb.Helper()
	if len(apps) == 0 {
		apps = []*oktatest.App{goodApp(tb)}
	}
	srv := oktatest.Start(tb, apps...)
	clock := oktatest.NewClock(fixture.Now)
	srv.SetClock(clock.Now)
	return &env{srv: srv, clock: clock, opts: okta.Options{
		OrgURL:     srv.URL,
		Token:      audit.NewSecret(srv.Token),
		HTTPClient: srv.Client(),
		Timeout:    5 * time.Second,
		Now:        clock.Now,
		Sleep:      clock.Sleep,
	}}
}

func (e *env) client(tb testing.TB) *okta.Client {
	tb.Helper()
	c, err := okta.Connect(e.opts)
	if err != nil {
		tb.Fatalf("Connect: %v", err)
	}
	return c
}

func (e *env) target(tb testing.TB, id string) *audit.Target {
	tb.Helper()
	t, err := e.client(tb).Target(context.Background(), id)
	if err != nil {
		tb.Fatalf("Target: %v", err)
	}
	return t
}

func collect(seq func(func(audit.User, error) bool)) ([]audit.User, error) {
	var out []audit.User
	for u, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, u)
	}
	return out, nil
}

func noGaps(tb testing.TB, t *audit.Target) {
	tb.Helper()
	for _, in := range []audit.Input{audit.InputApp, audit.InputKeys, audit.InputMetadata, audit.InputUsers} {
		if g, ok := t.Gap(in); ok {
			tb.Errorf("%s: unexpected gap: %s", in, g.Reason)
		}
	}
}

// sameTarget compares what the rules read of two targets.
func sameTarget(tb testing.TB, got, want *audit.Target) {
	tb.Helper()
	if !reflect.DeepEqual(got.App, want.App) {
		tb.Errorf("app differs:\n got %+v\nwant %+v", got.App, want.App)
	}
	if !reflect.DeepEqual(got.Keys, want.Keys) {
		tb.Errorf("keys differ")
	}
	if !reflect.DeepEqual(got.Metadata, want.Metadata) {
		tb.Errorf("metadata differs:\n got %+v\nwant %+v", got.Metadata, want.Metadata)
	}
	gu, gerr := collect(got.Users)
	wu, werr := collect(want.Users)
	if gerr != nil || werr != nil {
		tb.Fatalf("users: got err %v, want err %v", gerr, werr)
	}
	if !reflect.DeepEqual(gu, wu) {
		tb.Errorf("users differ: got %d, want %d", len(gu), len(wu))
	}
}

func TestLiveTargetMatchesSnapshot(t *testing.T) {
	e := newEnv(t)
	live := e.target(t, goodID)
	noGaps(t, live)
	want, err := okta.LoadSnapshot(fixture.GoodDir())
	if err != nil {
		t.Fatal(err)
	}
	sameTarget(t, live, want)
	if live.Source != "okta" || live.Name != want.App.Label || live.Origin != e.srv.URL+"/api/v1/apps/"+goodID {
		t.Errorf("source %q name %q origin %q", live.Source, live.Name, live.Origin)
	}
	if n := e.srv.Count(""); n != 7 {
		t.Errorf("%d requests, want 7 (app, keys, metadata, one users page; the org's session policies: the list, the rules of its one policy; its custom domains)", n)
	}
	gotPs, ok1 := audit.SessionPolicies.Of(live)
	wantPs, ok2 := audit.SessionPolicies.Of(want)
	if !ok1 || !ok2 || !reflect.DeepEqual(gotPs, wantPs) || len(gotPs) != 1 {
		t.Errorf("session policies differ:\n got %+v\nwant %+v", gotPs, wantPs)
	}
	for _, r := range e.srv.Requests() {
		if r.Endpoint == oktatest.EndpointUsers && (r.Query.Get("limit") != "500" || r.Query.Get("expand") != "user") {
			t.Errorf("users request %v: want limit=500&expand=user", r.Query)
		}
	}
}

func TestUsersAreFetchedLazily(t *testing.T) {
	e := newEnv(t)
	tg := e.target(t, goodID)
	if n := e.srv.Count(oktatest.EndpointUsers); n != 0 {
		t.Fatalf("%d users requests before the users were iterated", n)
	}
	for range tg.Users {
		break
	}
	if n := e.srv.Count(oktatest.EndpointUsers); n != 1 {
		t.Fatalf("%d users requests after reading one user, want 1", n)
	}
}

func TestRequestCount(t *testing.T) {
	for _, n := range []int{0, 1, 499, 500, 501, 1000, 1234} {
		app := goodApp(t)
		app.Users = oktatest.Synthetic{N: n}
		e := newEnv(t, app)
		users, err := collect(e.target(t, goodID).Users)
		if err != nil {
			t.Fatalf("N=%d: %v", n, err)
		}
		if len(users) != n {
			t.Errorf("N=%d: got %d users", n, len(users))
		}
		// app, keys, metadata, the users' pages, and the org's global
		// session policies: one list, and the rules of its one policy; its
		// custom domains, one request.
		want := (n+499)/500 + 3 + 2 + 1
		if n == 0 {
			want = 7
		}
		if got := e.srv.Count(""); got != want {
			t.Errorf("N=%d: %d requests, want %d", n, got, want)
		}
	}
}

func TestNoUsers(t *testing.T) {
	e := newEnv(t)
	e.opts.NoUsers = true
	tg := e.target(t, goodID)
	g, ok := tg.Gap(audit.InputUsers)
	if !ok || g.Failed || g.Reason != "--no-users was given" {
		t.Errorf("users gap = %+v, %v", g, ok)
	}
	if n := e.srv.Count(oktatest.EndpointUsers); n != 0 {
		t.Errorf("%d users requests with NoUsers", n)
	}
	dir := filepath.Join(t.TempDir(), "snap")
	if err := e.client(t).Snapshot(context.Background(), goodID, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "okta", "users.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("users.json written with NoUsers: %v", err)
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	e := newEnv(t)
	parent := t.TempDir()
	dir := filepath.Join(parent, "snap")
	if err := e.client(t).Snapshot(context.Background(), goodID, dir); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{okta.FileApp, okta.FileKeys, okta.FileMetadata} {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(filepath.Join(fixture.GoodDir(), f))
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not Okta's response verbatim", f)
		}
	}
	var got, want any
	gb, _ := os.ReadFile(filepath.Join(dir, okta.FileUsers))
	wb, _ := os.ReadFile(filepath.Join(fixture.GoodDir(), okta.FileUsers))
	if err := json.Unmarshal(gb, &got); err != nil {
		t.Fatalf("users.json: %v", err)
	}
	_ = json.Unmarshal(wb, &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("users.json holds other JSON values than Okta sent")
	}
	loaded, err := okta.LoadSnapshot(dir)
	if err != nil {
		t.Fatal(err)
	}
	noGaps(t, loaded)
	good, _ := okta.LoadSnapshot(fixture.GoodDir())
	sameTarget(t, loaded, good)
	onlyEntry(t, parent, "snap")

	if err := e.client(t).Snapshot(context.Background(), goodID, dir); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second snapshot into %s: %v, want a refusal", dir, err)
	}
}

func TestSnapshotOfManyUsersRoundTrips(t *testing.T) {
	app := goodApp(t)
	app.Users = oktatest.Synthetic{N: 1234, StaleEvery: 100}
	e := newEnv(t, app)
	dir := filepath.Join(t.TempDir(), "snap")
	if err := e.client(t).Snapshot(context.Background(), goodID, dir); err != nil {
		t.Fatal(err)
	}
	loaded, err := okta.LoadSnapshot(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameTarget(t, loaded, e.target(t, goodID))
}

// onlyEntry checks that dir holds exactly name: no temporary directory left.
func onlyEntry(tb testing.TB, dir string, names ...string) {
	tb.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if !reflect.DeepEqual(got, names) && !(len(got) == 0 && len(names) == 0) {
		tb.Errorf("%s holds %v, want %v", dir, got, names)
	}
}

func TestMetadataAsTextXML(t *testing.T) {
	e := newEnv(t)
	e.srv.SetMetadataContentType("text/xml;charset=UTF-8")
	noGaps(t, e.target(t, goodID))
}

// failure is one way a live read goes wrong.
type failure struct {
	name   string
	setup  func(*env)
	failed []audit.Input // inputs that must end in error
	want   []string      // in every failed input's reason
}

func TestFailures(t *testing.T) {
	cases := []failure{
		{name: "401 wrong token", setup: func(e *env) { e.opts.Token = audit.NewSecret("00wrongTokenWrongToken") },
			failed: allInputs, want: []string{"GET /api/v1/apps/" + goodID, "HTTP 401", "authentication failed (check OKTA_CLIENT_TOKEN / the service app's key)", "E0000011", "Invalid token provided", "errorId oae"}},
		{name: "403 users without okta.users.read", setup: func(e *env) {
			e.srv.AddToken("00appsOnlyToken0000000", oktatest.ScopeApps)
			e.opts.Token = audit.NewSecret("00appsOnlyToken0000000")
		}, failed: []audit.Input{audit.InputUsers}, want: []string{"/users", "HTTP 403", "okta.users.read", "E0000006"}},
		{name: "403 keys", setup: func(e *env) {
			e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointKeys, Kind: oktatest.Status, Status: 403})
		}, failed: []audit.Input{audit.InputKeys}, want: []string{"GET /api/v1/apps/" + goodID + "/credentials/keys", "okta.apps.read"}},
		{name: "404 app", setup: func(e *env) {
			e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointApp, Kind: oktatest.Status, Status: 404})
		}, failed: allInputs, want: []string{"GET /api/v1/apps/" + goodID + ":", "HTTP 404 no such app", "E0000007"}},
		{name: "429 beyond the retries", setup: func(e *env) {
			e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointMetadata, Kind: oktatest.Status, Status: 429, Times: -1})
		}, failed: []audit.Input{audit.InputMetadata}, want: []string{"/sso/saml/metadata", "HTTP 429", "after 3 retries"}},
		{name: "503 beyond the retries", setup: func(e *env) {
			e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointKeys, Kind: oktatest.Status, Status: 503, Times: -1})
		}, failed: []audit.Input{audit.InputKeys}, want: []string{"/credentials/keys", "HTTP 503", "after 3 retries"}},
		{name: "slow app: timeout", setup: func(e *env) {
			e.opts.Timeout = 100 * time.Millisecond
			e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointApp, Kind: oktatest.Slow, Delay: 2 * time.Second})
		}, failed: allInputs, want: []string{"GET /api/v1/apps/" + goodID, "timed out"}},
		{name: "stalled users body: timeout", setup: func(e *env) {
			// Long enough for the headers on a loaded machine (100 ms was
			// not: "no response" instead of "no data"), short of the stall.
			e.opts.Timeout = time.Second
			e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointUsers, Kind: oktatest.Stall, Delay: 2 * time.Second})
		}, failed: []audit.Input{audit.InputUsers}, want: []string{"/users (page 1)", "timed out: no data"}},
		{name: "truncated app", setup: func(e *env) {
			e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointApp, Kind: oktatest.Truncate})
		}, failed: allInputs, want: []string{"GET /api/v1/apps/" + goodID, "unexpected EOF"}},
		{name: "invalid JSON keys", setup: func(e *env) {
			e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointKeys, Kind: oktatest.InvalidJSON})
		}, failed: []audit.Input{audit.InputKeys}, want: []string{"GET /api/v1/apps/" + goodID + "/credentials/keys", "JSON"}},
		{name: "connection reset mid-users", setup: func(e *env) {
			e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointUsers, Kind: oktatest.Reset, Request: 2})
		}, failed: []audit.Input{audit.InputUsers}, want: []string{"/users (page 2)", "reading the response"}},
		{name: "unknown app", setup: func(e *env) {}, failed: allInputs, want: []string{"HTTP 404 no such app", "Resource not found"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := goodApp(t)
			app.Users = oktatest.Synthetic{N: 1200}
			e := newEnv(t, app)
			tc.setup(e)
			id := goodID
			if tc.name == "unknown app" {
				id = "0oaNoSuchApp"
			}
			tg := e.target(t, id)
			reasons := gapReasons(t, tg)
			for _, in := range allInputs {
				r, failed := reasons[in]
				if !slicesContains(tc.failed, in) {
					if failed {
						t.Errorf("%s failed too: %s", in, r)
					}
					continue
				}
				if !failed {
					t.Errorf("%s did not fail", in)
					continue
				}
				for _, w := range tc.want {
					if !strings.Contains(r, w) {
						t.Errorf("%s: %q\n  lacks %q", in, r, w)
					}
				}
				if strings.Contains(r, e.srv.Token) || strings.Contains(r, e.opts.Token.Reveal()) {
					t.Errorf("%s: the API token leaked: %s", in, r)
				}
			}

			parent := t.TempDir()
			e.srv.ResetLog()
			err := e.client(t).Snapshot(context.Background(), id, filepath.Join(parent, "snap"))
			if err == nil {
				t.Fatalf("snapshot succeeded")
			}
			if strings.Contains(err.Error(), e.srv.Token) || strings.Contains(err.Error(), e.opts.Token.Reveal()) {
				t.Errorf("the API token leaked: %v", err)
			}
			onlyEntry(t, parent)
		})
	}
}

var allInputs = []audit.Input{audit.InputApp, audit.InputKeys, audit.InputMetadata, audit.InputUsers}

func slicesContains(s []audit.Input, in audit.Input) bool {
	for _, x := range s {
		if x == in {
			return true
		}
	}
	return false
}

// gapReasons returns each failed input's reason, iterating the users to find
// a mid-stream failure (as the users rule would).
func gapReasons(tb testing.TB, tg *audit.Target) map[audit.Input]string {
	tb.Helper()
	out := map[audit.Input]string{}
	for _, in := range allInputs {
		if g, ok := tg.Gap(in); ok {
			if !g.Failed {
				tb.Errorf("%s: gap is a skip, want an error: %s", in, g.Reason)
			}
			out[in] = g.Reason
		}
	}
	if tg.Users != nil {
		if _, ok := out[audit.InputUsers]; ok {
			tb.Errorf("users both failed and set")
		}
		if _, err := collect(tg.Users); err != nil {
			out[audit.InputUsers] = err.Error()
		}
	}
	return out
}

func TestRetriesRecover(t *testing.T) {
	for _, f := range []oktatest.Fault{
		{Endpoint: oktatest.EndpointApp, Kind: oktatest.Status, Status: 429, NoDate: true},
		{Endpoint: oktatest.EndpointApp, Kind: oktatest.Status, Status: 429},
		{Endpoint: oktatest.EndpointKeys, Kind: oktatest.Status, Status: 500, Times: 2},
		{Endpoint: oktatest.EndpointUsers, Kind: oktatest.Status, Status: 503, Request: 2, Times: 3},
		{Endpoint: oktatest.EndpointMetadata, Kind: oktatest.Status, Status: 502},
	} {
		app := goodApp(t)
		app.Users = oktatest.Synthetic{N: 1200}
		e := newEnv(t, app)
		e.srv.Inject(f)
		tg := e.target(t, goodID)
		noGaps(t, tg)
		users, err := collect(tg.Users)
		if err != nil || len(users) != 1200 {
			t.Errorf("fault %+v: %d users, %v", f, len(users), err)
		}
		if len(e.clock.Slept()) == 0 {
			t.Errorf("fault %+v: retried without waiting", f)
		}
		if f.Status == 429 {
			// The retry waits for the window's reset (a minute ahead), with
			// or without a Date header to measure it against.
			if s := e.clock.Slept(); s[0] < 59*time.Second || s[0] > 62*time.Second {
				t.Errorf("fault %+v: waited %v, want about a minute", f, s)
			}
		}
	}
}

func TestRateLimitSlowsDownBeforeA429(t *testing.T) {
	app := goodApp(t)
	app.Users = oktatest.Synthetic{N: 2000}
	e := newEnv(t, app)
	e.srv.SetBudget(oktatest.EndpointUsers, 2)
	users, err := collect(e.target(t, goodID).Users)
	if err != nil || len(users) != 2000 {
		t.Fatalf("%d users, %v", len(users), err)
	}
	if n := e.srv.Served(http.StatusTooManyRequests); n != 0 {
		t.Errorf("%d 429s served: the client did not slow down", n)
	}
	if n := e.srv.Count(oktatest.EndpointUsers); n != 4 {
		t.Errorf("%d users requests, want 4", n)
	}
	// Two pages per one-minute window: after page 2 Okta said none were
	// left, so the client waited for the reset once before page 3.
	if s := e.clock.Slept(); len(s) != 1 || s[0] < 59*time.Second {
		t.Errorf("slept %v, want one wait of about a minute", s)
	}
}

func TestRateLimitWaitPastDeadlineFailsAtOnce(t *testing.T) {
	app := goodApp(t)
	app.Users = oktatest.Synthetic{N: 1000}
	e := newEnv(t, app)
	// The deadline check compares the clock with the context's deadline,
	// so this test runs the fake clock from the real time.
	clock := oktatest.NewClock(time.Now())
	e.srv.SetClock(clock.Now)
	e.opts.Now, e.opts.Sleep = clock.Now, clock.Sleep
	e.srv.SetBudget(oktatest.EndpointUsers, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tg, err := e.client(t).Target(ctx, goodID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = collect(tg.Users)
	if err == nil || !strings.Contains(err.Error(), "past the --timeout deadline") || !strings.Contains(err.Error(), "/users (page 2)") {
		t.Errorf("users: %v", err)
	}
	if len(clock.Slept()) != 0 || e.srv.Served(http.StatusTooManyRequests) != 0 {
		t.Errorf("slept %v, served %d 429s", clock.Slept(), e.srv.Served(http.StatusTooManyRequests))
	}
}

func TestRefusesHTTP(t *testing.T) {
	for _, u := range []string{"http://acme.okta.com", "acme.okta.com", "https://user:pw@acme.okta.com", "https://acme.okta.com/app/x"} {
		_, err := okta.Connect(okta.Options{OrgURL: u, Token: audit.NewSecret("00abcdefabcdefabcdef")})
		if err == nil {
			t.Errorf("%s: accepted", u)
			continue
		}
		if strings.Contains(err.Error(), "pw") || strings.Contains(err.Error(), "00abcdef") {
			t.Errorf("%s: error leaks a secret: %v", u, err)
		}
	}
	_, err := okta.Connect(okta.Options{OrgURL: "http://acme.okta.com", Token: audit.NewSecret("00abcdefabcdefabcdef")})
	if err == nil || !strings.Contains(err.Error(), "https") {
		t.Errorf("http org URL: %v", err)
	}
}

func TestCredentialsFromEnvironment(t *testing.T) {
	e := newEnv(t)
	t.Setenv("OKTA_CLIENT_ORGURL", e.srv.URL)
	t.Setenv("OKTA_CLIENT_TOKEN", e.srv.Token)
	e.opts.OrgURL, e.opts.Token = "", audit.Secret{}
	noGaps(t, e.target(t, goodID))

	t.Setenv("OKTA_CLIENT_RATE_LIMIT_MAX_RETRIES", "three")
	if _, err := okta.Connect(e.opts); err == nil || !strings.Contains(err.Error(), "OKTA_CLIENT_RATE_LIMIT_MAX_RETRIES") {
		t.Errorf("malformed variable: %v", err)
	}
}

func TestMissingToken(t *testing.T) {
	e := newEnv(t)
	e.opts.Token = audit.Secret{}
	if _, err := okta.Connect(e.opts); err == nil || !strings.Contains(err.Error(), "set OKTA_CLIENT_TOKEN") {
		t.Errorf("no token: %v", err)
	}
	e.opts.Token = audit.NewSecret(e.srv.Token)
	e.opts.OrgURL = ""
	if _, err := okta.Connect(e.opts); err == nil || !strings.Contains(err.Error(), "give --okta-org") {
		t.Errorf("no org: %v", err)
	}
}

func writeKey(tb testing.TB, key any) string {
	tb.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "key.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

func TestOAuthServiceApp(t *testing.T) {
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for name, key := range map[string]crypto.Signer{"RSA": rsaKey, "EC": ecKey} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t)
			e.srv.AddServiceApp("0oaService", key.Public(), oktatest.ScopeApps, oktatest.ScopeUsers)
			e.opts.Token = audit.Secret{}
			e.opts.ClientID, e.opts.PrivateKeyFile = "0oaService", writeKey(t, key)
			noGaps(t, e.target(t, goodID))
			users, err := collect(e.target(t, goodID).Users)
			if err != nil || len(users) == 0 {
				t.Errorf("users: %d, %v", len(users), err)
			}
			// Each client: one token for the apps and users scopes, one
			// asked for okta.policies.read (the org's global session
			// policies; refused, invalid_scope, once per org) and one for
			// okta.domains.read (the org's custom domains; likewise).
			if n := e.srv.Count(oktatest.EndpointToken); n != 6 {
				t.Errorf("%d token requests for two clients, want three each", n)
			}
		})
	}

	t.Run("scope not granted", func(t *testing.T) {
		e := newEnv(t)
		e.srv.AddServiceApp("0oaService", rsaKey.Public(), oktatest.ScopeApps)
		e.opts.Token = audit.Secret{}
		e.opts.ClientID, e.opts.PrivateKeyFile = "0oaService", writeKey(t, rsaKey)
		reasons := gapReasons(t, e.target(t, goodID))
		if r := reasons[audit.InputApp]; !strings.Contains(r, "authentication failed") || !strings.Contains(r, "okta.users.read") {
			t.Errorf("app: %q", r)
		}
		// Without users, the apps scope is all it asks for.
		e.opts.NoUsers = true
		tg := e.target(t, goodID)
		for _, in := range allInputs[:3] {
			if g, ok := tg.Gap(in); ok {
				t.Errorf("%s: %s", in, g.Reason)
			}
		}
	})

	t.Run("wrong key", func(t *testing.T) {
		e := newEnv(t)
		other, _ := rsa.GenerateKey(rand.Reader, 2048)
		e.srv.AddServiceApp("0oaService", other.Public(), oktatest.ScopeApps, oktatest.ScopeUsers)
		e.opts.Token = audit.Secret{}
		e.opts.ClientID, e.opts.PrivateKeyFile = "0oaService", writeKey(t, rsaKey)
		reasons := gapReasons(t, e.target(t, goodID))
		r := reasons[audit.InputApp]
		if !strings.Contains(r, "authentication failed") || !strings.Contains(r, "invalid_client") {
			t.Errorf("app: %q", r)
		}
		if strings.Contains(r, "client_assertion=") || strings.Contains(r, "eyJ") {
			t.Errorf("the client assertion leaked: %q", r)
		}
	})

	t.Run("missing key file", func(t *testing.T) {
		_, err := okta.Connect(okta.Options{OrgURL: "https://acme.okta.com", ClientID: "0oa1", PrivateKeyFile: filepath.Join(t.TempDir(), "nope.pem")})
		if err == nil || !strings.Contains(err.Error(), "private key file") {
			t.Errorf("missing key file: %v", err)
		}
	})
}

func TestFindByLabel(t *testing.T) {
	other := goodApp(t)
	other.JSON = bytes.Replace(other.JSON, []byte(goodID), []byte("0oaOther0000000000"), 1)
	other.JSON = bytes.Replace(other.JSON, []byte(`"label": "Druva inSync"`), []byte(`"label": "Druva inSync (test)"`), 1)
	e := newEnv(t, goodApp(t), other)
	c := e.client(t)
	id, err := c.FindByLabel(context.Background(), "Druva inSync")
	if err != nil || id != goodID {
		t.Errorf("exact label: %q, %v", id, err)
	}
	if n := e.srv.Count(oktatest.EndpointApps); n != 1 {
		t.Errorf("%d list requests", n)
	}
	if _, err := c.FindByLabel(context.Background(), "Druva"); !errors.Is(err, okta.ErrNoApp) || !strings.Contains(err.Error(), "Druva inSync (test)") {
		t.Errorf("prefix only: %v", err)
	}
	twin := goodApp(t)
	twin.JSON = bytes.Replace(twin.JSON, []byte(goodID), []byte("0oaTwin00000000000"), 1)
	if err := e.srv.AddApp(twin); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FindByLabel(context.Background(), "Druva inSync"); !errors.Is(err, okta.ErrAmbiguous) || !strings.Contains(err.Error(), "0oaTwin00000000000") {
		t.Errorf("two apps with the label: %v", err)
	}
}

func TestDiscover(t *testing.T) {
	mk := func(id, signOn, acs, audience string) *oktatest.App {
		a := goodApp(t)
		a.JSON = []byte(`{"id":"` + id + `","name":"x","label":"` + id + `","status":"ACTIVE","signOnMode":"` + signOn +
			`","settings":{"signOn":{"ssoAcsUrl":"` + acs + `","audience":"` + audience + `"}}}`)
		a.Users = nil
		return a
	}
	apps := []*oktatest.App{
		goodApp(t),
		mk("0oaSalesforce", "SAML_2_0", "https://login.salesforce.com", "https://saml.salesforce.com"),
		mk("0oaBookmark", "BOOKMARK", "https://cloud.druva.com/wrsaml/consume", "druva-cloud"),
		mk("0oaDcp", "SAML_2_0", "https://login.druva.com/api/commonlogin/samlconsume", "custom-entity"),
		mk("0oaEvil", "SAML_2_0", "https://druva.com.evil.example/consume", "evil"),
	}
	for i := range 250 {
		apps = append(apps, mk(fmt.Sprintf("0oaFiller%03d", i), "SAML_2_0", "https://example.com", "e"))
	}
	e := newEnv(t, apps...)
	targets, err := e.client(t).Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tg := range targets {
		ids = append(ids, tg.App.ID)
	}
	if !reflect.DeepEqual(ids, []string{goodID, "0oaDcp"}) {
		t.Errorf("discovered %v", ids)
	}
	if n := e.srv.Count(oktatest.EndpointApps); n != 2 {
		t.Errorf("%d list requests for 255 apps at 200 a page, want 2", n)
	}
	if n := e.srv.Count(oktatest.EndpointApp); n != 0 {
		t.Errorf("%d app requests, want none (the list carries the app objects)", n)
	}

	e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointApps, Kind: oktatest.Status, Status: 403, Request: e.srv.Count(oktatest.EndpointApps) + 2})
	found, err := e.client(t).Discover(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 403") || !strings.Contains(err.Error(), "page 2") {
		t.Errorf("an unreadable second page: %v", err)
	}
	if len(found) != 2 {
		t.Errorf("the Druva apps of the first page are lost with the error: %d targets", len(found))
	}
}

// TestDiscoverSummaries: a list that carries only each app's head (as
// useOptimization=true does) makes discovery read each app on its own, the
// one case where a per-app GET is needed.
func TestDiscoverSummaries(t *testing.T) {
	other := goodApp(t)
	other.JSON = []byte(`{"id":"0oaOther","name":"x","label":"Other","status":"ACTIVE","signOnMode":"SAML_2_0","settings":{"signOn":{"ssoAcsUrl":"https://example.com","audience":"e"}}}`)
	e := newEnv(t, goodApp(t), other)
	e.srv.SetListSummaries(true)
	targets, err := e.client(t).Discover(context.Background())
	if err != nil || len(targets) != 1 || targets[0].App.ID != goodID {
		t.Fatalf("discovered %d targets, %v", len(targets), err)
	}
	noGaps(t, targets[0])
	if n := e.srv.Count(oktatest.EndpointApp); n != 2 {
		t.Errorf("%d app requests, want 2 (one per summarised app)", n)
	}
	e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointApp, Kind: oktatest.Status, Status: 403, Request: e.srv.Count(oktatest.EndpointApp) + 2})
	if _, err := e.client(t).Discover(context.Background()); err == nil || !strings.Contains(err.Error(), "HTTP 403") {
		t.Errorf("an app that could not be read might have been a Druva app: %v", err)
	}
}

// TestDiscoverRequests counts discovery's requests in orgs of 0 to 1,000
// apps: ceil(apps/200) list pages (at least one), and per Druva app its
// keys, metadata and ceil(users/500) users pages (at least one) — never a
// request per app of the org.
func TestDiscoverRequests(t *testing.T) {
	filler := func(i int) *oktatest.App {
		return &oktatest.App{JSON: fmt.Appendf(nil, `{"id":"0oaFiller%05d","name":"bookmark","label":"App %d","status":"ACTIVE","signOnMode":"SAML_2_0","settings":{"signOn":{"ssoAcsUrl":"https://app%d.example.com/sso","audience":"app%d"}}}`, i, i, i, i)}
	}
	druva := func(i, users int) *oktatest.App {
		a := goodApp(t)
		id := fmt.Sprintf("0oaDruva%05d", i)
		a.JSON = bytes.Replace(a.JSON, []byte(goodID), []byte(id), 1)
		a.Users = oktatest.Synthetic{N: users}
		return a
	}
	for _, tc := range []struct {
		apps  int
		druva []int // users of each Druva app among them
		want  int
	}{
		{apps: 0, want: 1},
		{apps: 1, druva: []int{5}, want: 1 + 3},
		{apps: 199, druva: []int{0, 501}, want: 1 + 3 + 4},
		{apps: 200, druva: []int{500}, want: 1 + 3},
		{apps: 201, druva: []int{1000, 3}, want: 2 + 4 + 3},
		{apps: 1000, druva: []int{1200, 20}, want: 5 + 5 + 3},
	} {
		t.Run(fmt.Sprint(tc.apps), func(t *testing.T) {
			var apps []*oktatest.App
			for i := range tc.apps - len(tc.druva) {
				apps = append(apps, filler(i))
			}
			// Druva apps at the end of the list, where a page boundary
			// would hide them from a discovery that stopped early.
			for i, u := range tc.druva {
				apps = append(apps, druva(i, u))
			}
			var e *env
			if len(apps) == 0 {
				srv := oktatest.Start(t)
				e = &env{srv: srv, opts: okta.Options{OrgURL: srv.URL, Token: audit.NewSecret(srv.Token), HTTPClient: srv.Client()}}
			} else {
				e = newEnv(t, apps...)
			}
			targets, err := e.client(t).Discover(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(targets) != len(tc.druva) {
				t.Fatalf("%d targets, want %d", len(targets), len(tc.druva))
			}
			for i, tg := range targets {
				n := 0
				for _, err := range tg.Users {
					if err != nil {
						t.Fatal(err)
					}
					n++
				}
				if n != tc.druva[i] {
					t.Errorf("%s: %d users, want %d", tg.App.ID, n, tc.druva[i])
				}
			}
			want := tc.want
			if bytes.Contains(goodApp(t).JSON, []byte(`"accessPolicy"`)) {
				// With an authentication policy, each Druva app's policy
				// rules are one request more (docs/deployments.md).
				want += len(tc.druva)
			}
			if len(tc.druva) > 0 {
				want += 2 // the org's global session policies: one list, the rules of its one policy
				want++    // the org's custom domains, once however many apps
			}
			if got := e.srv.Count(""); got != want {
				t.Errorf("%d requests, want %d (list %d, app %d, keys %d, metadata %d, users %d)", got, want,
					e.srv.Count(oktatest.EndpointApps), e.srv.Count(oktatest.EndpointApp), e.srv.Count(oktatest.EndpointKeys),
					e.srv.Count(oktatest.EndpointMetadata), e.srv.Count(oktatest.EndpointUsers))
			}
			for _, r := range e.srv.Requests() {
				if r.Endpoint == oktatest.EndpointApps && r.Query.Get("limit") != "200" {
					t.Errorf("list page with limit=%q, want Okta's maximum 200", r.Query.Get("limit"))
				}
			}
		})
	}
}

func TestProgress(t *testing.T) {
	app := goodApp(t)
	app.Users = oktatest.Synthetic{N: 1200}
	e := newEnv(t, app)
	var buf bytes.Buffer
	e.opts.Progress = &buf
	if _, err := collect(e.target(t, goodID).Users); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "\rusers: 500 fetched\rusers: 1,000 fetched\rusers: 1,200 fetched\n" {
		t.Errorf("progress %q", got)
	}
}

// cancelWriter cancels a context on its first write: Ctrl-C while users are
// being fetched.
type cancelWriter struct{ cancel context.CancelFunc }

func (w cancelWriter) Write(p []byte) (int, error) { w.cancel(); return len(p), nil }

func TestSnapshotCancelledLeavesNothing(t *testing.T) {
	app := goodApp(t)
	app.Users = oktatest.Synthetic{N: 1500}
	e := newEnv(t, app)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.opts.Progress = cancelWriter{cancel}
	parent := t.TempDir()
	err := e.client(t).Snapshot(ctx, goodID, filepath.Join(parent, "snap"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled snapshot: %v", err)
	}
	onlyEntry(t, parent)
}

func TestBadAppID(t *testing.T) {
	e := newEnv(t)
	if _, err := e.client(t).Target(context.Background(), "../users"); err == nil {
		t.Error("accepted a path as an app ID")
	}
	if e.srv.Count("") != 0 {
		t.Error("sent a request for a malformed app ID")
	}
}

// TestTLSNameMismatch: a certificate the client trusts but issued for another
// name is refused: the org could not be reached (Unreachable, one cause for
// every target of the org), and the error names the endpoint and why.
func TestTLSNameMismatch(t *testing.T) {
	e := newEnv(t)
	// httptest's certificate names example.com, 127.0.0.1 and ::1, not localhost.
	e.opts.OrgURL = strings.Replace(e.srv.URL, "127.0.0.1", "localhost", 1)
	_, err := e.client(t).Target(context.Background(), goodID)
	cause, ok := okta.Unreachable(err)
	if !ok || !strings.Contains(err.Error(), "GET /api/v1/apps/"+goodID) || !strings.Contains(cause, "certificate is valid for") || strings.Contains(cause, "GET ") {
		t.Errorf("err %v, cause %q (unreachable %v)", err, cause, ok)
	}
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d requests reached the server past a bad certificate", n)
	}
}

// TestUnknownCAHint: an untrusted certificate says how to trust a private CA.
func TestUnknownCAHint(t *testing.T) {
	e := newEnv(t)
	e.opts.HTTPClient = nil // the system trust store, which lacks the fake's CA
	e.opts.MaxRetries = -1
	_, err := e.client(t).Target(context.Background(), goodID)
	cause, ok := okta.Unreachable(err)
	if !ok || !strings.Contains(cause, "certificate signed by unknown authority") || !strings.Contains(cause, "set SSL_CERT_FILE") {
		t.Fatalf("err %v, cause %q (unreachable %v)", err, cause, ok)
	}
}

// TestDiscoverOrderWhileReadingAhead: Druva apps are read a few at a time
// while the list goes on, and handed over in the list's order whatever
// order their reads finish in.
func TestDiscoverOrderWhileReadingAhead(t *testing.T) {
	var apps []*oktatest.App
	var want []string
	for i := range 12 {
		a := goodApp(t)
		id := fmt.Sprintf("0oaDruva%05d", i)
		a.JSON = bytes.Replace(a.JSON, []byte(goodID), []byte(id), 1)
		apps = append(apps, a)
		want = append(want, id)
	}
	e := newEnv(t, apps...)
	// Every other keys request is slow, so later apps finish first.
	for i := 1; i <= 12; i += 2 {
		e.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointKeys, Kind: oktatest.Slow, Delay: 30 * time.Millisecond, Request: i})
	}
	var got []string
	n, err := e.client(t).DiscoverEach(context.Background(), func(tg *audit.Target) {
		noGaps(t, tg)
		got = append(got, tg.App.ID)
	})
	if err != nil || n != 12 {
		t.Fatalf("%d, %v", n, err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("order %v, want the list's %v", got, want)
	}
}
