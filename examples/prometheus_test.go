package examples_test

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"text/template"

	"github.com/VictoriaMetrics/metricsql"
	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"

	"github.com/ssoaudit/ssoaudit/internal/testkit/consumer"
)

// ruleFile is Prometheus's rule file format (rulefmt), every field it
// knows; unknown keys are errors, as promtool reports them.
type ruleFile struct {
	Groups []struct {
		Name     string `yaml:"name"`
		Interval string `yaml:"interval"`
		Limit    int    `yaml:"limit"`
		Rules    []struct {
			Record        string            `yaml:"record"`
			Alert         string            `yaml:"alert"`
			Expr          string            `yaml:"expr"`
			For           string            `yaml:"for"`
			KeepFiringFor string            `yaml:"keep_firing_for"`
			Labels        map[string]string `yaml:"labels"`
			Annotations   map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

// promqlFuncs are the PromQL functions and aggregations the rules may use:
// MetricsQL (the parser used here) accepts many more, which Prometheus
// would refuse.
var promqlFuncs = map[string]bool{
	"time": true, "absent": true, "absent_over_time": true, "max": true, "min": true, "sum": true,
	"count": true, "avg": true, "group": true, "max_over_time": true, "min_over_time": true,
	"changes": true, "timestamp": true, "vector": true, "scalar": true, "clamp_min": true,
}

var alertName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// TestPrometheusRules checks the example alert rules offline: the file is
// a Prometheus rule file (strict YAML, alert names, durations), every
// expression parses as PromQL with functions Prometheus has, every metric
// it selects is one ssoaudit writes with labels ssoaudit writes (checked
// against the real CLI's output, parsed by expfmt), and the annotation
// templates parse with Prometheus's template functions.
func TestPrometheusRules(t *testing.T) {
	bin := buildCLI(t)
	out, _ := exec.Command(bin, "scan", "--snapshot", filepath.Join("..", "testdata", "snapshots", "broken"), "--format", "prometheus").Output()
	fams := consumer.Prometheus(t, out)
	labels := map[string]map[string]bool{}
	for name, series := range fams {
		labels[name] = map[string]bool{"job": true, "instance": true} // added by the scrape
		for _, s := range series {
			for l := range s.Labels {
				labels[name][l] = true
			}
		}
	}

	paths, _ := filepath.Glob("prometheus/*.yml")
	if len(paths) == 0 {
		t.Fatal("no example rule file in prometheus/")
	}
	alerts := map[string]bool{}
	for _, path := range paths {
		var f ruleFile
		dec := yaml.NewDecoder(bytes.NewReader(read(t, path)))
		dec.KnownFields(true)
		if err := dec.Decode(&f); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, g := range f.Groups {
			for _, r := range g.Rules {
				if (r.Alert == "") == (r.Record == "") || !alertName.MatchString(r.Alert+r.Record) {
					t.Errorf("%s: rule %q%q: one of alert or record, a valid name", path, r.Alert, r.Record)
				}
				alerts[r.Alert] = true
				for _, d := range []string{r.For, r.KeepFiringFor, g.Interval} {
					if _, err := model.ParseDuration(d); d != "" && err != nil {
						t.Errorf("%s: %s: duration %q: %v", path, r.Alert, d, err)
					}
				}
				checkExpr(t, path+": "+r.Alert, r.Expr, labels)
				for k, v := range r.Annotations {
					// Prometheus defines these variables before every template.
					const defs = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}"
					if _, err := template.New(k).Funcs(promTemplateFuncs).Parse(defs + v); err != nil {
						t.Errorf("%s: %s: annotation %s: %v", path, r.Alert, k, err)
					}
				}
			}
		}
	}
	for _, want := range []string{"SSOCertificateExpiresSoon", "SSOAuditGateFailed"} {
		if !alerts[want] {
			t.Errorf("no %s alert", want)
		}
	}
}

func checkExpr(t *testing.T, where, expr string, labels map[string]map[string]bool) {
	t.Helper()
	e, err := metricsql.Parse(expr)
	if err != nil {
		t.Errorf("%s: expr %q: %v", where, expr, err)
		return
	}
	metricsql.VisitAll(e, func(x metricsql.Expr) {
		switch x := x.(type) {
		case *metricsql.FuncExpr:
			if !promqlFuncs[x.Name] {
				t.Errorf("%s: function %s is not one of the PromQL functions this test knows", where, x.Name)
			}
		case *metricsql.AggrFuncExpr:
			if !promqlFuncs[x.Name] {
				t.Errorf("%s: aggregation %s is not one of the PromQL ones this test knows", where, x.Name)
			}
		case *metricsql.MetricExpr:
			for _, group := range x.LabelFilterss {
				name := ""
				for _, lf := range group {
					if lf.Label == "__name__" {
						name = lf.Value
					}
				}
				known, ok := labels[name]
				if !ok {
					t.Errorf("%s: selects %q, which ssoaudit does not write", where, name)
					continue
				}
				for _, lf := range group {
					if lf.Label != "__name__" && !known[lf.Label] {
						t.Errorf("%s: %s has no label %q", where, name, lf.Label)
					}
				}
			}
		}
	})
}

// promTemplateFuncs stands in for the functions Prometheus gives alert
// templates, so a template naming another one fails to parse.
var promTemplateFuncs = template.FuncMap{}

func init() {
	for _, f := range []string{"humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp",
		"title", "toUpper", "toLower", "match", "reReplaceAll", "query", "first", "label", "value", "sortByLabel",
		"args", "tmpl", "safeHtml", "stripPort", "stripDomain", "externalURL", "pathPrefix", "graphLink", "tableLink", "parseDuration"} {
		promTemplateFuncs[f] = func(...any) any { return nil }
	}
}
