package audit

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// requirable maps the names --require and the config's require: accept to
// the inputs they stand for. "policy" is the app's authentication policy
// rules (okta/policy-rules.json, PRODUCT.md section 3), which okta.app.mfa
// reads.
var requirable = map[string]Input{
	"druva":  InputConsole,
	"users":  InputUsers,
	"policy": InputPolicyRules,
}

// requireFix says how to provide each requirable input.
var requireFix = map[string]string{
	"druva": "Record the Druva console's SSO settings: add druva.yaml to the snapshot or pass --druva FILE " +
		"(`ssoaudit init` writes a template), with every section the rule names filled in from the console.",
	"users": "Provide the assigned users: for a snapshot save okta/users.json " +
		"(GET /api/v1/apps/{appId}/users?expand=user, every page, joined into one array); live, drop --no-users " +
		"and grant okta.users.read.",
	"policy": "Provide the app's authentication policy rules: for a snapshot save okta/policy-rules.json " +
		"(GET /api/v1/policies/{policyId}/rules); live, grant okta.policies.read.",
}

// RequireNames lists the names --require accepts, sorted.
func RequireNames() []string {
	out := make([]string, 0, len(requirable))
	for n := range requirable {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

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
			if _, ok := requirable[n]; !ok {
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
			if requirable[n] != r.Absent {
				continue
			}
			e := r
			e.Status = StatusError
			e.SkipKind, e.Absent = "", ""
			e.Message = fmt.Sprintf("required input %s is absent (--require %s): %s", n, n, r.Message)
			e.Remediation = requireFix[n] + " Or leave " + n + " out of --require (the config's require:) where this check does not apply."
			e.Evidence = append(Evidence{}.Add("required", n), r.Evidence...)
			results[i] = e
		}
	}
}

// RequireName is the --require name of an input ("druva" for druva.yaml), or
// "" when --require cannot name it, so a report can say how to gate on a
// rule that skipped for want of it.
func RequireName(in Input) string {
	for n, i := range requirable {
		if i == in {
			return n
		}
	}
	return ""
}

// oneEditApart reports whether a becomes b by one inserted, deleted,
// replaced or swapped letter.
func oneEditApart(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		var diff []int
		for i := range a {
			if a[i] != b[i] {
				diff = append(diff, i)
			}
		}
		return len(diff) == 1 || len(diff) == 2 && diff[1] == diff[0]+1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]]
	case 1:
		for i := range a {
			if a[i] != b[i] {
				return a[i:] == b[i+1:]
			}
		}
		return true
	}
	return false
}
