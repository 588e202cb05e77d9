package scan

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"weak"

	"github.com/ssoaudit/ssoaudit/audit"
)

// TestNothingOfAnAppOutlivesItsJudgment: once a target is judged, nothing
// holds what was read of it from Okta (the app object, keys, metadata, the
// users' iterator) — not the scan, not the cached Okta client — while the
// report, which keeps only the results, is still in use.
func TestNothingOfAnAppOutlivesItsJudgment(t *testing.T) {
	srvs := fakeOrgs(t, 2, 3, 0)
	specs := fleetSpecs(srvs, 3)
	load := liveLoader(t, srvs)
	var mu sync.Mutex // targets are read side by side
	var targets []weak.Pointer[audit.Target]
	var apps []weak.Pointer[audit.App]
	req := request(nil, specs...)
	req.Fleet = true
	req.Live = func(ctx context.Context, spec Spec, found func(*audit.Target)) error {
		return load(ctx, spec, func(tg *audit.Target) {
			mu.Lock()
			targets = append(targets, weak.Make(tg))
			apps = append(apps, weak.Make(tg.App))
			mu.Unlock()
			found(tg)
		})
	}
	rep, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.GC()
	if len(targets) != len(specs) {
		t.Fatalf("%d targets read", len(targets))
	}
	for i := range targets {
		if targets[i].Value() != nil || apps[i].Value() != nil {
			t.Errorf("the %d. target read is still held after it was judged", i+1)
		}
	}
	if len(rep.Targets) != len(specs) || rep.Summary.Error != 0 {
		t.Errorf("%d targets, %+v", len(rep.Targets), rep.Summary)
	}
	runtime.KeepAlive(rep)
}

// TestFleetMemoryGrowsLinearly: what a run allocates per target does not
// grow with the fleet — no per-target copy of the whole fleet (a
// deployment's members for each of its targets were n², 200 MB at 1,000
// targets). Snapshot targets sharing one druva.yaml, 100 and 800 of them.
func TestFleetMemoryGrowsLinearly(t *testing.T) {
	perTarget := func(n int) float64 {
		var specs []Spec
		for i := range n {
			specs = append(specs, Spec{Name: fmt.Sprintf("t%04d", i), Snapshot: snap("good"), Druva: filepath.Join(snap("good"), "druva.yaml")})
		}
		req := request(nil, specs...)
		req.Fleet = true
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		rep, err := Run(context.Background(), req)
		runtime.ReadMemStats(&after)
		if err != nil || rep.NumTargets() != n || rep.NumDeployments() != 1 {
			t.Fatalf("%d targets, %d deployments, %v", rep.NumTargets(), rep.NumDeployments(), err)
		}
		rep.Close()
		return float64(after.TotalAlloc-before.TotalAlloc) / float64(n)
	}
	small, large := perTarget(100), perTarget(800)
	t.Logf("allocated per target: %.0f KiB at 100 targets, %.0f KiB at 800", small/1024, large/1024)
	if large > 1.2*small {
		t.Errorf("a target of an 800-target fleet costs %.1fx one of a 100-target fleet: memory grows faster than the fleet", large/small)
	}
}
