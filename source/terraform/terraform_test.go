package terraform

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/ssoaudit/ssoaudit/audit"
)

// The values of testdata/terraform/*.json, which reuse the good snapshot's
// certificate, metadata and token.
const (
	planFile  = "../../testdata/terraform/plan.json"
	stateFile = "../../testdata/terraform/state.json"

	rootAddr   = "okta_app_saml.druva"
	legacyAddr = "module.legacy.okta_app_saml.druva_old"
	acs        = "https://cloud.druva.com/wrsaml/consume"
	token      = "A-48213-7730-qOItB6b7OuXBuBJ0oyhFIeIrKJlNbMUdLw7FP0IBBfI="
	kid        = "Zb2bx8Wq0xDPrpTnSfEUgIUqjLL9yqg3VsRnH5e0FkM"
	emailFmt   = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	unspecNS   = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
)

// doc is a parsed test document that a test mutates before parsing it again.
type doc map[string]any

func readDoc(t *testing.T, file string) doc {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var d doc
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// get follows a path of object keys and array indexes.
func (d doc) get(t *testing.T, path ...any) any {
	t.Helper()
	var cur any = map[string]any(d)
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("path %v: %T is not an object", path, cur)
			}
			cur = m[p]
		case int:
			a, ok := cur.([]any)
			if !ok || p >= len(a) {
				t.Fatalf("path %v: no element %d", path, p)
			}
			cur = a[p]
		}
	}
	return cur
}

func (d doc) obj(t *testing.T, path ...any) map[string]any {
	t.Helper()
	m, ok := d.get(t, path...).(map[string]any)
	if !ok {
		t.Fatalf("path %v is not an object", path)
	}
	return m
}

// Paths into plan.json and state.json.
var (
	planRoot     = []any{"planned_values", "root_module", "resources", 1}
	planLegacy   = []any{"planned_values", "root_module", "child_modules", 0, "resources", 0}
	changeRoot   = []any{"resource_changes", 1, "change"}
	changeLegacy = []any{"resource_changes", 4, "change"}
	stateRoot    = []any{"values", "root_module", "resources", 1}
)

func (d doc) values(t *testing.T, res []any) map[string]any {
	t.Helper()
	return d.obj(t, append(append([]any{}, res...), "values")...)
}

func (d doc) bytes(t *testing.T) []byte {
	t.Helper()
	data, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func parseDoc(t *testing.T, d doc) []*audit.Target {
	t.Helper()
	targets, err := Parse("test.json", bytes.NewReader(d.bytes(t)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return targets
}

func find(t *testing.T, targets []*audit.Target, name string) *audit.Target {
	t.Helper()
	for _, tg := range targets {
		if tg.Name == name {
			return tg
		}
	}
	t.Fatalf("no target %s among %v", name, names(targets))
	return nil
}

func names(targets []*audit.Target) []string {
	var out []string
	for _, tg := range targets {
		out = append(out, tg.Name)
	}
	return out
}

// gaps lists a target's gaps as "input: failed|missing".
func gaps(tg *audit.Target) map[audit.Input]string {
	out := map[audit.Input]string{}
	for _, in := range []audit.Input{audit.InputApp, audit.InputKeys, audit.InputMetadata, audit.InputUsers, audit.InputConsole} {
		if g, ok := tg.Gap(in); ok {
			if g.Failed {
				out[in] = "failed"
			} else {
				out[in] = "missing"
			}
		}
	}
	return out
}

func gapReason(t *testing.T, tg *audit.Target, in audit.Input) string {
	t.Helper()
	g, ok := tg.Gap(in)
	if !ok {
		t.Fatalf("%s: no gap for %s", tg.Name, in)
	}
	return g.Reason
}

// goodApp is what the root resource maps to: the good snapshot's app.json,
// as far as the rules read it, except for what only Okta knows.
func goodApp(id, name string) *audit.App {
	return &audit.App{
		ID: id, Name: name, Label: "Druva inSync", Status: "ACTIVE", SignOnMode: "SAML_2_0",
		Credentials: audit.AppCredentials{UserNameTemplate: &audit.UserNameTemplate{Template: "${source.email}", Type: "BUILT_IN"}},
		Settings: audit.AppSettings{SignOn: &audit.SAMLSettings{
			SSOAcsURL: acs, Recipient: acs, Destination: acs, Audience: "druva-cloud",
			IdpIssuer:             "http://www.okta.com/${org.externalKey}",
			SubjectNameIDTemplate: "${user.userName}", SubjectNameIDFormat: emailFmt,
			ResponseSigned: true, AssertionSigned: true, SignatureAlgorithm: "RSA_SHA256", DigestAlgorithm: "SHA256",
			AttributeStatements: []audit.AttributeStatement{{Type: "EXPRESSION", Name: "insync_auth_token", Namespace: unspecNS, Values: []string{`"` + token + `"`}}},
			Sent:                providerSent(),
		}},
	}
}

func TestLoadPlan(t *testing.T) {
	targets, err := Load(planFile)
	if err != nil {
		t.Fatal(err)
	}
	// okta_app_saml.druva_test is being destroyed, okta_group and the
	// assignment are not SAML apps.
	if got, want := names(targets), []string{rootAddr, legacyAddr}; !reflect.DeepEqual(got, want) {
		t.Fatalf("targets = %v, want %v", got, want)
	}
	root := targets[0]
	if root.Source != "terraform" || root.Origin != planFile {
		t.Errorf("source, origin = %q, %q", root.Source, root.Origin)
	}
	// A new app has no ID yet: the address stands in for it.
	if want := goodApp(rootAddr, ""); !reflect.DeepEqual(root.App, want) {
		t.Errorf("root app =\n%s\nwant\n%s", dump(root.App), dump(want))
	}
	want := map[audit.Input]string{audit.InputKeys: "missing", audit.InputMetadata: "missing", audit.InputUsers: "missing"}
	if got := gaps(root); !reflect.DeepEqual(got, want) {
		t.Errorf("root gaps = %v, want %v", got, want)
	}
	if r := gapReason(t, root, audit.InputKeys); !strings.Contains(r, "plan has no signing certificate") {
		t.Errorf("keys reason = %q", r)
	}

	legacy := targets[1]
	if got := gaps(legacy); !reflect.DeepEqual(got, map[audit.Input]string{audit.InputUsers: "missing"}) {
		t.Errorf("legacy gaps = %v (an update keeps the prior state's certificate and metadata)", got)
	}
	s := legacy.App.Settings.SignOn
	if legacy.App.ID != "0oa5lgcy7wQzRt2Pn0d7" || legacy.App.Label != "Druva inSync (legacy)" {
		t.Errorf("legacy id, label = %q, %q", legacy.App.ID, legacy.App.Label)
	}
	if s.ResponseSigned || s.SignatureAlgorithm != "RSA_SHA1" || s.DigestAlgorithm != "SHA1" {
		t.Errorf("legacy signing = %v %q %q, want the plan's problems", s.ResponseSigned, s.SignatureAlgorithm, s.DigestAlgorithm)
	}
	if v := s.AttributeStatements[0].Values; len(v) != 1 || strings.HasPrefix(v[0], `"`) {
		t.Errorf("legacy token value = %q, want the unquoted token", v)
	}
	if legacy.App.Credentials.Signing == nil || legacy.App.Credentials.Signing.Kid != kid || len(legacy.Keys) != 1 || legacy.Keys[0].Cert == nil {
		t.Errorf("legacy keys = %+v, signing %+v", legacy.Keys, legacy.App.Credentials.Signing)
	}
	if legacy.Metadata == nil || legacy.Metadata.EntityID != "http://www.okta.com/exk5lgcy7wQzRt2Pn0d7" {
		t.Errorf("legacy metadata = %+v", legacy.Metadata)
	}
}

func TestLoadState(t *testing.T) {
	targets, err := Load(stateFile)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(targets), []string{rootAddr, legacyAddr}; !reflect.DeepEqual(got, want) {
		t.Fatalf("targets = %v, want %v", got, want)
	}
	root := targets[0]
	want := goodApp("0oa8f3k2ldRUVA7xk5d7", "acme_druvainsync_1")
	want.Credentials.Signing = &audit.AppSigning{Kid: kid}
	if !reflect.DeepEqual(root.App, want) {
		t.Errorf("root app =\n%s\nwant\n%s", dump(root.App), dump(want))
	}
	if got := gaps(root); !reflect.DeepEqual(got, map[audit.Input]string{audit.InputUsers: "missing"}) {
		t.Errorf("root gaps = %v", got)
	}
	if len(root.Keys) != 1 {
		t.Fatalf("keys = %+v", root.Keys)
	}
	k := root.Keys[0]
	if k.Kid != kid || k.Kty != "RSA" || k.Use != "sig" || k.Created != "2026-01-20T10:02:11Z" || k.ExpiresAt != "2036-01-15T00:00:00Z" || k.Cert == nil || k.CertErr != nil {
		t.Errorf("key = %+v", k)
	}
	md := root.Metadata
	if md == nil || md.EntityID != "http://www.okta.com/exk8f3k2lcQTUZ6wj4d7" || len(md.SigningCerts) != 1 || !md.SigningCerts[0].Cert.Equal(k.Cert) || len(md.SSOServices) != 2 {
		t.Errorf("metadata = %+v", md)
	}
}

func dump(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// TestMapping checks one mutation of a known-good document at a time.
func TestMapping(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		mutate func(t *testing.T, d doc)
		target string
		check  func(t *testing.T, tg *audit.Target)
	}{
		{
			name: "plan: sso_url from another resource is unknown", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {
				delete(d.values(t, planRoot), "sso_url")
				d.obj(t, changeRoot...)["after_unknown"].(map[string]any)["sso_url"] = true
			},
			check: failedNaming("sso_url", "not known|unknown until apply"),
		},
		{
			name: "plan: token from an unknown value", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {
				d.values(t, planRoot)["attribute_statements"].([]any)[0].(map[string]any)["values"] = []any{nil}
				d.obj(t, changeRoot...)["after_unknown"].(map[string]any)["attribute_statements"] = []any{map[string]any{"values": []any{true}}}
			},
			check: failedNaming("attribute_statements", "unknown until apply"),
		},
		{
			name: "plan: whole attribute unknown (dynamic block over an unknown collection)", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {
				delete(d.values(t, planRoot), "attribute_statements")
				d.obj(t, changeRoot...)["after_unknown"].(map[string]any)["attribute_statements"] = true
			},
			check: failedNaming("attribute_statements", "unknown until apply"),
		},
		{
			name: "plan without resource_changes: an absent attribute is unknown", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {
				delete(d, "resource_changes")
				delete(d.values(t, planRoot), "audience")
				delete(d.values(t, planRoot), "response_signed")
			},
			check: failedNaming("audience, response_signed", "unknown until apply"),
		},
		{
			name: "plan without resource_changes: a known app still maps", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) { delete(d, "resource_changes") },
			check: func(t *testing.T, tg *audit.Target) {
				if _, ok := tg.Gap(audit.InputApp); ok {
					t.Errorf("app gap: %s", gapReason(t, tg, audit.InputApp))
				}
			},
		},
		{
			name: "plan: unknown computed values do not matter to the app", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {},
			check: func(t *testing.T, tg *audit.Target) {
				if _, ok := tg.Gap(audit.InputApp); ok {
					t.Errorf("app gap: %s", gapReason(t, tg, audit.InputApp))
				}
				if tg.App.Credentials.Signing != nil {
					t.Errorf("signing = %+v, want none before apply", tg.App.Credentials.Signing)
				}
			},
		},
		{
			name: "preconfigured OIN app: settings are not in Terraform", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {
				v := d.values(t, planRoot)
				v["preconfigured_app"] = "druvainsync"
				for _, k := range []string{"sso_url", "recipient", "destination", "audience", "subject_name_id_format", "subject_name_id_template", "signature_algorithm", "digest_algorithm"} {
					v[k] = nil
				}
			},
			check: func(t *testing.T, tg *audit.Target) {
				g, ok := tg.Gap(audit.InputApp)
				if !ok || g.Failed || !strings.Contains(g.Reason, "Okta Integration Network") || !strings.Contains(g.Reason, "druvainsync") {
					t.Errorf("app gap = %+v, want missing: OIN app", g)
				}
				if tg.App == nil || tg.App.Label != "Druva inSync" || tg.App.Settings.SignOn != nil {
					t.Errorf("app = %+v, want label kept and no SAML settings", tg.App)
				}
			},
		},
		{
			name: "state: preconfigured_app echoes a custom app's name", file: stateFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {},
			check: func(t *testing.T, tg *audit.Target) {
				if _, ok := tg.Gap(audit.InputApp); ok {
					t.Errorf("app gap: %s", gapReason(t, tg, audit.InputApp))
				}
			},
		},
		{
			name: "plan: saml_version 1.1", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) { d.values(t, planRoot)["saml_version"] = "1.1" },
			check: func(t *testing.T, tg *audit.Target) {
				if tg.App.SignOnMode != "SAML_1_1" {
					t.Errorf("signOnMode = %q", tg.App.SignOnMode)
				}
			},
		},
		{
			name: "plan: sign_on_mode of the prior state does not override saml_version", file: planFile, target: legacyAddr,
			mutate: func(t *testing.T, d doc) { d.values(t, planLegacy)["saml_version"] = "1.1" },
			check: func(t *testing.T, tg *audit.Target) {
				if tg.App.SignOnMode != "SAML_1_1" {
					t.Errorf("signOnMode = %q", tg.App.SignOnMode)
				}
			},
		},
		{
			name: "null status, template and type take the provider's defaults", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {
				v := d.values(t, planRoot)
				v["status"], v["user_name_template"], v["user_name_template_type"], v["saml_version"] = nil, nil, nil, nil
				st := v["attribute_statements"].([]any)[0].(map[string]any)
				st["type"], st["namespace"] = nil, nil
			},
			check: func(t *testing.T, tg *audit.Target) {
				a := tg.App
				if a.Status != "ACTIVE" || a.SignOnMode != "SAML_2_0" || *a.Credentials.UserNameTemplate != (audit.UserNameTemplate{Template: "${source.login}", Type: "BUILT_IN"}) {
					t.Errorf("app = %s", dump(a))
				}
				if st := a.Settings.SignOn.AttributeStatements[0]; st.Type != "EXPRESSION" || st.Namespace != unspecNS {
					t.Errorf("statement = %+v", st)
				}
			},
		},
		{
			name: "inactive app", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) { d.values(t, planRoot)["status"] = "INACTIVE" },
			check: func(t *testing.T, tg *audit.Target) {
				if tg.App.Status != "INACTIVE" {
					t.Errorf("status = %q", tg.App.Status)
				}
			},
		},
		{
			name: "wrong JSON type names the attribute, not its value", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) { d.values(t, planRoot)["response_signed"] = "yes" },
			check:  failedNaming("/planned_values/root_module/resources/1/values/response_signed", "got a string, want a boolean"),
		},
		{
			name: "wrong JSON type inside attribute_statements", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {
				d.values(t, planRoot)["attribute_statements"].([]any)[0].(map[string]any)["values"] = `"` + token + `"`
			},
			check: func(t *testing.T, tg *audit.Target) {
				r := gapReason(t, tg, audit.InputApp)
				if !strings.Contains(r, "/planned_values/root_module/resources/1/values/attribute_statements/0/values") || strings.Contains(r, token[:10]) {
					t.Errorf("reason = %q, want the JSON pointer and no token", r)
				}
			},
		},
		{
			name: "state: a null inside a list is an error, not an unknown", file: stateFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {
				d.values(t, stateRoot)["attribute_statements"].([]any)[0].(map[string]any)["values"] = []any{nil}
			},
			check: failedNaming("/values/root_module/resources/1/values/attribute_statements/0/values/0", "null"),
		},
		{
			name: "state: certificate without the keys attribute (older provider)", file: stateFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) { delete(d.values(t, stateRoot), "keys") },
			check: func(t *testing.T, tg *audit.Target) {
				if len(tg.Keys) != 1 || tg.Keys[0].Kid != kid || tg.Keys[0].Cert == nil || tg.Keys[0].Kty != "RSA" || tg.Keys[0].ExpiresAt != "2036-01-15T00:00:00Z" {
					t.Errorf("keys = %+v", tg.Keys)
				}
			},
		},
		{
			name: "state: no certificate (inactive app)", file: stateFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {
				v := d.values(t, stateRoot)
				v["keys"], v["certificate"], v["metadata"], v["key_id"] = []any{}, "", "", ""
			},
			check: func(t *testing.T, tg *audit.Target) {
				want := map[audit.Input]string{audit.InputKeys: "missing", audit.InputMetadata: "missing", audit.InputUsers: "missing"}
				if got := gaps(tg); !reflect.DeepEqual(got, want) {
					t.Errorf("gaps = %v, want %v", got, want)
				}
				if r := gapReason(t, tg, audit.InputKeys); !strings.Contains(r, "state records no signing certificate") {
					t.Errorf("keys reason = %q", r)
				}
			},
		},
		{
			name: "state: undecodable certificate is the key's error", file: stateFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {
				v := d.values(t, stateRoot)
				delete(v, "keys")
				v["certificate"] = base64.StdEncoding.EncodeToString([]byte("not a certificate"))
			},
			check: func(t *testing.T, tg *audit.Target) {
				if len(tg.Keys) != 1 || tg.Keys[0].CertErr == nil || !strings.Contains(tg.Keys[0].CertErr.Error(), "certificate attribute") {
					t.Errorf("keys = %+v", tg.Keys)
				}
			},
		},
		{
			name: "state: key without x5c", file: stateFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) {
				d.values(t, stateRoot)["keys"].([]any)[0].(map[string]any)["x5c"] = []any{}
			},
			check: func(t *testing.T, tg *audit.Target) {
				if len(tg.Keys) != 1 || tg.Keys[0].CertErr == nil {
					t.Errorf("keys = %+v", tg.Keys)
				}
			},
		},
		{
			name: "state: keys of the wrong type", file: stateFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) { d.values(t, stateRoot)["keys"] = map[string]any{"kid": kid} },
			check: func(t *testing.T, tg *audit.Target) {
				if r := gapReason(t, tg, audit.InputKeys); !strings.Contains(r, "/values/root_module/resources/1/values/keys") {
					t.Errorf("keys reason = %q", r)
				}
			},
		},
		{
			name: "state: malformed metadata", file: stateFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) { d.values(t, stateRoot)["metadata"] = "<md:EntityDescriptor" },
			check: func(t *testing.T, tg *audit.Target) {
				g, ok := tg.Gap(audit.InputMetadata)
				if !ok || !g.Failed || !strings.Contains(g.Reason, "metadata attribute of okta_app_saml.druva") {
					t.Errorf("metadata gap = %+v", g)
				}
			},
		},
		{
			name: "state: metadata of the wrong type", file: stateFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) { d.values(t, stateRoot)["metadata"] = 42 },
			check: func(t *testing.T, tg *audit.Target) {
				if g, ok := tg.Gap(audit.InputMetadata); !ok || !g.Failed {
					t.Errorf("metadata gap = %+v", g)
				}
			},
		},
		{
			name: "replacement (delete, create) is audited as the new app", file: planFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) { d.obj(t, changeRoot...)["actions"] = []any{"delete", "create"} },
			check:  func(t *testing.T, tg *audit.Target) {},
		},
		{
			name: "values null", file: stateFile, target: rootAddr,
			mutate: func(t *testing.T, d doc) { d.obj(t, stateRoot...)["values"] = nil },
			check: func(t *testing.T, tg *audit.Target) {
				if g, ok := tg.Gap(audit.InputApp); !ok || !g.Failed {
					t.Errorf("app gap = %+v", g)
				}
				if tg.App == nil || tg.App.ID != rootAddr {
					t.Errorf("app = %+v, want one named by the address for reports", tg.App)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := readDoc(t, tc.file)
			tc.mutate(t, d)
			tc.check(t, find(t, parseDoc(t, d), tc.target))
		})
	}
}

// failedNaming checks that the app input failed with a reason containing
// each of the given texts ("a|b" accepts either).
func failedNaming(texts ...string) func(t *testing.T, tg *audit.Target) {
	return func(t *testing.T, tg *audit.Target) {
		t.Helper()
		g, ok := tg.Gap(audit.InputApp)
		if !ok || !g.Failed {
			t.Fatalf("app gap = %+v, want failed", g)
		}
		for _, want := range texts {
			found := false
			for _, alt := range strings.Split(want, "|") {
				found = found || strings.Contains(g.Reason, alt)
			}
			if !found {
				t.Errorf("reason = %q, want it to say %q", g.Reason, want)
			}
		}
	}
}

// TestWhichResources checks which resources become targets.
func TestWhichResources(t *testing.T) {
	samlRes := func(t *testing.T, address string) map[string]any {
		d := readDoc(t, planFile)
		r := d.obj(t, planRoot...)
		r["address"] = address
		return r
	}
	tests := []struct {
		name   string
		mutate func(t *testing.T, d doc)
		want   []string
	}{
		{
			name:   "resource being destroyed left in planned_values",
			mutate: func(t *testing.T, d doc) { d.obj(t, changeRoot...)["actions"] = []any{"delete"} },
			want:   []string{legacyAddr},
		},
		{
			name:   "resource being forgotten (removed block)",
			mutate: func(t *testing.T, d doc) { d.obj(t, changeLegacy...)["actions"] = []any{"forget"} },
			want:   []string{rootAddr},
		},
		{
			name: "deposed object",
			mutate: func(t *testing.T, d doc) {
				r := d.obj(t, planRoot...)
				r["deposed_key"] = "00000001"
			},
			want: []string{legacyAddr},
		},
		{
			name: "data source",
			mutate: func(t *testing.T, d doc) {
				r := d.obj(t, planRoot...)
				r["mode"], r["address"] = "data", "data.okta_app_saml.druva"
			},
			want: []string{legacyAddr},
		},
		{
			name: "nested modules and instance keys",
			mutate: func(t *testing.T, d doc) {
				inner := samlRes(t, `module.sso.module.apps["eu"].okta_app_saml.druva[0]`)
				legacy := d.obj(t, "planned_values", "root_module", "child_modules", 0)
				legacy["child_modules"] = []any{map[string]any{
					"address": "module.sso",
					"child_modules": []any{map[string]any{
						"address":   `module.sso.module.apps["eu"]`,
						"resources": []any{inner},
					}},
				}}
			},
			want: []string{rootAddr, legacyAddr, `module.sso.module.apps["eu"].okta_app_saml.druva[0]`},
		},
		{
			name: "resource without an address",
			mutate: func(t *testing.T, d doc) {
				delete(d.obj(t, planRoot...), "address")
			},
			want: []string{rootAddr, legacyAddr},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := readDoc(t, planFile)
			tc.mutate(t, d)
			if got := names(parseDoc(t, d)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("targets = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestEncodings(t *testing.T) {
	data, err := os.ReadFile(stateFile)
	if err != nil {
		t.Fatal(err)
	}
	utf16le := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(string(data))) {
		utf16le = binary.LittleEndian.AppendUint16(utf16le, u)
	}
	utf16be := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(string(data))) {
		utf16be = binary.BigEndian.AppendUint16(utf16be, u)
	}
	for name, in := range map[string][]byte{
		"UTF-8 with BOM":              append([]byte{0xEF, 0xBB, 0xBF}, data...),
		"UTF-16LE (PowerShell 5's >)": utf16le,
		"UTF-16BE":                    utf16be,
	} {
		t.Run(name, func(t *testing.T) {
			targets, err := Parse("state.json", bytes.NewReader(in))
			if err != nil || len(targets) != 2 {
				t.Fatalf("Parse = %d targets, %v", len(targets), err)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	plan := func(t *testing.T, mutate func(d doc)) string {
		d := readDoc(t, planFile)
		mutate(d)
		return string(d.bytes(t))
	}
	tests := []struct {
		name  string
		input func(t *testing.T) string
		want  []string
		noApp bool
	}{
		{name: "empty", input: func(*testing.T) string { return " \n" }, want: []string{"empty file"}},
		{name: "not JSON", input: func(*testing.T) string { return "resource \"okta_app_saml\" \"druva\" {}" }, want: []string{"not JSON", "byte offset"}},
		{name: "truncated", input: func(*testing.T) string { return `{"format_version": "1.2", "planned_values": {` }, want: []string{"not JSON"}},
		{name: "array", input: func(*testing.T) string { return `[1, 2]` }, want: []string{"top level is an array"}},
		{name: "other JSON", input: func(*testing.T) string { return `{"id": "0oa1"}` }, want: []string{`no "format_version"`}},
		{name: "raw state file", input: func(*testing.T) string {
			return `{"version": 4, "terraform_version": "1.9.8", "serial": 3, "lineage": "x", "outputs": {}, "resources": []}`
		}, want: []string{"raw state file", "terraform show -json"}},
		{name: "plan log stream", input: func(*testing.T) string {
			return `{"@level":"info","@message":"Terraform 1.9.8","@module":"terraform.ui","type":"version"}` + "\n" + `{"@level":"info","@message":"Plan: 1 to add"}`
		}, want: []string{"terraform plan -json", "-out"}},
		{name: "binary plan", input: func(*testing.T) string { return "PK\x03\x04\x14\x00\x00\x00tfplan" }, want: []string{"binary plan file", "terraform show -json PLANFILE"}},
		{name: "format 2", input: func(t *testing.T) string { return plan(t, func(d doc) { d["format_version"] = "2.0" }) }, want: []string{`format_version "2.0" is not supported`}},
		{name: "format_version not a string", input: func(t *testing.T) string { return plan(t, func(d doc) { d["format_version"] = 1 }) }, want: []string{"/format_version", "got a number, want a string"}},
		{name: "errored plan", input: func(t *testing.T) string { return plan(t, func(d doc) { d["errored"] = true }) }, want: []string{"errored"}},
		{name: "root_module of the wrong type", input: func(t *testing.T) string {
			return plan(t, func(d doc) { d["planned_values"].(map[string]any)["root_module"] = []any{} })
		}, want: []string{"/planned_values/root_module", "got an array, want an object"}},
		{name: "values of the wrong type", input: func(t *testing.T) string {
			return plan(t, func(d doc) {
				d["planned_values"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any)[1].(map[string]any)["values"] = "x"
			})
		}, want: []string{"/planned_values/root_module/resources/1/values", "got a string"}},
		{name: "no okta_app_saml", noApp: true, input: func(t *testing.T) string {
			return plan(t, func(d doc) {
				rm := d["planned_values"].(map[string]any)["root_module"].(map[string]any)
				rm["resources"] = rm["resources"].([]any)[2:]
				delete(rm, "child_modules")
				d["resource_changes"] = []any{}
			})
		}, want: []string{"no okta_app_saml resources in the plan"}},
		{name: "plan removes the only apps", noApp: true, input: func(t *testing.T) string {
			return plan(t, func(d doc) {
				rm := d["planned_values"].(map[string]any)["root_module"].(map[string]any)
				rm["resources"] = rm["resources"].([]any)[2:]
				delete(rm, "child_modules")
			})
		}, want: []string{"the plan removes okta_app_saml.druva_test"}},
		{name: "empty state", noApp: true, input: func(*testing.T) string { return `{"format_version": "1.0"}` }, want: []string{"the state is empty"}},
		{name: "state without apps", noApp: true, input: func(*testing.T) string {
			return `{"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {"resources": [{"address": "okta_group.g", "mode": "managed", "type": "okta_group", "name": "g", "values": {}}]}}}`
		}, want: []string{"no okta_app_saml resources in the state"}},
		{name: "only a data source", noApp: true, input: func(*testing.T) string {
			return `{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "data.okta_app_saml.druva", "mode": "data", "type": "okta_app_saml", "name": "druva", "values": {}}]}}}`
		}, want: []string{"only the data source data.okta_app_saml.druva"}},
		{name: "duplicate key", input: func(*testing.T) string { return `{"format_version": "1.0", "format_version": "1.1"}` }, want: []string{"duplicate"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			targets, err := Parse("in.json", strings.NewReader(tc.input(t)))
			if err == nil {
				t.Fatalf("Parse = %v, want an error", names(targets))
			}
			if !strings.HasPrefix(err.Error(), "in.json: ") {
				t.Errorf("error %q does not name the file", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if errors.Is(err, ErrNoApps) != tc.noApp {
				t.Errorf("errors.Is(ErrNoApps) = %v", !tc.noApp)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	r := io.MultiReader(strings.NewReader(`{"format_version": "1.0", "x": "`), io.LimitReader(zeros{}, MaxDocumentSize))
	_, err := Parse("big.json", r)
	if err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Fatalf("err = %v", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(filepath.Join(t.TempDir(), "nope.json")); err == nil || !strings.Contains(err.Error(), "nope.json") {
		t.Errorf("missing file: %v", err)
	}
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("directory: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, file := range []string{planFile, stateFile} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"okta_app_saml.a","mode":"managed","type":"okta_app_saml","name":"a","values":{"sso_url":1,"attribute_statements":[null,{"values":[null]}],"keys":[{"x5c":["!"]}],"metadata":"<x/>"}}]}}}`))
	f.Add([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"resources":[{"type":"okta_app_saml","values":{}}]}]}},"resource_changes":[{"address":"okta_app_saml.","change":{"actions":["create"],"after_unknown":{"sso_url":[{"a":true}]}}}]}`))
	plan, err := os.ReadFile(planFile)
	if err != nil {
		f.Fatal(err)
	}
	var d doc
	if err := json.Unmarshal(plan, &d); err != nil {
		f.Fatal(err)
	}
	f.Add(marshalKeysDescending(f, d))
	utf16le := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(`{"format_version":"1.0","values":{"root_module":{"resources":[{"type":"okta_app_saml","values":{"label":"\ud83d\ude00 😀"}}]}}}`)) {
		utf16le = binary.LittleEndian.AppendUint16(utf16le, u)
	}
	f.Add(utf16le)
	f.Fuzz(func(t *testing.T, data []byte) {
		var listed []App
		var targets []*audit.Target
		err := stream("fuzz.json", bytes.NewReader(data), int64(len(data)), func(apps []App) error {
			if listed != nil || targets != nil {
				t.Fatal("apps listed twice, or after a target")
			}
			listed = apps
			return nil
		}, func(tg *audit.Target) error {
			targets = append(targets, tg)
			return nil
		})
		if err != nil {
			if targets != nil || listed != nil {
				t.Fatal("targets and an error")
			}
			return
		}
		checkListed(t, listed, targets)
		if len(targets) == 0 {
			t.Fatal("no targets and no error")
		}
		for _, tg := range targets {
			if tg == nil || tg.App == nil || tg.Name == "" {
				t.Fatalf("incomplete target %+v", tg)
			}
			if _, ok := tg.Gap(audit.InputApp); !ok && tg.App.Settings.SignOn == nil {
				t.Fatal("app without settings and without a gap")
			}
		}
	})
}
