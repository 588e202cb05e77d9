// Command ssoaudit audits the single sign-on set-up between an Okta org and
// Druva (inSync / Druva Cloud) and reports what is wrong, why it matters and
// how to fix it. Run `ssoaudit help` for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/escape"
	"github.com/ssoaudit/ssoaudit/internal/redact"
	"github.com/ssoaudit/ssoaudit/internal/words"
)

// version is set at build time with -ldflags "-X main.version=…"; otherwise
// the build info names the build (buildVersion).
var version = ""

func main() { os.Exit(cliMain()) }

// cliMain runs the command line and returns its exit code (main exits with
// it; a test's child process measures itself first).
func cliMain() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	env := &env{
		stdout: os.Stdout,
		stderr: os.Stderr,
		now:    time.Now,
		getenv: os.Getenv,
		isTTY:  isTerminal,

		termWidth: terminalWidth,
		ttyWidth:  controllingTerminalWidth,
		termRows:  terminalRows,
	}
	return env.run(ctx, os.Args[1:])
}

// env is everything a command touches outside itself, so tests can run the
// whole CLI in-process with a fixed clock and captured output.
type env struct {
	stdout, stderr io.Writer
	now            func() time.Time
	getenv         func(string) string
	isTTY          func(w io.Writer) bool
	// termWidth is the width of the terminal behind w, if it is one; nil
	// means none (tests set $COLUMNS instead).
	termWidth func(w io.Writer) (int, bool)
	// ttyWidth is the width of the process's controlling terminal
	// (/dev/tty), for when stdout and stderr both go to a pipe
	// (ssoaudit scan 2>&1 | less); nil means none.
	ttyWidth func() (int, bool)
	// termRows is the height of the terminal behind w, if it is one; nil
	// means none (tests set $LINES instead).
	termRows func(w io.Writer) (int, bool)

	// Tests only; nil in main, meaning the real ones. oktaHTTP is the live
	// client's transport (a fake Okta's certificate is trusted through it);
	// oktaNow and oktaSleep are the clock its retries and rate-limit waits
	// run on, so that a test of a one-minute wait takes no time.
	oktaHTTP  *http.Client
	oktaNow   func() time.Time
	oktaSleep func(context.Context, time.Duration) error
	// tempCreated is called with each report's temporary file as soon as
	// it exists, so a test sees the mode another user's watcher would.
	tempCreated func(tmp string)

	// discovered holds discover -v's lines until discovery ends
	// (flushDiscovered).
	discoveredMu sync.Mutex
	discovered   []string

	// secrets is the run's redaction layer (docs/security.md): every
	// secret the run learns — the environment's credentials, the Okta
	// client's, each target's — is added as it is learnt, and every report
	// and error line goes through it. Set by run.
	secrets *redact.Set
}

const usageText = `ssoaudit audits the SAML single sign-on set-up between Okta and Druva
(inSync / Druva Cloud) against Druva's set-up guide, and says how to fix
what is wrong.

Usage:
  ssoaudit scan --snapshot DIR [flags]       audit a saved snapshot
  ssoaudit scan --okta-org URL --app-id ID   audit a live Okta app (read-only)
  ssoaudit scan --terraform PLAN.json        audit okta_app_saml resources
  ssoaudit scan --config FILE                audit every target in the config
  ssoaudit snapshot --okta-org URL --app-id ID --out DIR
                                             save a live app as a snapshot
  ssoaudit rules [--format table|json]       list the rule catalog
  ssoaudit explain RULE                      why a rule matters, how to fix it
  ssoaudit diff OLD.json NEW.json            what changed between two reports
  ssoaudit init                              write config and druva.yaml
                                             templates
  ssoaudit version                           print the build's version

Run 'ssoaudit COMMAND --help' for a command's flags.

Exit codes: 0 the gate passed; 1 a fail at or above --fail-on (a warn too
with --fail-on-warn); 2 usage or configuration error; 3 incomplete (Okta
data missing, unreadable or refused, or a --require input absent).
`

// commands are the subcommands, for "did you mean".
var commands = []string{"scan", "snapshot", "rules", "explain", "diff", "init", "version", "help"}

func (e *env) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usageText)
		return audit.ExitUsage
	}
	if e.secrets == nil {
		e.secrets = &redact.Set{}
	}
	// Credentials the environment holds, known before anything can fail
	// (the Okta SDK also reads them, and ~/.okta/okta.yaml: Connect adds
	// what it resolves).
	e.secrets.Add(e.getenv("OKTA_CLIENT_TOKEN"), e.getenv("OKTA_CLIENT_CLIENTASSERTION"))
	e.secrets.AddFragments(e.getenv("OKTA_CLIENT_PRIVATEKEY"))
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "scan":
		return e.scan(ctx, rest)
	case "snapshot":
		return e.snapshot(ctx, rest)
	case "rules":
		return e.rules(rest)
	case "explain":
		return e.explain(rest)
	case "diff":
		return e.diff(rest)
	case "init":
		return e.init(rest)
	case "version", "--version", "-version":
		bi := readBuildInfo()
		v, how := buildVersion(version, bi)
		fmt.Fprintf(e.stdout, "ssoaudit %s\n", v)
		for _, line := range words.Wrap(how, helpWidth-2) {
			fmt.Fprintf(e.stdout, "  %s\n", line)
		}
		if bi != nil {
			fmt.Fprintf(e.stdout, "  %s\n", bi.GoVersion)
		}
		return audit.ExitOK
	case "help", "--help", "-help", "-h":
		if len(rest) > 0 {
			return e.run(ctx, []string{rest[0], "--help"})
		}
		fmt.Fprint(e.stdout, usageText)
		return audit.ExitOK
	}
	msg := "unknown command " + audit.Shown(cmd)
	if len(cmd) >= 2 {
		if s := words.Closest(strings.TrimLeft(cmd, "-"), commands); s != "" && !audit.LooksLikeSecret(cmd) {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
	}
	e.errLine("ssoaudit: " + msg)
	// One line to the commands, not the whole help: the did-you-mean is
	// what a typo needs, and it must stay on screen.
	fmt.Fprintf(e.stderr, "Run 'ssoaudit help' for the commands.\n")
	return audit.ExitUsage
}

// toolVersion is the build's version as reports record it (see
// buildVersion).
func toolVersion() string {
	v, _ := buildVersion(version, readBuildInfo())
	return v
}

// readBuildInfo is debug.ReadBuildInfo, or nil.
func readBuildInfo() *debug.BuildInfo {
	if bi, ok := debug.ReadBuildInfo(); ok {
		return bi
	}
	return nil
}

// buildVersion names a build, always as SemVer 2.0 starting with a digit
// (audit.SemanticVersion), the one form `ssoaudit version` and every report
// show: the -X main.version value when given (a release's "v1.2.3" is
// 1.2.3); else the module version (go install …@v1.2.3, and go build in a
// checkout, which stamps a pseudo-version such as
// 0.0.0-20261202152033-2e94fe972502); else the VCS revision,
// "0.0.0-devel+REV" with ".dirty" for uncommitted changes; else
// "0.0.0-devel". It also says, for `ssoaudit version`, where the name came
// from.
func buildVersion(ldflags string, bi *debug.BuildInfo) (string, string) {
	if ldflags != "" {
		return audit.SemanticVersion(ldflags), "set at build time (-ldflags -X main.version)"
	}
	if bi == nil {
		return develVersion, "no build information in this binary"
	}
	var rev, at string
	dirty := false
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.time":
			at = kv.Value
		case "vcs.modified":
			dirty = kv.Value == "true"
		}
	}
	how := "module version"
	if rev != "" {
		how = "commit " + rev
		if at != "" {
			how += " of " + at
		}
		if dirty {
			how += ", with uncommitted changes"
		}
	}
	// go install module@version, and (since Go 1.24) go build in a checkout,
	// which stamps a pseudo-version ending in +dirty for uncommitted changes.
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return audit.SemanticVersion(v), how
	}
	if rev == "" {
		return develVersion, "no VCS stamp: go run, go test and -buildvcs=false builds do not record the commit (go build or go install from a git checkout does)"
	}
	v := develVersion + "+" + rev[:min(12, len(rev))]
	if dirty {
		v += ".dirty"
	}
	return audit.SemanticVersion(v), how
}

// develVersion names a build nothing stamped.
const develVersion = "0.0.0-devel"

// helpWidth is the width every --help fits: an 80-column terminal.
const helpWidth = 80

// newFlags makes a flag set whose --help prints the command's own text and
// its flags, wrapped to helpWidth. Flags named in hidden are accepted (so a
// mistaken one gets a precise message) but not listed.
func (e *env) newFlags(name, synopsis string, hidden ...string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), synopsis)
		printFlags(fs.Output(), fs, hidden)
	}
	return fs
}

// printFlags lists a flag set's flags, each as "--name VALUE" and its
// description wrapped beneath, and nothing at all (no empty "Flags:"
// heading) when the command has none.
func printFlags(w io.Writer, fs *flag.FlagSet, hidden []string) {
	var flags []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if !slices.Contains(hidden, f.Name) {
			flags = append(flags, f)
		}
	})
	if len(flags) == 0 {
		return
	}
	fmt.Fprintln(w, "\nFlags:")
	for _, f := range flags {
		arg, usage := flag.UnquoteUsage(f)
		// One-letter flags take one dash, the Go convention (and the
		// README's): -q, -v. The flag package accepts either spelling.
		head := "  --" + f.Name
		if len(f.Name) == 1 {
			head = "  -" + f.Name
		}
		if arg != "" {
			head += " " + arg
		}
		switch f.DefValue {
		case "", "false", "0", "0s", "[]":
		default:
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintln(w, head)
		for _, line := range words.Wrap(usage, helpWidth-6) {
			fmt.Fprintln(w, "      "+line)
		}
	}
}

// parse parses flags, allowing them before and after positional arguments
// (`ssoaudit diff old.json new.json --format json`). It returns the
// positionals, or an exit code when parsing ended the command.
func (e *env) parse(fs *flag.FlagSet, args []string) ([]string, int, bool) {
	var pos []string
	// The flag package's own report is the error plus every flag; ours is
	// the error, the flag the user probably meant, and where help is.
	fs.SetOutput(io.Discard)
	defer fs.SetOutput(e.stderr)
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(e.stdout)
				fs.Usage()
				return nil, audit.ExitOK, false
			}
			msg := err.Error()
			if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
				if audit.LooksLikeSecret(strings.TrimLeft(name, "-")) {
					name = "(not shown: it looks like a token)"
				}
				msg = "unknown flag --" + strings.TrimPrefix(name, "-")
				if s := closestFlag(fs, strings.TrimPrefix(name, "-")); s != "" {
					msg += " (did you mean --" + s + "?)"
				}
			}
			e.errLine(fmt.Sprintf("ssoaudit %s: %s", fs.Name(), e.shown(msg)))
			fmt.Fprintf(e.stderr, "Run 'ssoaudit %s --help' for its flags.\n", fs.Name())
			return nil, audit.ExitUsage, false
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, 0, true
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), 0, true
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// closestFlag is the defined flag nearest to a mistyped one, if any is
// close: a typo, a missing or extra letter, or a prefix.
func closestFlag(fs *flag.FlagSet, name string) string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(name) < 3 {
		return "" // one or two letters are too few to guess from
	}
	if s := words.Closest(name, names); s != "" {
		return s
	}
	for _, n := range names {
		if strings.HasPrefix(n, name) {
			return n
		}
	}
	return ""
}

// fail prints an error for a command and returns its exit code. An error
// quotes paths, labels and server replies: it is one line on a terminal,
// with any control or bidi character in them shown escaped (escape.Line).
func (e *env) fail(code int, format string, a ...any) int {
	msg := fmt.Sprintf(format, a...)
	// A message of several lines (every problem of a file, one a line)
	// keeps its lines; each is escaped on its own.
	lines := strings.Split(strings.TrimRight(msg, "\n"), "\n")
	for _, line := range lines {
		e.errLine("ssoaudit: " + e.shown(line))
	}
	return code
}

// usage prints a usage error of a command's flag values the way parse
// prints a bad flag: the error, then where help is (not the whole help, which
// would bury the one line that matters).
func (e *env) usage(cmd, format string, a ...any) int {
	e.errLine(fmt.Sprintf("ssoaudit %s: %s", cmd, e.shown(fmt.Sprintf(format, a...))))
	fmt.Fprintf(e.stderr, "Run 'ssoaudit %s --help' for its flags.\n", cmd)
	return audit.ExitUsage
}

// errLine prints one message line on stderr, wrapped to the width the table
// uses (a 236-column placeholder error is unreadable in an 80-column
// terminal, which would break it mid-word), continuation lines under a
// two-space hanging indent so each message still starts at the margin.
// words.Wrap breaks only at spaces, so a FILE:LINE: prefix stays whole, and a
// URL that fits a line stays whole too. line is already shown (redacted and
// escaped): wrapping adds no characters a terminal could act on. With no
// terminal and no $COLUMNS (a CI log, a cron mail) there is no width to
// fit, and a message kept on one line is one grep finds.
//
// Every line goes through shown here too, whoever built it (both steps are
// idempotent): no message can print a secret or a raw control character by
// forgetting to.
func (e *env) errLine(line string) {
	line = e.shown(line)
	width, known := e.knownWidth()
	if !known || utf8.RuneCountInString(line) <= width {
		fmt.Fprintln(e.stderr, line)
		return
	}
	for i, l := range words.Wrap(line, width-2) {
		if i > 0 {
			l = "  " + l
		}
		fmt.Fprintln(e.stderr, l)
	}
}

// shown is a message line as it may reach a terminal or log: through the
// run's redaction layer, then with control and bidi characters escaped.
func (e *env) shown(msg string) string {
	return escape.Line(e.secrets.String(msg))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
