package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/testprog"
)

// netURL is a network request in Chromium's net log.
var netURL = regexp.MustCompile(`"(?:url|original_url)":"((?:https?|wss?|ftp)://[^"]*)"`)

// chromiumOwnHost is Chromium's own background traffic (update checks,
// account lookups), which it sends even with background networking off.
// Web fonts are served from Google hosts too, but by the page's request, so
// they are not excused.
var chromiumOwnHost = regexp.MustCompile(`^https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com)/`)

// TestHTMLInBrowser renders the golden report in headless Chromium and checks
// what a reader would see: the page parses into the expected document (the
// DOM after rendering, not the bytes written) and it asks the network for
// nothing. It skips without Chromium (Debian: apt-get install chromium).
func TestHTMLInBrowser(t *testing.T) {
	testprog.Short(t, "starts a browser")
	browser := testprog.Need(t, "chromium")
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	html := render(t, "html", Options{})
	if err := os.WriteFile(page, html, 0o644); err != nil {
		t.Fatal(err)
	}
	netlog := filepath.Join(dir, "netlog.json")

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-default-apps", "--disable-extensions",
		"--user-data-dir="+filepath.Join(dir, "profile"),
		"--log-net-log="+netlog,
		"--dump-dom", "file://"+page)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s --dump-dom: %v\n%s", browser, err, stderr.String())
	}
	dom := stdout.String()
	if !strings.Contains(dom, "</html>") {
		t.Fatalf("chromium printed no document:\n%s\nstderr:\n%s", dom, stderr.String())
	}

	// The summary, both targets, and every finding of the fixture, with its
	// detail card; html/template's escaping must survive the parse too.
	for _, want := range []string{
		"<h1>ssoaudit report</h1>",
		"Gate: incomplete (exit 3)",
		`<table class="counts">`,
		"Target acme-prod", "Target acme-dev",
		`<table class="findings">`,
		`<article class="finding fail" id="t1-f1">`,
		"Recipient &lt;differs&gt; too &amp; more.",
		`<span class="badge suppressed">suppressed</span>`,
		"Passed checks", `<article class="finding pass">`, "Audit record", "Gate threshold",
		"<footer>",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered DOM lacks %q", want)
		}
	}
	rep := testReport()
	for i, tr := range rep.Targets {
		findings := 0
		for _, r := range tr.Results {
			if isFinding(r) {
				findings++
			}
		}
		// Rows and cards of target i+1 carry anchors t<i+1>-f<n>.
		prefix := fmt.Sprintf("t%d-f", i+1)
		if got := strings.Count(dom, `href="#`+prefix); got != findings {
			t.Errorf("target %s: %d rows in the findings table, want %d", tr.Name, got, findings)
		}
		if got := strings.Count(dom, `id="`+prefix); got != findings {
			t.Errorf("target %s: %d finding cards, want %d", tr.Name, got, findings)
		}
	}
	if strings.Contains(strings.ToLower(dom), "<script") {
		t.Error("rendered DOM contains a script")
	}

	// Chromium writes the net log when it exits.
	log, err := os.ReadFile(netlog)
	if err != nil {
		t.Fatalf("no net log: %v", err)
	}
	seen := map[string]bool{}
	for _, m := range netURL.FindAllStringSubmatch(string(log), -1) {
		u := m[1]
		if chromiumOwnHost.MatchString(u) && !strings.Contains(u, "://fonts.") {
			continue
		}
		seen[u] = true
	}
	if len(seen) > 0 {
		var urls []string
		for u := range seen {
			urls = append(urls, u)
		}
		sort.Strings(urls)
		t.Errorf("the page asked the network for %d resource(s); the report must be self-contained:\n%s", len(urls), strings.Join(urls, "\n"))
	}
}

// phoneProbe, appended to a copy of the page (the report itself has no
// script), puts the page's scroll width and client width in its title.
const phoneProbe = `<script>addEventListener("load", function () {
  var d = document.documentElement;
  document.title = "SW=" + d.scrollWidth + " CW=" + d.clientWidth;
});</script>`

// TestHTMLFitsAPhone renders the report in a 390-pixel-wide frame (a phone)
// with long tokens in it — a reference's URLs, a deployment's console path,
// a hash and a certificate subject in evidence — and checks the page does
// not scroll sideways. Headless Chromium will not make its window that
// narrow, so the page is framed.
func TestHTMLFitsAPhone(t *testing.T) {
	testprog.Short(t, "starts a browser")
	browser := testprog.Need(t, "chromium")
	rep := testReport()
	r := &rep.Targets[0].Results[0]
	r.Reference = "Druva: Single Sign-On (SSO) FAQs <https://docs.druva.com/Endpoints/050_Configure_inSync_Settings/Configure_inSync_for_Single_Sign-On_(SSO)/104_SSO_FAQs>; Druva: How to configure SP and IdP initiated SSO <https://help.druva.com/en/articles/8806061-how-to-configure-sp-and-idp-initiated-sso-for-users-and-admin-under-one-druva-instance-using-okta-as-an-idp>"
	r.Evidence = r.Evidence.
		Add("okta_sha256", strings.Repeat("1a596affff1f5c20", 4)).
		Add("okta_subject", "emailAddress=info@okta.com,CN=acme,OU=SSOProvider,O=Okta,L=San_Francisco,ST=California,C=US").
		Add("examples", []string{`{"id":"00u8f3k2aaBBcc002d7","username":"moyelaran","email":"marcus.oyelaran@acme.example"}`})
	rep.Deployments = append(rep.Deployments, audit.DeploymentReport{Name: "../testdata/snapshots/a-rather-long-directory-name/druva.yaml", Targets: []string{"acme-prod"}, Results: []audit.Result{*r}})

	dir := t.TempDir()
	page := strings.Replace(string(renderReport(t, rep, "html", Options{})), "</body>", phoneProbe+"</body>", 1)
	if err := os.WriteFile(filepath.Join(dir, "report.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	frame := `<!DOCTYPE html><html><head><title>frame</title></head><body style="margin:0">` +
		`<iframe id="f" src="report.html" style="width:390px;height:3000px;border:0"></iframe>` +
		`<script>setTimeout(function () { document.body.setAttribute("data-probe", document.getElementById("f").contentDocument.title); }, 1500);</script></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "frame.html"), []byte(frame), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--allow-file-access-from-files",
		"--virtual-time-budget=5000", "--window-size=1280,2000", "--dump-dom", "file://"+filepath.Join(dir, "frame.html"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s --dump-dom: %v\n%s", browser, err, stderr.String())
	}
	m := regexp.MustCompile(`data-probe="SW=(\d+) CW=(\d+)"`).FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("no measurement in the frame:\n%.2000s\n%s", stdout.String(), stderr.String())
	}
	if m[1] != m[2] {
		t.Errorf("at 390 px the page is %s px wide in a %s px view: it scrolls sideways", m[1], m[2])
	}
	t.Logf("at 390 px: scroll width %s, client width %s", m[1], m[2])
}
