// Package config reads .ssoaudit.yaml, the tool's own settings: the gate's
// threshold, the platform, expectation overrides, per-rule overrides,
// suppressions and the targets of a multi-target run.
//
// Like druva.yaml it is written by hand, so parsing is strict: unknown keys,
// wrong types and impossible values are a *FileError naming file and line,
// because a typo that silently dropped a setting would silently change what
// the audit checks.
package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/yamlfile"
)

// FileName is the config file Find looks for.
const FileName = ".ssoaudit.yaml"

// Config is a parsed .ssoaudit.yaml. Zero values mean "not set": the
// command line and the defaults decide.
type Config struct {
	// File is the name the config was parsed under (the path, from Load).
	File string
	// FailOn is the gate's threshold (a severity or audit.FailOnNone); ""
	// when unset.
	FailOn audit.Severity
	// FailOnWarn is fail_on_warn: nil when unset.
	FailOnWarn *bool
	// Require lists the inputs whose absence is an error (audit.ParseRequire);
	// nil when unset.
	Require []string
	// Platform is the default Druva platform; "" when unset.
	Platform string
	// Expect overrides the platform's expectations; zero fields are not
	// overridden (see audit.Platform.Expectations). A target's own expect:
	// keys win over these (TargetSpec.Expect).
	Expect audit.Expectations
	// OktaDomains are the org's custom domains (okta_domains:), for
	// cross.login-url-match when okta.domains.read is not granted; nil
	// when unset. A target's own list wins.
	OktaDomains []string
	// Rules holds per-rule overrides by rule ID; nil when the section is absent.
	Rules map[string]RuleConfig
	// Suppress lists accepted findings, in file order.
	Suppress []Suppression
	// Attest lists what people verified that no API shows, in file order
	// (docs/attestations.md).
	Attest []Attestation
	// Targets lists the targets of a multi-target run, in file order.
	Targets []TargetSpec
}

// RuleConfig overrides one rule.
type RuleConfig struct {
	// Enabled is nil when not set; false switches the rule off.
	Enabled *bool
	// Severity replaces the rule's default severity; "" when not set.
	Severity audit.Severity
	// Line is where the rule's entry is, for messages.
	Line int
}

// Suppression accepts a finding of one rule, for a while and for a reason.
type Suppression struct {
	Rule string
	// Target limits the suppression to one target; "" matches every target.
	Target string
	Reason string
	// Expires is the last day the suppression holds, at midnight UTC: it
	// holds through that whole day (UTC) and not after.
	Expires time.Time
	Line    int
}

// Attestation records that a person verified a value Okta or Druva does not
// expose, for one rule on a target (docs/attestations.md): it turns the
// rule's not_exposed skip into an attested pass until it expires.
type Attestation struct {
	Rule string
	// Target limits the attestation as a suppression's target does; ""
	// matches every target.
	Target string
	// Value is what the person saw; By who they are; Reason how and why.
	Value, By, Reason string
	// Expires is the last day the attestation holds (UTC).
	Expires time.Time
	Line    int
}

// TargetSpec describes one target: exactly one of Snapshot, Okta and
// Terraform is set.
type TargetSpec struct {
	Name      string
	Snapshot  string // a snapshot directory
	Terraform string // `terraform show -json` output
	Druva     string // a druva.yaml, overriding the snapshot's
	Platform  string // "" when unset
	Okta      *OktaSpec
	// Expect is the target's own expect: (its non-zero keys win over the
	// top level's); OktaDomains its own okta_domains: (nil when unset).
	Expect      audit.Expectations
	OktaDomains []string
	Line        int
	// DruvaLine is the line of the druva: key, for messages about that
	// file as a whole (it cannot be read); 0 when there is none.
	DruvaLine int
	// SourceLine is the line of the target's snapshot:, terraform: or
	// okta: key: where a source that cannot be read is reported.
	SourceLine int
	// DruvaAsWritten is Druva before Load resolved it against the
	// config's directory: the name of the target's deployment.
	DruvaAsWritten string
	// Deployment, when set, puts the target in the deployment of that
	// name, with every other target naming it (docs/deployments.md).
	Deployment string
}

// OktaSpec says how to find the Okta app live: exactly one of AppID,
// AppLabel and Discover is set.
type OktaSpec struct {
	// OrgURL is "" when the credentials' org URL (OKTA_CLIENT_ORGURL,
	// ~/.okta/okta.yaml) is to be used.
	OrgURL   string
	AppID    string
	AppLabel string
	Discover bool
}

var (
	topKeys      = []string{"fail_on", "fail_on_warn", "require", "platform", "expect", "okta_domains", "rules", "suppress", "attest", "targets"}
	expectKeys   = []string{"acs_url", "audience", "token_attribute", "cert_warn_days"}
	ruleKeys     = []string{"enabled", "severity"}
	suppressKeys = []string{"rule", "target", "reason", "expires"}
	attestKeys   = []string{"rule", "target", "value", "by", "reason", "expires"}
	targetKeys   = []string{"name", "snapshot", "okta", "terraform", "druva", "platform", "deployment", "expect", "okta_domains"}
	oktaKeys     = []string{"org_url", "app_id", "app_label", "discover"}
)

// Find returns the path of .ssoaudit.yaml in dir, or "" when there is none.
// Only dir is searched, not its parents, so which config applies is never a
// surprise.
func Find(dir string) (string, error) {
	path := filepath.Join(dir, FileName)
	fi, err := os.Stat(path)
	switch {
	case os.IsNotExist(err):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("look for config: %w", err)
	case fi.IsDir():
		return "", fmt.Errorf("look for config: %s is a directory", path)
	}
	return path, nil
}

// Load reads and parses the config at path. Relative paths in targets
// (snapshot, terraform, druva) are resolved against the config file's
// directory, so a config works from any working directory. knownRule reports
// whether a rule ID exists; nil accepts every ID.
func Load(path string, knownRule func(id string) bool) (*Config, error) {
	c, err := LoadAll(path, knownRule)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// LoadAll is Load that, when the config has problems, also returns what
// could be read of it (its targets as far as they were read, paths
// resolved; nil
// when the file could not be read as a whole), so the caller can check
// the files those targets name in the same run and report every problem
// at once. Such a config must not be scanned.
func LoadAll(path string, knownRule func(id string) bool) (*Config, error) {
	data, err := yamlfile.ReadCapped(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := parse(path, data, knownRule)
	if c == nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	for i := range c.Targets {
		t := &c.Targets[i]
		t.DruvaAsWritten = t.Druva
		for _, p := range []*string{&t.Snapshot, &t.Terraform, &t.Druva} {
			if *p != "" && !filepath.IsAbs(*p) {
				*p = filepath.Join(dir, *p)
			}
		}
	}
	return c, err
}

// Parse parses the contents of a config, naming it name in errors, which are
// always *FileError. Paths in targets are kept as written (Load resolves
// them). knownRule reports whether a rule ID exists; nil accepts every ID.
func Parse(name string, data []byte, knownRule func(id string) bool) (*Config, error) {
	c, err := parse(name, data, knownRule)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// parse is Parse that also returns what was read of a config with
// problems (nil when it could not be read as a whole).
func parse(name string, data []byte, knownRule func(id string) bool) (*Config, error) {
	root, err := yamlfile.Decode(name, data)
	if err != nil {
		return nil, err
	}
	if knownRule == nil {
		knownRule = func(string) bool { return true }
	}
	p := &cparser{parser: parser{yamlfile.Parser{File: name}}, knownRule: knownRule}
	fs, err := p.Fields(root, "the top level", topKeys)
	if err != nil {
		return nil, err
	}
	c := &Config{File: name}
	var suppressNode, attestNode *yaml.Node
	for _, f := range fs {
		switch f.Key {
		case "fail_on":
			c.FailOn, err = p.failOn(f.V, "fail_on")
		case "fail_on_warn":
			var b bool
			b, err = p.Bool(f.V, "fail_on_warn")
			c.FailOnWarn = &b
		case "require":
			c.Require, err = p.require(f.V, "require")
		case "platform":
			c.Platform, err = p.platform(f.V, "platform")
		case "expect":
			c.Expect, err = p.expect(f.V, "expect")
		case "okta_domains":
			c.OktaDomains, err = p.oktaDomains(f.V, "okta_domains")
		case "rules":
			c.Rules, err = p.rules(f.V)
		case "suppress":
			suppressNode = f.V
			c.Suppress, err = p.suppress(f.V)
		case "attest":
			attestNode = f.V
			c.Attest, err = p.attest(f.V)
		case "targets":
			c.Targets, err = p.targets(f.V)
		}
		// Noted, not returned: the other keys are still read, so one run
		// reports every problem of the file.
		p.Note(err)
	}
	if p.scopesRead {
		// Checked past the other problems, so one run reports them all;
		// but only when every target's name was read: a target whose name
		// could not be read would make a correct suppression look unscoped.
		p.checkSuppressTargets(suppressNode, "suppress")
		p.checkSuppressTargets(attestNode, "attest")
	}
	return c, p.Err()
}

// cparser adds what only the config needs to the shared node helpers.
type cparser struct {
	parser
	knownRule func(string) bool
	// scopes and consoles are the names a suppression's target: may
	// give (every target's name, every druva: file as written), read
	// also from targets with problems; scopesRead is set when the
	// targets section was a list whose every entry had a readable name.
	scopes, consoles []string
	// deploymentNodes are the targets' deployment: values, by the
	// target's line.
	deploymentNodes map[int]*yaml.Node
	scopesRead      bool
}

func (p *cparser) severity(v *yaml.Node, path string) (audit.Severity, error) {
	s, err := p.Str(v, path)
	if err != nil {
		return "", err
	}
	sev, err := audit.ParseSeverity(s)
	if err != nil {
		return "", p.ErrAt(v, "%s: %v", path, err)
	}
	return sev, nil
}

// failOn reads the gate's threshold: a severity, or none.
func (p *cparser) failOn(v *yaml.Node, path string) (audit.Severity, error) {
	s, err := p.Str(v, path)
	if err != nil {
		return "", err
	}
	sev, err := audit.ParseFailOn(s)
	if err != nil {
		return "", p.ErrAt(v, "%s: %v", path, err)
	}
	return sev, nil
}

// require reads the required inputs: a list (require: [druva, users]) or
// one comma-separated string, as on the command line.
func (p *cparser) require(v *yaml.Node, path string) ([]string, error) {
	var items []string
	switch v.Kind {
	case yaml.SequenceNode:
		for i, it := range v.Content {
			s, err := p.Str(it, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			items = append(items, s)
		}
	default:
		s, err := p.Str(v, path)
		if err != nil {
			return nil, err
		}
		items = []string{s}
	}
	names, err := audit.ParseRequire(items)
	if err != nil {
		return nil, p.ErrAt(v, "%s: %v", path, err)
	}
	if names == nil {
		names = []string{}
	}
	return names, nil
}

func (p *cparser) platform(v *yaml.Node, path string) (string, error) {
	s, err := p.Str(v, path)
	if err != nil {
		return "", err
	}
	if _, err := audit.LookupPlatform(s); err != nil {
		return "", p.ErrAt(v, "%s: %v", path, err)
	}
	return s, nil
}

// nonEmpty reads a string that must have a value: for settings whose zero
// means "unset", an empty value would silently mean nothing.
func (p *cparser) nonEmpty(v *yaml.Node, path string) (string, error) {
	s, err := p.Str(v, path)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(s) == "" {
		return "", p.ErrAt(v, "%s: must not be empty (leave the key out instead)", path)
	}
	return s, nil
}

// httpsURL reads an absolute https URL.
func (p *cparser) httpsURL(v *yaml.Node, path string) (string, error) {
	s, err := p.nonEmpty(v, path)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return "", p.ErrAt(v, "%s: want an https:// URL, got %s", path, yamlfile.Shown(v, false))
	}
	return s, nil
}

// orgURL reads an Okta org's base URL. Like --okta-org and
// OKTA_CLIENT_ORGURL, it must carry no credential: a user name or password,
// or anything in a path, query or fragment (https://u:TOKEN@…,
// https://acme.okta.com/TOKEN, ?token=…) would be printed wherever the
// target's origin is (JSON, SARIF URIs, every report). Messages show the
// scheme and host only.
func (p *cparser) orgURL(v *yaml.Node, path string) (string, error) {
	s, err := p.nonEmpty(v, path)
	if err != nil {
		return "", err
	}
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "", p.ErrAt(v, "%s: want the org's base URL, like https://acme.okta.com (the value is not shown: it may hold a credential)", path)
	}
	shown := u.Scheme + "://" + u.Host
	switch {
	case u.User != nil:
		return "", p.ErrAt(v, "%s: %s: must not carry a user name or password; give the API token in OKTA_CLIENT_TOKEN (or use a service app), never in the config", path, shown)
	case strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.Fragment != "" || strings.Contains(s, "#") || strings.Contains(s, "?"):
		return "", p.ErrAt(v, "%s: %s/…: give only the org's base URL, like https://acme.okta.com, without a path or query (not shown: it may hold a credential)", path, shown)
	case u.Scheme != "https":
		return "", p.ErrAt(v, "%s: %s: must be https:// (the API token would travel in clear text)", path, shown)
	}
	return s, nil
}

func (p *cparser) expect(v *yaml.Node, where string) (audit.Expectations, error) {
	var e audit.Expectations
	if yamlfile.IsNull(v) {
		return e, nil
	}
	fs, err := p.Fields(v, where, expectKeys)
	if err != nil {
		return e, err
	}
	for _, f := range fs {
		path := where + "." + f.Key
		switch f.Key {
		case "acs_url":
			e.ACSURL, err = p.httpsURL(f.V, path)
		case "audience":
			e.Audience, err = p.nonEmpty(f.V, path)
		case "token_attribute":
			e.TokenAttribute, err = p.nonEmpty(f.V, path)
		case "cert_warn_days":
			e.CertWarnDays, err = p.positiveInt(f.V, path)
		}
		p.Note(err)
	}
	return e, nil
}

// oktaDomains reads a list of host names: the org's custom domains, as
// Okta's Domains API lists them (domain: login.acme.com), without a scheme
// or path.
func (p *cparser) oktaDomains(v *yaml.Node, path string) ([]string, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, p.ErrAt(v, "%s: want a list of host names, e.g. [login.acme.com], got %s", path, yamlfile.Shown(v, false))
	}
	out := []string{}
	for i, it := range v.Content {
		at := fmt.Sprintf("%s[%d]", path, i)
		s, err := p.nonEmpty(it, at)
		if err != nil {
			return nil, err
		}
		h := strings.TrimSpace(s)
		if strings.ContainsAny(h, "/:?#@ ") {
			return nil, p.ErrAt(it, "%s: %q: want a host name such as login.acme.com, without scheme, port or path", at, s)
		}
		out = append(out, strings.ToLower(strings.TrimSuffix(h, ".")))
	}
	return out, nil
}

func (p *cparser) positiveInt(v *yaml.Node, path string) (int, error) {
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!int" {
		if n, err := strconv.Atoi(v.Value); err == nil && n > 0 {
			return n, nil
		}
	}
	return 0, p.ErrAt(v, "%s: want a positive whole number, got %s", path, yamlfile.Shown(v, false))
}

func (p *cparser) rules(v *yaml.Node) (map[string]RuleConfig, error) {
	out := map[string]RuleConfig{}
	if yamlfile.IsNull(v) {
		return out, nil
	}
	fs, err := p.Fields(v, "rules", nil)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if p.Note(p.ruleID(f.K, "rules")) {
			continue
		}
		rc := RuleConfig{Line: f.K.Line}
		if !yamlfile.IsNull(f.V) {
			where := "rules." + f.Key
			rfs, err := p.Fields(f.V, where, ruleKeys)
			if p.Note(err) {
				continue
			}
			for _, rf := range rfs {
				switch rf.Key {
				case "enabled":
					var b bool
					b, err = p.Bool(rf.V, where+".enabled")
					rc.Enabled = &b
				case "severity":
					rc.Severity, err = p.severity(rf.V, where+".severity")
				}
				p.Note(err)
			}
		}
		out[f.Key] = rc
	}
	return out, nil
}

// ruleID checks a rule ID, suggesting a known one a typo away.
func (p *cparser) ruleID(n *yaml.Node, where string) error {
	id := n.Value
	if p.knownRule(id) {
		return nil
	}
	msg := fmt.Sprintf("%s: unknown rule %s (`ssoaudit rules` lists them)", where, yamlfile.ShowKey(id))
	if s := suggestRule(id, p.knownRule); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return p.ErrAt(n, "%s", msg)
}

// ruleAlphabet is every character a rule ID is made of.
const ruleAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789.-_"

// suggestRule finds a known ID one edit (or a missing "okta." style prefix)
// away. knownRule can only answer yes or no, so candidates are generated
// rather than compared: a few thousand calls for a typical ID.
func suggestRule(id string, known func(string) bool) string {
	if len(id) > 64 {
		return ""
	}
	id = strings.ToLower(id)
	cands := []string{id, "okta." + id, "druva." + id, "cross." + id}
	for i := 0; i <= len(id); i++ {
		if i < len(id) {
			cands = append(cands, id[:i]+id[i+1:])
			if i+1 < len(id) {
				cands = append(cands, id[:i]+string(id[i+1])+string(id[i])+id[i+2:])
			}
		}
		for _, c := range ruleAlphabet {
			if i < len(id) {
				cands = append(cands, id[:i]+string(c)+id[i+1:])
			}
			cands = append(cands, id[:i]+string(c)+id[i:])
		}
	}
	for _, c := range cands {
		if known(c) {
			return c
		}
	}
	return ""
}

var dateRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

func (p *cparser) suppress(v *yaml.Node) ([]Suppression, error) {
	return entries(p, v, "suppress", "suppressions", suppressKeys,
		func(s *Suppression, line int) { s.Line = line },
		func(s *Suppression, key string, n *yaml.Node, path string) (err error) {
			switch key {
			case "rule":
				s.Rule, err = p.rule(n, path)
			case "target":
				s.Target, err = p.nonEmpty(n, path)
			case "reason":
				s.Reason, err = p.nonEmpty(n, path)
			case "expires":
				s.Expires, err = p.date(n, path)
			}
			return err
		},
		func(s *Suppression) []need {
			return []need{
				{s.Rule == "", "rule is required"},
				{s.Reason == "", "reason is required: say why the finding is accepted"},
				{s.Expires.IsZero(), "expires is required (YYYY-MM-DD): a suppression must end"},
			}
		})
}

// attest reads the attest: list (docs/attestations.md). rule, by, reason
// and expires are required: an attestation that cannot say who verified
// what, why, and until when is no evidence.
func (p *cparser) attest(v *yaml.Node) ([]Attestation, error) {
	return entries(p, v, "attest", "attestations", attestKeys,
		func(a *Attestation, line int) { a.Line = line },
		func(a *Attestation, key string, n *yaml.Node, path string) (err error) {
			switch key {
			case "rule":
				a.Rule, err = p.rule(n, path)
			case "target":
				a.Target, err = p.nonEmpty(n, path)
			case "value":
				a.Value, err = p.nonEmpty(n, path)
			case "by":
				a.By, err = p.nonEmpty(n, path)
			case "reason":
				a.Reason, err = p.nonEmpty(n, path)
			case "expires":
				a.Expires, err = p.date(n, path)
			}
			return err
		},
		func(a *Attestation) []need {
			return []need{
				{a.Rule == "", "rule is required"},
				{a.By == "", "by is required: who verified it"},
				{a.Reason == "", "reason is required: how it was verified (where, a ticket)"},
				{a.Expires.IsZero(), "expires is required (YYYY-MM-DD): an attestation must be renewed"},
			}
		})
}

// entries reads a list of mappings such as suppress: and attest:: each
// element's known keys go through set, and each need that missing says is
// lacking is reported — but only for an element whose keys all read without a
// problem, since a bad key (a misspelling of the missing one) already
// explains it. plural names the elements in the "want a list" error.
func entries[T any](p *cparser, v *yaml.Node, key, plural string, keys []string,
	at func(*T, int), set func(x *T, key string, n *yaml.Node, path string) error, missing func(*T) []need) ([]T, error) {
	out := []T{}
	if yamlfile.IsNull(v) {
		return out, nil
	}
	if v.Kind != yaml.SequenceNode || v.ShortTag() != "!!seq" {
		return nil, p.ErrAt(v, "%s: want a list of %s (lines starting with -), got %s", key, plural, yamlfile.KindName(v))
	}
	for i, e := range v.Content {
		where := fmt.Sprintf("%s[%d]", key, i)
		before := p.Problems()
		fs, err := p.Fields(e, where, keys)
		if p.Note(err) {
			continue
		}
		var x T
		at(&x, e.Line)
		for _, f := range fs {
			p.Note(set(&x, f.Key, f.V, where+"."+f.Key))
		}
		if p.Problems() > before {
			continue
		}
		for _, n := range missing(&x) {
			if n.lacking {
				p.Note(p.ErrAt(e, "%s: %s", where, n.msg))
			}
		}
		out = append(out, x)
	}
	return out, nil
}

// need is a required key of a list element: whether it is lacking, and
// what to say then.
type need struct {
	lacking bool
	msg     string
}

// rule reads a rule ID: non-empty and in the catalog.
func (p *cparser) rule(n *yaml.Node, path string) (string, error) {
	id, err := p.nonEmpty(n, path)
	if err == nil {
		err = p.ruleID(n, path)
	}
	return id, err
}

// date reads YYYY-MM-DD, whether YAML saw a timestamp or a quoted string.
func (p *cparser) date(v *yaml.Node, path string) (time.Time, error) {
	if v.Kind == yaml.ScalarNode && (v.ShortTag() == "!!timestamp" || v.ShortTag() == "!!str") && dateRE.MatchString(v.Value) {
		if t, err := time.Parse(time.DateOnly, v.Value); err == nil {
			return t, nil
		}
	}
	return time.Time{}, p.ErrAt(v, "%s: want a date as YYYY-MM-DD, got %s", path, yamlfile.Shown(v, false))
}

func (p *cparser) targets(v *yaml.Node) ([]TargetSpec, error) {
	out := []TargetSpec{}
	if yamlfile.IsNull(v) {
		return out, nil
	}
	if v.Kind != yaml.SequenceNode || v.ShortTag() != "!!seq" {
		return nil, p.ErrAt(v, "targets: want a list of targets (lines starting with -), got %s", yamlfile.KindName(v))
	}
	names := map[string]int{}
	complete := true
	for i, e := range v.Content {
		where := fmt.Sprintf("targets[%d]", i)
		t, err := p.target(e, where)
		// A target with problems still has its name and console read
		// when they were fine: a second target of that name, or a
		// suppression naming it, is judged against them in this run.
		if t.Name == "" {
			complete = false
		} else if first, dup := names[t.Name]; dup {
			p.Note(p.ErrAt(e, "%s: duplicate target name %q (first at line %d)", where, t.Name, first))
			p.Note(err)
			continue
		} else {
			names[t.Name] = e.Line
			p.scopes = append(p.scopes, t.Name)
		}
		if t.Druva != "" {
			p.consoles = append(p.consoles, t.Druva)
		}
		if t.Deployment != "" {
			p.consoles = append(p.consoles, t.Deployment)
		}
		if p.Note(err) && t.Druva == "" {
			continue
		}
		// A target with problems is kept when it names a druva.yaml:
		// the config is then not scanned (LoadAll), but that file is
		// checked in the same run.
		out = append(out, t)
	}
	p.scopesRead = complete && len(v.Content) > 0
	for _, t := range out {
		// A suppression's target: names a target or a deployment, never
		// both: the name must say which results it reaches.
		if line, clash := names[t.Deployment]; clash {
			p.Note(p.ErrAt(p.deploymentNodes[t.Line], "target %q: deployment: %q is also the name of the target at line %d; give the deployment a name of its own", t.Name, t.Deployment, line))
		}
	}
	return out, nil
}

func (p *cparser) target(e *yaml.Node, where string) (TargetSpec, error) {
	t := TargetSpec{Line: e.Line}
	before := p.Problems()
	fs, err := p.Fields(e, where, targetKeys)
	if err != nil {
		return t, err
	}
	var sources []string
	for _, f := range fs {
		path := where + "." + f.Key
		switch f.Key {
		case "name":
			t.Name, err = p.nonEmpty(f.V, path)
			if err == nil && strings.Contains(t.Name, "/") {
				// "/" joins an entry's name to each app it yields
				// (prod/<app label>), and a suppression for prod covers
				// prod/…: a name with "/" would be covered by another's.
				err = p.ErrAt(f.V, "%s: %q: a target name must not contain \"/\" (it separates a target from its apps: NAME/<app label>)", path, t.Name)
			}
		case "snapshot":
			sources = append(sources, f.Key)
			t.Snapshot, err = p.pathValue(f.V, path)
			t.SourceLine = f.V.Line
		case "terraform":
			sources = append(sources, f.Key)
			t.Terraform, err = p.pathValue(f.V, path)
			t.SourceLine = f.V.Line
		case "okta":
			sources = append(sources, f.Key)
			t.Okta, err = p.okta(f.V, path)
			t.SourceLine = f.V.Line
		case "druva":
			t.Druva, err = p.pathValue(f.V, path)
			t.DruvaLine = f.V.Line
		case "platform":
			t.Platform, err = p.platform(f.V, path)
		case "deployment":
			t.Deployment, err = p.nonEmpty(f.V, path)
			if p.deploymentNodes == nil {
				p.deploymentNodes = map[int]*yaml.Node{}
			}
			p.deploymentNodes[t.Line] = f.V
		case "expect":
			t.Expect, err = p.expect(f.V, path)
		case "okta_domains":
			t.OktaDomains, err = p.oktaDomains(f.V, path)
		}
		p.Note(err)
	}
	if p.Problems() > before {
		// Noted already; what is missing may be a misspelt key.
		return t, yamlfile.ErrNoted
	}
	switch {
	case t.Name == "":
		return t, p.ErrAt(e, "%s: name is required", where)
	case len(sources) == 0:
		return t, p.ErrAt(e, "%s: want one of snapshot, okta or terraform", where)
	case len(sources) > 1:
		return t, p.ErrAt(e, "%s: want only one of snapshot, okta or terraform, got %s", where, strings.Join(sources, " and "))
	}
	return t, nil
}

// envRef is one ${NAME} in a path value.
var envRef = regexp.MustCompile(`\$\{([^}]*)\}`)

// pathValue reads a path value (snapshot, druva, terraform), expanding each
// ${NAME} to that environment variable's value, so a nightly config can name
// dated snapshot directories without being edited (docs/inputs.md). Only
// these values expand, and only the ${NAME} form: a $ elsewhere is kept. An
// unset variable is a configuration error at the value's line, naming it.
func (p *cparser) pathValue(v *yaml.Node, where string) (string, error) {
	s, err := p.nonEmpty(v, where)
	if err != nil || !strings.Contains(s, "${") {
		return s, err
	}
	var bad error
	out := envRef.ReplaceAllStringFunc(s, func(ref string) string {
		name := ref[2 : len(ref)-1]
		if !validEnvName(name) {
			if bad == nil {
				bad = p.ErrAt(v, "%s: %q is not an environment variable reference (want ${NAME}: letters, digits and _)", where, ref)
			}
			return ref
		}
		val, ok := os.LookupEnv(name)
		if !ok {
			if bad == nil {
				bad = p.ErrAt(v, "%s: environment variable %s is not set (the value is %q)", where, name, s)
			}
			return ref
		}
		return val
	})
	if bad != nil {
		return "", bad
	}
	if strings.TrimSpace(out) == "" {
		return "", p.ErrAt(v, "%s: %q expands to an empty path", where, s)
	}
	return out, nil
}

func validEnvName(n string) bool {
	if n == "" {
		return false
	}
	for i, c := range n {
		if c != '_' && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func (p *cparser) okta(v *yaml.Node, where string) (*OktaSpec, error) {
	o := &OktaSpec{}
	var ways []string
	if !yamlfile.IsNull(v) {
		fs, err := p.Fields(v, where, oktaKeys)
		if err != nil {
			return nil, err
		}
		for _, f := range fs {
			path := where + "." + f.Key
			switch f.Key {
			case "org_url":
				o.OrgURL, err = p.orgURL(f.V, path)
			case "app_id":
				ways = append(ways, f.Key)
				o.AppID, err = p.nonEmpty(f.V, path)
			case "app_label":
				ways = append(ways, f.Key)
				o.AppLabel, err = p.nonEmpty(f.V, path)
			case "discover":
				o.Discover, err = p.Bool(f.V, path)
				if o.Discover {
					ways = append(ways, "discover: true")
				}
			}
			p.Note(err)
		}
	}
	switch {
	case len(ways) == 0:
		return nil, p.ErrAt(v, "%s: want one of app_id, app_label or discover: true, to find the Druva app", where)
	case len(ways) > 1:
		return nil, p.ErrAt(v, "%s: want only one of app_id, app_label or discover: true, got %s", where, strings.Join(ways, " and "))
	}
	return o, nil
}

// checkSuppressTargets refuses a suppression scoped to a target the config does
// not define: the typo would make it never match. A scope is a target's name,
// or NAME/<app> for one of the apps an entry yields (docs/cli.md, Target
// names). Without a targets section the names come from the command line, and
// the scan checks them (CheckScopes).
//
// Deployments (docs/deployments.md) are named too, after the druva:
// file their targets share, as written.
//
// section is the list's key: suppress, or attest, whose targets are named
// the same way.
func (p *cparser) checkSuppressTargets(n *yaml.Node, section string) {
	if n == nil || n.Kind != yaml.SequenceNode {
		return
	}
	for i, e := range n.Content {
		if e.Kind != yaml.MappingNode {
			continue
		}
		// Read from the node, not the parsed suppressions, so an entry
		// with another problem still has its scope checked.
		var target string
		for j := 0; j+1 < len(e.Content); j += 2 {
			if k, v := e.Content[j], e.Content[j+1]; k.Value == "target" && v.Kind == yaml.ScalarNode && v.ShortTag() != "!!null" {
				target = v.Value
			}
		}
		if strings.TrimSpace(target) == "" || slices.Contains(p.consoles, target) {
			// A console file names the deployment of the targets judged
			// against it (docs/deployments.md).
			continue
		}
		// prod/… names an app of the entry prod: which apps an entry
		// yields is known only when the scan runs, so the entry is what
		// is checked here.
		entry, _, _ := strings.Cut(target, "/")
		if slices.Contains(p.scopes, entry) {
			continue
		}
		if len(p.consoles) > 0 {
			p.Note(p.ErrAt(e, "%s[%d]: target %q is not one of the targets (%s) or deployments (%s)", section, i, target, strings.Join(p.scopes, ", "), strings.Join(p.consoles, ", ")))
		} else {
			p.Note(p.ErrAt(e, "%s[%d]: target %q is not one of the targets (%s)", section, i, target, strings.Join(p.scopes, ", ")))
		}
	}
}
