package okta_test

import (
	"bytes"
	"github.com/ssoaudit/ssoaudit/internal/testkit/race"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/source/okta"
)

// repeatReader yields b n times without holding more than b.
type repeatReader struct {
	b []byte
	n int
	i int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	c := copy(p, r.b[r.i:])
	r.i += c
	if r.i == len(r.b) {
		r.i, r.n = 0, r.n-1
	}
	return c, nil
}

// TestHugeValueMemoryBounded: one 1 GiB string in users.json (generated as
// it is read, never held by the test) is refused after reading little more
// than MaxValueSize of it, naming the JSON pointer, and the decoder never
// allocates anything near its size. Before the limit, a 300 MB username
// took 5 GB of RSS.
func TestHugeValueMemoryBounded(t *testing.T) {
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	body := &repeatReader{b: chunk, n: 1024}
	r := io.MultiReader(strings.NewReader(`[{"id":"00u1","credentials":{"userName":"`), body, strings.NewReader(`"}}]`))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var got error
	for _, err := range okta.Users(r) {
		got = err
	}
	runtime.ReadMemStats(&after)
	if got == nil || !strings.Contains(got.Error(), "/0/credentials/userName") || !strings.Contains(got.Error(), "64 KiB") {
		t.Fatalf("err = %v", got)
	}
	if read := 1024 - body.n; read > 2 {
		t.Errorf("read %d MiB of the value before refusing it", read)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20*race.Factor {
		t.Errorf("allocated %d MiB for a refused value", alloc>>20)
	}
}

func TestValueLimitPerFile(t *testing.T) {
	big := strings.Repeat("x", okta.MaxValueSize+1)
	fits := strings.Repeat("x", okta.MaxValueSize)
	for _, tc := range []struct {
		name, doc, want string
		parse           func(io.Reader) error
	}{
		{"app relay state", `{"id":"0oa1","settings":{"signOn":{"defaultRelayState":"` + big + `"}}}`, "/settings/signOn/defaultRelayState",
			func(r io.Reader) error { _, err := okta.ParseApp(r); return err }},
		{"app label, escapes counted", `{"id":"0oa1","label":"` + strings.Repeat(`\"`, okta.MaxValueSize/2+1) + `"}`, "/label",
			func(r io.Reader) error { _, err := okta.ParseApp(r); return err }},
		{"app number", `{"id":"0oa1","x":` + strings.Repeat("9", okta.MaxValueSize+1) + `}`, "/x",
			func(r io.Reader) error { _, err := okta.ParseApp(r); return err }},
		{"keys x5c", `[{"kid":"k","x5c":["` + big + `"]}]`, "/0/x5c", // the array holding it
			func(r io.Reader) error { _, err := okta.ParseKeys(r); return err }},
		{"a value that fits", `{"id":"0oa1","label":"` + fits + `"}`, "",
			func(r io.Reader) error { _, err := okta.ParseApp(r); return err }},
	} {
		err := tc.parse(strings.NewReader(tc.doc))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), "at "+tc.want+":")):
			t.Errorf("%s: err = %v, want the pointer %s", tc.name, err, tc.want)
		}
	}
}
