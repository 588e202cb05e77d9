package terraform

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssoaudit/ssoaudit/internal/testkit/race"
)

// bigPlan is testdata/terraform/plan.json with its okta_app_saml.druva
// resource (and its change) copied n times: three in four in the root
// module, one in four in a child module, each with its own label.
func bigPlan(t testing.TB, n int) []byte {
	t.Helper()
	data, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]jsontext.Value
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var pv struct {
		RootModule struct {
			Resources []map[string]any `json:"resources"`
		} `json:"root_module"`
	}
	var changes []map[string]any
	if err := json.Unmarshal(doc["planned_values"], &pv); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(doc["resource_changes"], &changes); err != nil {
		t.Fatal(err)
	}
	var base, change map[string]any
	for _, r := range pv.RootModule.Resources {
		if r["address"] == "okta_app_saml.druva" {
			base = r
		}
	}
	for _, c := range changes {
		if c["address"] == "okta_app_saml.druva" {
			change = c
		}
	}
	if base == nil || change == nil {
		t.Fatal("plan.json has no okta_app_saml.druva resource and change")
	}
	baseJSON, _ := json.Marshal(base)
	changeJSON, _ := json.Marshal(change)
	var root, child, chs []map[string]any
	for i := range n {
		var r, c map[string]any
		_ = json.Unmarshal(baseJSON, &r)
		_ = json.Unmarshal(changeJSON, &c)
		name := fmt.Sprintf("app%d", i)
		addr := ResourceType + "." + name
		if i%4 == 3 {
			addr = "module.m." + addr
		}
		r["name"], r["address"] = name, addr
		r["values"].(map[string]any)["label"] = fmt.Sprintf("Druva %d", i)
		c["name"], c["address"] = name, addr
		if i%4 == 3 {
			child = append(child, r)
		} else {
			root = append(root, r)
		}
		chs = append(chs, c)
	}
	out := map[string]any{}
	for k, v := range doc {
		if k != "prior_state" {
			out[k] = v
		}
	}
	out["planned_values"] = map[string]any{"root_module": map[string]any{
		"resources":     root,
		"child_modules": []any{map[string]any{"address": "module.m", "resources": child}},
	}}
	out["resource_changes"] = chs
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBigPlanPerTarget parses generated plans of 500 and 4,000 SAML apps and
// asserts that what a target costs — allocated while parsing, and held once
// parsed — stays flat as the plan grows: no step is worse than linear in the
// resources, and a target holds its own values, not the document.
func TestBigPlanPerTarget(t *testing.T) {
	type cost struct{ alloc, held uint64 }
	measure := func(n int) cost {
		data := bigPlan(t, n)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		ts, err := Parse("plan.json", bytes.NewReader(data))
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) != n {
			t.Fatalf("%d targets, want %d", len(ts), n)
		}
		alloc := (after.TotalAlloc - before.TotalAlloc) / uint64(n)
		if got, want := ts[n-1].Name, fmt.Sprintf("module.m.okta_app_saml.app%d", n-1); n%4 == 0 && got != want {
			t.Errorf("last target %q, want %q", got, want)
		}
		// Held: the heap with the targets live, less the heap without them.
		data = nil
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(ts)
		ts = nil
		runtime.GC()
		var gone runtime.MemStats
		runtime.ReadMemStats(&gone)
		var held uint64
		if after.HeapAlloc > gone.HeapAlloc {
			held = (after.HeapAlloc - gone.HeapAlloc) / uint64(n)
		}
		return cost{alloc, held}
	}
	small, big := measure(500), measure(4000)
	t.Logf("per target: 500 apps alloc %d B held %d B; 4000 apps alloc %d B held %d B", small.alloc, small.held, big.alloc, big.held)
	// Measured: about 24 KiB allocated and 2.5 KiB held per target.
	if limit := uint64(64<<10) * race.Factor; big.alloc > limit {
		t.Errorf("parsing allocates %d B per target, want at most %d", big.alloc, limit)
	}
	if limit := uint64(16<<10) * race.Factor; big.held > limit {
		t.Errorf("a parsed target holds %d B, want at most %d", big.held, limit)
	}
	if big.alloc > 2*small.alloc+4<<10 {
		t.Errorf("allocation per target grows with the plan: %d B at 500 apps, %d B at 4000", small.alloc, big.alloc)
	}
	if big.held > 2*small.held+4<<10 {
		t.Errorf("what a target holds grows with the plan: %d B at 500 apps, %d B at 4000", small.held, big.held)
	}
}
