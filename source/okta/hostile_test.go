package okta

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/ssoaudit/ssoaudit/internal/testkit/race"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
)

func goodFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "snapshots", "good", "okta", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hostile is one input that must be refused with a clear error, quickly.
type hostile struct {
	name string
	data []byte
	want string // in the error
}

func runHostile(t *testing.T, parse func(io.Reader) error, cases []hostile) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := parse(bytes.NewReader(c.data))
			if err == nil {
				t.Fatalf("accepted")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not contain %q", err, c.want)
			}
			if d := time.Since(start); d > 3*time.Second*race.Factor {
				t.Errorf("took %v", d)
			}
		})
	}
}

func nested(open, close string, n int) []byte {
	return []byte(strings.Repeat(open, n) + strings.Repeat(close, n))
}

func TestHostileAppJSON(t *testing.T) {
	good := goodFile(t, "app.json")
	big := append([]byte(`{"id":"0oa1","label":"`), bytes.Repeat([]byte("A"), 30<<20)...)
	big = append(big, `"}`...)
	runHostile(t, func(r io.Reader) error { _, err := ParseApp(r); return err }, []hostile{
		{"30 MB app.json", big, "larger than 4 MiB"},
		{"empty", nil, "empty file"},
		{"null", []byte("null"), "null instead of an application object"},
		{"array", []byte("[]"), "wrong JSON type at top level"},
		{"no id", []byte(`{"label":"x"}`), `no "id"`},
		{"responseSigned as a string", bytes.Replace(good, []byte(`"responseSigned": true`), []byte(`"responseSigned": "true"`), 1), "/settings/signOn/responseSigned"},
		{"attribute values as a string", bytes.Replace(good, []byte(`"values": [`), []byte(`"values": "x", "v": [`), 1), "/settings/signOn/attributeStatements/0/values"},
		{"duplicate key", []byte(`{"id":"a","id":"b"}`), "duplicate"},
		{"deep nesting", append(append([]byte(`{"id":"a","x":`), nested("[", "]", 200000)...), '}'), "malformed JSON"},
		{"binary junk", []byte("\x00\x01\x02\xff\xfe"), "malformed JSON"},
		{"truncated", good[:len(good)/2], "truncated JSON"},
		{"trailing garbage", append(append([]byte{}, good...), []byte("{}")...), "malformed JSON"},
		{"invalid UTF-8 in a string", []byte("{\"id\":\"a\",\"label\":\"\xff\"}"), "malformed JSON"},
	})
}

func TestHostileKeysJSON(t *testing.T) {
	runHostile(t, func(r io.Reader) error { _, err := ParseKeys(r); return err }, []hostile{
		{"object instead of array", []byte(`{"kid":"a"}`), "wrong JSON type at top level"},
		{"null", []byte(`null`), "null instead of an array of keys"},
		{"x5c as a string", []byte(`[{"kid":"a","x5c":"MII"}]`), "/0/x5c"},
		{"huge", append([]byte(`["`), append(bytes.Repeat([]byte("A"), 5<<20), `"]`...)...), "larger than"},
	})
	// Undecodable certificates are kept as keys with the reason, for the rules to judge.
	for _, c := range []struct{ name, x5c, want string }{
		{"not base64", `["%%%"]`, "not base64"},
		{"not a certificate", `["AAAA"]`, "not an X.509 certificate"},
		{"no x5c", `[]`, "has no x5c"},
	} {
		keys, err := ParseKeys(strings.NewReader(`[{"kid":"k1","kty":"RSA","x5c":` + c.x5c + `}]`))
		if err != nil || len(keys) != 1 || keys[0].Cert != nil || keys[0].CertErr == nil || !strings.Contains(keys[0].CertErr.Error(), c.want) {
			t.Errorf("%s: keys %+v err %v", c.name, keys, err)
		}
	}
}

const mdOpen = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">`

func manyAttrs(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, ` a%d="1"`, i)
	}
	return b.String()
}

func TestHostileMetadataXML(t *testing.T) {
	good := goodFile(t, "metadata.xml")
	laughs := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&lol3;"/>`
	xxe := `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&xxe;"/>`
	runHostile(t, func(r io.Reader) error { _, err := ParseMetadata(r); return err }, []hostile{
		{"billion laughs", []byte(laughs), "XML"},
		{"external entity (XXE)", []byte(xxe), "XML"},
		{"DOCTYPE alone", []byte(`<!DOCTYPE x><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>`), "document type declarations"},
		{"empty", nil, "empty file"},
		{"HTML login page", []byte(`<html><body>Sign in</body></html>`), "want a SAML 2.0 <EntityDescriptor>"},
		{"JSON error body", []byte(`{"errorCode":"E0000007"}`), "XML"},
		{"no IDPSSODescriptor", []byte(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>`), "no <IDPSSODescriptor>"},
		{"truncated", good[:len(good)/2], "malformed XML"},
		{"binary junk", []byte("\x00\x01<\x02\xff"), "XML"},
		{"deep nesting", nested("<a>", "</a>", 200000), "want a SAML 2.0 <EntityDescriptor>"},
		{"deep nesting in metadata", append([]byte(mdOpen), nested("<a>", "</a>", 200000)...), "maximum depth"},
		{"huge", append([]byte("<a>"), bytes.Repeat([]byte("x"), 5<<20)...), "EntityDescriptor"},
		{"huge in comments", append([]byte(mdOpen), bytes.Repeat([]byte("<!--"+strings.Repeat("x", 60<<10)+"-->"), 90)...), "larger than 4 MiB"},
		{"one huge value", append([]byte(mdOpen+`<md:IDPSSODescriptor><md:NameIDFormat>`), bytes.Repeat([]byte("x"), 1<<20)...), "larger than 64 KiB"},
		{"one huge attribute", append([]byte(mdOpen+`<md:IDPSSODescriptor><md:SingleSignOnService Location="`), bytes.Repeat([]byte("x"), 1<<20)...), "larger than 64 KiB"},
		{"1M empty elements", bytes.Replace(good, []byte("</md:IDPSSODescriptor>"), append(bytes.Repeat([]byte("<a/>"), 1000000), "</md:IDPSSODescriptor>"...), 1), "more than 10000 XML elements"},
		{"many SSO locations", bytes.Replace(good, []byte("</md:IDPSSODescriptor>"), append(bytes.Repeat([]byte(`<md:SingleSignOnService Location="x"/>`), 65), "</md:IDPSSODescriptor>"...), 1), "more than 64 SingleSignOnService"},
		{"many attributes", []byte(mdOpen[:len(mdOpen)-1] + strings.Repeat(` a="1"`, 0) + ` ` + manyAttrs(65) + `>`), "more than 64 attributes"},
	})
	// None of them leaked a file's content or expanded an entity.
	if _, err := ParseMetadata(strings.NewReader(xxe)); err != nil && strings.Contains(err.Error(), "root:") {
		t.Fatalf("XXE expanded: %v", err)
	}
}

func TestHostileUsersJSON(t *testing.T) {
	collect := func(data string) (int, error) {
		n := 0
		for _, err := range Users(strings.NewReader(data)) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
	cases := []struct {
		name, data string
		users      int
		want       string
	}{
		{"object instead of array", `{"id":"a"}`, 0, "want a JSON array"},
		{"number element", `[1]`, 0, "element 0 is not an app-user object"},
		{"truncated after one user", `[{"id":"a","credentials":{"userName":"a@x"}},{"id":"b","cred`, 1, "truncated"},
		{"wrong type inside a user", `[{"id":"a","credentials":{"userName":5}}]`, 0, "user 0: wrong JSON type at /0/credentials/userName"},
		{"trailing data", `[] []`, 0, "after the array"},
		{"empty input", ``, 0, "truncated"},
		{"deep nesting", `[{"id":"a","x":` + string(nested("[", "]", 100000)) + `}]`, 0, "user 0"},
		{"credentials as an array", `[{"id":"a","credentials":[]}]`, 0, "user 0: wrong JSON type at /0/credentials: got array, want object"},
		// A name the rules read, twice: which value is the user's cannot
		// be told, and a stale username could hide behind a current one.
		{"two userNames", `[{"id":"a","credentials":{"userName":"a@x","userName":"old@x"}}]`, 0, `user 0: a duplicate name: "userName" twice at /0/credentials/userName`},
		{"two userNames, one escaped", `[{"id":"a","credentials":{"userName":"a@x","user\u004eame":"old@x"}}]`, 0, `"userName" twice at /0/credentials/userName`},
		{"two credentials", `[{"id":"a","credentials":{"userName":"a@x"},"credentials":{}}]`, 0, `"credentials" twice at /0/credentials`},
		{"two ids", `[{"id":"a","id":"b"}]`, 0, `"id" twice at /0/id`},
		{"two emails", `[{"_embedded":{"user":{"profile":{"email":"a@x","email":"b@x"}}}}]`, 0, `"email" twice at /0/_embedded/user/profile/email`},
		{"two users embedded", `[{"_embedded":{"user":{"profile":{"email":"a@x"}},"user":{}}}]`, 0, `"user" twice at /0/_embedded/user`},
		{"a second user after a duplicate", `[{"id":"a"},{"id":"b","_embedded":{"user":{},"user":{}}}]`, 1, `user 1: a duplicate name: "user" twice at /1/_embedded/user`},
	}
	for _, c := range cases {
		n, err := collect(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) || n != c.users {
			t.Errorf("%s: %d users, err %v (want %q)", c.name, n, err, c.want)
		}
	}
	if n, err := collect(`[]`); n != 0 || err != nil {
		t.Errorf("empty array: %d %v", n, err)
	}
	// A duplicate among members no rule reads cannot change a verdict:
	// not tracked (it would cost on every member of every user).
	for _, data := range []string{
		`[{"id":"a","_links":{},"_links":{}}]`,
		`[{"id":"a","_embedded":{"user":{"profile":{"email":"a@x","login":"a","login":"b"}}}}]`,
	} {
		var got []audit.User
		for u, err := range Users(strings.NewReader(data)) {
			if err != nil {
				t.Fatalf("%s: %v", data, err)
			}
			got = append(got, u)
		}
		if len(got) != 1 || got[0].ID != "a" {
			t.Errorf("%s: %+v", data, got)
		}
	}
}

func TestSnapshotGaps(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadSnapshot(filepath.Join(dir, "nope")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Fatalf("missing dir: %v", err)
	}
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := LoadSnapshot(file); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Fatalf("file: %v", err)
	}
	// A directory without okta/ is not a snapshot: a usage error.
	if _, err := LoadSnapshot(dir); err == nil || !strings.Contains(err.Error(), "no okta/ folder") {
		t.Fatalf("empty dir: %v", err)
	}
	// An empty okta/: every required file is an error, users.json a skip.
	os.Mkdir(filepath.Join(dir, "okta"), 0o755)
	tg, err := LoadSnapshot(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []audit.Input{audit.InputApp, audit.InputKeys, audit.InputMetadata} {
		g, ok := tg.Gap(in)
		if !ok || !g.Failed || !strings.Contains(g.Reason, "missing from the snapshot") {
			t.Errorf("%s: %+v", in, g)
		}
	}
	if g, ok := tg.Gap(audit.InputUsers); !ok || g.Failed {
		t.Errorf("users: %+v", g)
	}
	// The okta/ folder itself given as the snapshot.
	os.WriteFile(filepath.Join(dir, "okta", "app.json"), []byte("{}"), 0o644)
	var ofe *OktaFolderError
	if _, err := LoadSnapshot(filepath.Join(dir, "okta")); !errors.As(err, &ofe) || ofe.Parent != dir || !strings.Contains(err.Error(), "give the snapshot directory above it, "+dir) {
		t.Fatalf("okta/ as snapshot: %v", err)
	}
	os.Remove(filepath.Join(dir, "okta", "app.json"))
	// A directory where a file belongs.
	os.MkdirAll(filepath.Join(dir, "okta", "app.json"), 0o755)
	tg, _ = LoadSnapshot(dir)
	if g, _ := tg.Gap(audit.InputApp); !strings.Contains(g.Reason, "is a directory") {
		t.Errorf("dir as file: %+v", g)
	}
}

func TestParseCertificateForms(t *testing.T) {
	b64 := string(bytes.TrimSpace(goodFile(t, "keys.json")))
	i := strings.Index(b64, `"MII`)
	der := b64[i+1 : i+1+strings.Index(b64[i+1:], `"`)]
	folded := ""
	for j := 0; j < len(der); j += 64 {
		folded += der[j:min(j+64, len(der))] + "\n  "
	}
	for name, in := range map[string]string{
		"bare":   der,
		"folded": folded,
		"pem":    "-----BEGIN CERTIFICATE-----\n" + folded + "\n-----END CERTIFICATE-----\n",
	} {
		if _, err := ParseCertificate(in); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for name, in := range map[string]string{
		"empty":       "",
		"private key": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
		"two blocks":  "-----BEGIN CERTIFICATE-----\n" + der + "\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n" + der + "\n-----END CERTIFICATE-----",
		"bad pem":     "-----BEGIN CERTIFICATE-----\nAAAA",
	} {
		if _, err := ParseCertificate(in); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

// TestHostileMetadataMemory: a metadata.xml Okta would never send — a
// million empty elements, or 101,472 distinct SingleSignOnService
// locations, each under the 4 MiB file cap — is refused having allocated a
// bounded amount, far below the file's size times anything: memory per
// target stays flat whatever the file holds. (A tree of the million
// elements took 309 MB.)
func TestHostileMetadataMemory(t *testing.T) {
	good := goodFile(t, "metadata.xml")
	var locs bytes.Buffer
	for i := range 101472 {
		fmt.Fprintf(&locs, `<md:SingleSignOnService Location="%x"/>`, i)
	}
	for name, doc := range map[string][]byte{
		"1M empty elements": bytes.Replace(good, []byte("</md:IDPSSODescriptor>"), append(bytes.Repeat([]byte("<a/>"), 1000000), "</md:IDPSSODescriptor>"...), 1),
		"101,472 locations": bytes.Replace(good, []byte("</md:IDPSSODescriptor>"), append(locs.Bytes(), "</md:IDPSSODescriptor>"...), 1),
	} {
		if len(doc) > MaxDocumentSize {
			t.Fatalf("%s: %d bytes, over the file cap: the test would not test the limits", name, len(doc))
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := ParseMetadata(bytes.NewReader(doc))
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), "not metadata Okta sends") {
			t.Errorf("%s: %v", name, err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20*race.Factor {
			t.Errorf("%s: allocated %d KiB, want under 4 MiB", name, alloc>>10)
		} else {
			t.Logf("%s: allocated %d KiB", name, alloc>>10)
		}
	}
}
