package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/consumer"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// golden compares got with testdata/golden/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./report -update and review the diff.\n--- got ---\n%s", path, got)
	}
}

func render(t *testing.T, format string, opts Options) []byte {
	t.Helper()
	return renderReport(t, testReport(), format, opts)
}

func renderReport(t *testing.T, rep *audit.Report, format string, opts Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, format, rep, opts); err != nil {
		t.Fatalf("Write(%s): %v", format, err)
	}
	consumer.Check(t, format, b.Bytes())
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	cases := []struct {
		file, format string
		opts         Options
	}{
		{"report.table.txt", "table", Options{}},
		{"report.table.color.txt", "table", Options{Color: true}},
		{"report.json", "json", Options{}},
		{"report.sarif", "sarif", Options{Catalog: testCatalog()}},
		{"report.junit.xml", "junit", Options{}},
		{"report.md", "markdown", Options{}},
		{"report.html", "html", Options{}},
		{"report.prom", "prometheus", Options{}},
		{"report.csv", "csv", Options{Catalog: testCatalog()}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			golden(t, c.file, render(t, c.format, c.opts))
		})
	}
}

// TestGoldenIncomplete covers a run that could not read its data: errors
// grouped by cause, skips listed as not checked, a re-rated rule.
func TestGoldenIncomplete(t *testing.T) {
	cases := []struct{ file, format string }{
		{"incomplete.table.txt", "table"},
		{"incomplete.md", "markdown"},
		{"incomplete.html", "html"},
		{"incomplete.sarif", "sarif"},
		{"incomplete.prom", "prometheus"},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			golden(t, c.file, renderReport(t, incompleteReport(), c.format, Options{Catalog: testCatalog()}))
		})
	}
}

func TestGoldenCatalog(t *testing.T) {
	for _, format := range []string{"table", "json"} {
		var b bytes.Buffer
		if err := WriteCatalog(&b, format, testCatalog()); err != nil {
			t.Fatal(err)
		}
		consumer.Check(t, format, b.Bytes())
		golden(t, map[string]string{"table": "rules.table.txt", "json": "rules.json"}[format], b.Bytes())
	}
	var b bytes.Buffer
	if err := WriteExplain(&b, testCatalog()[2]); err != nil {
		t.Fatal(err)
	}
	golden(t, "explain.txt", b.Bytes())
}
