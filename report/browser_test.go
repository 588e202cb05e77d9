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
)

// chromiumBinary finds a Chromium to render with: $CHROMIUM, else the usual
// names on PATH.
func chromiumBinary() string {
	if c := os.Getenv("CHROMIUM"); c != "" {
		return c
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

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
	if testing.Short() {
		t.Skip("skipped in -short mode: starts a browser")
	}
	browser := chromiumBinary()
	if browser == "" {
		if os.Getenv("SSOAUDIT_REQUIRE_BROWSER") != "" {
			t.Fatal("SSOAUDIT_REQUIRE_BROWSER is set but chromium is not on PATH (Debian: apt-get install chromium)")
		}
		t.Skip("chromium not on PATH (Debian: apt-get install chromium; or set CHROMIUM): the HTML report is not checked in a browser")
	}
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
		"Passed (", `<article class="finding pass">`, "Audit record", "Gate threshold",
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
