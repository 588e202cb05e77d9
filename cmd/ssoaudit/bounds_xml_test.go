package main

import (
	"bytes"
	"fmt"
	"github.com/ssoaudit/ssoaudit/internal/testkit/race"
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
			if alloc > 64<<20*race.Factor {
				t.Errorf("16 targets allocated %d MiB, want under 64", alloc>>20)
			}
		})
	}
}

// TestPolicyFilesValueCap: a 4 MiB rule or policy name in policy-rules.json
// or session-policies.json is refused by the per-value cap (the file's
// rules end in error naming it), and the report stays small: it was a
// 12.6 MB report and 122 MB of memory.
func TestPolicyFilesValueCap(t *testing.T) {
	chdir(t, t.TempDir())
	huge := strings.Repeat("N", 4<<20-200)
	for _, file := range []string{"okta/policy-rules.json", "okta/session-policies.json"} {
		doc := `[{"id":"0pr1","type":"ACCESS_POLICY","name":"` + huge + `"}]`
		if strings.Contains(file, "session") {
			doc = `[{"id":"00p1","type":"OKTA_SIGN_ON","name":"` + huge + `"}]`
		}
		s := hostileSnapshot(t, file, []byte(doc))
		if !strings.Contains(file, "session") {
			// Read only for an app with an authentication policy.
			app, _ := os.ReadFile(filepath.Join(s, "okta", "app.json"))
			app = bytes.Replace(app, []byte(`"_links": {`), []byte(`"_links": {"accessPolicy": {"href": "https://acme.okta.com/api/v1/policies/rst1"},`), 1)
			os.WriteFile(filepath.Join(s, "okta", "app.json"), app, 0o644)
		}
		cl := newCLI(t)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		cl.run("scan", "--snapshot", s, "--format", "json")
		runtime.ReadMemStats(&after)
		out := cl.stdout.String()
		if !strings.Contains(out, "larger than 64 KiB") || !strings.Contains(out, file) {
			t.Errorf("%s: the cap is not reported:\n%.3000s", file, out)
		}
		if len(out) > 256<<10 || strings.Contains(out, strings.Repeat("N", 5000)) {
			t.Errorf("%s: a %d-byte report holds the name", file, len(out))
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20*race.Factor {
			t.Errorf("%s: allocated %d MiB", file, alloc>>20)
		}
	}
}
