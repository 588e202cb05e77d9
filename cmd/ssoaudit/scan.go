package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/config"
	"github.com/ssoaudit/ssoaudit/report"
	"github.com/ssoaudit/ssoaudit/scan"
)

const scanSynopsis = `Usage: ssoaudit scan (--snapshot DIR | --okta-org URL --app-id ID | --terraform FILE | --config FILE) [flags]

Audits one Okta SAML app and the Druva console it signs into, or every target
listed in the config, and reports each rule's result.

Examples:
  ssoaudit scan --snapshot testdata/snapshots/good
  ssoaudit scan --snapshot evidence/2026-11-27 --druva druva.yaml --format json --output report.json
  OKTA_CLIENT_TOKEN=... ssoaudit scan --okta-org https://acme.okta.com --app-id 0oa1abc --druva druva.yaml
  ssoaudit scan --terraform plan.json --format sarif --output ssoaudit.sarif

The platform (what the rules expect) is --platform, else druva.yaml's
platform:, else the config's, else insync-cloud.
`

// scanFlags are the flags shared by scan and snapshot for reaching Okta.
type liveFlags struct {
	org, appID, appLabel string
	discover, noUsers    bool
	clientID, keyFile    string
	timeout              time.Duration
	quiet                bool
}

func (l *liveFlags) register(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
	DurationVar(*time.Duration, string, time.Duration, string)
}) {
	fs.StringVar(&l.org, "okta-org", "", "live: the Okta org `URL` (https://ORG.okta.com); default $OKTA_CLIENT_ORGURL when --app-* is given")
	fs.StringVar(&l.appID, "app-id", "", "live: the Okta app's `ID` (0oa…)")
	fs.StringVar(&l.appLabel, "app-label", "", "live: select the app by its exact `LABEL`")
	fs.BoolVar(&l.discover, "discover", false, "live: audit every SAML app of the org that points at Druva")
	fs.BoolVar(&l.noUsers, "no-users", false, "live: do not list assigned users (okta.users.username-current skips)")
	fs.StringVar(&l.clientID, "okta-client-id", "", "live: OAuth 2.0 service app client `ID` (private-key auth instead of an API token)")
	fs.StringVar(&l.keyFile, "okta-private-key", "", "live: the service app's private key `FILE` (PEM, or the JWK Okta's console downloads)")
	fs.DurationVar(&l.timeout, "timeout", 5*time.Minute, "live: give up on Okta after this long")
	fs.BoolVar(&l.quiet, "q", false, "no progress output on stderr")
}

func (l *liveFlags) selected() bool {
	return l.org != "" || l.appID != "" || l.appLabel != "" || l.discover
}

func (e *env) scan(ctx context.Context, args []string) int {
	fs := e.newFlags("scan", scanSynopsis)
	var (
		snapshot  = fs.String("snapshot", "", "audit a snapshot `DIR` (okta/app.json, okta/keys.json, okta/metadata.xml, optional okta/users.json and druva.yaml)")
		terraform = fs.String("terraform", "", "audit the okta_app_saml resources of a `FILE` written by terraform show -json (plan or state)")
		druvaFile = fs.String("druva", "", "the Druva console's SSO settings `FILE` (overrides DIR/druva.yaml)")
		platform  = fs.String("platform", "", "Druva `PLATFORM`: "+audit.PlatformNames())
		cfgFile   = fs.String("config", "", "config `FILE` (default: .ssoaudit.yaml in the working directory, if any)")
		format    = fs.String("format", "table", "report `FORMAT`: "+strings.Join(report.Formats, ", ")+"; when not given, --output's extension (.json, .sarif, .xml, .md, .html) decides")
		output    = fs.String("output", "", "write the report to `FILE` instead of stdout")
		failOn    = fs.String("fail-on", "", "exit 1 on a fail at or above this `SEVERITY` (critical, high, medium, low, info; default high)")
	)
	var live liveFlags
	live.register(fs)
	pos, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		if *snapshot == "" && *terraform == "" && !live.selected() {
			return e.fail(audit.ExitUsage, "scan takes no arguments (got %q); did you mean --snapshot %s?", pos[0], pos[0])
		}
		return e.fail(audit.ExitUsage, "scan takes no arguments (got %q)", pos[0])
	}
	if !flagSet(fs, "format") && *output != "" {
		// --output report.html without --format means an HTML report.
		if f, ok := formatByExt[strings.ToLower(filepath.Ext(*output))]; ok {
			*format = f
		}
	}
	*format = strings.ToLower(*format)
	if !slices.Contains(report.Formats, *format) {
		return e.fail(audit.ExitUsage, "unknown --format %q (want one of %s)", *format, strings.Join(report.Formats, ", "))
	}
	if *platform != "" {
		if _, err := audit.LookupPlatform(*platform); err != nil {
			return e.fail(audit.ExitUsage, "--platform: %v", err)
		}
	}
	cfg, err := e.loadConfig(*cfgFile)
	if err != nil {
		return e.fail(audit.ExitUsage, "%v", err)
	}
	sources := 0
	for _, set := range []bool{*snapshot != "", *terraform != "", live.selected()} {
		if set {
			sources++
		}
	}
	if sources > 1 {
		return e.fail(audit.ExitUsage, "give one of --snapshot, --terraform or --okta-org/--app-id, not several")
	}
	req := scan.Request{
		Config:   cfg,
		Platform: *platform,
		Rules:    checks.All(),
		Now:      e.now(),
		Version:  toolVersion(),
	}
	switch {
	case *snapshot != "":
		req.Specs = []scan.Spec{{Snapshot: *snapshot, Druva: *druvaFile}}
	case *terraform != "":
		req.Specs = []scan.Spec{{Terraform: *terraform, Druva: *druvaFile}}
	case live.selected():
		spec, err := live.spec(e.getenv)
		if err != nil {
			return e.fail(audit.ExitUsage, "%v", err)
		}
		spec.Druva = *druvaFile
		req.Specs = []scan.Spec{spec}
	case cfg != nil && len(cfg.Targets) > 0:
		if *druvaFile != "" {
			return e.fail(audit.ExitUsage, "--druva applies to one target; with the config's targets, give each its druva: file")
		}
		req.Specs = configSpecs(cfg)
		req.Fleet = true
	default:
		fs.Usage()
		return e.fail(audit.ExitUsage, "nothing to scan: give --snapshot DIR, --okta-org URL --app-id ID, --terraform FILE, or a config with targets:")
	}
	if req.Live == nil {
		req.Live = e.liveLoader(live)
	}
	req.FailOn = audit.High
	if cfg != nil && cfg.FailOn != "" {
		req.FailOn = cfg.FailOn
	}
	if *failOn != "" {
		sev, err := audit.ParseSeverity(*failOn)
		if err != nil {
			return e.fail(audit.ExitUsage, "--fail-on: %v", err)
		}
		req.FailOn = sev
	}
	if live.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, live.timeout)
		defer cancel()
	}
	rep, err := scan.Run(ctx, req)
	if err != nil {
		var ue *scan.UsageError
		if errors.As(err, &ue) {
			return e.fail(audit.ExitUsage, "%v", err)
		}
		return e.fail(audit.ExitIncomplete, "%v", err)
	}
	if err := e.writeReport(*format, *output, rep); err != nil {
		return e.fail(audit.ExitUsage, "%v", err)
	}
	return rep.ExitCode
}

// formatByExt is the format --output's extension implies when --format is
// not given.
var formatByExt = map[string]string{
	".json": "json", ".sarif": "sarif", ".xml": "junit", ".md": "markdown",
	".html": "html", ".htm": "html", ".txt": "table",
}

// flagSet reports whether a flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// configSpecs turns the config's targets into scan specs.
func configSpecs(cfg *config.Config) []scan.Spec {
	specs := make([]scan.Spec, 0, len(cfg.Targets))
	for _, t := range cfg.Targets {
		specs = append(specs, scan.Spec{Name: t.Name, Snapshot: t.Snapshot, Terraform: t.Terraform, Okta: t.Okta, Druva: t.Druva, Platform: t.Platform, Line: t.Line})
	}
	return specs
}

// loadConfig reads --config, else .ssoaudit.yaml in the working directory.
func (e *env) loadConfig(path string) (*config.Config, error) {
	if path == "" {
		found, err := config.Find(".")
		if err != nil {
			return nil, err
		}
		if found == "" {
			return nil, nil
		}
		path = found
	}
	return config.Load(path, checks.Known)
}

// writeReport renders the report to --output (atomically) or stdout.
func (e *env) writeReport(format, output string, rep *audit.Report) error {
	opts := report.Options{Catalog: checks.All()}
	if output == "" {
		opts.Color = format == "table" && e.isTTY(e.stdout) && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"
		return report.Write(e.stdout, format, rep, opts)
	}
	return writeFileAtomic(output, func(w io.Writer) error { return report.Write(w, format, rep, opts) })
}

// writeFileAtomic writes a file through a temporary beside it, so a reader
// never sees half a report.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("write %s: directory %s does not exist", path, dir)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
