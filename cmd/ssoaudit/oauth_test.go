package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"html"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
	"github.com/ssoaudit/ssoaudit/report"
)

// TestOAuthCredentialsNeverAppear: through the CLI with a service app, the
// fake echoes the credential it was sent — the client assertion at the token
// endpoint, the bearer access token at the app endpoint — in each place a
// server can; no report format and no error shows 8 characters of it, nor
// of the private key.
func TestOAuthCredentialsNeverAppear(t *testing.T) {
	work := t.TempDir()
	chdir(t, work)
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	os.WriteFile(keyFile, keyPEM, 0o600)
	var mu sync.Mutex
	var echoed []string
	record := func(s string) string { mu.Lock(); defer mu.Unlock(); echoed = append(echoed, s); return s }
	runs, total := 0, 0
	var keyLines []string
	for _, l := range strings.Split(string(keyPEM), "\n") {
		if l != "" && !strings.HasPrefix(l, "-----") {
			keyLines = append(keyLines, l)
		}
	}
	for _, endpoint := range []string{oktatest.EndpointToken, oktatest.EndpointApp} {
		for _, place := range []string{oktatest.EchoSummary, oktatest.EchoOAuth, oktatest.EchoErrorCode, oktatest.EchoErrorID, oktatest.EchoContentType, oktatest.EchoPlain} {
			o := startOrg(t)
			o.srv.AddServiceApp("0oaService", key.Public(), oktatest.ScopeApps, oktatest.ScopeUsers)
			o.srv.Inject(oktatest.Fault{Endpoint: endpoint, Kind: oktatest.Echo, EchoIn: place, EchoForm: record, Times: -1})
			cl := o.cli(t)
			for _, f := range report.Formats {
				mu.Lock()
				echoed = nil
				mu.Unlock()
				cl.run("scan", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--okta-client-id", "0oaService", "--okta-private-key", keyFile, "--format", f)
				mu.Lock()
				if len(echoed) == 0 {
					t.Errorf("%s %s %s: nothing echoed", endpoint, place, f)
				}
				total += len(echoed)
				secrets := append(append([]string{}, keyLines...), echoed...)
				mu.Unlock()
				for what, out := range map[string]string{"stdout": cl.stdout.String(), "stderr": cl.stderr.String()} {
					if p := windowLeak(out, secrets); p != "" {
						t.Errorf("%s %s %s %s: %q of a credential:\n%s", endpoint, place, f, what, p, out)
					}
				}
				runs++
			}
		}
	}
	t.Logf("%d runs, %d credentials echoed", runs, total)
}

// windowLeak is guard.leak for many long secrets: every 8-character piece
// of them (any case) in a set, the output (also HTML-unescaped) scanned once.
func windowLeak(out string, secrets []string) string {
	pieces := map[string]bool{}
	for _, s := range secrets {
		s = strings.ToLower(s)
		for i := 0; i+8 <= len(s); i++ {
			pieces[s[i:i+8]] = true
		}
	}
	for _, f := range []string{out, html.UnescapeString(out)} {
		f = strings.ToLower(f)
		for i := 0; i+8 <= len(f); i++ {
			if pieces[f[i:i+8]] {
				return f[i : i+8]
			}
		}
	}
	return ""
}
