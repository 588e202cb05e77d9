package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// The metric families of docs/reports.md (Metrics; contract: names and labels).
const (
	metricCertExpiry = "ssoaudit_certificate_expiry_timestamp_seconds"
	metricRuleStatus = "ssoaudit_rule_status"
	metricFindings   = "ssoaudit_findings"
	metricGatePassed = "ssoaudit_gate_passed"
	metricLastRun    = "ssoaudit_last_run_timestamp_seconds"
)

// MetricNames lists the metric families --format prometheus writes, in the
// order it writes them.
var MetricNames = []string{metricCertExpiry, metricRuleStatus, metricFindings, metricGatePassed, metricLastRun}

// metricHelp is each family's # HELP text.
var metricHelp = map[string]string{
	metricCertExpiry: "When a certificate sign-in depends on stops being valid (Unix time): side=\"okta\" the app's active signing certificate, side=\"druva\" the Druva console's IdP certificate. No series when the certificate could not be read.",
	metricRuleStatus: "One series per rule and target (or deployment, for deployment rules), labelled with the rule's status (pass, fail, warn, error, skip); suppressed=\"true\" on suppressed results, attested=\"true\" on passes a person's attestation gave.",
	metricFindings:   "Number of results per target (or deployment), status and severity.",
	metricGatePassed: "1 when the gate passed (exit code 0), 0 when it failed or the run was incomplete.",
	metricLastRun:    "When the scan ran (Unix time).",
}

// writePrometheus writes the Prometheus text exposition format (version
// 0.0.4), for node_exporter's textfile collector or a Pushgateway. Every
// family is a gauge with # HELP and # TYPE, and its samples follow it
// together, as the format requires; no sample carries a timestamp (the
// collector stamps them, and ssoaudit_last_run_timestamp_seconds says
// when the scan ran). Label values are escaped per the format (backslash,
// double quote, newline). Lines are written as they are made.
//
// The series are built per subject — a target, labelled target="…", or a
// deployment, labelled deployment="…" — so each family holds every
// subject's series.
func writePrometheus(w io.Writer, rep *audit.Report) error {
	bw := bufio.NewWriter(w)
	// Each family holds every subject's series: one pass over the
	// report per family, so no family needs the subjects held.
	subjects := func(yield func(promSubject) bool) {
		for t := range rep.EachTarget() {
			if !yield(promSubject{label: "target", name: t.Name, certs: t.Certificates, results: t.Results}) {
				return
			}
		}
		// Deployment results (docs/deployments.md) are labelled with the
		// deployment instead of a target; their console's certificate is
		// already each target's side="druva" series.
		for d := range rep.EachDeployment() {
			if !yield(promSubject{label: "deployment", name: d.Name, results: d.Results}) {
				return
			}
		}
	}
	family := func(name string, samples func(emit func(labels [][2]string, value string))) {
		writeHelpType(bw, name)
		samples(func(labels [][2]string, value string) { writeSample(bw, name, labels, value) })
	}
	family(metricCertExpiry, func(emit func([][2]string, string)) {
		for s := range subjects {
			for _, c := range s.certs {
				emit([][2]string{{s.label, s.name}, {"side", c.Side}}, strconv.FormatInt(c.NotAfter.Unix(), 10))
			}
		}
	})
	family(metricRuleStatus, func(emit func([][2]string, string)) {
		for s := range subjects {
			for _, r := range s.results {
				labels := [][2]string{{s.label, s.name}, {"rule", r.Rule}, {"severity", string(r.Severity)}, {"status", string(r.Status)}}
				if r.Suppressed {
					labels = append(labels, [2]string{"suppressed", "true"})
				}
				if r.Attested {
					labels = append(labels, [2]string{"attested", "true"})
				}
				emit(labels, "1")
			}
		}
	})
	family(metricFindings, func(emit func([][2]string, string)) {
		for s := range subjects {
			// Every status and severity, zeros included: an alert on
			// fail > 0 must see 0, not nothing, when all is well.
			counts := map[[2]string]int{}
			for _, r := range s.results {
				counts[[2]string{string(r.Status), string(r.Severity)}]++
			}
			for _, st := range audit.Statuses {
				for _, sev := range audit.Severities {
					n := counts[[2]string{string(st), string(sev)}]
					emit([][2]string{{s.label, s.name}, {"status", string(st)}, {"severity", string(sev)}}, strconv.Itoa(n))
				}
			}
		}
	})
	family(metricGatePassed, func(emit func([][2]string, string)) {
		passed := "0"
		if rep.ExitCode == audit.ExitOK {
			passed = "1"
		}
		emit(nil, passed)
	})
	family(metricLastRun, func(emit func([][2]string, string)) {
		if !rep.GeneratedAt.IsZero() {
			emit(nil, strconv.FormatInt(rep.GeneratedAt.Unix(), 10))
		}
	})
	return bw.Flush()
}

// promSubject is what a set of series is about: its label (target or
// deployment), its name, and its certificates and results.
type promSubject struct {
	label, name string
	certs       []audit.CertExpiry
	results     []audit.Result
}

func writeHelpType(w *bufio.Writer, name string) {
	w.WriteString("# HELP ")
	w.WriteString(name)
	w.WriteByte(' ')
	w.WriteString(helpEscaper.Replace(metricHelp[name]))
	w.WriteString("\n# TYPE ")
	w.WriteString(name)
	w.WriteString(" gauge\n")
}

func writeSample(w *bufio.Writer, name string, labels [][2]string, value string) {
	w.WriteString(name)
	if len(labels) > 0 {
		w.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(l[0])
			w.WriteString(`="`)
			w.WriteString(labelEscaper.Replace(l[1]))
			w.WriteByte('"')
		}
		w.WriteByte('}')
	}
	w.WriteByte(' ')
	w.WriteString(value)
	w.WriteByte('\n')
}

// The text format's escapes: in label values backslash, double quote and
// line feed; in HELP text backslash and line feed.
var (
	labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
)
