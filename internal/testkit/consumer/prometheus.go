package consumer

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// Series is one parsed sample: its labels and value.
type Series struct {
	Labels map[string]string
	Value  float64
}

// Prometheus parses a text exposition with the Prometheus project's own
// parser (expfmt.TextParser) under the legacy name-validation scheme — the
// strict one, [a-zA-Z_:][a-zA-Z0-9_:]* names, which every Prometheus
// server, node_exporter's textfile collector and the Pushgateway accept —
// and checks what the parser leaves to its callers: every family has HELP
// and is a gauge, and no two samples of a family have the same labels
// (node_exporter refuses such a file). It returns each family's series.
func Prometheus(tb testing.TB, data []byte) map[string][]Series {
	tb.Helper()
	out, err := ParsePrometheus(data)
	if err != nil {
		tb.Fatalf("Prometheus text format: %v\n--- metrics ---\n%s", err, data)
	}
	Counts.add(PrometheusText)
	return out
}

// ParsePrometheus is Prometheus without a test.
func ParsePrometheus(data []byte) (map[string][]Series, error) {
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	out := map[string][]Series{}
	for name, f := range fams {
		if f.GetHelp() == "" {
			return nil, fmt.Errorf("%s has no # HELP", name)
		}
		if f.GetType() != dto.MetricType_GAUGE {
			return nil, fmt.Errorf("%s is a %s, want a gauge", name, f.GetType())
		}
		seen := map[string]bool{}
		for _, m := range f.GetMetric() {
			s := Series{Labels: map[string]string{}, Value: m.GetGauge().GetValue()}
			var keys []string
			for _, l := range m.GetLabel() {
				if _, dup := s.Labels[l.GetName()]; dup {
					return nil, fmt.Errorf("%s: label %s twice", name, l.GetName())
				}
				s.Labels[l.GetName()] = l.GetValue()
				keys = append(keys, l.GetName()+"="+l.GetValue())
			}
			if m.TimestampMs != nil {
				return nil, fmt.Errorf("%s: a sample carries a timestamp; the textfile collector refuses those", name)
			}
			sort.Strings(keys)
			id := strings.Join(keys, "\x00")
			if seen[id] {
				return nil, fmt.Errorf("%s: two samples with labels {%s}", name, strings.Join(keys, ","))
			}
			seen[id] = true
			out[name] = append(out[name], s)
		}
		if out[name] == nil {
			out[name] = []Series{}
		}
	}
	return out, nil
}

// Find returns the series of a family whose labels include every given
// name=value pair.
func Find(series []Series, labels ...string) []Series {
	var out []Series
	for _, s := range series {
		ok := true
		for i := 0; i+1 < len(labels); i += 2 {
			if v, has := s.Labels[labels[i]]; !has || v != labels[i+1] {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// LabelNames lists a series' label names, sorted.
func (s Series) LabelNames() []string {
	names := make([]string, 0, len(s.Labels))
	for k := range s.Labels {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
