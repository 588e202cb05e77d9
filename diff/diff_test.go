package diff

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

func rep(results map[string][]audit.Result) *audit.Report {
	r := &audit.Report{Schema: audit.Schema, GeneratedAt: time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)}
	for _, name := range []string{"prod", "staging"} {
		if res, ok := results[name]; ok {
			r.Targets = append(r.Targets, audit.TargetReport{Name: name, Results: res})
		}
	}
	return r
}

func res(rule string, st audit.Status, sev audit.Severity) audit.Result {
	return audit.Result{Rule: rule, Status: st, Severity: sev, Message: rule + " is " + string(st)}
}

func TestCompare(t *testing.T) {
	old := rep(map[string][]audit.Result{
		"prod": {
			res("okta.saml.sha256", audit.StatusFail, audit.Medium),
			res("okta.saml.response-signed", audit.StatusPass, audit.Critical),
			res("cross.certificate-match", audit.StatusFail, audit.Critical),
			res("okta.cert.validity", audit.StatusPass, audit.Critical),
			res("okta.users.username-current", audit.StatusError, audit.High),
		},
		"staging": {res("druva.admin.failsafe", audit.StatusFail, audit.High)},
	})
	cases := []struct {
		name     string
		new      *audit.Report
		failOn   audit.Severity
		want     map[string]int
		wantExit int
	}{
		{"nothing changed", old, audit.High, map[string]int{StillFailing: 4}, 0},
		{"a new critical failure trips the gate", rep(map[string][]audit.Result{
			"prod": {
				res("okta.saml.sha256", audit.StatusFail, audit.Medium),
				res("okta.saml.response-signed", audit.StatusFail, audit.Critical),
				res("cross.certificate-match", audit.StatusPass, audit.Critical),
				res("okta.cert.validity", audit.StatusError, audit.Critical),
				res("okta.users.username-current", audit.StatusPass, audit.High),
			},
		}), audit.High, map[string]int{NewFail: 1, NoLongerChecked: 1, StillFailing: 1, Resolved: 2, NoLongerFound: 1}, 1},
		{"a new medium failure is below the gate", rep(map[string][]audit.Result{
			"prod": {
				res("okta.saml.sha256", audit.StatusPass, audit.Medium),
				res("okta.saml.assertion-signed", audit.StatusFail, audit.Medium),
			},
			"staging": {res("druva.admin.failsafe", audit.StatusFail, audit.High)},
		}), audit.High, map[string]int{NewFail: 1, StillFailing: 1, Resolved: 1, NoLongerFound: 2}, 0},
		{"the same at --fail-on medium trips", rep(map[string][]audit.Result{
			"prod": {res("okta.saml.assertion-signed", audit.StatusFail, audit.Medium)},
		}), audit.Medium, map[string]int{NewFail: 1, NoLongerFound: 4}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := Compare(old, c.new, c.failOn)
			for _, k := range Kinds {
				if d.Summary[k] != c.want[k] {
					t.Errorf("%s = %d, want %d (changes: %+v)", k, d.Summary[k], c.want[k], d.Changes)
				}
			}
			if d.ExitCode != c.wantExit {
				t.Errorf("exit = %d, want %d", d.ExitCode, c.wantExit)
			}
		})
	}
}

// TestEveryStatusChange checks that each change of status has a kind: a
// critical rule that stops being checked (pass → skip, as cross.token-match
// does when druva.yaml loses its token) is in the diff, not silently gone.
func TestEveryStatusChange(t *testing.T) {
	st := []audit.Status{audit.StatusPass, audit.StatusWarn, audit.StatusFail, audit.StatusError, audit.StatusSkip}
	want := map[[2]audit.Status]string{
		{audit.StatusPass, audit.StatusWarn}:  NewWarn,
		{audit.StatusPass, audit.StatusFail}:  NewFail,
		{audit.StatusPass, audit.StatusError}: NoLongerChecked,
		{audit.StatusPass, audit.StatusSkip}:  NoLongerChecked,
		{audit.StatusWarn, audit.StatusPass}:  Resolved,
		{audit.StatusWarn, audit.StatusFail}:  NewFail,
		{audit.StatusWarn, audit.StatusError}: NoLongerChecked,
		{audit.StatusWarn, audit.StatusSkip}:  NoLongerChecked,
		{audit.StatusFail, audit.StatusPass}:  Resolved,
		{audit.StatusFail, audit.StatusWarn}:  Resolved,
		{audit.StatusFail, audit.StatusError}: NoLongerChecked,
		{audit.StatusFail, audit.StatusSkip}:  NoLongerChecked,
		{audit.StatusError, audit.StatusPass}: Resolved,
		{audit.StatusError, audit.StatusWarn}: Resolved,
		{audit.StatusError, audit.StatusFail}: NewFail,
		{audit.StatusError, audit.StatusSkip}: Resolved,
		{audit.StatusSkip, audit.StatusPass}:  NowChecked,
		{audit.StatusSkip, audit.StatusWarn}:  NewWarn,
		{audit.StatusSkip, audit.StatusFail}:  NewFail,
		{audit.StatusSkip, audit.StatusError}: NewError,
	}
	for _, o := range st {
		for _, n := range st {
			if o == n {
				continue
			}
			old := rep(map[string][]audit.Result{"prod": {res("cross.token-match", o, audit.Critical)}})
			d := Compare(old, rep(map[string][]audit.Result{"prod": {res("cross.token-match", n, audit.Critical)}}), audit.High)
			if len(d.Changes) != 1 || d.Changes[0].Kind != want[[2]audit.Status{o, n}] {
				t.Errorf("%s → %s: changes %+v, want one %q", o, n, d.Changes, want[[2]audit.Status{o, n}])
			}
		}
	}
	// A person's attestation is its own kind, not a fix.
	old := rep(map[string][]audit.Result{"prod": {res("okta.saml.response-signed", audit.StatusSkip, audit.Critical)}})
	a := res("okta.saml.response-signed", audit.StatusPass, audit.Critical)
	a.Attested = true
	if d := Compare(old, rep(map[string][]audit.Result{"prod": {a}}), audit.High); d.Summary[Attested] != 1 || d.Summary[Resolved]+d.Summary[NowChecked] != 0 {
		t.Errorf("skip → attested pass: %v", d.Summary)
	}
}

// TestDiffText checks the words people read: suppressed in both says so,
// and counts take the right plural.
func TestDiffText(t *testing.T) {
	o := res("okta.saml.sha256", audit.StatusFail, audit.Medium)
	o.Suppressed = true
	n := o
	one := rep(map[string][]audit.Result{"prod": {o, res("okta.saml.response-signed", audit.StatusPass, audit.Critical)}})
	two := rep(map[string][]audit.Result{"prod": {n, res("okta.saml.response-signed", audit.StatusFail, audit.Critical)}})
	var b bytes.Buffer
	if err := Write(&b, "table", Compare(one, two, audit.High)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"fail → fail (suppressed in both)", "1 new failure, 1 still failing, 0 resolved"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "1 new failures") {
		t.Errorf("wrong plural:\n%s", out)
	}
}

func TestSuppressedNewFailDoesNotTrip(t *testing.T) {
	old := rep(map[string][]audit.Result{"prod": {res("okta.saml.sha256", audit.StatusPass, audit.Critical)}})
	n := res("okta.saml.sha256", audit.StatusFail, audit.Critical)
	n.Suppressed = true
	d := Compare(old, rep(map[string][]audit.Result{"prod": {n}}), audit.High)
	if d.Summary[NewFail] != 1 || d.ExitCode != 0 {
		t.Fatalf("summary %v exit %d", d.Summary, d.ExitCode)
	}
}

func TestWriteAndLoad(t *testing.T) {
	dir := t.TempDir()
	old := rep(map[string][]audit.Result{"prod": {res("okta.saml.sha256", audit.StatusFail, audit.Medium)}})
	p := filepath.Join(dir, "old.json")
	b, _ := json.Marshal(old)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	d := Compare(got, rep(map[string][]audit.Result{"prod": {res("okta.saml.sha256", audit.StatusPass, audit.Medium)}}), audit.High)
	for _, f := range Formats {
		var out bytes.Buffer
		if err := Write(&out, f, d); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "okta.saml.sha256") {
			t.Errorf("%s output lacks the rule:\n%s", f, out.String())
		}
	}
	if err := Write(&bytes.Buffer{}, "xml", d); err == nil {
		t.Error("unknown format accepted")
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"schema":"other"}`), 0o644)
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("Load(bad) = %v", err)
	}
	os.WriteFile(bad, []byte(`{"schema":`), 0o644)
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "not a JSON report") {
		t.Errorf("Load(truncated) = %v", err)
	}
}

func TestTargetsMatchByAppID(t *testing.T) {
	mk := func(name string, st audit.Status) *audit.Report {
		return &audit.Report{Schema: audit.Schema, Targets: []audit.TargetReport{{Name: name, App: audit.AppRef{ID: "0oa1"},
			Results: []audit.Result{res("okta.saml.sha256", st, audit.High)}}}}
	}
	d := Compare(mk("2026-11-26", audit.StatusFail), mk("2026-11-27", audit.StatusFail), audit.High)
	if d.Summary[StillFailing] != 1 || d.Summary[NewFail] != 0 || d.ExitCode != 0 || len(d.Warnings) != 0 {
		t.Fatalf("dated snapshot dirs of one app: %+v", d)
	}
	if d.Changes[0].Target != "2026-11-27" {
		t.Errorf("target shown as %q, want the new report's name", d.Changes[0].Target)
	}
	other := mk("x", audit.StatusFail)
	other.Targets[0].App.ID = "0oa2"
	d = Compare(mk("a", audit.StatusFail), other, audit.High)
	if len(d.Warnings) != 1 {
		t.Fatalf("no overlap, no warning: %+v", d)
	}
	var b bytes.Buffer
	Write(&b, "table", d)
	if !strings.Contains(b.String(), "no target in common") {
		t.Error(b.String())
	}
}

// TestFleetTargetsOfOneAppStayApart: two targets of one app (prod and a
// mirror) are told apart by name, so a new failure on one is never hidden.
func TestFleetTargetsOfOneAppStayApart(t *testing.T) {
	tgt := func(name string, st audit.Status) audit.TargetReport {
		return audit.TargetReport{Name: name, App: audit.AppRef{ID: "0oa1"}, Results: []audit.Result{res("okta.saml.response-signed", st, audit.Critical)}}
	}
	old := &audit.Report{Schema: audit.Schema, Targets: []audit.TargetReport{tgt("prod", audit.StatusPass), tgt("mirror", audit.StatusPass)}}
	n := &audit.Report{Schema: audit.Schema, Targets: []audit.TargetReport{tgt("prod", audit.StatusFail), tgt("mirror", audit.StatusPass)}}
	d := Compare(old, n, audit.High)
	if d.Summary[NewFail] != 1 || d.ExitCode != 1 || d.Changes[0].Target != "prod" {
		t.Fatalf("%+v", d)
	}
}

func TestDeploymentsPairByName(t *testing.T) {
	withDeployment := func(name string, st audit.Status) *audit.Report {
		r := rep(map[string][]audit.Result{"prod": {res("okta.saml.sha256", audit.StatusPass, audit.Medium)}})
		r.Deployments = []audit.DeploymentReport{{Name: name, Targets: []string{"prod"},
			Results: []audit.Result{res("druva.admin.sign-in-path", st, audit.High)}}}
		return r
	}
	// A deployment named like a target stays apart from it.
	d := Compare(withDeployment("prod", audit.StatusWarn), withDeployment("prod", audit.StatusFail), audit.High)
	if d.Summary[NewFail] != 1 || d.ExitCode != 1 || len(d.Changes) != 1 {
		t.Fatalf("changes %+v", d.Changes)
	}
	if c := d.Changes[0]; !c.Deployment || c.Target != "prod" || c.Rule != "druva.admin.sign-in-path" {
		t.Errorf("change %+v", c)
	}
	var b bytes.Buffer
	if err := Write(&b, "table", d); err == nil && !strings.Contains(b.String(), "deployment prod") {
		t.Errorf("the table does not say the change is a deployment's:\n%s", b.String())
	}
	if d := Compare(withDeployment("druva.yaml", audit.StatusFail), withDeployment("druva.yaml", audit.StatusPass), audit.High); d.Summary[Resolved] != 1 {
		t.Errorf("resolved: %+v", d.Summary)
	}
	// A console file saved under another path (a nightly's dated snapshot
	// directory) is the same deployment when its targets are the same.
	if d := Compare(withDeployment("evidence/2026-12-01/prod/druva.yaml", audit.StatusFail), withDeployment("evidence/2026-12-02/prod/druva.yaml", audit.StatusFail), audit.High); d.Summary[NewFail] != 0 || d.Summary[NoLongerFound] != 0 || d.Summary[StillFailing] != 1 {
		t.Errorf("renamed console, same targets: %+v", d.Summary)
	}
	// Other targets: another deployment.
	other := withDeployment("new.yaml", audit.StatusFail)
	other.Deployments[0].Targets = []string{"staging"}
	if d := Compare(withDeployment("old.yaml", audit.StatusFail), other, audit.High); d.Summary[NewFail] != 1 || d.Summary[NoLongerFound] != 1 {
		t.Errorf("renamed console, other targets: %+v", d.Summary)
	}
	// Two left-over deployments with the same targets: nothing to tell them
	// apart by, so neither pairs.
	two := func(a, b string) *audit.Report {
		r := withDeployment(a, audit.StatusFail)
		r.Deployments = append(r.Deployments, withDeployment(b, audit.StatusFail).Deployments[0])
		return r
	}
	if d := Compare(two("a1.yaml", "b1.yaml"), two("a2.yaml", "b2.yaml"), audit.High); d.Summary[NewFail] != 2 || d.Summary[NoLongerFound] != 2 {
		t.Errorf("ambiguous: %+v", d.Summary)
	}
}
