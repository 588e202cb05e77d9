package okta_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/oktatest"
)

// BenchmarkLive100k reads 100,000 synthetic users from the fake org: a
// live scan's user iteration, and a snapshot streamed to disk. It reports
// the requests per operation (200 users pages + 3).
func BenchmarkLive100k(b *testing.B) {
	const n = 100_000
	app := goodApp(b)
	app.Users = oktatest.Synthetic{N: n, StaleEvery: 1000}
	e := newEnv(b, app)
	c := e.client(b)

	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		e.srv.ResetLog()
		for b.Loop() {
			tg, err := c.Target(context.Background(), goodID)
			if err != nil {
				b.Fatal(err)
			}
			count := 0
			for _, err := range tg.Users {
				if err != nil {
					b.Fatal(err)
				}
				count++
			}
			if count != n {
				b.Fatalf("%d users", count)
			}
		}
		b.ReportMetric(float64(e.srv.Count(""))/float64(b.N), "requests/op")
	})

	b.Run("snapshot", func(b *testing.B) {
		b.ReportAllocs()
		e.srv.ResetLog()
		dir := b.TempDir()
		i := 0
		for b.Loop() {
			i++
			if err := c.Snapshot(context.Background(), goodID, filepath.Join(dir, fmt.Sprintf("snap%d", i))); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(e.srv.Count(""))/float64(b.N), "requests/op")
	})
}
