package audit

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Rule is one check of the catalog: metadata plus a pure function of a target.
type Rule struct {
	ID       string
	Title    string
	Severity Severity
	// Rationale (why it matters) and Remediation (how to fix it) are the
	// rule's prose, read from its page docs/rules/<id>.md when it
	// registers: the page is their one source.
	Rationale   string
	Remediation string
	// Reference points at the step of Druva's guide (or Okta's docs) the rule comes from.
	Reference string
	// Needs lists the inputs the rule reads. The runner gives the rule an
	// error result when one failed to load and a skip when one is absent,
	// so Check only ever sees data that was read.
	Needs []Input
	// Location is where the rule's findings are located: the input holding
	// the value it judges, and that value's key. SARIF and the file:line of
	// every format read it (never the rule ID's prefix).
	Location Location
	// Terraform, when set, is the fix for a target read from a Terraform
	// plan or state: the okta_app_saml attributes to change. There a change
	// made in the Okta admin console would be undone by the next apply.
	Terraform string
	// Profile lists the platform-profile fields the rule judges by
	// (docs/platforms.md, What each platform accepts); explain prints their
	// accepted values for every platform, each with the Druva page it comes
	// from.
	Profile []ProfileField
	// Check decides. It sets Status, Message and Evidence (and may set
	// Remediation to something more specific); the runner fills the rest.
	Check func(t *Target) Result
	// CheckDeployment, set instead of Check, makes the rule a deployment
	// rule (docs/deployments.md): judged once per deployment, over the
	// facts of its targets. Needs then names the deployment's inputs (the
	// console).
	CheckDeployment func(d *Deployment) Result
	// Requires lists the facts (fact.go) the rule reads: the runner
	// computes each once, before the inputs it comes from are gone, and
	// judges a per-target rule that needs a deployment fact once the
	// target's deployment is known.
	Requires []FactType
	// ReadsPlatform marks a rule that judges against the platform's values
	// (docs/platforms.md): a failure says which platform it compared
	// against when none was stated, or which one the app is set up for
	// when it disagrees with the stated one; the scan judges it again when
	// the target's deployment decides its platform; --require platform
	// makes its verdict an error when the platform was not stated.
	ReadsPlatform bool
	// Controls are the framework controls the rule's evidence supports,
	// read from the Controls table of its page docs/rules/<id>.md.
	Controls []Control
}

// Control is one control of a framework that a rule's evidence supports:
// Framework is the framework's key ("nist-800-53" for NIST SP 800-53 Rev. 5,
// "cis-v8" for the CIS Controls v8), ID its control or safeguard ("IA-2(1)",
// "6.3"), Title its title there, Why what in the rule's evidence supports it.
type Control struct {
	Framework string `json:"framework"`
	ID        string `json:"id"`
	Title     string `json:"title"`
	Why       string `json:"why,omitempty"`
}

// Location is where in its inputs a rule's findings are: the input (a
// snapshot's file, the console's druva.yaml) and, when one value decides,
// its key as a dotted path into that file ("settings.signOn.responseSigned"
// in okta/app.json, "admins.failsafe" in druva.yaml); Key is "" when the
// finding is about the file as a whole (the users, the signing keys).
type Location struct {
	Input Input
	Key   string
}

// OnDeployment reports whether the rule judges deployments, not targets.
func (r *Rule) OnDeployment() bool { return r.CheckDeployment != nil }

// InputRemediation is the fix for a rule that could not be evaluated: the
// data, not the set-up, needs attention first. The rule's own remediation
// is one `ssoaudit explain RULE` away.
const InputRemediation = "Fix what kept ssoaudit from reading the data, then scan again: " +
	"live, check the credential (OKTA_CLIENT_TOKEN, or the service app's key and its okta.apps.read / okta.users.read scopes), " +
	"the org URL and the app ID (HTTP 404: no such app), the network and the CA (a private CA: SSL_CERT_FILE); " +
	"for a snapshot, save the named file again from the Okta API. " +
	"The rule's own fix, should it then fail, is in `ssoaudit explain RULE`."

// Override changes a rule for one run (from the config's rules: section).
type Override struct {
	Disabled bool
	Severity Severity
}

// Verdict helpers for rule authors.

// Pass is a passing result.
func Pass(msg string, ev Evidence) Result {
	return Result{Status: StatusPass, Message: msg, Evidence: ev}
}

// Fail is a failing result.
func Fail(msg string, ev Evidence) Result {
	return Result{Status: StatusFail, Message: msg, Evidence: ev}
}

// Warn is a warning result: not broken yet, will be.
func Warn(msg string, ev Evidence) Result {
	return Result{Status: StatusWarn, Message: msg, Evidence: ev}
}

// Skip is a not-applicable result: the rule has nothing to judge. A value
// only a person can verify is SkipHidden; an absent input, SkipAbsent.
func Skip(msg string, ev Evidence) Result {
	return Result{Status: StatusSkip, Message: msg, Evidence: ev}
}

// Error is a could-not-evaluate result.
func Error(msg string, ev Evidence) Result {
	return Result{Status: StatusError, Message: msg, Evidence: ev}
}

// Evaluate applies one rule to a target, turning unavailable inputs into
// skip or error and a panicking check into error: never into pass.
func Evaluate(r *Rule, t *Target) (res Result) {
	defer func() {
		if p := recover(); p != nil {
			res = r.complete(Error(fmt.Sprintf("internal error in rule %s: %v (please report this with the input that caused it)", r.ID, p), Evidence{}.Add("stack", string(debug.Stack()))))
		}
	}()
	t.facts.push(r)
	defer t.facts.pop()
	if res, ok := r.gapResult(t, t.Source); ok {
		return r.complete(res)
	}
	res = r.complete(r.Check(t))
	if r.ReadsPlatform && (res.Status == StatusFail || res.Status == StatusWarn) {
		if note := t.PlatformNote(); note != "" {
			res.Message = strings.TrimRight(res.Message, ". ") + ". " + note
			res.Evidence = res.Evidence.Add("platform_source", t.PlatformSource)
		}
	}
	if t.Source == SourceTerraform && r.Terraform != "" && (res.Status == StatusFail || res.Status == StatusWarn) {
		res.Remediation = "In Terraform, on the okta_app_saml resource: " + r.Terraform +
			". Then plan and apply; a change made in the Okta admin console would be undone by the next apply."
	}
	return res
}

// gapResult returns a skip when a needed input is absent, else an error when
// one failed: a rule that would not apply is not reported as broken.
func (r *Rule) gapResult(t gapper, source Source) (Result, bool) {
	for _, in := range r.Needs {
		if g, ok := t.Gap(in); ok && !g.Failed {
			return SkipAbsent(in, fmt.Sprintf("%s not available: %s", in.Describe(source), g.Reason), Evidence{}.Add("input", string(in))), true
		}
	}
	for _, in := range r.Needs {
		if g, ok := t.Gap(in); ok && g.Failed {
			r := Error(fmt.Sprintf("could not read %s: %s", in.Describe(source), g.Reason), Evidence{}.Add("input", string(in)))
			r.Remediation = InputFix(in, source)
			return r, true
		}
	}
	return Result{}, false
}

func (r *Rule) complete(res Result) Result {
	res.Rule = r.ID
	if res.Severity == "" {
		res.Severity = r.Severity
	}
	res.Title = r.Title
	res.Controls = r.Controls
	if res.Remediation == "" {
		res.Remediation = r.Remediation
	}
	if res.Reference == "" {
		// A check may cite more for the case it judged (a catalog app's pages).
		res.Reference = r.Reference
	}
	switch {
	case res.Status != StatusSkip:
		res.SkipKind, res.Absent = "", ""
	case res.SkipKind == "":
		res.SkipKind = SkipNotApplicable
	}
	if res.Evidence == nil {
		res.Evidence = Evidence{}
	}
	return res
}
