package checks

import (
	"errors"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
)

func TestMetadataConsistent(t *testing.T) {
	other := fixture.NewCert(t, fixture.CertOptions{CommonName: "other"})
	good := fixture.GoodCert(t)
	undecodable := audit.MetadataCert{Err: errors.New("not base64: illegal base64 data at input byte 3")}
	httpOnly := func(t *audit.Target) {
		t.Metadata.SSOServices = []audit.Endpoint{{Binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", Location: "http://acme.okta.com/app/x/sso/saml"}}
	}

	runCases(t, "okta.metadata.consistent", []ruleCase{
		{name: "good snapshot", want: audit.StatusPass, message: "names the active signing certificate",
			check: func(t *testing.T, r audit.Result) {
				exp := evidence(t, r, "expected").(audit.Evidence)
				if v, _ := exp.Get("signing_certificate_sha256"); v != certFingerprint(good) {
					t.Errorf("expected signing_certificate_sha256 = %v", v)
				}
				act := evidence(t, r, "actual").(audit.Evidence)
				if v, _ := act.Get("sso_service"); len(v.([]string)) != 2 {
					t.Errorf("actual sso_service = %v", v)
				}
				if v, _ := act.Get("name_id_format"); len(v.([]string)) != 2 {
					t.Errorf("actual name_id_format = %v", v)
				}
				if _, ok := r.Evidence.Get("problems"); ok {
					t.Errorf("a pass lists problems: %v", r.Evidence)
				}
			}},
		{name: "signing certificate is not the active key's", mutate: func(t *audit.Target) {
			t.Metadata.SigningCerts = []audit.MetadataCert{{Cert: other}}
		}, want: audit.StatusFail, message: "is not the active signing key's",
			check: func(t *testing.T, r audit.Result) {
				act := evidence(t, r, "actual").(audit.Evidence)
				if v, _ := act.Get("signing_certificate_sha256"); v.([]string)[0] != certFingerprint(other) {
					t.Errorf("actual signing_certificate_sha256 = %v", v)
				}
			}},
		{name: "one of two signing certificates matches", mutate: func(t *audit.Target) {
			t.Metadata.SigningCerts = []audit.MetadataCert{{Cert: other}, {Cert: good}}
		}, want: audit.StatusPass},
		{name: "no signing certificate", mutate: func(t *audit.Target) { t.Metadata.SigningCerts = nil },
			want: audit.StatusFail, message: "no signing certificate"},
		{name: "signing certificate undecodable", mutate: func(t *audit.Target) {
			t.Metadata.SigningCerts = []audit.MetadataCert{undecodable}
		}, want: audit.StatusError, message: "could not be decoded (signing certificate 1: not base64"},
		{name: "undecodable and a mismatch", mutate: func(t *audit.Target) {
			t.Metadata.SigningCerts = []audit.MetadataCert{undecodable, {Cert: other}}
		}, want: audit.StatusError, message: "no other one is the active key's"},
		{name: "undecodable beside the match", mutate: func(t *audit.Target) {
			t.Metadata.SigningCerts = []audit.MetadataCert{undecodable, {Cert: good}}
		}, want: audit.StatusPass},
		{name: "active key certificate undecodable", mutate: func(t *audit.Target) {
			t.Keys[0].Cert, t.Keys[0].CertErr = nil, errors.New("x5c[0]: truncated")
		}, want: audit.StatusError, message: "no decodable certificate to compare with: x5c[0]: truncated"},
		{name: "signing kid not among keys", mutate: func(t *audit.Target) { t.App.Credentials.Signing.Kid = "gone" },
			want: audit.StatusFail, message: "cannot compare the metadata's signing certificate with the active key"},
		{name: "http SingleSignOnService only", mutate: httpOnly,
			want: audit.StatusFail, message: `is an https URL ("http://acme.okta.com/app/x/sso/saml")`},
		{name: "http beside https", mutate: func(t *audit.Target) {
			t.Metadata.SSOServices = append(t.Metadata.SSOServices, audit.Endpoint{Location: "http://acme.okta.com/x"})
		}, want: audit.StatusPass},
		{name: "no SingleSignOnService", mutate: func(t *audit.Target) { t.Metadata.SSOServices = nil },
			want: audit.StatusFail, message: "no SingleSignOnService"},
		{name: "SingleSignOnService without location", mutate: func(t *audit.Target) {
			t.Metadata.SSOServices = []audit.Endpoint{{Binding: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"}}
		}, want: audit.StatusFail, message: `is an https URL ("")`},
		{name: "no emailAddress NameID format", mutate: func(t *audit.Target) {
			t.Metadata.NameIDFormats = []string{"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"}
		}, want: audit.StatusFail, message: `does not offer the emailAddress NameID format that Druva matches users by (only "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified")`},
		{name: "GovCloud: only unspecified, which its profile accepts", mutate: chain(onPlatform("dcp-govcloud"), func(t *audit.Target) {
			t.Metadata.NameIDFormats = []string{"urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"}
		}), want: audit.StatusPass},
		{name: "GovCloud: only persistent", mutate: chain(onPlatform("insync-govcloud"), func(t *audit.Target) {
			t.Metadata.NameIDFormats = []string{"urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"}
		}), want: audit.StatusFail, message: "a NameID format the insync-govcloud platform accepts"},
		{name: "no NameID format at all", mutate: func(t *audit.Target) { t.Metadata.NameIDFormats = nil },
			want: audit.StatusFail, message: "(it offers none)"},
		{name: "every problem in one message", mutate: func(t *audit.Target) {
			t.Metadata.SigningCerts = []audit.MetadataCert{{Cert: other}}
			httpOnly(t)
			t.Metadata.NameIDFormats = nil
		}, want: audit.StatusFail,
			check: func(t *testing.T, r audit.Result) {
				if n := strings.Count(r.Message, "; "); n != 2 {
					t.Errorf("message %q: want 3 problems separated by semicolons", r.Message)
				}
				for _, want := range []string{"not the active signing key's", "https URL", "emailAddress"} {
					if !strings.Contains(r.Message, want) {
						t.Errorf("message %q lacks %q", r.Message, want)
					}
				}
				if p := evidence(t, r, "problems").([]string); len(p) != 3 {
					t.Errorf("problems = %v", p)
				}
			}},
		{name: "a failure and an undecodable certificate", mutate: func(t *audit.Target) {
			t.Metadata.SigningCerts = []audit.MetadataCert{undecodable}
			httpOnly(t)
		}, want: audit.StatusFail, message: ". Part of it could not be checked either: its signing certificate could not be decoded"},
		{name: "metadata.xml unreadable", mutate: failed(audit.InputMetadata),
			want: audit.StatusError, message: "could not read okta/metadata.xml"},
		{name: "keys.json unreadable", mutate: failed(audit.InputKeys),
			want: audit.StatusError, message: "could not read okta/keys.json"},
		{name: "no metadata on the target", mutate: func(t *audit.Target) { t.Metadata = nil },
			want: audit.StatusError, message: "not parsed"},
	})
}
