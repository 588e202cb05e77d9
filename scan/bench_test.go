package scan

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

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
