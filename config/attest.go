package config

import (
	"fmt"
	"slices"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Expired reports whether the attestation has lapsed at now. It holds
// through the whole of its Expires day (UTC).
func (a Attestation) Expired(now time.Time) bool {
	return !now.Before(a.Expires.AddDate(0, 0, 1))
}

// Matches reports whether the attestation is for the rule on the target,
// its target: named as a suppression's is (ScopeMatches).
func (a Attestation) Matches(rule, target string) bool {
	return a.Rule == rule && (a.Target == "" || ScopeMatches(a.Target, target))
}

func (c *Config) note(a Attestation, expired bool) *audit.AttestationNote {
	return &audit.AttestationNote{By: a.By, Value: a.Value, Reason: a.Reason, Expires: a.Expires.Format(time.DateOnly),
		File: c.File, Line: a.Line, Expired: expired}
}

// Attested is what Attestations did in one run: which attestations some
// result used, for the warning about those none did.
type Attested struct {
	used []bool
}

// NewAttested starts the record of one run.
func (c *Config) NewAttested() *Attested { return &Attested{used: make([]bool, len(c.Attest))} }

// Attestations applies the config's attestations to results belonging to
// names (a target's name; for a deployment, its own name only), at now
// (docs/attestations.md). Only a skip of kind not_exposed is touched: an
// active attestation makes it a pass with Attested set and the attestation
// as evidence; an expired one makes it a warn saying when it expired (an
// error when require). With require (--require attested), a not_exposed
// skip no attestation covers is an error. The first active attestation in
// file order wins, else the first expired one. run records which were used;
// it may be nil.
func (c *Config) Attestations(names []string, results []audit.Result, now time.Time, require bool, run *Attested) {
	for i := range results {
		r := &results[i]
		if r.Status != audit.StatusSkip || r.SkipKind != audit.SkipNotExposed {
			continue
		}
		found, expired := -1, -1
		for j, a := range c.Attest {
			if !slices.ContainsFunc(names, func(n string) bool { return a.Matches(r.Rule, n) }) {
				continue
			}
			if !a.Expired(now) {
				found = j
				break
			}
			if expired < 0 {
				expired = j
			}
		}
		switch {
		case found >= 0:
			run.use(found)
			attest(r, c.note(c.Attest[found], false))
		case expired >= 0:
			run.use(expired)
			lapsed(r, c.note(c.Attest[expired], true), require)
		case require:
			unattested(r)
		}
	}
}

func (run *Attested) use(j int) {
	if run != nil {
		run.used[j] = true
	}
}

// Unused words a warning for each attestation no result used: the rule
// decided on its own on every target it names (an attestation never
// changes a result the tool decided), or did not run.
func (c *Config) Unused(run *Attested) []string {
	var out []string
	for j, a := range c.Attest {
		if run != nil && run.used[j] {
			continue
		}
		scope := "every target"
		if a.Target != "" {
			scope = fmt.Sprintf("target %q", a.Target)
		}
		out = append(out, fmt.Sprintf("%s:%d: attest[%d] for %s on %s was not used: no result of it was a skip only a person can verify "+
			"(the rule decided on its own, or did not run); an attestation never changes a result ssoaudit decided",
			c.File, a.Line, j, a.Rule, scope))
	}
	return out
}

// attest turns a not_exposed skip into an attested pass.
func attest(r *audit.Result, n *audit.AttestationNote) {
	skipped := r.Message
	r.Status, r.SkipKind, r.Attested, r.Attestation = audit.StatusPass, "", true, n
	r.Message = fmt.Sprintf("attested by %s until %s (%s:%d), not decided by ssoaudit", n.By, n.Expires, n.File, n.Line)
	if n.Value != "" {
		r.Message += ": " + n.Value
	}
	r.Evidence = attestEvidence(n, skipped, r.Evidence)
}

// lapsed turns a not_exposed skip whose attestation expired into a warn
// (an error when attestations are required).
func lapsed(r *audit.Result, n *audit.AttestationNote, require bool) {
	skipped := r.Message
	r.Status, r.SkipKind, r.Attestation = audit.StatusWarn, "", n
	r.Message = fmt.Sprintf("attestation expired on %s, verify again (%s:%d, by %s): %s", n.Expires, n.File, n.Line, n.By, skipped)
	r.Remediation = "Verify the value again in the admin console, then renew the attestation's expires: in the config (docs/attestations.md)."
	if require {
		r.Status = audit.StatusError
		r.Message = "required attestation (--require attested) " + r.Message
	}
	r.Evidence = attestEvidence(n, skipped, r.Evidence)
}

// unattested turns a not_exposed skip no attestation covers into an error
// under --require attested.
func unattested(r *audit.Result) {
	skipped := r.Message
	r.Status, r.SkipKind = audit.StatusError, ""
	r.Message = "no attestation (--require attested) for a value only a person can verify: " + skipped
	r.Remediation = "Verify it in the admin console and record it under attest: in the config, with by, reason and expires " +
		"(docs/attestations.md); or leave attested out of --require (the config's require:)."
	r.Evidence = append(audit.Evidence{}.Add("required", audit.RequireAttested), r.Evidence...)
}

func attestEvidence(n *audit.AttestationNote, skipped string, ev audit.Evidence) audit.Evidence {
	out := audit.Evidence{}.Add("attested_by", n.By)
	if n.Value != "" {
		out = out.Add("attested_value", n.Value)
	}
	out = out.Add("attestation_reason", n.Reason).Add("attestation_expires", n.Expires).
		Add("attestation_file", n.File).Add("attestation_line", n.Line).Add("not_exposed", skipped)
	return append(out, ev...)
}
