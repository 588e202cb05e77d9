package consumer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

func goldenJSON(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(), "report", "testdata", "golden", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The schema must reject what breaks the contract, or validating against
// it means nothing: each mutation of a valid report is one a consumer
// would trip over.
func TestReportSchemaRejects(t *testing.T) {
	good := goldenJSON(t, "report.json")
	if err := SchemaProblem([]byte(good)); err != nil {
		t.Fatalf("the golden report fails its schema: %v", err)
	}
	for name, c := range map[string]struct{ from, to string }{
		"version not numeric":  {`"version": "1.2.3"`, `"version": "devel"`},
		"unknown status":       {`"status": "fail"`, `"status": "failed"`},
		"unknown severity":     {`"severity": "critical"`, `"severity": "urgent"`},
		"unknown platform":     {`"platform": "insync-cloud"`, `"platform": "insync"`},
		"another schema":       {`"schema": "ssoaudit.report/v1"`, `"schema": "ssoaudit.report/v2"`},
		"no summary count":     {`"pass": `, `"passed": `},
		"count not a number":   {`"exit_code": 3`, `"exit_code": "3"`},
		"exit code 2":          {`"exit_code": 3`, `"exit_code": 2`},
		"not a date":           {`"generated_at": "2026-11-27T10:00:00Z"`, `"generated_at": "27/11/2026"`},
		"results not a list":   {`"results": [`, `"results": {"x": [`},
		"suppressed as string": {`"suppressed": false`, `"suppressed": "false"`},
		"unknown skip kind":    {`"suppressed": false`, `"suppressed": false, "skip_kind": "missing"`},
		"attested fail":        {`"status": "fail"`, `"status": "fail", "attested": true`},
	} {
		bad := strings.Replace(good, c.from, c.to, 1)
		if bad == good {
			t.Errorf("%s: %q is not in the golden report", name, c.from)
			continue
		}
		if err := SchemaProblem([]byte(bad)); err == nil {
			t.Errorf("%s: the schema accepted it", name)
		}
	}
	// Objects stay open: a field added in v1 is valid to an older schema.
	added := strings.Replace(good, `"suppressed": false`, `"suppressed": false, "added_later": {"x": 1}`, 1)
	if err := SchemaProblem([]byte(added)); err != nil {
		t.Errorf("a field added to a result fails the schema: %v", err)
	}
	rules := goldenJSON(t, "rules.json")
	if err := SchemaProblem([]byte(rules)); err != nil {
		t.Fatalf("the golden catalog fails its schema: %v", err)
	}
	if err := SchemaProblem([]byte(strings.Replace(rules, `"scope": "target"`, `"scope": "org"`, 1))); err == nil {
		t.Error("the catalog schema accepted scope org")
	}
}

// The schema's lists of values are the tool's: a platform, status,
// severity or skip kind added to the code must be added to the schema.
func TestReportSchemaEnumsMatchTheCode(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(), "schema", "report.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sch struct {
		ID   string `json:"$id"`
		Defs map[string]struct {
			Enum []any `json:"enum"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &sch); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sch.ID, "https://github.com/ssoaudit/ssoaudit/") {
		t.Errorf("$id %q is not under the repository", sch.ID)
	}
	enum := func(def string) []string {
		var out []string
		for _, v := range sch.Defs[def].Enum {
			out = append(out, v.(string))
		}
		slices.Sort(out)
		return out
	}
	var platforms, statuses, severities []string
	for _, p := range audit.Platforms {
		platforms = append(platforms, p.Name)
	}
	for _, s := range audit.Statuses {
		statuses = append(statuses, string(s))
	}
	for _, s := range audit.Severities {
		severities = append(severities, string(s))
	}
	for def, want := range map[string][]string{"platform": platforms, "status": statuses, "severity": severities} {
		slices.Sort(want)
		if got := enum(def); !slices.Equal(got, want) {
			t.Errorf("schema/report.schema.json $defs.%s enum %v, the code's %v", def, got, want)
		}
	}
}
