package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/internal/testkit/consumer"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// The live tests run the whole CLI in-process against oktatest, a fake Okta
// org on a loopback TLS port. The CLI reaches it through env's test hooks:
// oktaHTTP trusts the fake's certificate, and oktaNow/oktaSleep put the
// client's retries and rate-limit waits on a fake clock. The API token
// reaches the Okta SDK the way a user's does, through OKTA_CLIENT_TOKEN in
// the process environment (the SDK reads os.Getenv, not the CLI's getenv).
// TestSSLCertFile runs the real main() in a child process, where the real
// user path for a private CA, SSL_CERT_FILE, is what makes the fake trusted.

const goodAppID = "0oa8f3k2ldRUVA7xk5d7"

// mainEnv makes the test binary run main() instead of the tests: the child
// processes of TestSSLCertFile and the secrets test.
const mainEnv = "SSOAUDIT_TEST_RUN_MAIN"

// TestMain keeps the tests hermetic (oktatest.Hermetic).
func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" {
		code := cliMain()
		if p := os.Getenv(peakEnv); p != "" {
			writePeakRSS(p)
		}
		os.Exit(code)
	}
	cleanup := oktatest.Hermetic()
	code := m.Run()
	cleanup()
	consumer.PrintCounts() // how many reports the consumers' checks accepted (-v)
	os.Exit(code)
}

// org is a fake Okta org whose API token is the process's OKTA_CLIENT_TOKEN
// for the test.
type org struct {
	srv   *oktatest.Server
	clock *oktatest.Clock
}

// startOrg serves the apps (default: the good snapshot's app). The fake
// clock starts at the real time, because the client compares it with the
// context's deadline (--timeout), which is on the real clock.
func startOrg(t *testing.T, apps ...*oktatest.App) *org {
	t.Helper()
	if len(apps) == 0 {
		apps = []*oktatest.App{snapApp(t, "good")}
	}
	srv := oktatest.Start(t, apps...)
	clock := oktatest.NewClock(time.Now())
	srv.SetClock(clock.Now)
	t.Setenv("OKTA_CLIENT_TOKEN", srv.Token)
	return &org{srv: srv, clock: clock}
}

func snapApp(t *testing.T, name string) *oktatest.App {
	t.Helper()
	a, err := oktatest.FromSnapshot(snap(name))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// liveCLI is the cli harness wired to a fake org.
type liveCLI struct {
	*cli
	org *org
	tty bool // isTTY answers true for stderr (never for stdout)
}

func (o *org) cli(t *testing.T) *liveCLI { return &liveCLI{cli: newCLI(t), org: o} }

func (c *liveCLI) run(args ...string) int {
	c.t.Helper()
	e := c.newEnv()
	e.isTTY = func(w io.Writer) bool { return c.tty && w == &c.stderr }
	e.oktaHTTP, e.oktaNow, e.oktaSleep = c.org.srv.Client(), c.org.clock.Now, c.org.clock.Sleep
	code := e.run(context.Background(), args)
	checkReports(c.t, args, code, c.stdout.Bytes())
	// Whatever the command, the API token is never printed.
	for _, tok := range []string{c.org.srv.Token, os.Getenv("OKTA_CLIENT_TOKEN")} {
		if len(tok) >= 12 && (strings.Contains(c.stdout.String(), tok[6:]) || strings.Contains(c.stderr.String(), tok[6:])) {
			c.t.Errorf("%v: the API token was printed:\nstdout:\n%s\nstderr:\n%s", args, c.stdout.String(), c.stderr.String())
		}
	}
	return code
}

// live is the scan arguments for the fake org's app.
func (c *liveCLI) live(id string, extra ...string) []string {
	return append([]string{"scan", "--okta-org", c.org.srv.URL, "--app-id", id}, extra...)
}

func (c *cli) dump() string {
	return fmt.Sprintf("stdout:\n%s\nstderr:\n%s", c.stdout.String(), c.stderr.String())
}

// jsonReport is what these tests read of a JSON report.
type jsonReport struct {
	Targets []struct {
		Name, Source, Origin string
		App                  struct{ ID, Label string }
		Results              []jsonResult
	}
	ExitCode int `json:"exit_code"`
}

type jsonResult struct {
	Rule, Status, Severity, Message string
	Suppressed                      bool
}

func (c *cli) report() jsonReport {
	c.t.Helper()
	var r jsonReport
	if err := json.Unmarshal(c.stdout.Bytes(), &r); err != nil {
		c.t.Fatalf("not a JSON report: %v\n%s", err, c.dump())
	}
	return r
}

// results is the only target's results by rule.
func (r jsonReport) results(t *testing.T) map[string]jsonResult {
	t.Helper()
	if len(r.Targets) != 1 {
		t.Fatalf("%d targets, want 1", len(r.Targets))
	}
	out := map[string]jsonResult{}
	for _, res := range r.Targets[0].Results {
		out[res.Rule] = res
	}
	if len(out) != len(checks.ForTargets()) {
		t.Errorf("%d rules reported, want %d", len(out), len(checks.ForTargets()))
	}
	return out
}

func sameResults(t *testing.T, what string, got, want map[string]jsonResult) {
	t.Helper()
	for rule, w := range want {
		if g := got[rule]; g != w {
			t.Errorf("%s: %s:\n got %+v\nwant %+v", what, rule, g, w)
		}
	}
	for rule := range got {
		if _, ok := want[rule]; !ok {
			t.Errorf("%s: extra rule %s", what, rule)
		}
	}
}

func TestLiveScanMatchesSnapshotScan(t *testing.T) {
	chdir(t, t.TempDir())
	for _, name := range []string{"good", "broken"} {
		t.Run(name, func(t *testing.T) {
			o := startOrg(t, snapApp(t, name))
			cl := o.cli(t)
			offline := cl.run("scan", "--snapshot", snap(name), "--format", "json")
			want := cl.report()
			live := cl.run(cl.live(goodAppID, "--druva", filepath.Join(snap(name), "druva.yaml"), "--format", "json")...)
			got := cl.report()
			if live != offline || got.ExitCode != want.ExitCode {
				t.Errorf("exit %d live, %d from the snapshot", live, offline)
			}
			sameResults(t, "live vs snapshot", got.results(t), want.results(t))
			tg := got.Targets[0]
			if tg.Source != "okta" || tg.App.ID != goodAppID || tg.Name != "Druva inSync" || tg.Origin != o.srv.URL+"/api/v1/apps/"+goodAppID {
				t.Errorf("live target: %+v", tg)
			}
		})
	}
}

func TestSnapshotCommand(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	o := startOrg(t)
	cl := o.cli(t)
	druvaYAML := filepath.Join(snap("good"), "druva.yaml")
	cl.run("scan", "--snapshot", snap("good"), "--format", "json")
	want := cl.report().results(t)

	out := filepath.Join(dir, "evidence")
	if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--out", out); code != 0 {
		t.Fatalf("snapshot: exit %d\n%s", code, cl.dump())
	}
	if !strings.Contains(cl.stdout.String(), "wrote snapshot of app "+goodAppID) {
		t.Errorf("snapshot said: %s", cl.dump())
	}
	// Okta's documents are kept verbatim.
	for _, f := range []string{"app.json", "keys.json", "metadata.xml"} {
		got, err := os.ReadFile(filepath.Join(out, "okta", f))
		wantB, _ := os.ReadFile(filepath.Join(snap("good"), "okta", f))
		if err != nil || !bytes.Equal(got, wantB) {
			t.Errorf("okta/%s is not Okta's response verbatim (%v)", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "druva.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("druva.yaml without --druva: %v", err)
	}
	if code := cl.run("scan", "--snapshot", out, "--druva", druvaYAML, "--format", "json"); code != 0 {
		t.Fatalf("scan of the snapshot: exit %d\n%s", code, cl.dump())
	}
	sameResults(t, "snapshot round trip", cl.report().results(t), want)

	// --druva copies the console settings in: the snapshot is then whole.
	// Missing parent directories are created (evidence/DATE/…).
	out2 := filepath.Join(dir, "evidence", "2026-11-27", "druva")
	if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--druva", druvaYAML, "--out", out2, "-q"); code != 0 {
		t.Fatalf("snapshot --druva: exit %d\n%s", code, cl.dump())
	}
	if st, err := os.Stat(filepath.Join(out2, "druva.yaml")); err != nil {
		t.Error(err)
	} else if st.Mode().Perm() != 0o600 {
		t.Errorf("druva.yaml in the snapshot is %v, want 0600 like the Okta files", st.Mode().Perm())
	}
	cl.run("scan", "--snapshot", out2, "--format", "json")
	sameResults(t, "snapshot --druva round trip", cl.report().results(t), want)

	t.Run("out exists", func(t *testing.T) {
		before := tree(t, out)
		o.srv.ResetLog()
		if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--out", out); code != 2 {
			t.Fatalf("exit %d, want 2\n%s", code, cl.dump())
		}
		if !strings.Contains(cl.stderr.String(), "already exists") {
			t.Errorf("stderr: %s", cl.stderr.String())
		}
		if after := tree(t, out); !maps(after, before) {
			t.Errorf("the existing directory changed:\nbefore %v\nafter  %v", before, after)
		}
	})

	t.Run("fault mid-users", func(t *testing.T) {
		app := snapApp(t, "good")
		app.Users = oktatest.Synthetic{N: 1200}
		o := startOrg(t, app)
		o.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointUsers, Kind: oktatest.Reset, Request: 2})
		cl := o.cli(t)
		parent := t.TempDir()
		out := filepath.Join(parent, "snap")
		if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--out", out); code != 3 {
			t.Fatalf("exit %d, want 3\n%s", code, cl.dump())
		}
		if !strings.Contains(cl.stderr.String(), "nothing was written") || !strings.Contains(cl.stderr.String(), "page 2") {
			t.Errorf("stderr: %s", cl.stderr.String())
		}
		if ents, _ := os.ReadDir(parent); len(ents) != 0 {
			t.Errorf("left behind: %v", ents)
		}
	})

	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{
			{"snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID},
			{"snapshot", "--okta-org", o.srv.URL, "--discover", "--out", filepath.Join(dir, "x")},
			{"snapshot", "--okta-org", o.srv.URL, "--out", filepath.Join(dir, "x")},
			{"snapshot", "--okta-org", "http://" + strings.TrimPrefix(o.srv.URL, "https://"), "--app-id", goodAppID, "--out", filepath.Join(dir, "x")},
			{"snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--out", filepath.Join(dir, "x"), "--druva", filepath.Join(dir, "nope.yaml")},
		} {
			if code := cl.run(args...); code != 2 {
				t.Errorf("%v: exit %d, want 2\n%s", args, code, cl.dump())
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "x")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a refused snapshot wrote something: %v", err)
		}
	})
}

// tree maps each file under dir to its contents.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func maps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// withJSON returns a copy of app with fields of its JSON changed (dotted
// paths into objects).
func withJSON(t *testing.T, app *oktatest.App, set map[string]any) *oktatest.App {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(app.JSON, &doc); err != nil {
		t.Fatal(err)
	}
	for path, v := range set {
		m := doc
		keys := strings.Split(path, ".")
		for _, k := range keys[:len(keys)-1] {
			m = m[k].(map[string]any)
		}
		m[keys[len(keys)-1]] = v
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	c := *app
	c.JSON = b
	return &c
}

func TestLiveAppSelection(t *testing.T) {
	chdir(t, t.TempDir())
	good := snapApp(t, "good")
	staging := withJSON(t, snapApp(t, "broken"), map[string]any{"id": "0oaStaging00000000001", "label": "Druva inSync (staging)"})
	// Not Druva: another SAML app, and a bookmark app.
	salesforce := withJSON(t, good, map[string]any{"id": "0oaSalesforce00000001", "label": "Salesforce", "name": "salesforce",
		"settings.signOn.audience": "https://saml.salesforce.com", "settings.signOn.ssoAcsUrl": "https://acme.my.salesforce.com/?so=00D"})
	bookmark := withJSON(t, good, map[string]any{"id": "0oaBookmark0000000001", "label": "Druva docs", "name": "bookmark", "signOnMode": "BOOKMARK"})
	// Okta's "Druva 2.0" catalog app: no ACS URL or audience to go by.
	catalog := withJSON(t, snapApp(t, "dcp-catalog"), map[string]any{"id": "0oaDruva2Catalog00001"})
	o := startOrg(t, salesforce, good, bookmark, staging, catalog)
	cl := o.cli(t)
	druvaYAML := filepath.Join(snap("good"), "druva.yaml")

	t.Run("app-label", func(t *testing.T) {
		if code := cl.run("scan", "--okta-org", o.srv.URL, "--app-label", "Druva inSync", "--druva", druvaYAML, "--format", "json"); code != 0 {
			t.Fatalf("exit %d\n%s", code, cl.dump())
		}
		if r := cl.report(); r.Targets[0].App.ID != goodAppID {
			t.Errorf("picked %+v", r.Targets[0].App)
		}
		if code := cl.run("scan", "--okta-org", o.srv.URL, "--app-label", "Druva", "--druva", druvaYAML); code != 2 ||
			!strings.Contains(cl.stderr.String(), `no app in `+o.srv.URL+` is labelled "Druva"`) ||
			!strings.Contains(cl.stderr.String(), "Druva inSync (staging)") {
			t.Errorf("label matching no app: exit %d\n%s", code, cl.dump())
		}
	})

	t.Run("discover", func(t *testing.T) {
		o.srv.ResetLog()
		code := cl.run("scan", "--okta-org", o.srv.URL, "--discover", "--druva", druvaYAML, "--format", "json")
		if code != 1 { // the staging app is the broken snapshot's
			t.Fatalf("exit %d, want 1\n%s", code, cl.dump())
		}
		var ids []string
		for _, tg := range cl.report().Targets {
			ids = append(ids, tg.App.ID)
			if len(tg.Results) != len(checks.ForTargets()) {
				t.Errorf("%s: %d results", tg.App.ID, len(tg.Results))
			}
		}
		slices.Sort(ids)
		if want := []string{goodAppID, "0oaDruva2Catalog00001", "0oaStaging00000000001"}; !slices.Equal(ids, want) {
			t.Errorf("discovered %v, want %v", ids, want)
		}
		// The other apps were judged from the list, and not audited.
		for _, r := range o.srv.Requests() {
			if r.Endpoint == oktatest.EndpointKeys && (strings.Contains(r.Path, "Salesforce") || strings.Contains(r.Path, "Bookmark")) {
				t.Errorf("audited a non-Druva app: %s", r.Path)
			}
		}

		// -v lists every app considered, and why it was taken or left.
		if code := cl.run("scan", "--okta-org", o.srv.URL, "--discover", "--druva", druvaYAML, "--format", "json", "-v"); code != 1 {
			t.Fatalf("-v: exit %d\n%s", code, cl.dump())
		}
		for _, want := range []string{
			`discover: left 0oaSalesforce00000001 (Salesforce, "salesforce"): audience "https://saml.salesforce.com" and ACS URL "https://acme.my.salesforce.com/?so=00D" are not Druva's`,
			`discover: taken ` + goodAppID + ` (Druva inSync, "acme_druvainsync_1"): its audience "druva-cloud" is the insync-cloud platform's entity ID`,
			`discover: left 0oaBookmark0000000001 (Druva docs, "bookmark"): its name or label mentions Druva, but its sign-on mode is "BOOKMARK", not SAML 2.0`,
			`discover: taken 0oaDruva2Catalog00001 (Druva 2.0, "druva2"): a catalog app whose name "druva2" or label "Druva 2.0" mentions Druva`,
		} {
			if !strings.Contains(cl.stderr.String(), want) {
				t.Errorf("-v lacks %q:\n%s", want, cl.stderr.String())
			}
		}

		// -v names apps before they become targets: a token pasted into
		// an app's label (here one not of Druva's documented shape) is
		// redacted there too, since the run knows it from the app's own
		// token attribute.
		const pasted = "zq7Hk2mPvX9wLr4tNb8sYc3d"
		leaky := withJSON(t, good, map[string]any{"id": "0oaLeaky0000000000001", "label": "Druva " + pasted,
			"settings.signOn.attributeStatements": []any{map[string]any{"type": "EXPRESSION", "name": "insync_auth_token", "namespace": "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified", "values": []any{`"` + pasted + `"`}}}})
		lo := startOrg(t, leaky)
		lcl := lo.cli(t)
		lcl.run("scan", "--okta-org", lo.srv.URL, "--discover", "--format", "json", "-v")
		if !strings.Contains(lcl.stderr.String(), "discover: taken 0oaLeaky0000000000001") {
			t.Errorf("-v does not list the app:\n%s", lcl.stderr.String())
		}
		for i := 0; i+8 <= len(pasted); i++ {
			if w := pasted[i : i+8]; strings.Contains(strings.ToLower(lcl.stderr.String()+lcl.stdout.String()), strings.ToLower(w)) {
				t.Fatalf("the token's %q shows in -v's output:\n%s", w, lcl.stderr.String())
			}
		}

		only := startOrg(t, salesforce, bookmark)
		cl := only.cli(t)
		// Finding none is reported (exit 3), not a bare error.
		if code := cl.run("scan", "--okta-org", only.srv.URL, "--discover", "--format", "json"); code != 3 {
			t.Errorf("no Druva app: exit %d\n%s", code, cl.dump())
		}
		if r := cl.report().results(t)["okta.app.saml-active"]; r.Status != "error" || !strings.Contains(r.Message, "looks like a Druva app") {
			t.Errorf("no Druva app: %+v", r)
		}
	})

	t.Run("no-users", func(t *testing.T) {
		o := startOrg(t) // OKTA_CLIENT_TOKEN is this org's
		cl := o.cli(t)
		if code := cl.run(cl.live(goodAppID, "--druva", druvaYAML, "--no-users", "--format", "json")...); code != 0 {
			t.Fatalf("exit %d\n%s", code, cl.dump())
		}
		r := cl.report().results(t)["okta.users.username-current"]
		if r.Status != "skip" || !strings.Contains(r.Message, "--no-users") {
			t.Errorf("users rule: %+v", r)
		}
		if n := o.srv.Count(oktatest.EndpointUsers); n != 0 {
			t.Errorf("%d users requests with --no-users", n)
		}
	})
}

func TestLiveExitCodes(t *testing.T) {
	chdir(t, t.TempDir())
	druvaYAML := filepath.Join(snap("good"), "druva.yaml")
	type tc struct {
		name  string
		setup func(*testing.T, *org, *liveCLI) []string // returns the arguments
		want  int
		// For exit 3 with a report: the rules that must be in error, and
		// what each one's message says; else what stderr says.
		errRules []string
		says     []string
		// everyOktaRule: the app itself could not be read, so every rule
		// that reads Okta data is in error (errRules are a sample).
		everyOktaRule bool
	}
	allOkta := []string{"okta.app.saml-active", "okta.cert.validity", "okta.metadata.consistent", "okta.users.username-current", "cross.certificate-match", "cross.token-match"}
	cases := []tc{
		{name: "401 bad token", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			t.Setenv("OKTA_CLIENT_TOKEN", "00wrongTokenWrongToken0000")
			return c.live(goodAppID, "--druva", druvaYAML)
		}, want: 3, errRules: allOkta, says: []string{"HTTP 401", "authentication failed"}, everyOktaRule: true},
		{name: "403 without okta.users.read", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			o.srv.AddToken("00appsOnlyToken000000000", oktatest.ScopeApps)
			t.Setenv("OKTA_CLIENT_TOKEN", "00appsOnlyToken000000000")
			return c.live(goodAppID, "--druva", druvaYAML)
		}, want: 3, errRules: []string{"okta.users.username-current", "okta.app.assigned"}, says: []string{"HTTP 403", "okta.users.read"}},
		{name: "404 app", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			return c.live("0oaNoSuchApp000000000", "--druva", druvaYAML)
		}, want: 3, errRules: allOkta, says: []string{"HTTP 404 no such app", "not found"}, everyOktaRule: true},
		{name: "429 beyond the retries", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			o.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointMetadata, Kind: oktatest.Status, Status: 429, Times: -1})
			return c.live(goodAppID, "--druva", druvaYAML)
		}, want: 3, errRules: []string{"okta.metadata.consistent", "cross.login-url-match"}, says: []string{"HTTP 429", "after 3 retries"}},
		{name: "503 beyond the retries", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			o.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointKeys, Kind: oktatest.Status, Status: 503, Times: -1})
			return c.live(goodAppID, "--druva", druvaYAML)
		}, want: 3, errRules: []string{"okta.cert.validity", "okta.cert.strength", "okta.metadata.consistent", "cross.certificate-match"}, says: []string{"HTTP 503", "Okta server error", "after 3 retries"}},
		{name: "500 on users", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			o.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointUsers, Kind: oktatest.Status, Status: 500, Times: -1})
			return c.live(goodAppID, "--druva", druvaYAML)
		}, want: 3, errRules: []string{"okta.users.username-current", "okta.app.assigned"}, says: []string{"HTTP 500"}},
		{name: "timeout with a slow server", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			o.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointApp, Kind: oktatest.Slow, Delay: time.Minute})
			return c.live(goodAppID, "--druva", druvaYAML, "--timeout", "1s")
		}, want: 3, errRules: allOkta, says: []string{"deadline exceeded"}, everyOktaRule: true},
		{name: "http org URL", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			return []string{"scan", "--okta-org", "http://" + strings.TrimPrefix(o.srv.URL, "https://"), "--app-id", goodAppID}
		}, want: 2, says: []string{"must be https://"}},
		{name: "no app selector", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			return []string{"scan", "--okta-org", o.srv.URL}
		}, want: 2, says: []string{"exactly one of --app-id ID, --app-label LABEL or --discover"}},
		{name: "two app selectors", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			return c.live(goodAppID, "--app-label", "Druva inSync")
		}, want: 2, says: []string{"exactly one of"}},
		{name: "malformed app ID", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			return c.live("../users")
		}, want: 2, says: []string{"--app-id", "is not an Okta app ID"}},
		{name: "live and snapshot", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			return c.live(goodAppID, "--snapshot", snap("good"))
		}, want: 2, says: []string{"give one of"}},
		{name: "no org URL", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			return []string{"scan", "--app-id", goodAppID}
		}, want: 2, says: []string{"give --okta-org"}},
		{name: "no token", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			os.Unsetenv("OKTA_CLIENT_TOKEN") // restored by startOrg's t.Setenv
			return c.live(goodAppID)
		}, want: 2, says: []string{"token"}},
		{name: "malformed OKTA_ variable", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			t.Setenv("OKTA_CLIENT_REQUEST_TIMEOUT", "soon")
			return c.live(goodAppID)
		}, want: 2, says: []string{"OKTA_CLIENT_REQUEST_TIMEOUT"}},
		{name: "org URL from OKTA_CLIENT_ORGURL", setup: func(t *testing.T, o *org, c *liveCLI) []string {
			c.env["OKTA_CLIENT_ORGURL"] = o.srv.URL
			return []string{"scan", "--app-id", goodAppID, "--druva", druvaYAML}
		}, want: 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := startOrg(t)
			cl := o.cli(t)
			args := tc.setup(t, o, cl)
			if len(tc.errRules) > 0 {
				args = append(args, "--format", "json")
			}
			start := time.Now()
			code := cl.run(args...)
			if code != tc.want {
				t.Fatalf("exit %d, want %d\n%s", code, tc.want, cl.dump())
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			if len(tc.errRules) == 0 {
				for _, s := range tc.says {
					if !strings.Contains(cl.stderr.String(), s) {
						t.Errorf("stderr lacks %q\n%s", s, cl.dump())
					}
				}
				if tc.want == 2 && cl.stdout.Len() != 0 {
					t.Errorf("a usage error wrote a report:\n%s", cl.stdout.String())
				}
				return
			}
			rep := cl.report()
			if rep.ExitCode != code {
				t.Errorf("report says exit %d", rep.ExitCode)
			}
			res := rep.results(t)
			for _, rule := range tc.errRules {
				r := res[rule]
				if r.Status != "error" {
					t.Errorf("%s: %s, want error: %s", rule, r.Status, r.Message)
					continue
				}
				for _, s := range tc.says {
					if !strings.Contains(strings.ToLower(r.Message), strings.ToLower(s)) {
						t.Errorf("%s: message lacks %q: %s", rule, s, r.Message)
					}
				}
			}
			for rule, r := range res {
				if r.Status == "error" && !slices.Contains(tc.errRules, rule) && !tc.everyOktaRule {
					t.Errorf("%s is in error too: %s", rule, r.Message)
				}
			}
			// The table does not say it read what it could not. (The slow
			// server's fault was used up by the first run.)
			if strings.Contains(tc.name, "slow") {
				return
			}
			cl.run(append(args, "--format", "table")...)
			out := cl.stdout.String()
			if could := strings.Contains(out, "\nCould not read from "+o.srv.URL+"/"); could != tc.everyOktaRule || strings.Contains(out, "\nRead from "+o.srv.URL+"/") == tc.everyOktaRule {
				t.Errorf("app unreadable: %v; table's origin line:\n%s", tc.everyOktaRule, out)
			}
		})
	}
}

func TestLiveRetriesWaitOnTheFakeClock(t *testing.T) {
	chdir(t, t.TempDir())
	o := startOrg(t)
	o.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointApp, Kind: oktatest.Status, Status: 429})
	o.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointKeys, Kind: oktatest.Status, Status: 502, Times: 2})
	cl := o.cli(t)
	if code := cl.run(cl.live(goodAppID, "--druva", filepath.Join(snap("good"), "druva.yaml"))...); code != 0 {
		t.Fatalf("exit %d\n%s", code, cl.dump())
	}
	if n := o.srv.Served(http.StatusTooManyRequests) + o.srv.Served(http.StatusBadGateway); n != 3 {
		t.Errorf("%d failures served, want 3", n)
	}
	if s := o.clock.Slept(); len(s) < 3 {
		t.Errorf("slept %v: want the 429's wait for the reset and two backoffs", s)
	}
}

func TestLiveProgress(t *testing.T) {
	chdir(t, t.TempDir())
	app := snapApp(t, "good")
	app.Users = oktatest.Synthetic{N: 1200}
	o := startOrg(t, app)
	druvaYAML := filepath.Join(snap("good"), "druva.yaml")
	for _, c := range []struct {
		name string
		tty  bool
		args []string
		want bool
	}{
		{"not a terminal", false, nil, false},
		{"terminal, -q", true, []string{"-q"}, false},
		{"terminal", true, nil, true},
		{"terminal, json", true, []string{"--format", "json"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			cl := o.cli(t)
			cl.tty = c.tty
			if code := cl.run(cl.live(goodAppID, append([]string{"--druva", druvaYAML}, c.args...)...)...); code != 0 {
				t.Fatalf("exit %d\n%s", code, cl.dump())
			}
			if strings.Contains(cl.stdout.String(), "fetched") {
				t.Errorf("progress on stdout:\n%s", cl.stdout.String())
			}
			got := strings.Contains(cl.stderr.String(), "users: 1,200 fetched")
			if got != c.want {
				t.Errorf("progress on stderr: %v, want %v: %q", got, c.want, cl.stderr.String())
			}
			if !c.want && cl.stderr.Len() != 0 {
				t.Errorf("stderr: %q", cl.stderr.String())
			}
		})
	}
	t.Run("snapshot", func(t *testing.T) {
		cl := o.cli(t)
		cl.tty = true
		if code := cl.run("snapshot", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--out", filepath.Join(t.TempDir(), "s")); code != 0 {
			t.Fatalf("exit %d\n%s", code, cl.dump())
		}
		if !strings.Contains(cl.stderr.String(), "users: 1,200 fetched") || strings.Contains(cl.stdout.String(), "fetched") {
			t.Errorf("%s", cl.dump())
		}
	})
}

// runMain runs the real main() in a child process (the test binary, see
// TestMain) with exactly the given environment, from dir.
func runMain(t *testing.T, dir string, environ []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{mainEnv + "=1", "HOME=" + os.Getenv("HOME"), "PATH=" + os.Getenv("PATH")}, environ...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestSSLCertFile: a private CA is trusted the way users do it, with
// SSL_CERT_FILE. (In-process this cannot be tested: Go loads the system
// roots once per process.)
func TestSSLCertFile(t *testing.T) {
	dir := t.TempDir()
	o := startOrg(t)
	ca := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(ca, o.srv.CertPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"scan", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--druva", filepath.Join(snap("good"), "druva.yaml")}
	tok := "OKTA_CLIENT_TOKEN=" + o.srv.Token
	stdout, stderr, code := runMain(t, dir, []string{tok, "SSL_CERT_FILE=" + ca}, args...)
	if code != 0 || !strings.Contains(stdout, "gate: passed") || stderr != "" {
		t.Errorf("with SSL_CERT_FILE: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// Without it the fake's certificate is not trusted: incomplete, and the
	// report says why.
	noCA := t.TempDir()
	empty := filepath.Join(noCA, "empty.pem")
	os.WriteFile(empty, nil, 0o644)
	stdout, stderr, code = runMain(t, dir, []string{tok, "SSL_CERT_FILE=" + empty, "SSL_CERT_DIR=" + noCA}, args...)
	if code != 3 || !strings.Contains(stdout, "certificate") {
		t.Errorf("untrusted certificate: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, s := range []string{stdout, stderr} {
		if strings.Contains(s, o.srv.Token[6:]) {
			t.Errorf("the API token was printed:\n%s", s)
		}
	}
}

// TestLiveDeadlineMidFleet: when --timeout passes in the middle of a run, the
// report is still written, with every target known by then; the unfinished
// ones are in error naming the deadline, and the run exits 3.
func TestLiveDeadlineMidFleet(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	druvaYAML := filepath.Join(snap("good"), "druva.yaml")

	t.Run("config fleet", func(t *testing.T) {
		o := startOrg(t)
		// The first two targets' keys come at once; every later keys
		// request hangs past the deadline.
		o.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointKeys, Kind: oktatest.Slow, Delay: time.Minute, Request: 3, Times: -1})
		var cfg strings.Builder
		cfg.WriteString("targets:\n")
		var want []string
		for i := range 8 {
			name := fmt.Sprintf("app%d", i)
			want = append(want, name)
			fmt.Fprintf(&cfg, "  - name: %s\n    okta: {org_url: %s, app_id: %s}\n    druva: %s\n", name, o.srv.URL, goodAppID, druvaYAML)
		}
		want = append(want, "offline")
		fmt.Fprintf(&cfg, "  - name: offline\n    snapshot: %s\n", snap("good"))
		path := filepath.Join(dir, "fleet.yaml")
		if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		cl := o.cli(t)
		start := time.Now()
		code := cl.run("scan", "--config", path, "--timeout", "1s", "--format", "json")
		if code != 3 {
			t.Fatalf("exit %d, want 3\n%s", code, cl.dump())
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("the run took %v past a 1s deadline", d)
		}
		rep := cl.report()
		var names []string
		finished, unfinished := 0, 0
		for _, tg := range rep.Targets {
			names = append(names, tg.Name)
			if len(tg.Results) != len(checks.ForTargets()) {
				t.Errorf("%s: %d results, want every rule once", tg.Name, len(tg.Results))
			}
			deadline := false
			for _, r := range tg.Results {
				if r.Status == "error" && strings.Contains(r.Message, "--timeout") {
					deadline = true
				}
			}
			if deadline {
				unfinished++
			} else {
				finished++
			}
		}
		if !slices.Equal(names, want) {
			t.Errorf("targets %v, want every target in config order %v", names, want)
		}
		if finished != 3 || unfinished != 6 {
			t.Errorf("%d finished, %d in error naming the deadline; want 3 (2 live, 1 snapshot) and 6", finished, unfinished)
		}
		if rep.ExitCode != 3 {
			t.Errorf("report's exit_code %d", rep.ExitCode)
		}
	})

	t.Run("discover", func(t *testing.T) {
		good := snapApp(t, "good")
		second := withJSON(t, good, map[string]any{"id": "0oaSecond000000000001", "label": "Druva inSync (admins)"})
		apps := []*oktatest.App{good}
		for i := range 250 {
			apps = append(apps, &oktatest.App{JSON: fmt.Appendf(nil, `{"id":"0oaFiller%05d","name":"x","label":"App %d","status":"ACTIVE","signOnMode":"BOOKMARK","settings":{}}`, i, i)})
		}
		apps = append(apps, second) // on the second page of the list
		o := startOrg(t, apps...)
		o.srv.Inject(oktatest.Fault{Endpoint: oktatest.EndpointApps, Kind: oktatest.Slow, Delay: time.Minute, Request: 2})
		cl := o.cli(t)
		code := cl.run("scan", "--okta-org", o.srv.URL, "--discover", "--druva", druvaYAML, "--timeout", "1s", "--format", "json")
		if code != 3 {
			t.Fatalf("exit %d, want 3\n%s", code, cl.dump())
		}
		rep := cl.report()
		if len(rep.Targets) != 2 || rep.Targets[0].App.ID != goodAppID {
			t.Fatalf("targets %+v, want the app of the first page, then discovery's error", rep.Targets)
		}
		for _, r := range rep.Targets[0].Results {
			if r.Status == "error" {
				t.Errorf("the app read before the deadline: %+v", r)
			}
		}
		rest := rep.Targets[1]
		if len(rest.Results) != len(checks.ForTargets()) {
			t.Errorf("%d results", len(rest.Results))
		}
		for _, r := range rest.Results {
			if strings.HasPrefix(r.Rule, "okta.") && (r.Status != "error" || !strings.Contains(r.Message, "page 2") || !strings.Contains(r.Message, "--timeout")) {
				t.Errorf("the unlisted rest of the org: %+v", r)
			}
		}
	})
}
