package terraform

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
	"github.com/ssoaudit/ssoaudit/internal/testkit/race"
)

// bigPlan is fixture.BigPlan's plan of n apps (plan.json's
// okta_app_saml.druva copied n times, one in four in a child module), as
// bytes.
func bigPlan(t testing.TB, n int) []byte {
	t.Helper()
	data, err := os.ReadFile(fixture.BigPlan(t, "../..", t.TempDir(), n))
	if err != nil {
		t.Fatal(err)
	}
	return data
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

// writeBigPlan writes bigPlan(n) to a file of the test's and returns its
// path and size.
func writeBigPlan(t testing.TB, n int) (string, int64) {
	t.Helper()
	data := bigPlan(t, n)
	path := filepath.Join(t.TempDir(), fmt.Sprintf("plan%d.json", n))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, int64(len(data))
}

// peakHeap runs f while sampling the bytes of heap objects (live, and dead
// ones not yet swept) every 100µs, and returns the highest sample less the
// heap before f.
func peakHeap(f func()) uint64 {
	// Twice: the first only moves sync.Pool's buffers (the JSON encoder's,
	// of the whole generated plan) to the victim cache.
	runtime.GC()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak atomic.Uint64
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: sample[0].Name}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	}()
	f()
	close(stop)
	<-done
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

// TestBigPlanStreamBound streams plans of 500 and 8,000 SAML apps from a
// file, dropping each target as it comes, and asserts that the heap the
// parse needs does not grow with the plan: the document is never held (the
// 8,000-app plan is 34 MB), only one resource at a time and a few hundred
// bytes of bookkeeping per app (address, label, offset).
func TestBigPlanStreamBound(t *testing.T) {
	measure := func(n int) (peak uint64, size int64) {
		path, size := writeBigPlan(t, n)
		got := 0
		peak = peakHeap(func() {
			err := Stream(path, func(apps []App) error {
				if len(apps) != n || got != 0 {
					t.Errorf("apps: %d listed after %d targets, want %d before any", len(apps), got, n)
				}
				return nil
			}, func(*audit.Target) error {
				got++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
		if got != n {
			t.Fatalf("%d targets, want %d", got, n)
		}
		return peak, size
	}
	small, _ := measure(500)
	big, size := measure(8000)
	t.Logf("peak heap while streaming: 500 apps %d KiB, 8000 apps %d KiB (document %d KiB)", small>>10, big>>10, size>>10)
	// Measured: about 3 MiB at 500 apps and 10 MiB at 8,000 (the Go
	// runtime lets garbage reach twice the live heap before collecting).
	if limit := uint64(24<<20) * race.Factor; big > limit {
		t.Errorf("streaming 8000 apps peaks at %d KiB of heap, want at most %d KiB", big>>10, limit>>10)
	}
	if uint64(size) < 2*big/race.Factor {
		t.Errorf("streaming peaks at %d KiB of heap, more than half the %d KiB document: is it held?", big>>10, size>>10)
	}
	// Bookkeeping per app, and the GC's doubling of it: at most 2 KiB per
	// app more; holding the document or the targets would be 4 KiB and up.
	if perApp := (int64(big) - int64(small)) / 7500; perApp > 2<<10*int64(race.Factor) {
		t.Errorf("peak heap grows by %d B per app (500 apps: %d KiB, 8000: %d KiB), want at most 2 KiB", perApp, small>>10, big>>10)
	}
}

// BenchmarkStreamPlan streams a 1,000-app plan from a file, dropping each
// target.
func BenchmarkStreamPlan(b *testing.B) {
	path, size := writeBigPlan(b, 1000)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if err := Stream(path, nil, func(*audit.Target) error { n++; return nil }); err != nil || n != 1000 {
			b.Fatalf("%d targets, %v", n, err)
		}
	}
}
