package report

import (
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// writer is one report format: the function that renders it, the output
// edge its values pass through first, the --output extension that chooses
// it, and where it sits in Formats.
type writer struct {
	write func(w io.Writer, rep *audit.Report, opts Options) error
	edge  edge
	// ext is the --output extension that names the format ("" for none:
	// the table is only ever written with --format).
	ext string
	// order places the format in Formats (help text, error messages).
	order int
	// streams says the writer reads the targets and deployments through
	// audit.Report.EachTarget/EachDeployment, a few at a time, so a
	// streamed report (a large run) is never held whole for it.
	streams bool
}

// edge says which part of the output edge (edge.go) a format's values go
// through before its writer sees them.
type edge int

const (
	// edgeSelf: the writer applies the edge itself (JSON redacts target by
	// target as it streams, and keeps values unescaped and whole).
	edgeSelf edge = iota
	// edgeMachines: redacted and made visible, kept whole (SARIF, JUnit,
	// Prometheus: read by tools, shown to people by them).
	edgeMachines
	// edgePeople: redacted, made visible and cut to MaxValueRunes (table,
	// Markdown, HTML).
	edgePeople
)

// writers maps each format to its writer: the one place a format is added
// (its file holds the writer; docs/ARCHITECTURE.md says how).
var writers = map[string]writer{
	"table": {write: writeTable, edge: edgePeople, order: 0, streams: true},
	"json": {write: func(w io.Writer, rep *audit.Report, opts Options) error {
		return writeJSON(w, rep, opts.Secrets.String)
	}, edge: edgeSelf, ext: ".json", order: 1, streams: true},
	"sarif": {write: writeSARIF, edge: edgeMachines, ext: ".sarif", order: 2, streams: true},
	"junit": {write: func(w io.Writer, rep *audit.Report, opts Options) error {
		return writeJUnit(w, rep, catalogLocations(opts.Catalog))
	}, edge: edgeMachines, ext: ".xml", order: 3, streams: true},
	"markdown": {write: func(w io.Writer, rep *audit.Report, opts Options) error {
		return writeMarkdown(w, rep, catalogLocations(opts.Catalog))
	}, edge: edgePeople, ext: ".md", order: 4, streams: true},
	"html": {write: func(w io.Writer, rep *audit.Report, opts Options) error {
		return writeHTML(w, rep, catalogLocations(opts.Catalog))
	}, edge: edgePeople, ext: ".html", order: 5, streams: true},
	"prometheus": {write: func(w io.Writer, rep *audit.Report, _ Options) error { return writePrometheus(w, rep) }, edge: edgeMachines, ext: ".prom", order: 6, streams: true},
	"csv":        {write: writeCSV, edge: edgePeople, ext: ".csv", order: 7, streams: true},
}

// Formats lists the report formats in the order help and messages name
// them: table json sarif junit markdown html prometheus csv.
var Formats = func() []string {
	out := make([]string, 0, len(writers))
	for f := range writers {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b string) int { return writers[a].order - writers[b].order })
	return out
}()

// Extensions maps an --output file's extension to the format written there
// (docs/cli.md), derived from the writers: a format without an ext cannot be
// chosen by extension.
var Extensions = func() map[string]string {
	out := map[string]string{}
	for f, w := range writers {
		if w.ext != "" {
			out[w.ext] = f
		}
	}
	return out
}()

// FormatForFile is the format an --output file's extension names, and
// whether it names one. The extension is matched case-insensitively.
func FormatForFile(path string) (string, bool) {
	f, ok := Extensions[strings.ToLower(filepath.Ext(path))]
	return f, ok
}

// ExtensionList lists the known extensions, sorted, for messages.
func ExtensionList() string {
	exts := make([]string, 0, len(Extensions))
	for e := range Extensions {
		exts = append(exts, e)
	}
	slices.Sort(exts)
	return strings.Join(exts, " ")
}
