package scan

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/checks"
	"github.com/ssoaudit/ssoaudit/internal/fixture"
)

var (
	bigOnce sync.Once
	bigDir  string
	bigErr  error
)

// bigSnapshot is the good snapshot with 100,000 assigned users (~90 MB of
// users.json), written once per test binary.
func bigSnapshot(b *testing.B) string {
	bigOnce.Do(func() {
		bigDir, bigErr = os.MkdirTemp("", "ssoaudit-bench-")
		if bigErr == nil {
			bigErr = fixture.WriteBigSnapshot(bigDir, 100_000, 1000)
		}
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigDir
}

// BenchmarkScan100kUsers is a whole offline scan: load the snapshot, run all
// 21 rules (streaming users.json), build the report.
func BenchmarkScan100kUsers(b *testing.B) {
	dir := bigSnapshot(b)
	st, _ := os.Stat(filepath.Join(dir, "okta", "users.json"))
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		rep, err := Run(context.Background(), Request{Specs: []Spec{{Snapshot: dir}}, Rules: checks.All(), Now: fixture.Now, FailOn: audit.High})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Summary.Fail != 1 || rep.Summary.Error != 0 {
			b.Fatalf("summary %+v", rep.Summary)
		}
	}
}

// BenchmarkFloor100kUsers is the floor the scan is measured against: a bare
// streaming decode of the same users.json that only compares each
// username with its email.
func BenchmarkFloor100kUsers(b *testing.B) {
	dir := bigSnapshot(b)
	path := filepath.Join(dir, "okta", "users.json")
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	type user struct {
		Credentials struct {
			UserName string `json:"userName"`
		} `json:"credentials"`
		Embedded struct {
			User struct {
				Profile struct {
					Email string `json:"email"`
				} `json:"profile"`
			} `json:"user"`
		} `json:"_embedded"`
	}
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		dec := jsontext.NewDecoder(bufio.NewReader(f))
		if _, err := dec.ReadToken(); err != nil {
			b.Fatal(err)
		}
		stale := 0
		for dec.PeekKind() != ']' {
			var u user
			if err := json.UnmarshalDecode(dec, &u); err != nil {
				b.Fatal(err)
			}
			if !strings.EqualFold(u.Credentials.UserName, u.Embedded.User.Profile.Email) {
				stale++
			}
		}
		f.Close()
		if stale != 100 {
			b.Fatalf("stale = %d", stale)
		}
	}
}
