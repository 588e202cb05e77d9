package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestHostileMetadataFleet: a 16-target config whose snapshots hold a
// metadata.xml Okta would never send (a million empty elements; 101,472
// distinct SingleSignOnService locations), each under the 4 MiB file cap,
// ends in error naming the file for every target (exit 3), quickly and
// having allocated a bounded amount: memory per target stays flat whatever
// the file holds (it took 309 MB per target, and 30 s of CPU for the
// locations).
func TestHostileMetadataFleet(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	good, _ := os.ReadFile(filepath.Join(snap("good"), "okta", "metadata.xml"))
	var locs bytes.Buffer
	for i := range 101472 {
		fmt.Fprintf(&locs, `<md:SingleSignOnService Location="%x"/>`, i)
	}
	for name, extra := range map[string][]byte{"empties": bytes.Repeat([]byte("<a/>"), 1000000), "locations": locs.Bytes()} {
		t.Run(name, func(t *testing.T) {
			md := bytes.Replace(good, []byte("</md:IDPSSODescriptor>"), append(extra, "</md:IDPSSODescriptor>"...), 1)
			s := hostileSnapshot(t, "okta/metadata.xml", md)
			var cfg strings.Builder
			cfg.WriteString("targets:\n")
			for i := range 16 {
				fmt.Fprintf(&cfg, "  - name: t%d\n    snapshot: %s\n", i, s)
			}
			os.WriteFile(name+".yaml", []byte(cfg.String()), 0o644)
			cl := newCLI(t)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			code := cl.run("scan", "--config", name+".yaml", "--format", "json")
			runtime.ReadMemStats(&after)
			if code != 3 {
				t.Fatalf("exit %d, want 3\n%s", code, cl.stderr.String())
			}
			if n := strings.Count(cl.stdout.String(), "could not read okta/metadata.xml (the IdP metadata)"); n < 16 {
				t.Errorf("%d results name the file, want one per target at least", n)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("16 targets: allocated %d MiB", alloc>>20)
			if alloc > 64<<20 {
				t.Errorf("16 targets allocated %d MiB, want under 64", alloc>>20)
			}
		})
	}
}
