package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestMessagesNameTheConfigGiven: a message that says where a stated
// platform or an expect: pin came from names the config (the file given to
// --config may have any name), not .ssoaudit.yaml, which this run did not
// read.
func TestMessagesNameTheConfigGiven(t *testing.T) {
	chdir(t, t.TempDir())
	cases := []struct {
		name, config, rule, want string
	}{
		{"a platform the app disagrees with", "platform: insync-cloud\ntargets:\n  - name: dcp\n    snapshot: %s\n",
			"okta.saml.acs-url", "), but the config states insync-cloud"},
		{"an expect.audience pin", "expect:\n  audience: urn:acme:druva\ntargets:\n  - name: good\n    snapshot: %s\n",
			"okta.saml.audience", `but expect.audience in the config pins "urn:acme:druva"`},
		{"an expect.acs_url pin", "expect:\n  acs_url: https://eu.cloud.druva.com/wrsaml/consume\ntargets:\n  - name: good\n    snapshot: %s\n",
			"okta.saml.acs-url", `but expect.acs_url in the config pins "https://eu.cloud.druva.com/wrsaml/consume"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := snap("good")
			if strings.Contains(tc.config, "name: dcp") {
				dir = snap("dcp-inferred")
			}
			if err := os.WriteFile("nightly.yaml", fmt.Appendf(nil, tc.config, dir), 0o644); err != nil {
				t.Fatal(err)
			}
			cl := newCLI(t)
			if code := cl.run("scan", "--config", "nightly.yaml", "--format", "json", "--rule", tc.rule); code != 1 {
				t.Fatalf("exit %d, want 1\n%s", code, cl.dump())
			}
			var found bool
			for _, tg := range cl.report().Targets {
				for _, r := range tg.Results {
					if r.Rule != tc.rule {
						continue
					}
					found = true
					if strings.Contains(r.Message, ".ssoaudit.yaml") || !strings.Contains(r.Message, tc.want) {
						t.Errorf("%s: %q, want it to say %q (and not .ssoaudit.yaml)", r.Rule, r.Message, tc.want)
					}
				}
			}
			if !found {
				t.Fatalf("no %s result\n%s", tc.rule, cl.dump())
			}
		})
	}
}
