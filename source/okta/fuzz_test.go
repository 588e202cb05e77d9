package okta

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
)

// seed adds every snapshot's copy of one Okta file to a fuzz corpus.
func seed(f *testing.F, name string) {
	f.Helper()
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "snapshots", "*", "okta", name))
	for _, p := range dirs {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
}

func FuzzParseApp(f *testing.F) {
	seed(f, "app.json")
	f.Add([]byte(`{"id":"a","settings":{"signOn":{"responseSigned":"true"}}}`))
	f.Add([]byte(`{"id":"a","name":"druva","signOnMode":"SAML_2_0","settings":{"app":{"authToken":"x","n":1},"signOn":{"defaultRelayState":null,"assertionEncryption":{"enabled":"yes"}}}}`))
	f.Add([]byte(`{"id":"a","settings":{"signOn":{"assertionEncryption":[true],"acsEndpoints":[{"url":"http://x","index":1}],"inlineHooks":[{"id":"h"}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		app, err := ParseApp(bytes.NewReader(data))
		if (app == nil) == (err == nil) {
			t.Fatalf("app %v, err %v: want exactly one", app, err)
		}
		if app != nil && app.ID == "" {
			t.Fatal("accepted an app without an id")
		}
		if app == nil {
			return
		}
		// What discovery and the rules derive from any parsed app.
		app.Catalog()
		if taken, why := DruvaApp(app); why == "" {
			t.Fatalf("DruvaApp gave no reason (taken %v)", taken)
		}
		if so := app.Settings.SignOn; so != nil && so.AssertionEncryption != nil && so.State("assertionEncryption.enabled") != audit.FieldSet {
			t.Fatal("assertion encryption read from a field not sent")
		}
	})
}

func FuzzParseKeys(f *testing.F) {
	seed(f, "keys.json")
	f.Add([]byte(`[{"kid":"a","x5c":["AAAA"]}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		keys, err := ParseKeys(bytes.NewReader(data))
		if err != nil && keys != nil {
			t.Fatal("keys and an error")
		}
		for _, k := range keys {
			if (k.Cert == nil) == (k.CertErr == nil) {
				t.Fatalf("key %q: cert %v, err %v: want exactly one", k.Kid, k.Cert != nil, k.CertErr)
			}
		}
	})
}

func FuzzParseMetadata(f *testing.F) {
	seed(f, "metadata.xml")
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><x/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		md, err := ParseMetadata(bytes.NewReader(data))
		if (md == nil) == (err == nil) {
			t.Fatalf("metadata %v, err %v: want exactly one", md, err)
		}
		if md != nil {
			for _, c := range md.SigningCerts {
				if (c.Cert == nil) == (c.Err == nil) {
					t.Fatal("certificate without cert or error")
				}
			}
		}
	})
}

func FuzzUsers(f *testing.F) {
	seed(f, "users.json")
	f.Add([]byte(`[{"id":"a"},1]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		errs := 0
		for _, err := range Users(bytes.NewReader(data)) {
			if errs > 0 {
				t.Fatal("a user after an error")
			}
			if err != nil {
				errs++
			}
		}
	})
}

func FuzzParsePolicyRules(f *testing.F) {
	for _, name := range []string{"two-factors.json", "catch-all-one-factor.json"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "policy", name)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`[{"id":"r","actions":{"appSignOn":{"access":"ALLOW","verificationMethod":{"type":"AUTH_METHOD_CHAIN","chains":[{"next":[{"next":[{"next":[]}]}]}]}}}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rules, err := ParsePolicyRules(bytes.NewReader(data))
		if err != nil && rules != nil {
			t.Fatal("rules and an error")
		}
		for _, r := range rules {
			if r.ID == "" {
				t.Fatal("accepted a rule without an id")
			}
		}
	})
}

func FuzzParseSessionPolicies(f *testing.F) {
	for _, name := range []string{"upgraded-org", "session-without-mfa"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "mfa", name, "okta", "session-policies.json")); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`[{"id":"00p1","type":"OKTA_SIGN_ON","conditions":{"people":{"groups":{"include":["g"]}}},"_embedded":{"rules":[{"id":"r","type":"SIGN_ON","conditions":{"authContext":{"authType":"RADIUS"},"x":{}},"actions":{"signon":{"access":"CHALLENGE"}}}]}}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := ParseSessionPolicies(bytes.NewReader(data))
		if err != nil && ps != nil {
			t.Fatal("policies and an error")
		}
		for _, p := range ps {
			if p.ID == "" {
				t.Fatal("accepted a policy without an id")
			}
			for _, r := range p.Rules {
				if r.ID == "" {
					t.Fatal("accepted a rule without an id")
				}
			}
		}
	})
}
