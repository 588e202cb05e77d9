package report

import (
	"fmt"

	"github.com/ssoaudit/ssoaudit/audit"
)

// attestationText is one attestation in a line: who vouched for what, why,
// until when, and where the config records it (docs/attestations.md).
func attestationText(a *audit.AttestationNote) string {
	s := fmt.Sprintf("by %s until %s", a.By, a.Expires)
	if a.Value != "" {
		s += ": " + a.Value
	}
	return fmt.Sprintf("%s (%s; %s:%d)", s, a.Reason, a.File, a.Line)
}

// sarifAttestation is an attested result as the SARIF run's properties
// list it.
type sarifAttestation struct {
	Target string `json:"target"`
	Rule   string `json:"rule"`
	audit.AttestationNote
}

// attestationList is every attested result of the run, targets first,
// then deployments.
func attestationList(rep *audit.Report) []sarifAttestation {
	var out []sarifAttestation
	add := func(name string, results []audit.Result) {
		for _, r := range results {
			if r.Attested && r.Attestation != nil {
				out = append(out, sarifAttestation{Target: name, Rule: r.Rule, AttestationNote: *r.Attestation})
			}
		}
	}
	for t := range rep.EachTarget() {
		add(t.Name, t.Results)
	}
	for d := range rep.EachDeployment() {
		add(d.Name, d.Results)
	}
	return out
}

// hasAttested reports whether any result is an attested pass.
func hasAttested(results []audit.Result) bool {
	for _, r := range results {
		if r.Attested {
			return true
		}
	}
	return false
}
