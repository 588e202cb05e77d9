package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/checks"
)

// TestUnreachableOrgIsOneCause: an Okta org the client cannot reach — its
// certificate is not trusted, or it closes every connection — blocks every
// rule of every target of that org for one reason. JSON keeps each rule of
// each target (in error, sharing one cause); the table, Markdown and HTML
// show that cause once: one findings line and one fix naming the org, every
// target (at its okta: line, where SARIF locates its results) and every
// rule; the run exits 3.
func TestUnreachableOrgIsOneCause(t *testing.T) {
	cases := []struct {
		name   string
		client func(o *org) *http.Client
		cause  string
	}{
		{"a certificate the client does not trust", func(*org) *http.Client {
			return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool()}}}
		}, "certificate signed by unknown authority"},
		{"the org closes every connection", func(o *org) *http.Client {
			c := o.srv.Client()
			o.srv.Close()
			return c
		}, "connection refused"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			chdir(t, dir)
			o := startOrg(t)
			druvaYAML := filepath.Join(snap("good"), "druva.yaml")
			var cfg strings.Builder
			cfg.WriteString("targets:\n")
			for i := range 3 {
				fmt.Fprintf(&cfg, "  - name: app%d\n    okta: {org_url: %s, app_id: %s}\n    druva: %s\n", i, o.srv.URL, goodAppID, druvaYAML)
			}
			path := "fleet.yaml"
			if err := os.WriteFile(path, []byte(cfg.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			client := tc.client(o)
			cl := o.cli(t)
			run := func(format string) string {
				t.Helper()
				e := cl.newEnv()
				e.oktaHTTP, e.oktaNow, e.oktaSleep = client, o.clock.Now, o.clock.Sleep
				args := []string{"scan", "--config", path, "--format", format}
				if code := e.run(context.Background(), args); code != 3 {
					t.Fatalf("%s: exit %d, want 3\n%s", format, code, cl.dump())
				}
				checkReports(t, args, 3, cl.stdout.Bytes())
				return cl.stdout.String()
			}

			// JSON: every rule once per target, each error sharing the cause.
			var rep struct {
				Targets []struct {
					Name    string
					Results []struct{ Rule, Status, Message, Cause string }
				}
				Deployments []struct {
					Results []struct{ Rule, Status, Cause string }
				}
			}
			if err := json.Unmarshal([]byte(run("json")), &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Targets) != 3 {
				t.Fatalf("%d targets, want 3", len(rep.Targets))
			}
			causes := map[string]bool{}
			blocked := map[string]bool{} // the rules the cause blocked
			for _, tg := range rep.Targets {
				if len(tg.Results) != len(checks.ForTargets()) {
					t.Errorf("%s: %d results, want every rule once (%d)", tg.Name, len(tg.Results), len(checks.ForTargets()))
				}
				for _, r := range tg.Results {
					if r.Status != "error" {
						continue
					}
					causes[r.Cause+"\x00"+r.Message] = true
					blocked[r.Rule] = true
					if !strings.Contains(r.Message, o.srv.URL) || !strings.Contains(r.Message, tc.cause) {
						t.Errorf("%s %s: message %q does not name the org and the cause", tg.Name, r.Rule, r.Message)
					}
				}
			}
			for _, d := range rep.Deployments {
				for _, r := range d.Results {
					if r.Status == "error" {
						blocked[r.Rule] = true
						if !strings.HasPrefix(r.Cause, "connect ") {
							t.Errorf("deployment %s: cause %q, want the org's", r.Rule, r.Cause)
						}
					}
				}
			}
			if n := len(causes); n != 1 {
				t.Errorf("the errors carry %d causes, want one:\n%v", n, causes)
			}

			// The table: one findings line, one fix block.
			table := run("table")
			if n := strings.Count(table, "How to fix:"); n != 1 {
				t.Errorf("%d fix sections, want 1:\n%s", n, table)
			}
			if n := strings.Count(table, "error (could not evaluate)"); n != 1 {
				t.Errorf("%d error blocks, want 1:\n%s", n, table)
			}
			block := table[strings.Index(table, "Findings ("):]
			if !strings.HasPrefix(block, "Findings (1 error)") || len(regexp.MustCompile(`(?m)^  critical +error `).FindAllString(block, -1)) != 1 {
				t.Errorf("findings block, want one line:\n%s", block)
			}
			rules := len(blocked)
			if !blocked["druva.admin.sign-in-path"] {
				t.Errorf("the deployment's rule is not blocked by the cause: %v", blocked)
			}
			for _, want := range []string{
				fmt.Sprintf("one cause, %d rules", rules),
				"could not connect to the Okta org " + o.srv.URL,
				"Targets it blocked: app0 (fleet.yaml:3), app1 (fleet.yaml:6), app2 (fleet.yaml:9),",
				"druva.admin.sign-in-path", "okta.users.username-current",
				fmt.Sprintf("cross.certificate-match +%d app0+app1+app2", rules-1),
				"gate: incomplete (exit 3)",
				"1 to look at (1 error, ",
			} {
				if !strings.Contains(table, want) {
					t.Errorf("table lacks %q:\n%s", want, table)
				}
			}

			// SARIF: each target's results at its okta: line.
			var sarif sarifLog
			if err := json.Unmarshal([]byte(run("sarif")), &sarif); err != nil {
				t.Fatal(err)
			}
			lines := map[int]int{}
			for _, r := range sarif.Runs[0].Results {
				loc := r.Locations[0].PhysicalLocation
				if loc.ArtifactLocation.URI != "fleet.yaml" {
					t.Errorf("SARIF result at %s:%d", loc.ArtifactLocation.URI, loc.Region.StartLine)
				}
				lines[loc.Region.StartLine]++
			}
			if lines[3] == 0 || lines[6] == 0 || lines[9] == 0 {
				t.Errorf("SARIF lines %v, want the okta: lines 3, 6 and 9", lines)
			}

			// Markdown and HTML: the cause once.
			md := run("markdown")
			if n := strings.Count(md, "error (could not evaluate)"); n != 1 {
				t.Errorf("Markdown: %d error blocks, want 1:\n%s", n, md)
			}
			if !strings.Contains(md, "Targets it blocked: app0 (fleet.yaml:3), app1 (fleet.yaml:6), app2 (fleet.yaml:9)") {
				t.Errorf("Markdown does not name the targets:\n%s", md)
			}
			html := run("html")
			if n := strings.Count(html, `<article class="finding error"`); n != 1 {
				t.Errorf("HTML: %d error cards, want 1", n)
			}
			if !strings.Contains(html, "<dd>app0 (fleet.yaml:3), app1 (fleet.yaml:6), app2 (fleet.yaml:9)") {
				t.Errorf("HTML does not name the targets")
			}
		})
	}
}
