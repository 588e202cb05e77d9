package okta_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/testprog"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

// TestHelperLiveAgainstFakeOkta scans and snapshots an app of a fakeokta
// served in another process, so that the client's memory can be measured
// on its own:
//
//	go run ./internal/testkit/oktatest/cmd/fakeokta -snapshot testdata/snapshots/good -users 100000 &
//	go test -c -o /tmp/okta.test ./source/okta
//	SSOAUDIT_FAKE_ORG=… SSOAUDIT_FAKE_TOKEN=… SSOAUDIT_FAKE_APP=… SSL_CERT_FILE=$FAKEOKTA_CA \
//	  /usr/bin/time -v /tmp/okta.test -test.run TestHelperLiveAgainstFakeOkta -test.v
//
// It trusts the fake's certificate only through SSL_CERT_FILE (the system
// trust store), as a private CA would be trusted.
func TestHelperLiveAgainstFakeOkta(t *testing.T) {
	org := testprog.Manual(t, "SSOAUDIT_FAKE_ORG", "this helper measures a live read against cmd/fakeokta")
	c, err := okta.Connect(okta.Options{OrgURL: org, Token: audit.NewSecret(os.Getenv("SSOAUDIT_FAKE_TOKEN")), Progress: os.Stderr})
	if err != nil {
		t.Fatal(err)
	}
	app := os.Getenv("SSOAUDIT_FAKE_APP")
	start := time.Now()
	tg, err := c.Target(context.Background(), app)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range allInputs[:3] {
		if g, ok := tg.Gap(in); ok {
			t.Fatalf("%s: %s", in, g.Reason)
		}
	}
	n := 0
	for _, err := range tg.Users {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	scan := time.Since(start)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	t.Logf("scan: %d users in %v; heap in use %d MiB, sys %d MiB", n, scan.Round(time.Millisecond), ms.HeapInuse>>20, ms.Sys>>20)

	start = time.Now()
	dir := filepath.Join(t.TempDir(), "snap")
	if err := c.Snapshot(context.Background(), app, dir); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(filepath.Join(dir, okta.FileUsers))
	runtime.ReadMemStats(&ms)
	t.Logf("snapshot: %v, users.json %d MiB; sys %d MiB", time.Since(start).Round(time.Millisecond), st.Size()>>20, ms.Sys>>20)
}
