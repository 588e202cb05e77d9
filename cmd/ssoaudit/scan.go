package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/config"
	"github.com/ssoaudit/ssoaudit/internal/yamlfile"
	"github.com/ssoaudit/ssoaudit/report"
	"github.com/ssoaudit/ssoaudit/scan"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

const scanSynopsis = `Usage: ssoaudit scan --snapshot DIR [flags]
       ssoaudit scan --okta-org URL (--app-id ID | --app-label L | --discover)
       ssoaudit scan --terraform FILE [flags]
       ssoaudit scan --config FILE [flags]

Audits one Okta SAML app and the Druva console it signs into, or every target
listed in the config, and reports each rule's result.

Examples:
  ssoaudit scan --snapshot testdata/snapshots/good
  ssoaudit scan --snapshot evidence/2026-11-27 --druva druva.yaml \
      --output report.json --output report.html
  OKTA_CLIENT_TOKEN=... ssoaudit scan --okta-org https://acme.okta.com \
      --app-id 0oa1abc --druva druva.yaml
  ssoaudit scan --terraform plan.json --output ssoaudit.sarif

The platform (what the rules expect) is --platform, else druva.yaml's
platform:, else the config's, else the one platform the app's values
(audience and ACS URL, or its catalog integration) fit, else insync-cloud.

The gate (exit 1): a fail at or above --fail-on (default high); with
--fail-on-warn a warn too; --fail-on none reports only. --require makes a
skip for want of that input an error (exit 3). Exit 2: usage or config error.
`

// scanFlags are the flags shared by scan and snapshot for reaching Okta.
type liveFlags struct {
	org, appID, appLabel string
	discover, noUsers    bool
	clientID, keyFile    string
	timeout              time.Duration
	quiet                bool
	verbose              bool
}

// register adds the live flags to fs; cmd ("scan" or "snapshot") words what
// --timeout does for that command.
func (l *liveFlags) register(cmd string, fs interface {
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
	atDeadline := "scan reports the rules it could not finish by then as error"
	if cmd == "snapshot" {
		atDeadline = "snapshot stops and writes nothing"
	}
	fs.DurationVar(&l.timeout, "timeout", 0, "live: stop the whole run after `DURATION` (e.g. 30m): "+atDeadline+". Default: none (each request still times out after 30s of silence, with at most 3 retries)")
	fs.BoolVar(&l.quiet, "q", false, "no progress output on stderr")
	fs.BoolVar(&l.verbose, "v", false, "live, with --discover: list on stderr every app considered and why it was taken as a Druva app or left, and each app left out of the --druva console's deployment (another platform family)")
}

func (l *liveFlags) selected() bool {
	return l.org != "" || l.appID != "" || l.appLabel != "" || l.discover
}

func (e *env) scan(ctx context.Context, args []string) int {
	fs := e.newFlags("scan", scanSynopsis)
	var (
		o                          scanOptions
		outputs, require, statuses stringList
		rules, skipRules           stringList
	)
	fs.StringVar(&o.snapshot, "snapshot", "", "audit a snapshot `DIR` (okta/app.json, okta/keys.json, okta/metadata.xml, optional okta/users.json and druva.yaml)")
	fs.StringVar(&o.terraform, "terraform", "", "audit the okta_app_saml resources of a `FILE` written by terraform show -json (plan or state)")
	fs.StringVar(&o.druva, "druva", "", "the Druva console's SSO settings `FILE` (overrides DIR/druva.yaml)")
	fs.StringVar(&o.platform, "platform", "", "Druva `PLATFORM`: "+audit.PlatformNames())
	cfgFile := fs.String("config", "", "config `FILE` (default: .ssoaudit.yaml in the working directory, if any)")
	fs.StringVar(&o.format, "format", "table", "report `FORMAT`: "+strings.Join(report.Formats, ", ")+"; with one --output, default: from its extension")
	fs.StringVar(&o.failOn, "fail-on", "", "exit 1 on a fail at or above `SEVERITY`: critical, high, medium, low, info, or none to report only (default high)")
	fs.BoolVar(&o.failOnWarn, "fail-on-warn", false, "a warn at or above --fail-on fails the gate too")
	fs.BoolVar(&o.showPassed, "show-passed", false, "table: list passed rules as rows, not just count them (skipped rules are always listed, under Not checked)")
	fs.BoolVar(&o.compact, "compact", false, "table: only the findings, one a line, every one of them (no fix blocks, evidence or skips)")
	fs.BoolVar(&o.noColor, "no-color", false, "table: no colour, even at a terminal (as NO_COLOR=1)")
	fs.Var(&statuses, "status", "table: show only results of these `STATUSES` (comma-separated: fail, error, warn, pass, skip); the counts and the verdict still cover every result")
	fs.Var(&rules, "rule", "run only this rule `ID` (repeatable; a trailing * matches a prefix: okta.saml.*), on top of the config's rules:")
	fs.Var(&skipRules, "skip-rule", "leave out this rule `ID` (repeatable; a trailing * matches a prefix)")
	fs.Var(&outputs, "output", "write the report to `FILE`, not stdout; repeatable, each format from the extension: "+report.ExtensionList())
	fs.Var(&require, "require", "`INPUTS` (comma-separated: "+strings.Join(audit.RequireNames(), ", ")+") whose absence is an error (exit 3) rather than a skip")
	o.live.register("scan", fs)
	pos, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		if o.snapshot == "" && o.terraform == "" && !o.live.selected() && !audit.LooksLikeSecret(pos[0]) {
			return e.fail(audit.ExitUsage, "scan takes no arguments (got %s); did you mean --snapshot %s?", audit.Shown(pos[0]), pos[0])
		}
		return e.fail(audit.ExitUsage, "scan takes no arguments (got %s)", audit.Shown(pos[0]))
	}
	o.outputs, o.require, o.statuses = outputs, require, statuses
	o.rules, o.skipRules = rules, skipRules
	o.given = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { o.given[f.Name] = true })

	// parse → plan → run → write.
	cfg, err := e.loadConfig(*cfgFile)
	if err != nil {
		// The druva.yaml files the run would read are checked too, so
		// their problems come in this run with the config's.
		if derr := scan.CheckConsoles(specsToCheck(o, cfg), cfg); derr != nil {
			err = yamlfile.Join(err, derr)
		}
		return e.fail(audit.ExitUsage, "%v", err)
	}
	plan, err := buildScan(o, cfg, e.getenv)
	if err != nil {
		pe, _ := asPlanError(err)
		switch {
		case pe != nil && pe.pointer:
			return e.usage("scan", "%s", pe.msg)
		case pe != nil && pe.fullUsage:
			fs.Usage()
		}
		return e.fail(audit.ExitUsage, "%v", err)
	}
	for _, w := range plan.warnings {
		e.errLine("ssoaudit: " + e.shown(w))
	}
	req := plan.req
	req.Now, req.Version, req.Secrets = e.now(), toolVersion(), e.secrets
	req.Warn = func(w string) { e.errLine(e.shown("ssoaudit: warning: " + w)) }
	if o.live.verbose {
		// After discovery's own -v lines, through the same redaction and
		// escaping (flushDiscovered).
		req.Verbose = func(line string) {
			e.discoveredMu.Lock()
			defer e.discoveredMu.Unlock()
			e.discovered = append(e.discovered, "discover: "+line)
		}
	}
	if err := refuseInputs(plan.dests, cfg, req.Specs, o.live.keyFile, keyPath(e.getenv("OKTA_CLIENT_PRIVATEKEY"))); err != nil {
		return e.fail(audit.ExitUsage, "%v", err)
	}
	if req.Live == nil {
		req.Live = e.liveLoader(o.live)
	}
	if o.live.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.live.timeout)
		defer cancel()
	}
	rep, err := scan.Run(ctx, req)
	e.flushDiscovered()
	if rep != nil {
		// A large run's targets wait in a temporary file until written.
		defer rep.Close()
	}
	if err != nil {
		var ue *scan.UsageError
		if errors.As(err, &ue) {
			return e.fail(audit.ExitUsage, "%v", err)
		}
		return e.fail(audit.ExitIncomplete, "%v", err)
	}
	rep.Selection = plan.selection
	return e.writeReports(rep, plan, o)
}

// writeReports writes the report to stdout or to each --output file and
// returns the run's exit code.
func (e *env) writeReports(rep *audit.Report, plan scanPlan, o scanOptions) int {
	opts := report.Options{Catalog: checks.All(), ShowPassed: o.showPassed, Secrets: e.secrets,
		Compact: o.compact, Statuses: plan.statuses, NoColor: o.noColor}
	opts.WorkDir, opts.SourceRoot = sourceRoot()
	if len(plan.dests) == 0 {
		if err := e.writeStdout(plan.format, rep, opts); err != nil {
			return e.fail(audit.ExitUsage, "%v", err)
		}
		return rep.ExitCode
	}
	var written []string
	for _, d := range plan.dests {
		if err := writeFileAtomic(d.path, func(w io.Writer) error { return report.Write(w, d.format, rep, opts) }, e.tempCreated); err != nil {
			return e.fail(audit.ExitUsage, "%v", err)
		}
		written = append(written, d.path)
	}
	// stdout stays empty (a pipeline may read it); a CI log still says
	// what happened and where the report went, in one line.
	fmt.Fprintf(e.stderr, "ssoaudit: %s\n", e.shown(report.Verdict(rep)+"; wrote "+strings.Join(written, ", ")))
	return rep.ExitCode
}

// destination is one --output file and the format written to it.
type destination struct{ path, format string }

// destinations resolves each --output file's format (docs/cli.md):
// from its extension, except that with a single --output, an explicit
// --format names its format. An unknown extension is a usage error, so that
// a .pdf never silently holds a text table.
func destinations(outputs []string, format string, formatGiven bool) ([]destination, error) {
	if len(outputs) > 1 && formatGiven {
		return nil, fmt.Errorf("--format applies to a single --output; with %d, each file's extension names its format (%s)", len(outputs), report.ExtensionList())
	}
	out := make([]destination, 0, len(outputs))
	seen := map[string]bool{}
	for _, path := range outputs {
		if path == "" {
			return nil, errors.New("--output: empty file name")
		}
		clean := filepath.Clean(path)
		if seen[clean] {
			return nil, fmt.Errorf("--output %s: given twice", path)
		}
		seen[clean] = true
		f := format
		if !formatGiven {
			var ok bool
			if f, ok = report.FormatForFile(path); !ok {
				ext := filepath.Ext(path)
				if ext == "" {
					ext = "(none)"
				}
				return nil, fmt.Errorf("--output %s: unknown extension %s; want one of %s, or name the format with --format (single --output only)", path, ext, report.ExtensionList())
			}
		}
		out = append(out, destination{path: path, format: f})
	}
	return out, nil
}

// stringList is a flag that may repeat, keeping every value in order.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

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
		specs = append(specs, scan.Spec{Name: t.Name, Snapshot: t.Snapshot, Terraform: t.Terraform, Okta: t.Okta, Druva: t.Druva, DruvaName: t.DruvaAsWritten, Platform: t.Platform, Expect: t.Expect, OktaDomains: t.OktaDomains, Line: t.Line, DruvaLine: t.DruvaLine, SourceLine: t.SourceLine, Deployment: t.Deployment})
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
	// With problems, what could be read comes too (see scan).
	return config.LoadAll(path, checks.Known)
}

// writeStdout renders the report to stdout, coloured and sized for a
// terminal when stdout is one.
func (e *env) writeStdout(format string, rep *audit.Report, opts report.Options) error {
	if format == "table" {
		opts.Color = !opts.NoColor && e.isTTY(e.stdout) && e.getenv("NO_COLOR") == "" && e.getenv("TERM") != "dumb"
		opts.Width = e.width()
		opts.Rows = e.rows()
	}
	return report.Write(e.stdout, format, rep, opts)
}

// sourceRoot returns the working directory and the repository it is in:
// the nearest directory at or above it with a .git entry (a directory, or
// a file in a worktree or submodule), else the working directory itself.
// SARIF locations are relative to that root, as GitHub code scanning
// resolves them, so a scan run from a subdirectory (terraform/okta) names
// the same files as one run from the top.
func sourceRoot() (wd, root string) {
	wd, err := os.Getwd()
	if err != nil {
		return "", ""
	}
	for dir := wd; ; {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return wd, dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return wd, wd
		}
		dir = parent
	}
}

// writeFileAtomic writes a report to path (docs/security.md, Files ssoaudit
// writes):
//
//   - A path that exists and is not a regular file — a FIFO, a device such
//     as /dev/null, /dev/stdout, a socket — is written to directly: renaming
//     a file over it would replace the device node (as root, /dev/null
//     became a report) and the reader at the other end would never get it.
//     So is a process's open file (/dev/stdout redirected to a file is the
//     shell's open file, not a path to replace): see special.
//   - A symlink is followed, and its target (existing or not) written
//     atomically; the link stays a link.
//   - A regular file is written through a temporary beside it, so a reader
//     never sees half a report: synced, renamed over it, the directory
//     synced after.
//
// Reports hold users' emails, so the file is created under the user's umask
// and never wider than 0644, and replacing an existing file never widens its
// mode: the temporary is created with its final mode (a 0600 report's
// replacement is never readable by others, not even for a moment).
func writeFileAtomic(path string, write func(io.Writer) error, created func(tmp string)) error {
	if st, err := os.Stat(path); err == nil && (!st.Mode().IsRegular() || special(path)) {
		if st.IsDir() {
			return fmt.Errorf("write %s: it is a directory", path)
		}
		return writeDirect(path, write)
	}
	target, err := resolvePath(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	dir := filepath.Dir(target)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return fmt.Errorf("write %s: directory %s does not exist", path, filepath.Dir(path))
	}
	mode := fs.FileMode(0o644)
	if old, err := os.Stat(target); err == nil {
		mode &= old.Mode().Perm()
	}
	f, err := createTemp(dir, "."+filepath.Base(target)+".", mode)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if created != nil {
		created(f.Name())
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), target); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		// Make the rename durable too; not every file system can.
		d.Sync()
		d.Close()
	}
	return nil
}

// special reports whether path names a process's open file — /dev/stdout,
// /dev/stderr, /dev/fd/N, /proc/self/fd/N, /proc/PID/fd/N — which is
// written in place even when it is a regular file (the shell's redirect):
// replacing the file would leave the process's descriptor on the old one.
// A regular file elsewhere under /dev (/dev/shm) is an ordinary file.
func special(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return false
	}
	switch {
	case abs == "/dev/stdout", abs == "/dev/stderr", strings.HasPrefix(abs, "/dev/fd/"):
		return true
	case strings.HasPrefix(abs, "/proc/"):
		_, rest, _ := strings.Cut(strings.TrimPrefix(abs, "/proc/"), "/")
		return strings.HasPrefix(rest, "fd/")
	}
	return false
}

// writeDirect writes to an existing non-regular file (a FIFO, a device)
// without creating or replacing anything.
func writeDirect(path string, write func(io.Writer) error) error {
	flags := os.O_WRONLY
	if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
		// Stdout redirected to a file: reopening it starts at offset 0,
		// so append (after > the file is empty; after >> it is kept).
		flags |= os.O_APPEND
	}
	f, err := os.OpenFile(path, flags, 0)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		// The file's own error already says "write PATH: " (a reader
		// that went away: broken pipe); say it once.
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path == path {
			err = pe.Err
		}
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// resolvePath is path's absolute form with every symlink resolved, whether
// or not the file (or the directories leading to it) exist yet: the
// longest existing prefix is resolved, and a dangling final link is
// followed to where it points. Two spellings of one file — through a
// symlinked directory, or a link to it — resolve to the same string.
func resolvePath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	for hops := 0; hops < 40; hops++ {
		dir, base := filepath.Split(abs)
		rdir := resolveExisting(filepath.Clean(dir))
		p := filepath.Join(rdir, base)
		st, err := os.Lstat(p)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			if err == nil {
				if r, err := filepath.EvalSymlinks(p); err == nil {
					return r, nil
				}
			}
			return p, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(rdir, link)
		}
		abs = filepath.Clean(link)
	}
	return "", errors.New("too many levels of symbolic links")
}

// resolveExisting resolves the symlinks of the longest existing prefix of
// an absolute, clean path and appends the rest unchanged.
func resolveExisting(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	parent := filepath.Dir(p)
	if parent == p {
		return p
	}
	return filepath.Join(resolveExisting(parent), filepath.Base(p))
}

// refuseInputs refuses an --output that is one of the run's inputs: the
// tool never writes over what it audits (docs/security.md) — a report
// written over a snapshot's okta/app.json, its druva.yaml or the OAuth
// private key would destroy the evidence or the credential, and one written
// where an optional input (users.json, policy-rules.json, …) will be read
// poisons the next scan. Paths are compared once every link is resolved,
// whether or not they exist yet (a symlinked directory leads nowhere new),
// and as the same file when both exist; anything inside a snapshot's okta/
// directory is an input.
func refuseInputs(dests []destination, cfg *config.Config, specs []scan.Spec, extra ...string) error {
	inputs := append([]string{}, extra...)
	var oktaDirs []string
	if cfg != nil {
		inputs = append(inputs, cfg.File)
	}
	for _, s := range specs {
		inputs = append(inputs, s.Druva, s.Terraform)
		if s.Snapshot != "" {
			for _, f := range snapshotInputs {
				inputs = append(inputs, filepath.Join(s.Snapshot, filepath.FromSlash(f)))
			}
			if d, err := resolvePath(filepath.Join(s.Snapshot, "okta")); err == nil {
				oktaDirs = append(oktaDirs, d)
			}
		}
	}
	for _, d := range dests {
		out, outErr := os.Stat(d.path)
		outReal, err := resolvePath(d.path)
		if err != nil {
			return fmt.Errorf("--output %s: %v", d.path, err)
		}
		for _, in := range inputs {
			if in == "" {
				continue
			}
			inReal, _ := resolvePath(in)
			same := inReal == outReal
			if st, err := os.Stat(in); err == nil && outErr == nil {
				same = same || os.SameFile(st, out)
			}
			if same {
				return fmt.Errorf("--output %s: that is %s, an input of this scan: the report would overwrite what it audits; write it elsewhere", d.path, in)
			}
		}
		for _, dir := range oktaDirs {
			if strings.HasPrefix(outReal, dir+string(filepath.Separator)) {
				return fmt.Errorf("--output %s: that is inside %s, a snapshot's Okta directory: whatever is there is an input of this scan; write it elsewhere", d.path, dir)
			}
		}
	}
	return nil
}

// snapshotInputs are the files a scan may read from a snapshot directory,
// required and optional.
var snapshotInputs = []string{okta.FileApp, okta.FileKeys, okta.FileMetadata, okta.FileUsers, okta.FilePolicyRules,
	"okta/session-policies.json", "okta/domains.json", "druva.yaml"}

// createTemp is os.CreateTemp with the file's final mode before the umask
// (CreateTemp makes 0600 files, which then had to be chmod'ed wide,
// whatever the umask; a chmod after creation leaves a window in which the
// file is wider than it will be).
func createTemp(dir, prefix string, mode fs.FileMode) (*os.File, error) {
	for range 100 {
		var b [6]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, err
		}
		name := filepath.Join(dir, prefix+hex.EncodeToString(b[:]))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, mode)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, errors.New("cannot create a temporary file")
}

// keyPath is the file OKTA_CLIENT_PRIVATEKEY names, when it names one (the
// Okta SDK takes the key itself or a path to it).
func keyPath(v string) string {
	v = strings.TrimSpace(v)
	if v == "" || strings.Contains(v, "-----BEGIN") || strings.HasPrefix(v, "{") || strings.Contains(v, "\n") {
		return ""
	}
	return v
}
