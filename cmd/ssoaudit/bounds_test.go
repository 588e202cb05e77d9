package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/report"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

// TestHugeValuesBounded reproduces issue 8's unbounded output: a 1 MB
// username made a 60 MB table, five 20 MB usernames a 1.2 GB table. A value
// over okta.MaxValueSize is refused (exit 3, the file and JSON pointer
// named); values under it are cut in the formats people read (the JSON
// report keeps them whole). Every format stays small.
func TestHugeValuesBounded(t *testing.T) {
	dir := t.TempDir()
	chdir(t, dir)
	users := func(name string, n int) []byte {
		var b strings.Builder
		b.WriteString("[")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"id":"00u%d","credentials":{"userName":"%s%d@x.example"},"_embedded":{"user":{"profile":{"email":"u%d@x.example"}}}}`, i, name, i, i)
		}
		b.WriteString("]")
		return []byte(b.String())
	}
	huge := strings.Repeat("a", 1<<20)
	long := strings.Repeat("b", okta.MaxValueSize-100)
	cl := newCLI(t)
	cases := 0
	for _, tc := range []struct {
		name, file string
		content    []byte
		exit       int
		want       string // in the JSON report
	}{
		{"a 1 MB username", "okta/users.json", users(huge, 1), 3, "okta/users.json: user 0: a JSON value larger than 64 KiB at /0/credentials/userName"},
		{"five 1 MB usernames", "okta/users.json", users(huge, 5), 3, "at /0/credentials/userName"},
		{"a 1 MB relay state", "okta/app.json", []byte(`{"id":"0oa1","settings":{"signOn":{"defaultRelayState":"` + huge + `"}}}`), 3, "at /settings/signOn/defaultRelayState"},
		{"a 1 MB certificate", "okta/keys.json", []byte(`[{"kid":"k","x5c":["` + huge + `"]}]`), 3, "at /0/x5c"},
		{"five 64 KB usernames", "okta/users.json", users(long, 5), 1, ""},
		{"a 1 MB session policy name", "okta/session-policies.json",
			[]byte(`[{"id":"00p1","type":"OKTA_SIGN_ON","name":"` + huge + `","_embedded":{"rules":[]}}]`), 3, "at /0/name"},
		// A rule without MFA is named in okta.app.mfa's message.
		{"a 64 KB session rule name", "okta/session-policies.json",
			[]byte(`[{"id":"00p1","type":"OKTA_SIGN_ON","status":"ACTIVE","name":"` + long + `","_embedded":{"rules":[` +
				`{"id":"0pr1","type":"SIGN_ON","status":"ACTIVE","name":"` + long + `","actions":{"signon":{"access":"ALLOW"}}}]}}]`), 0, ""},
	} {
		s := hostileSnapshot(t, tc.file, tc.content)
		for _, f := range report.Formats {
			out := filepath.Join(dir, fmt.Sprintf("r%d.%s", cases, f))
			if code := cl.run("scan", "--snapshot", s, "--format", f, "--output", out); code != tc.exit {
				t.Errorf("%s, %s: exit %d, want %d\n%s", tc.name, f, code, tc.exit, cl.stderr.String())
			}
			st, err := os.Stat(out)
			if err != nil {
				t.Fatal(err)
			}
			limit := int64(512 << 10)
			if f == "json" && tc.want == "" {
				limit = 1 << 20 // the JSON report keeps values whole
			}
			if st.Size() > limit {
				t.Errorf("%s, %s: a %d KiB report", tc.name, f, st.Size()>>10)
			}
			b, _ := os.ReadFile(out)
			if f == "json" && tc.want != "" && !strings.Contains(string(b), tc.want) {
				t.Errorf("%s: the JSON report does not say %q", tc.name, tc.want)
			}
			cases++
		}
	}
	t.Logf("%d bound cases", cases)
}
