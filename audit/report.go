package audit

import (
	"fmt"
	"strings"
	"time"
)

// Schema identifies the JSON report format.
const Schema = "ssoaudit.report/v1"

// Report is the outcome of one run: what every report format renders.
type Report struct {
	Schema      string         `json:"schema"`
	Tool        Tool           `json:"tool"`
	GeneratedAt time.Time      `json:"generated_at"`
	Targets     []TargetReport `json:"targets"`
	Summary     Summary        `json:"summary"`
	ExitCode    int            `json:"exit_code"`
	// Deployments are the run's Druva consoles, each with the targets
	// signing into it and the deployment rules' results (docs/deployments.md).
	// Summary and ExitCode count their results too.
	Deployments []DeploymentReport `json:"deployments"`
	// FailOn is the gate's threshold in this run.
	FailOn Severity `json:"fail_on"`
	// FailOnWarn records --fail-on-warn: a warn at or above FailOn failed
	// the gate too.
	FailOnWarn bool `json:"fail_on_warn,omitempty"`
	// Require lists the inputs the run required (--require): a rule skipped
	// because one of them was absent became an error.
	Require []string `json:"require,omitempty"`
	// Config is the config file this run used, if any, and Overrides what it
	// changed in the catalog, so a report never hides a disabled rule.
	Config    string         `json:"config,omitempty"`
	Overrides []RuleOverride `json:"overrides,omitempty"`
	// Selection says which rules the command line chose (--rule,
	// --skip-rule), e.g. "--rule okta.saml.* (10 of 27 rules)"; "" when it
	// chose none.
	Selection string `json:"rule_selection,omitempty"`

	// stream, when set, holds the targets and deployments of a large run
	// (SetStream) and the transforms of Map.
	stream *reportStream
}

// RuleOverride is one change the config made to the catalog.
type RuleOverride struct {
	Rule            string   `json:"rule"`
	Disabled        bool     `json:"disabled"`
	Severity        Severity `json:"severity,omitempty"`
	DefaultSeverity Severity `json:"default_severity"`
}

// Tool names the program that wrote a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// TargetReport is one target's results.
type TargetReport struct {
	Name     string `json:"name"`
	Source   Source `json:"source"`
	Platform string `json:"platform"`
	// PlatformSource says where Platform came from (flag, druva.yaml,
	// config, inferred, default), and PlatformInference what the app's
	// values say and were read from.
	PlatformSource    string     `json:"platform_source,omitempty"`
	PlatformInference *Inference `json:"platform_inference,omitempty"`
	Origin            string     `json:"origin,omitempty"`
	// Console is the druva.yaml the target was judged against, and
	// ConsoleSHA256 the hash of its bytes, so evidence names its inputs.
	Console       string `json:"console,omitempty"`
	ConsoleSHA256 string `json:"console_sha256,omitempty"`
	// Inputs are the files the target was read from, each with the SHA-256
	// of its bytes (a snapshot's okta/ files; empty for live targets).
	Inputs []InputFile `json:"inputs,omitempty"`
	// ConfigLine is the line of the config entry that declared the target
	// (0 without one), so reports can point at it.
	ConfigLine int    `json:"config_line,omitempty"`
	App        AppRef `json:"app"`
	// Certificates are the not-after dates of the certificates the
	// target's sign-ins depend on, as far as they could be read: Okta's
	// active signing certificate and the console's IdP certificate. For
	// monitoring (the Prometheus metrics); the rules judge them.
	Certificates []CertExpiry `json:"certificates,omitempty"`
	Results      []Result     `json:"results"`
	Summary      Summary      `json:"summary"`
}

// CertExpiry is when one certificate of a target stops being valid.
type CertExpiry struct {
	// Side is "okta" (the app's active signing certificate) or "druva"
	// (the console's ID Provider Certificate).
	Side     string    `json:"side"`
	NotAfter time.Time `json:"not_after"`
}

// Certificate sides.
const (
	SideOkta  = "okta"
	SideDruva = "druva"
)

// AppRef identifies the Okta app of a target.
type AppRef struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// Summary counts results by status.
type Summary struct {
	Pass  int `json:"pass"`
	Fail  int `json:"fail"`
	Warn  int `json:"warn"`
	Error int `json:"error"`
	Skip  int `json:"skip"`
	// Attested counts the passes a person's attestation gave (they count
	// in Pass too).
	Attested int `json:"attested"`
}

// AddResult counts one result: its status, and whether it is attested.
func (s *Summary) AddResult(r Result) {
	s.Add(r.Status)
	if r.Attested && r.Status == StatusPass {
		s.Attested++
	}
}

// Add counts one result.
func (s *Summary) Add(st Status) {
	switch st {
	case StatusPass:
		s.Pass++
	case StatusFail:
		s.Fail++
	case StatusWarn:
		s.Warn++
	case StatusError:
		s.Error++
	case StatusSkip:
		s.Skip++
	}
}

// Count returns the count for one status.
func (s Summary) Count(st Status) int {
	switch st {
	case StatusPass:
		return s.Pass
	case StatusFail:
		return s.Fail
	case StatusWarn:
		return s.Warn
	case StatusError:
		return s.Error
	case StatusSkip:
		return s.Skip
	}
	return 0
}

// Exit codes (docs/cli.md).
const (
	ExitOK         = 0
	ExitGateFailed = 1
	ExitUsage      = 2
	ExitIncomplete = 3
)

// ExitCode decides the gate with a threshold alone: see Gate.ExitCode.
func ExitCode(targets []TargetReport, failOn Severity) int {
	return Gate{FailOn: failOn}.ExitCode(targets)
}

// FailOnNone is the --fail-on value that makes a run report only: no fail or
// warn trips the gate (exit 0 unless 2 or 3).
const FailOnNone Severity = "none"

// ParseFailOn parses a gate threshold: a severity, or "none".
func ParseFailOn(s string) (Severity, error) {
	if strings.EqualFold(strings.TrimSpace(s), string(FailOnNone)) {
		return FailOnNone, nil
	}
	sev, err := ParseSeverity(s)
	if err != nil {
		return "", fmt.Errorf("unknown severity %q (want one of critical, high, medium, low, info, or none to report only)", s)
	}
	return sev, nil
}

// Gate is what turns results into an exit code (docs/cli.md).
type Gate struct {
	// FailOn is the threshold: a fail at or above it trips the gate.
	// FailOnNone trips on nothing; "" means High.
	FailOn Severity
	// FailOnWarn makes a warn at or above FailOn trip the gate too.
	FailOnWarn bool
}

// Trips reports whether one result fails the gate (exit 1). Suppressed
// results never do; errors are not the gate's to judge (exit 3).
func (g Gate) Trips(r Result) bool {
	if r.Suppressed || g.FailOn == FailOnNone {
		return false
	}
	min := g.FailOn
	if min == "" {
		min = High
	}
	switch r.Status {
	case StatusFail:
		return r.Severity.AtLeast(min)
	case StatusWarn:
		return g.FailOnWarn && r.Severity.AtLeast(min)
	}
	return false
}

// ExitCode decides the gate over the targets' results: see ExitCodeOf.
func (g Gate) ExitCode(targets []TargetReport) int {
	return g.ExitCodeOf(func(yield func(Result) bool) {
		for _, t := range targets {
			for _, r := range t.Results {
				if !yield(r) {
					return
				}
			}
		}
	})
}
