package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ssoaudit/ssoaudit/internal/yamlfile"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Overrides converts Rules into the per-rule overrides audit.Run takes.
func (c *Config) Overrides() map[string]audit.Override {
	out := make(map[string]audit.Override, len(c.Rules))
	for id, rc := range c.Rules {
		out[id] = audit.Override{
			Disabled: rc.Enabled != nil && !*rc.Enabled,
			Severity: rc.Severity,
		}
	}
	return out
}

// Expired reports whether the suppression has lapsed at now. It holds through
// the whole of its Expires day (UTC), so "expires: 2027-01-31" still
// suppresses on the 31st.
func (s Suppression) Expired(now time.Time) bool {
	return !now.Before(s.Expires.AddDate(0, 0, 1))
}

// Matches reports whether the suppression applies to the rule on the target.
func (s Suppression) Matches(rule, target string) bool {
	return s.Rule == rule && (s.Target == "" || ScopeMatches(s.Target, target))
}

// ScopeMatches reports whether a suppression's target: names the target
// called name (docs/cli.md, Target names): the name itself, or a config entry's
// name, which covers every app the entry yields (prod matches prod and
// prod/<app label>).
func ScopeMatches(scope, name string) bool {
	return scope == name || strings.HasPrefix(name, scope+"/")
}

// CheckScopes refuses a suppression whose target: names none of the run's
// targets: it would never apply, silently, and the finding it was written
// for would fail the gate — or, worse, a mistyped or stale name would hide
// that nothing is suppressed where the author thinks. names are the names
// the run gave its targets (and, once they exist, its deployments). The
// config's own targets are checked when it is parsed; this is for a config
// without targets:, whose names come from the command line.
func (c *Config) CheckScopes(names []string) error {
	for i, s := range c.Suppress {
		if s.Target == "" {
			continue
		}
		if !slices.ContainsFunc(names, func(n string) bool { return ScopeMatches(s.Target, n) }) {
			return &yamlfile.FileError{File: c.File, Line: s.Line, Msg: fmt.Sprintf("suppress[%d]: target %q is not a target of this run (%s)", i, s.Target, listNames(names))}
		}
	}
	for i, a := range c.Attest {
		if a.Target == "" {
			continue
		}
		if !slices.ContainsFunc(names, func(n string) bool { return ScopeMatches(a.Target, n) }) {
			return &yamlfile.FileError{File: c.File, Line: a.Line, Msg: fmt.Sprintf("attest[%d]: target %q is not a target of this run (%s)", i, a.Target, listNames(names))}
		}
	}
	return nil
}

// listNames quotes at most a few names for a message.
func listNames(names []string) string {
	const max = 5
	q := make([]string, 0, max+1)
	for i, n := range names {
		if i == max {
			q = append(q, fmt.Sprintf("and %d more", len(names)-max))
			break
		}
		q = append(q, strconv.Quote(n))
	}
	return strings.Join(q, ", ")
}

// Apply marks the results of the named target that a suppression covers at
// now: Suppressed is set and Suppression says why. An expired suppression
// does not suppress, but its note is attached with Expired set, so reports
// can say it lapsed instead of the finding silently reappearing.
//
// Only fail and warn results are touched: a suppression accepts a known
// finding, and there is nothing to accept in a pass or a skip. An error is
// never suppressed: data that could not be read must not pass the gate.
// When several suppressions match, the first active one in file order wins,
// else the first expired one.
func (c *Config) Apply(target string, results []audit.Result, now time.Time) {
	c.apply(results, now, func(s *Suppression, rule string) bool { return s.Matches(rule, target) })
}

// ApplyDeployment applies the suppressions to a deployment's results: only
// one without a target, or whose target: is the deployment's name itself,
// reaches them. Naming one of the deployment's targets never does — a
// deployment result covers every app of the console, and a suppression
// written for one (target: staging) must not silence what the others'
// set-up decides (docs/deployments.md).
func (c *Config) ApplyDeployment(name string, results []audit.Result, now time.Time) {
	c.apply(results, now, func(s *Suppression, rule string) bool {
		return s.Rule == rule && (s.Target == "" || s.Target == name)
	})
}

func (c *Config) apply(results []audit.Result, now time.Time, matches func(s *Suppression, rule string) bool) {
	for i := range results {
		r := &results[i]
		switch r.Status {
		case audit.StatusFail, audit.StatusWarn:
		default:
			continue
		}
		var lapsed *Suppression
		for j := range c.Suppress {
			s := &c.Suppress[j]
			if !matches(s, r.Rule) {
				continue
			}
			if !s.Expired(now) {
				r.Suppressed, r.Suppression = true, s.note(c.File, false)
				lapsed = nil
				break
			}
			if lapsed == nil {
				lapsed = s
			}
		}
		if lapsed != nil {
			r.Suppressed, r.Suppression = false, lapsed.note(c.File, true)
		}
	}
}

func (s *Suppression) note(file string, expired bool) *audit.SuppressionNote {
	return &audit.SuppressionNote{Reason: s.Reason, Expires: s.Expires.Format(time.DateOnly), Expired: expired, File: file, Line: s.Line}
}

// CheckChildScope decides one target: scope of the form NAME/child — of a
// suppression or an attestation, what[i] at line of the config — once the
// run knows the apps of NAME's entry (docs/cli.md, Target names): names
// are the run's target names. The part before "/" alone was checked when
// the config was parsed; this checks the child. It returns nothing when
// the scope has no "/", when NAME is not a config entry, or when a target
// of the run has that name. Otherwise, for an entry that yields one app (a
// snapshot, an app_id) it returns a *yamlfile.FileError (exit 2: the
// scope can never match); for an entry that discovers or matches several
// (discover, app_label, a Terraform plan) a warning for stderr, since an
// app renamed in Okta must not stop a nightly fleet.
func (c *Config) CheckChildScope(what string, i, line int, scope string, names []string) (warning string, err error) {
	entry, child, ok := strings.Cut(scope, "/")
	if !ok || child == "" {
		return "", nil
	}
	var spec *TargetSpec
	for j := range c.Targets {
		if c.Targets[j].Name == entry {
			spec = &c.Targets[j]
		}
	}
	if spec == nil || slices.Contains(names, scope) {
		return "", nil
	}
	var yielded []string
	for _, n := range names {
		if n == entry || strings.HasPrefix(n, entry+"/") {
			yielded = append(yielded, n)
		}
	}
	msg := fmt.Sprintf("%s[%d]: target %q names no app of the entry %q (this run's: %s)", what, i, scope, entry, listNames(yielded))
	if spec.Terraform == "" && (spec.Okta == nil || (!spec.Okta.Discover && spec.Okta.AppLabel == "")) {
		return "", &yamlfile.FileError{File: c.File, Line: line, Msg: msg + `: the entry yields one app, named "` + entry + `" alone`}
	}
	verb := "suppresses"
	if what == "attest" {
		verb = "attests"
	}
	return fmt.Sprintf("%s:%d: %s: it %s nothing in this run", c.File, line, msg, verb), nil
}

// CheckChildScopes applies CheckChildScope to every suppression and
// attestation.
func (c *Config) CheckChildScopes(names []string) (warnings []string, err error) {
	check := func(what string, i, line int, scope string) error {
		w, err := c.CheckChildScope(what, i, line, scope, names)
		if w != "" {
			warnings = append(warnings, w)
		}
		return err
	}
	for i, s := range c.Suppress {
		if err := check("suppress", i, s.Line, s.Target); err != nil {
			return warnings, err
		}
	}
	for i, a := range c.Attest {
		if err := check("attest", i, a.Line, a.Target); err != nil {
			return warnings, err
		}
	}
	return warnings, nil
}
