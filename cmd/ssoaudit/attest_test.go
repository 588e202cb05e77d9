package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// attestReport is the part of the JSON report the attestation tests read.
type attestReport struct {
	Targets []struct {
		Name    string `json:"name"`
		Results []struct {
			Rule        string `json:"rule"`
			Status      string `json:"status"`
			Message     string `json:"message"`
			SkipKind    string `json:"skip_kind"`
			Attested    bool   `json:"attested"`
			Attestation *struct {
				By, Value, Reason, Expires, File string
				Line                             int
				Expired                          bool
			} `json:"attestation"`
		} `json:"results"`
	} `json:"targets"`
	Summary struct {
		Pass, Skip, Warn, Error, Attested int
	} `json:"summary"`
	ExitCode int `json:"exit_code"`
}

// attestSetup writes a snapshot whose app.json leaves responseSigned out (so
// okta.saml.response-signed is a not_exposed skip) and a config naming it
// prod, with the given attest: section; it returns the config's path.
func attestSetup(t *testing.T, attest string) string {
	t.Helper()
	dir := t.TempDir()
	chdir(t, dir)
	s := copySnapshot(t, func(s string) string {
		return strings.Replace(s, `"responseSigned": true,`, ``, 1)
	})
	druva, err := os.ReadFile(filepath.Join(snap("good"), "druva.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(s, "druva.yaml"), druva, 0o600)
	cfg := filepath.Join(dir, "cfg.yaml")
	os.WriteFile(cfg, []byte("targets:\n  - name: prod\n    snapshot: "+s+"\n"+attest), 0o600)
	return cfg
}

const activeAttest = `attest:
  - rule: okta.saml.response-signed
    target: prod
    value: "Druva 2.0 catalog app: Response signed, SHA-256 (General > SAML settings)"
    by: alice@example.com
    reason: checked in the Okta admin console, ticket SEC-123
    expires: 2027-03-01
`

func (c *cli) attestReport() attestReport {
	c.t.Helper()
	var r attestReport
	if err := json.Unmarshal(c.stdout.Bytes(), &r); err != nil {
		c.t.Fatalf("json: %v\n%s", err, c.stdout.String())
	}
	return r
}

func (r attestReport) result(rule string) (status, message, kind string, attested bool, by string, line int, expired bool) {
	for _, res := range r.Targets[0].Results {
		if res.Rule == rule {
			if a := res.Attestation; a != nil {
				by, line, expired = a.By, a.Line, a.Expired
			}
			return res.Status, res.Message, res.SkipKind, res.Attested, by, line, expired
		}
	}
	return
}

func TestAttestations(t *testing.T) {
	const rule = "okta.saml.response-signed"
	t.Run("no attestation: a not_exposed skip", func(t *testing.T) {
		cl := newCLI(t)
		if code := cl.run("scan", "--config", attestSetup(t, ""), "--format", "json"); code != 0 {
			t.Fatalf("exit %d\n%s", code, cl.stderr.String())
		}
		if st, _, kind, att, _, _, _ := cl.attestReport().result(rule); st != "skip" || kind != "not_exposed" || att {
			t.Errorf("%s: %s %q attested=%v, want skip not_exposed", rule, st, kind, att)
		}
	})
	t.Run("active: an attested pass with the attestation as evidence", func(t *testing.T) {
		cl := newCLI(t)
		cfg := attestSetup(t, activeAttest)
		if code := cl.run("scan", "--config", cfg, "--format", "json"); code != 0 {
			t.Fatalf("exit %d\n%s", code, cl.stderr.String())
		}
		rep := cl.attestReport()
		st, msg, kind, att, by, line, _ := rep.result(rule)
		if st != "pass" || !att || kind != "" || by != "alice@example.com" || line != 5 {
			t.Errorf("%s: %s attested=%v by %q line %d (kind %q), want an attested pass by alice@example.com at line 5", rule, st, att, by, line, kind)
		}
		if !strings.Contains(msg, "attested by alice@example.com until 2027-03-01") || !strings.Contains(msg, "not decided by ssoaudit") {
			t.Errorf("message %q", msg)
		}
		if rep.Summary.Attested != 1 {
			t.Errorf("summary %+v, want attested 1", rep.Summary)
		}
		if strings.Contains(cl.stderr.String(), "not used") {
			t.Errorf("an attestation in use is reported unused:\n%s", cl.stderr.String())
		}
		// --require attested: covered, so the gate passes.
		if code := cl.run("scan", "--config", cfg, "--format", "json", "--require", "attested"); code != 0 {
			t.Errorf("--require attested with the attestation: exit %d", code)
		}
	})
	t.Run("expired: a warn saying so, an error under --require attested", func(t *testing.T) {
		cl := newCLI(t)
		cfg := attestSetup(t, strings.Replace(activeAttest, "2027-03-01", "2026-11-26", 1))
		if code := cl.run("scan", "--config", cfg, "--format", "json"); code != 0 {
			t.Fatalf("exit %d\n%s", code, cl.stderr.String())
		}
		st, msg, _, att, _, _, expired := cl.attestReport().result(rule)
		if st != "warn" || att || !expired || !strings.Contains(msg, "attestation expired on 2026-11-26, verify again") {
			t.Errorf("%s: %s attested=%v expired=%v %q, want a warn saying it expired", rule, st, att, expired, msg)
		}
		if code := cl.run("scan", "--config", cfg, "--format", "json", "--fail-on-warn"); code != 1 {
			t.Errorf("an expired attestation under --fail-on-warn: exit %d, want 1", code)
		}
		if code := cl.run("scan", "--config", cfg, "--format", "json", "--require", "attested"); code != 3 {
			t.Errorf("an expired attestation under --require attested: exit %d, want 3", code)
		}
		if st, _, _, _, _, _, _ := cl.attestReport().result(rule); st != "error" {
			t.Errorf("under --require attested: %s, want error", st)
		}
	})
	t.Run("the expiry day itself still holds", func(t *testing.T) {
		cl := newCLI(t)
		cfg := attestSetup(t, strings.Replace(activeAttest, "2027-03-01", "2026-11-27", 1))
		cl.run("scan", "--config", cfg, "--format", "json")
		if st, _, _, att, _, _, _ := cl.attestReport().result(rule); st != "pass" || !att {
			t.Errorf("on its expiry day: %s attested=%v, want an attested pass", st, att)
		}
	})
	t.Run("unused: a warning on stderr, the tool's verdict unchanged", func(t *testing.T) {
		cl := newCLI(t)
		cfg := attestSetup(t, activeAttest+`  - rule: okta.saml.audience
    target: prod
    by: bob@example.com
    reason: looked at it
    expires: 2027-03-01
`)
		if code := cl.run("scan", "--config", cfg, "--format", "json"); code != 0 {
			t.Fatalf("exit %d\n%s", code, cl.stderr.String())
		}
		if st, _, _, att, _, _, _ := cl.attestReport().result("okta.saml.audience"); st != "pass" || att {
			t.Errorf("okta.saml.audience: %s attested=%v, want the tool's own pass", st, att)
		}
		if want := "cfg.yaml:11: attest[1] for okta.saml.audience on target \"prod\" was not used"; !strings.Contains(cl.stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, cl.stderr.String())
		}
	})
	t.Run("--require attested without an attestation: error, exit 3", func(t *testing.T) {
		cl := newCLI(t)
		cfg := attestSetup(t, "")
		if code := cl.run("scan", "--config", cfg, "--format", "json", "--require", "attested"); code != 3 {
			t.Fatalf("exit %d, want 3", code)
		}
		st, msg, _, _, _, _, _ := cl.attestReport().result(rule)
		if st != "error" || !strings.Contains(msg, "no attestation (--require attested)") {
			t.Errorf("%s: %s %q", rule, st, msg)
		}
	})
	for _, c := range []struct{ name, attest, want string }{
		{"missing by", strings.Replace(activeAttest, "    by: alice@example.com\n", "", 1), "cfg.yaml:5: attest[0]: by is required"},
		{"missing reason", strings.Replace(activeAttest, "    reason: checked in the Okta admin console, ticket SEC-123\n", "", 1), "cfg.yaml:5: attest[0]: reason is required"},
		{"missing expires", strings.Replace(activeAttest, "    expires: 2027-03-01\n", "", 1), "cfg.yaml:5: attest[0]: expires is required"},
		{"unknown rule", strings.Replace(activeAttest, "okta.saml.response-signed", "okta.saml.response-sign", 1), "cfg.yaml:5: attest[0].rule: unknown rule"},
		{"unknown target", strings.Replace(activeAttest, "target: prod", "target: staging", 1), `cfg.yaml:5: attest[0]: target "staging" is not one of the targets (prod)`},
		{"unknown key", strings.Replace(activeAttest, "    by:", "    who:", 1), "cfg.yaml:8: unknown key"},
		{"bad date", strings.Replace(activeAttest, "2027-03-01", "next spring", 1), "cfg.yaml:10: attest[0].expires: want a date"},
		{"no such child of a one-app entry", strings.Replace(activeAttest, "target: prod", "target: prod/nope", 1), `cfg.yaml:5: attest[0]: target "prod/nope" names no app of the entry "prod"`},
	} {
		t.Run("malformed: "+c.name, func(t *testing.T) {
			cl := newCLI(t)
			if code := cl.run("scan", "--config", attestSetup(t, c.attest), "--format", "json"); code != 2 {
				t.Fatalf("exit %d, want 2\n%s", code, cl.stderr.String())
			}
			if !strings.Contains(cl.stderr.String(), c.want) {
				t.Errorf("stderr lacks %q:\n%s", c.want, cl.stderr.String())
			}
		})
	}
}

// TestAttestedInEveryFormat: an attested pass is shown apart from the
// tool's own passes in every format (docs/attestations.md, In each report).
func TestAttestedInEveryFormat(t *testing.T) {
	cfg := attestSetup(t, activeAttest)
	for _, c := range []struct {
		format string
		want   []string
	}{
		{"table", []string{"Attested by a person (not decided by ssoaudit):", "okta.saml.response-signed", "by alice@example.com until 2027-03-01"}},
		{"markdown", []string{"**Attested by a person** (not decided by ssoaudit):", "`okta.saml.response-signed` — by alice@&#8203;example.com until 2027-03-01"}},
		{"html", []string{"Attested by a person (1), not decided by ssoaudit", "<dt>Attested by a person</dt><dd>prod · okta.saml.response-signed: by alice@example.com until 2027-03-01"}},
		{"sarif", []string{`"attestations": [`, `"rule": "okta.saml.response-signed"`, `"by": "alice@example.com"`}},
		{"junit", []string{`<property name="attestation.okta.saml.response-signed" value="by alice@example.com until 2027-03-01`, "ATTESTED by a person, not decided by ssoaudit"}},
		{"prometheus", []string{`rule="okta.saml.response-signed",severity="critical",status="pass",attested="true"} 1`}},
		{"csv", []string{"target,prod,"}},
	} {
		t.Run(c.format, func(t *testing.T) {
			cl := newCLI(t)
			if code := cl.run("scan", "--config", cfg, "--format", c.format); code != 0 {
				t.Fatalf("exit %d\n%s", code, cl.stderr.String())
			}
			out := cl.stdout.String()
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("%s lacks %q:\n%s", c.format, w, out)
				}
			}
			if c.format == "csv" {
				for _, line := range strings.Split(out, "\n") {
					if strings.Contains(line, ",okta.saml.response-signed,") && !strings.Contains(line, ",pass,,critical,false,true,") {
						t.Errorf("csv row %q: want pass, attested true", line)
					}
				}
			}
		})
	}
}

// TestDiffAttested: a not_exposed skip that a person's attestation turns
// into a pass is its own kind in diff ("attested"), not "resolved".
func TestDiffAttested(t *testing.T) {
	cl := newCLI(t)
	before := attestSetup(t, "")
	dir := filepath.Dir(before)
	if code := cl.run("scan", "--config", before, "--format", "json", "--output", filepath.Join(dir, "old.json")); code != 0 {
		t.Fatalf("exit %d\n%s", code, cl.stderr.String())
	}
	cfg, _ := os.ReadFile(before)
	os.WriteFile(before, append(cfg, activeAttest...), 0o600)
	if code := cl.run("scan", "--config", before, "--format", "json", "--output", filepath.Join(dir, "new.json")); code != 0 {
		t.Fatalf("exit %d\n%s", code, cl.stderr.String())
	}
	cl.run("diff", filepath.Join(dir, "old.json"), filepath.Join(dir, "new.json"))
	out := cl.stdout.String()
	if !strings.Contains(out, "Attested by a person (not decided by ssoaudit) (1):") || !strings.Contains(out, "okta.saml.response-signed") ||
		!strings.Contains(out, "0 resolved, 1 attested") {
		t.Errorf("diff does not show the attested pass as attested:\n%s", out)
	}
}

// TestAttestationsLiveAsSnapshot: an attestation covers a result whatever
// source it came from. The attest scenarios above (none, active, expired,
// unused, --require attested, a malformed entry) give the same verdict, exit
// code and stderr warning live, from a fake org serving the same app, as
// from its snapshot.
func TestAttestationsLiveAsSnapshot(t *testing.T) {
	const rule = "okta.saml.response-signed"
	cases := []struct {
		name, attest string
		args         []string
	}{
		{"none", "", nil},
		{"active", activeAttest, nil},
		{"expired", strings.Replace(activeAttest, "2027-03-01", "2026-11-26", 1), nil},
		{"expired, --require attested", strings.Replace(activeAttest, "2027-03-01", "2026-11-26", 1), []string{"--require", "attested"}},
		{"unused", activeAttest + "  - rule: okta.saml.audience\n    target: prod\n    by: bob@example.com\n    reason: looked at it\n    expires: 2027-03-01\n", nil},
		{"none, --require attested", "", []string{"--require", "attested"}},
		{"malformed", strings.Replace(activeAttest, "    by: alice@example.com\n", "", 1), nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := attestSetup(t, c.attest)
			text, err := os.ReadFile(cfg)
			if err != nil {
				t.Fatal(err)
			}
			snapDir := strings.TrimSpace(strings.TrimPrefix(strings.Split(string(text), "\n")[2], "    snapshot:"))
			app, err := oktatest.FromSnapshot(snapDir)
			if err != nil {
				t.Fatal(err)
			}
			o := startOrg(t, app)
			live := strings.Replace(string(text), "    snapshot: "+snapDir+"\n",
				"    okta: {org_url: "+o.srv.URL+", app_id: "+goodAppID+"}\n    druva: "+filepath.Join(snapDir, "druva.yaml")+"\n", 1)
			liveCfg := filepath.Join(filepath.Dir(cfg), "live.yaml")
			if err := os.WriteFile(liveCfg, []byte(live), 0o600); err != nil {
				t.Fatal(err)
			}
			type outcome struct {
				exit                  int
				status, msg, kind     string
				attested, expired     bool
				unusedWarning, config string
			}
			run := func(path string) outcome {
				cl := o.cli(t)
				code := cl.run(append([]string{"scan", "--config", path, "--format", "json"}, c.args...)...)
				out := outcome{exit: code}
				if code == 2 {
					_, out.config, _ = strings.Cut(cl.stderr.String(), ": attest[0]")
					return out
				}
				out.status, out.msg, out.kind, out.attested, _, _, out.expired = cl.attestReport().result(rule)
				if _, w, ok := strings.Cut(cl.stderr.String(), "attest[1]"); ok {
					out.unusedWarning = w
				}
				return out
			}
			offline, onl := run(cfg), run(liveCfg)
			// The config files differ in name and, by the live target's
			// druva: line, in line numbers; what they say does not.
			where := regexp.MustCompile(`[^ (]*(cfg|live)\.yaml:\d+`)
			for _, o := range []*outcome{&offline, &onl} {
				o.msg, o.config = where.ReplaceAllString(o.msg, "CONFIG:N"), where.ReplaceAllString(o.config, "CONFIG:N")
			}
			if (offline.exit == 2) != (c.name == "malformed") || offline.status == "" && offline.config == "" {
				t.Errorf("snapshot: %+v", offline)
			}
			if offline != onl {
				t.Errorf("snapshot %+v\nlive     %+v", offline, onl)
			}
		})
	}
}
