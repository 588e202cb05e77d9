package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// TestOAuthKeepsToolName: with a service app (OAuth), the bearer placeholder
// the Okta SDK is configured with before any token is fetched is no
// credential, so it must not join the redaction set: the JSON report keeps
// its schema, SARIF its tool name (GitHub tracks alerts by it), and diff of
// two such reports works.
func TestOAuthKeepsToolName(t *testing.T) {
	work := t.TempDir()
	chdir(t, work)
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	der, _ := x509.MarshalPKCS8PrivateKey(key)
	keyFile := filepath.Join(t.TempDir(), "key.pem")
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600)
	o := startOrg(t)
	o.srv.AddServiceApp("0oaService", key.Public(), oktatest.ScopeApps, oktatest.ScopeUsers)
	cl := o.cli(t)
	oauth := []string{"scan", "--okta-org", o.srv.URL, "--app-id", goodAppID, "--okta-client-id", "0oaService", "--okta-private-key", keyFile}

	for i, name := range []string{"old.json", "new.json"} {
		code := cl.run(append(oauth, "--format", "json", "--output", name)...)
		if code != 0 && code != 1 {
			t.Fatalf("scan %d: exit %d\n%s", i, code, cl.stderr.String())
		}
		var rep struct {
			Schema string `json:"schema"`
		}
		b, _ := os.ReadFile(name)
		if err := json.Unmarshal(b, &rep); err != nil || rep.Schema != audit.Schema {
			t.Fatalf("schema %q (%v), want %q", rep.Schema, err, audit.Schema)
		}
		if strings.Contains(string(b), "[redacted].") {
			t.Errorf("the report redacts the tool's own name:\n%.400s", b)
		}
	}
	cl.run(append(oauth, "--format", "sarif")...)
	var sarif struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name string `json:"name"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(cl.stdout.Bytes(), &sarif); err != nil || len(sarif.Runs) != 1 || sarif.Runs[0].Tool.Driver.Name != "ssoaudit" {
		t.Errorf("SARIF tool name: %+v (%v)", sarif, err)
	}
	if code := cl.run("diff", "old.json", "new.json"); code != 0 {
		t.Errorf("diff of two OAuth reports: exit %d\n%s%s", code, cl.stdout.String(), cl.stderr.String())
	}
}
