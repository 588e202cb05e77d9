package audit

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Input names one piece of data a rule reads. Its value is the path of that
// data inside a snapshot directory, which is also how messages name it
// (docs/inputs.md).
type Input string

// The inputs a target can carry.
const (
	InputApp      Input = "okta/app.json"
	InputKeys     Input = "okta/keys.json"
	InputMetadata Input = "okta/metadata.xml"
	InputUsers    Input = "okta/users.json"
	InputConsole  Input = "druva.yaml"
	// InputPolicyRules is the rules of the app's authentication policy
	// (Identity Engine orgs only; optional).
	InputPolicyRules Input = "okta/policy-rules.json"
	// InputSessionPolicies is the org's global session policies with their
	// rules (optional; read once per org live).
	InputSessionPolicies Input = "okta/session-policies.json"
)

// InputInfo is everything the tool knows about one input, in one place: the
// snapshot file (the Input itself), what it is, the --require name, where it
// comes from and which Okta scope reads it live. Messages, fixes, --require
// and the sources all read this table, so a new input is one row.
type InputInfo struct {
	Input Input
	// What describes the input for messages ("the app's signing keys").
	What string
	// Require is the name --require and the config's require: accept for
	// it, or "" when the input is required anyway.
	Require string
	// RequireFix says how to provide the input when --require insists on it.
	RequireFix string
	// Endpoint is the Okta API request a snapshot file is the verbatim
	// response of ("" for inputs that are not Okta data).
	Endpoint string
	// Scope is the Okta OAuth scope that reads the input live.
	Scope string
	// Okta is true for data collected from Okta (an error reading it is an
	// incomplete run, exit 3), false for what a person writes (druva.yaml).
	Okta bool
	// Optional inputs may be absent: the rules that need them skip.
	Optional bool
}

// inputs is the table of inputs, in the order a snapshot lists them.
var inputs = []InputInfo{
	{Input: InputApp, What: "the Okta app", Okta: true, Scope: "okta.apps.read",
		Endpoint: "GET /api/v1/apps/{appId}"},
	{Input: InputKeys, What: "the app's signing keys", Okta: true, Scope: "okta.apps.read",
		Endpoint: "GET /api/v1/apps/{appId}/credentials/keys"},
	{Input: InputMetadata, What: "the IdP metadata", Okta: true, Scope: "okta.apps.read",
		Endpoint: "GET /api/v1/apps/{appId}/sso/saml/metadata"},
	{Input: InputUsers, What: "the assigned users", Okta: true, Optional: true, Scope: "okta.users.read",
		Endpoint: "every page of GET /api/v1/apps/{appId}/users?expand=user (follow the Link: rel=\"next\" headers), joined into one JSON array",
		Require:  "users",
		RequireFix: "Provide the assigned users: for a snapshot save okta/users.json " +
			"(GET /api/v1/apps/{appId}/users?expand=user, every page, joined into one array); live, drop --no-users " +
			"and grant okta.users.read."},
	{Input: InputPolicyRules, What: "the app's authentication policy rules", Okta: true, Optional: true, Scope: "okta.policies.read",
		Endpoint: "every page of GET /api/v1/policies/{policyId}/rules for the policy app.json's _links.accessPolicy names, joined into one JSON array",
		Require:  "policy",
		RequireFix: "Provide the app's authentication policy rules: for a snapshot save okta/policy-rules.json " +
			"(every page of GET /api/v1/policies/{policyId}/rules, joined); live, grant okta.policies.read."},
	{Input: InputSessionPolicies, What: "the org's global session policies", Okta: true, Optional: true, Scope: "okta.policies.read",
		Endpoint: "every page of GET /api/v1/policies?type=OKTA_SIGN_ON, each policy with every page of GET /api/v1/policies/{policyId}/rules " +
			"joined under its _embedded.rules",
		Require: "policy",
		RequireFix: "Provide the org's global session policies: for a snapshot save okta/session-policies.json " +
			"(every page of GET /api/v1/policies?type=OKTA_SIGN_ON, each policy's rules under _embedded.rules; `ssoaudit snapshot` writes it); " +
			"live, grant okta.policies.read."},
	{Input: InputDomains, What: "the org's custom domains", Okta: true, Optional: true, Scope: "okta.domains.read",
		Endpoint: "GET /api/v1/domains",
		Require:  "domains",
		RequireFix: "Provide the org's custom domains: for a snapshot save okta/domains.json (GET /api/v1/domains); " +
			"live, grant okta.domains.read; or list them in .ssoaudit.yaml as okta_domains: [login.example.com]."},
	{Input: InputConsole, What: "the Druva console settings", Optional: true,
		Require: "druva",
		RequireFix: "Record the Druva console's SSO settings: add druva.yaml to the snapshot or pass --druva FILE " +
			"(`ssoaudit init` writes a template), with every section the rule names filled in from the console."},
}

// Info returns the table row of an input (a zero row, with the Input set,
// for one the table does not know).
func (in Input) Info() InputInfo {
	for _, i := range inputs {
		if i.Input == in {
			return i
		}
	}
	return InputInfo{Input: in}
}

// Inputs lists every input the tool knows, in snapshot order.
func Inputs() []InputInfo { return slices.Clone(inputs) }

// OktaInputs lists the inputs collected from Okta.
func OktaInputs() []Input {
	var out []Input
	for _, i := range inputs {
		if i.Okta {
			out = append(out, i.Input)
		}
	}
	return out
}

// Describe names an input for messages: what it is, and for a snapshot the
// file it was read from.
func (in Input) Describe(source Source) string {
	what := in.Info().What
	switch {
	case what == "":
		return string(in)
	case source == SourceSnapshot || in == InputConsole:
		return string(in) + " (" + what + ")"
	}
	return what
}

// InputFix is the fix for a rule that could not read an input: how to get
// that data again from where it came (a snapshot file, the live API, a
// Terraform plan), never the rule's own set-up fix, which is beside the
// point until the rule can look.
//
// It is the one place such a fix is written: a rule that finds an input
// unreadable while reading it (a users.json that breaks after some users)
// must give the same fix as the runner gives when the input failed to load,
// rather than fall back to its own set-up remediation.
func InputFix(in Input, source Source) string {
	if in == InputUsers && source == SourceSnapshot {
		// What a saved users.json most often lacks.
		return strings.TrimSuffix(inputFix(in, source), "; then scan again.") +
			"; keep expand=user, or the users carry no email to compare; then scan again."
	}
	return inputFix(in, source)
}

func inputFix(in Input, source Source) string {
	info := in.Info()
	if !info.Okta && in == InputConsole {
		return "Fix druva.yaml where the message says (or write a fresh template with `ssoaudit init` and fill it in from the Druva console), then scan again."
	}
	switch source {
	case SourceSnapshot:
		if info.Endpoint == "" {
			return InputRemediation
		}
		return "Save " + string(in) + " again, verbatim from the Okta API: " + info.Endpoint +
			" (e.g. curl -H \"Authorization: SSWS $OKTA_CLIENT_TOKEN\" https://ORG.okta.com/api/v1/...), " +
			"or save the whole snapshot again with `ssoaudit snapshot --okta-org URL --app-id ID --out DIR`; then scan again."
	case SourceOkta:
		scope := info.Scope
		if scope == "" {
			scope = "okta.apps.read"
		}
		return "Check what kept ssoaudit from reading Okta, then scan again: the credential (OKTA_CLIENT_TOKEN, or the service app's key with the " +
			scope + " scope), the org URL and the app ID (HTTP 404: no such app), the network and the CA (a private CA: SSL_CERT_FILE)."
	case SourceTerraform:
		return "Write the plan again with `terraform show -json PLAN > plan.json` and scan it; values Terraform knows only after apply " +
			"cannot be judged before it (scan a snapshot of the app after apply)."
	}
	return InputRemediation
}

// UsersFix is InputFix for the assigned users (okta/users.json, or the
// live users endpoint).
func UsersFix(source Source) string { return InputFix(InputUsers, source) }

// requireInfo returns the row of input in that --require names n, if any
// (one name may stand for several inputs: "policy" for the app's
// authentication policy and the org's global session policies).
func requireInfo(n string, in Input) (InputInfo, bool) {
	for _, i := range inputs {
		if i.Require != "" && i.Require == n && i.Input == in {
			return i, true
		}
	}
	return InputInfo{}, false
}

// RequireAttested is the --require name that makes a not_exposed skip no
// attestation covers an error (docs/attestations.md): it names no input.
const RequireAttested = "attested"

// requireStated are the --require names that are no input: "platform"
// wants the platform stated, not read from the app or defaulted
// (RequirePlatform).
var requireStated = []string{"platform"}

// RequireNames lists the names --require accepts, sorted.
func RequireNames() []string {
	out := []string{RequireAttested}
	for _, i := range inputs {
		if i.Require != "" && !slices.Contains(out, i.Require) {
			out = append(out, i.Require)
		}
	}
	out = append(out, requireStated...)
	sort.Strings(out)
	return out
}

// RequireName is the --require name of an input ("druva" for druva.yaml), or
// "" when --require cannot name it, so a report can say how to gate on a
// rule that skipped for want of it.
func RequireName(in Input) string { return in.Info().Require }

// ParseRequire checks a list of input names ("druva", "users", "policy";
// items may themselves be comma-separated) and returns them cleaned, sorted
// and without duplicates.
func ParseRequire(items []string) ([]string, error) {
	var out []string
	for _, item := range items {
		for _, n := range strings.Split(item, ",") {
			n = strings.ToLower(strings.TrimSpace(n))
			if n == "" {
				continue
			}
			if !slices.Contains(RequireNames(), n) {
				err := fmt.Errorf("unknown input %q (want one of %s)", n, strings.Join(RequireNames(), ", "))
				// A near miss — "user", "polices" — gets the name meant.
				for _, known := range RequireNames() {
					if strings.HasPrefix(known, n) || strings.HasPrefix(n, known) || oneEditApart(n, known) {
						err = fmt.Errorf("%w; did you mean %s?", err, known)
						break
					}
				}
				return nil, err
			}
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// Require turns every skip caused by the absence of a required input into
// an error: the run was asked to verify with that input and could not. names
// are ParseRequire's. Skips of another kind (the rule does not apply) stay.
func Require(results []Result, names []string) {
	for i, r := range results {
		if r.Status != StatusSkip || r.SkipKind != SkipInputAbsent {
			continue
		}
		for _, n := range names {
			info, ok := requireInfo(n, r.Absent)
			if !ok {
				continue
			}
			e := r
			e.Status = StatusError
			e.SkipKind, e.Absent = "", ""
			e.Message = fmt.Sprintf("required input %s is absent (--require %s): %s", n, n, r.Message)
			e.Remediation = info.RequireFix + " Or leave " + n + " out of --require (the config's require:) where this check does not apply."
			e.Evidence = append(Evidence{}.Add("required", n), r.Evidence...)
			results[i] = e
		}
	}
}

// Gap records why an input is not available to the rules.
type Gap struct {
	// Failed is true when the data exists (or should) but could not be read,
	// parsed or fetched: rules that need it end in error. When false the
	// input is optional and absent: rules that need it are skipped.
	Failed bool
	Reason string
}
