package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/config"
	"github.com/ssoaudit/ssoaudit/internal/words"
	"github.com/ssoaudit/ssoaudit/report"
	"github.com/ssoaudit/ssoaudit/scan"
)

// scanOptions is what scan's command line says, before the config is
// applied: the flags' values and which of them were given (a flag left at
// its default must not override the config's key).
type scanOptions struct {
	snapshot, terraform, druva, platform string
	format, failOn                       string
	failOnWarn, showPassed               bool
	compact, noColor                     bool
	outputs, require, statuses           []string
	rules, skipRules                     []string
	live                                 liveFlags
	// given names the flags set on the command line.
	given map[string]bool
}

// scanPlan is what one scan does: the request for the scan package, where
// the report goes, and warnings to print before running.
type scanPlan struct {
	req      scan.Request
	format   string
	dests    []destination
	warnings []string
	// statuses are the statuses the table shows (--status; nil: all).
	statuses []audit.Status
	// selection says what --rule and --skip-rule chose, for the report.
	selection string
}

// planError is a usage error found while building the plan. pointer asks
// for the one-line "Run 'ssoaudit scan --help'" pointer (a bad flag value);
// fullUsage for the whole usage text (nothing to scan at all).
type planError struct {
	msg                string
	pointer, fullUsage bool
}

func (e *planError) Error() string { return e.msg }

func planErr(format string, a ...any) error { return &planError{msg: fmt.Sprintf(format, a...)} }

// buildScan turns the command line and the config into one scan plan. It is
// the one place where flag > config > default is decided, and it does no
// I/O (getenv is the environment, for live mode's defaults), so the
// precedence rules are tested as a table (request_test.go). The request's
// clock, version, secrets and live loader are the caller's to set.
func buildScan(o scanOptions, cfg *config.Config, getenv func(string) string) (scanPlan, error) {
	var p scanPlan
	p.format = strings.ToLower(o.format)
	if !slices.Contains(report.Formats, p.format) {
		return p, &planError{msg: fmt.Sprintf("unknown --format %s (want one of %s)", audit.Shown(o.format), strings.Join(report.Formats, ", ")), pointer: true}
	}
	dests, err := destinations(o.outputs, p.format, o.given["format"])
	if err != nil {
		return p, planErr("%v", err)
	}
	p.dests = dests
	// --format wins over the extension (a single --output), as documented;
	// but HTML in a .json file is more often a slip than a wish: say so.
	for _, d := range dests {
		if ext, ok := report.FormatForFile(d.path); ok && ext != d.format {
			p.warnings = append(p.warnings, fmt.Sprintf("warning: --output %s gets %s (--format %s), though its extension names %s", d.path, d.format, d.format, ext))
		}
	}
	if p.statuses, err = parseStatuses(o.statuses); err != nil {
		return p, &planError{msg: "--status: " + err.Error(), pointer: true}
	}
	if o.platform != "" {
		if _, err := audit.LookupPlatform(o.platform); err != nil {
			return p, planErr("--platform: %v", err)
		}
	}
	sources := 0
	for _, set := range []bool{o.snapshot != "", o.terraform != "", o.live.selected()} {
		if set {
			sources++
		}
	}
	if sources > 1 {
		return p, planErr("give one of --snapshot, --terraform or --okta-org/--app-id, not several")
	}
	rules, selection, err := selectRules(checks.All(), o.rules, o.skipRules)
	if err != nil {
		return p, err
	}
	p.selection = selection
	req := scan.Request{
		Config:       cfg,
		Platform:     o.platform,
		Rules:        rules,
		Certificates: checks.Certificates,
	}
	switch {
	case o.snapshot != "":
		req.Specs = []scan.Spec{{Snapshot: o.snapshot, Druva: o.druva}}
	case o.terraform != "":
		req.Specs = []scan.Spec{{Terraform: o.terraform, Druva: o.druva}}
	case o.live.selected():
		spec, err := o.live.spec(getenv)
		if err != nil {
			return p, planErr("%v", err)
		}
		spec.Druva = o.druva
		req.Specs = []scan.Spec{spec}
	case cfg != nil && len(cfg.Targets) > 0:
		if o.druva != "" {
			return p, planErr("--druva applies to one target; with the config's targets, give each its druva: file")
		}
		req.Specs = configSpecs(cfg)
		req.Fleet = true
	default:
		return p, &planError{msg: "nothing to scan: give --snapshot DIR, --okta-org URL --app-id ID, --terraform FILE, or a config with targets:", fullUsage: true}
	}
	// The gate: the flags win over the config's keys, which win over the
	// defaults (fail on high, warns do not fail, nothing required).
	req.FailOn = audit.High
	if cfg != nil && cfg.FailOn != "" {
		req.FailOn = cfg.FailOn
	}
	if o.failOn != "" {
		sev, err := audit.ParseFailOn(o.failOn)
		if err != nil {
			return p, planErr("--fail-on: %v", err)
		}
		req.FailOn = sev
	}
	if cfg != nil && cfg.FailOnWarn != nil {
		req.FailOnWarn = *cfg.FailOnWarn
	}
	if o.given["fail-on-warn"] {
		req.FailOnWarn = o.failOnWarn
	}
	if cfg != nil {
		req.Require = cfg.Require
	}
	if o.given["require"] {
		names, err := audit.ParseRequire(o.require)
		if err != nil {
			return p, &planError{msg: fmt.Sprintf("--require: %v", err), pointer: true}
		}
		req.Require = names
	}
	p.req = req
	return p, nil
}

// specsToCheck are the targets whose druva.yaml files a run with a broken
// config checks too, so their problems come in the same run as the
// config's.
func specsToCheck(o scanOptions, cfg *config.Config) []scan.Spec {
	switch {
	case o.snapshot != "":
		return []scan.Spec{{Snapshot: o.snapshot, Druva: o.druva}}
	case o.terraform != "" || o.live.selected():
		return []scan.Spec{{Druva: o.druva}}
	case cfg != nil && o.druva == "":
		return configSpecs(cfg)
	}
	return nil
}

// asPlanError reports whether err is buildScan's usage error.
func asPlanError(err error) (*planError, bool) {
	var pe *planError
	ok := errors.As(err, &pe)
	return pe, ok
}

// parseStatuses reads --status: statuses, comma-separated or repeated.
func parseStatuses(list []string) ([]audit.Status, error) {
	var out []audit.Status
	for _, item := range list {
		for _, f := range strings.Split(item, ",") {
			st := audit.Status(strings.ToLower(strings.TrimSpace(f)))
			if !slices.Contains(audit.Statuses, st) {
				names := make([]string, len(audit.Statuses))
				for i, s := range audit.Statuses {
					names[i] = string(s)
				}
				msg := fmt.Sprintf("unknown status %q (want fail, error, warn, pass or skip)", f)
				if c := words.Closest(string(st), names); c != "" {
					msg += fmt.Sprintf("; did you mean %s?", c)
				}
				return nil, errors.New(msg)
			}
			if !slices.Contains(out, st) {
				out = append(out, st)
			}
		}
	}
	return out, nil
}
