package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/config"
)

// TestBuildScan checks flag > config > default without running anything:
// buildScan is the one place the precedence is decided.
func TestBuildScan(t *testing.T) {
	yes, no := true, false
	cfg := func(mut func(*config.Config)) *config.Config {
		c := &config.Config{}
		mut(c)
		return c
	}
	env := func(k string) string {
		if k == "OKTA_CLIENT_ORGURL" {
			return "https://env.okta.com"
		}
		return ""
	}
	snap := scanOptions{snapshot: "snap", format: "table", given: map[string]bool{}}
	with := func(o scanOptions, mut func(*scanOptions)) scanOptions {
		o.given = map[string]bool{}
		mut(&o)
		return o
	}
	cases := []struct {
		name       string
		o          scanOptions
		cfg        *config.Config
		failOn     audit.Severity
		failOnWarn bool
		require    []string
		fleet      bool
		err        string
	}{
		{name: "defaults", o: snap, failOn: audit.High},
		{name: "config's keys", o: snap,
			cfg:    cfg(func(c *config.Config) { c.FailOn, c.FailOnWarn, c.Require = audit.Medium, &yes, []string{"users"} }),
			failOn: audit.Medium, failOnWarn: true, require: []string{"users"}},
		{name: "flags win over the config",
			o: with(snap, func(o *scanOptions) {
				o.failOn, o.failOnWarn, o.require = "critical", false, []string{"druva,policy"}
				o.given["fail-on"], o.given["fail-on-warn"], o.given["require"] = true, true, true
			}),
			cfg:    cfg(func(c *config.Config) { c.FailOn, c.FailOnWarn, c.Require = audit.Low, &yes, []string{"users"} }),
			failOn: audit.Critical, failOnWarn: false, require: []string{"druva", "policy"}},
		{name: "a flag left at its default does not override the config",
			o:      snap,
			cfg:    cfg(func(c *config.Config) { c.FailOnWarn = &no; c.Require = []string{"policy"} }),
			failOn: audit.High, require: []string{"policy"}},
		{name: "config targets make a fleet",
			o: scanOptions{format: "table", given: map[string]bool{}},
			cfg: cfg(func(c *config.Config) {
				c.Targets = []config.TargetSpec{{Name: "a", Snapshot: "a"}, {Name: "b", Snapshot: "b"}}
			}),
			failOn: audit.High, fleet: true},
		{name: "--druva with config targets",
			o:   scanOptions{format: "table", druva: "d.yaml", given: map[string]bool{}},
			cfg: cfg(func(c *config.Config) { c.Targets = []config.TargetSpec{{Name: "a", Snapshot: "a"}} }),
			err: "--druva applies to one target"},
		{name: "two sources", o: with(snap, func(o *scanOptions) { o.terraform = "plan.json" }), err: "not several"},
		{name: "nothing to scan", o: scanOptions{format: "table"}, err: "nothing to scan"},
		{name: "unknown format", o: with(snap, func(o *scanOptions) { o.format = "pdf" }), err: `unknown --format "pdf"`},
		{name: "unknown platform", o: with(snap, func(o *scanOptions) { o.platform = "dcpp" }), err: "--platform"},
		{name: "bad --fail-on", o: with(snap, func(o *scanOptions) { o.failOn = "severe" }), err: "--fail-on"},
		{name: "bad --require", o: with(snap, func(o *scanOptions) { o.require = []string{"user"}; o.given["require"] = true }), err: "did you mean users"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := buildScan(c.o, c.cfg, env)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.req.FailOn != c.failOn || p.req.FailOnWarn != c.failOnWarn || !slices.Equal(p.req.Require, c.require) || p.req.Fleet != c.fleet {
				t.Errorf("got fail-on %q, fail-on-warn %v, require %v, fleet %v; want %q, %v, %v, %v",
					p.req.FailOn, p.req.FailOnWarn, p.req.Require, p.req.Fleet, c.failOn, c.failOnWarn, c.require, c.fleet)
			}
		})
	}
}

// TestBuildScanOutputs checks where reports go: the format from each
// --output's extension, --format for a single one with a warning when the
// two disagree.
func TestBuildScanOutputs(t *testing.T) {
	p, err := buildScan(scanOptions{snapshot: "s", format: "table", outputs: []string{"r.json", "r.sarif"}, given: map[string]bool{}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.dests) != 2 || p.dests[0].format != "json" || p.dests[1].format != "sarif" || len(p.warnings) != 0 {
		t.Errorf("dests %+v, warnings %q", p.dests, p.warnings)
	}
	p, err = buildScan(scanOptions{snapshot: "s", format: "html", outputs: []string{"r.json"}, given: map[string]bool{"format": true}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.dests) != 1 || p.dests[0].format != "html" || len(p.warnings) != 1 || !strings.Contains(p.warnings[0], "its extension names json") {
		t.Errorf("dests %+v, warnings %q", p.dests, p.warnings)
	}
}

// TestBuildScanLive checks live mode's org from the environment.
func TestBuildScanLive(t *testing.T) {
	o := scanOptions{format: "table", given: map[string]bool{}}
	o.live.appID = "0oa1"
	p, err := buildScan(o, nil, func(k string) string {
		if k == "OKTA_CLIENT_ORGURL" {
			return "https://env.okta.com"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := p.req.Specs[0]; s.Okta == nil || s.Okta.OrgURL != "https://env.okta.com" || s.Okta.AppID != "0oa1" {
		t.Errorf("spec %+v", s)
	}
}
