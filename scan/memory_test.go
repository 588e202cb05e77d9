package scan

import (
	"context"
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
