package scan

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

var (
	bigOnce sync.Once
	bigDir  string
	bigErr  error
)

// bigSnapshot is the good snapshot with 100,000 assigned users (~90 MB of
// users.json), written once per test binary.
func bigSnapshot(b *testing.B) string {
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "ssoaudit-bench-")
		if bigErr == nil {
			bigErr = fixture.WriteBigSnapshot(bigDir, 100_000, 1000)
		}
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigDir
}

// BenchmarkScan100kUsers is a whole offline scan: load the snapshot, run all
// 21 rules (streaming users.json), build the report.
func BenchmarkScan100kUsers(b *testing.B) {
	dir := bigSnapshot(b)
	st, _ := os.Stat(filepath.Join(dir, "okta", "users.json"))
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Run(context.Background(), Request{Specs: []Spec{{Snapshot: dir}}, Rules: checks.All(), Now: fixture.Now, FailOn: audit.High})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Summary.Fail != 1 || rep.Summary.Error != 0 {
			b.Fatalf("summary %+v", rep.Summary)
		}
	}
}

// BenchmarkScanVsFloor100kUsers runs the scan and the floor of
// BenchmarkFloor100kUsers in turns (alternating which goes first) and
// reports the scan's cost as a multiple of the floor's: scan/floor-wall,
// and scan/floor-cpu from the process's CPU time, which a busy machine
// disturbs less. The README's Development section quotes it; the budget is
// 1.2.
func BenchmarkScanVsFloor100kUsers(b *testing.B) {
	dir := bigSnapshot(b)
	path := filepath.Join(dir, "okta", "users.json")
	scan := func() {
		rep, err := Run(context.Background(), Request{Specs: []Spec{{Snapshot: dir}}, Rules: checks.All(), Now: fixture.Now, FailOn: audit.High})
		if err != nil || rep.Summary.Fail != 1 || rep.Summary.Error != 0 {
			b.Fatalf("summary %+v, err %v", rep.Summary, err)
		}
	}
	floor := func() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if _, stale, err := fixture.Floor(f); err != nil || stale != 100 {
			b.Fatalf("stale = %d, err %v", stale, err)
		}
	}
	// measure adds fn's wall and CPU time to the totals.
	measure := func(fn func(), wall, cpu *time.Duration) {
		runtime.GC()
		c0, t0 := cpuTime(), time.Now()
		fn()
		*wall += time.Since(t0)
		*cpu += cpuTime() - c0
	}
	var scanWall, scanCPU, floorWall, floorCPU time.Duration
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			measure(floor, &floorWall, &floorCPU)
			measure(scan, &scanWall, &scanCPU)
		} else {
			measure(scan, &scanWall, &scanCPU)
			measure(floor, &floorWall, &floorCPU)
		}
		i++
	}
	b.ReportMetric(float64(scanWall)/float64(floorWall), "scan/floor-wall")
	b.ReportMetric(float64(scanCPU)/float64(floorCPU), "scan/floor-cpu")
	b.ReportMetric(float64(scanWall.Milliseconds())/float64(i), "scan-ms/op")
	b.ReportMetric(float64(floorWall.Milliseconds())/float64(i), "floor-ms/op")
}

// BenchmarkFloor100kUsers is the floor the scan is measured against: a bare
// streaming decode of the same users.json that only compares each
// username with its email.
func BenchmarkFloor100kUsers(b *testing.B) {
	dir := bigSnapshot(b)
	path := filepath.Join(dir, "okta", "users.json")
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		_, stale, err := fixture.Floor(f)
		f.Close()
		if err != nil || stale != 100 {
			b.Fatalf("stale = %d, err %v", stale, err)
		}
	}
}
