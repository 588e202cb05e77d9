package report

import (
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/ssoaudit/ssoaudit/audit"
)

// srcRoot is the uriBaseId of every location: the repository root, the
// base GitHub code scanning resolves relative paths against.
const srcRoot = "%SRCROOT%"

// location is where GitHub shows a finding: always a file path relative to
// the repository root, the same in every run of the same set-up.
//
//   - A rule located at the console (audit.Rule.Location): the druva.yaml
//     the target was judged against.
//   - A snapshot: the snapshot's file the rule is located at
//     (okta/app.json, okta/users.json, …; okta/app.json when the rule is
//     not in the catalog).
//   - A Terraform plan or state: that file.
//   - A live target declared in the config: the config file, at the
//     target's entry. Without a config: the virtual path
//     okta/<org host>/<app id>, stable for the app (the README documents
//     it). An org URL itself would be an absolute URI in another scheme,
//     which GitHub rejects on upload.
//
// The app is also given as a logical location, for readers that show one.
func (sw *sarifWriter) location(t audit.TargetReport, r audit.Result) *sarif.Location {
	file, line := sw.locate(t, r)
	uri := (&url.URL{Path: file}).String()
	phys := sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri).WithUriBaseId(srcRoot)).
		WithRegion(sarif.NewRegion().WithStartLine(line))
	app := t.App.ID
	if app == "" {
		app = t.Name
	}
	logical := sarif.NewLogicalLocation().
		WithName(app).
		WithFullyQualifiedName(t.Name + "/" + app).
		WithKind("resource")
	return sarif.NewLocationWithPhysicalLocation(phys).WithLogicalLocations([]*sarif.LogicalLocation{logical})
}

// locate picks the file (repository-relative, slash-separated) and line of
// a finding; see location. The line is the one of the key the rule read
// (audit.Result.Line, found by the scan), else 1.
func (sw *sarifWriter) locate(t audit.TargetReport, r audit.Result) (string, int) {
	rule := r.Rule
	line := max(r.Line, 1)
	if r.File != "" {
		// A source that could not be read: the config entry naming it.
		return sw.file(t, r.File, path.Base(filepath.ToSlash(r.File))), line
	}
	if sw.locs[rule].Input == audit.InputConsole && t.Console != "" {
		return sw.file(t, t.Console, path.Base(filepath.ToSlash(t.Console))), line
	}
	switch {
	case t.Source == audit.SourceSnapshot && t.Origin != "":
		in := string(sw.inputOf(rule))
		if in != string(sw.locs[rule].Input) {
			line = 1
		}
		return sw.file(t, path.Join(snapshotDir(t.Origin), in), in), line
	case t.Source == audit.SourceOkta || t.Origin == "" || isAbsoluteURL(t.Origin):
		if sw.rep.Config != "" && t.ConfigLine > 0 {
			return sw.file(t, sw.rep.Config, path.Base(filepath.ToSlash(sw.rep.Config))), t.ConfigLine
		}
		return liveVirtualPath(t), 1
	}
	return sw.file(t, t.Origin, path.Base(filepath.ToSlash(t.Origin))), 1
}

// file is p relative to the repository root, or, when p lies outside it
// (a scan of /srv/evidence/… from another directory), the virtual path
// external/<target>/<tail>: stable for the target, where the absolute
// path may change every run (a temporary directory) and would not be the
// repository's file anyway.
//
// With asGiven (the CSV report, read by a person beside the files), a path
// outside the root is kept as the report gives it.
func (sw *sarifWriter) file(t audit.TargetReport, p, tail string) string {
	if rel, ok := sarifPath(sw.opts, p); ok {
		return rel
	}
	if sw.asGiven {
		return filepath.ToSlash(p)
	}
	return "external/" + pathSegment(t.Name) + "/" + tail
}

// inputOf is the snapshot file a rule's findings are located at (its
// Location), else okta/app.json (the app, which every snapshot has): a rule
// not in the catalog, or one located at a console the target has not.
func (sw *sarifWriter) inputOf(rule string) audit.Input {
	if in := sw.locs[rule].Input; in != "" && in != audit.InputConsole {
		return in
	}
	return audit.InputApp
}

// snapshotDir is the snapshot directory of a snapshot target's origin,
// which names either the directory or its okta/app.json.
func snapshotDir(origin string) string {
	o := path.Clean(filepath.ToSlash(origin))
	if dir, file := path.Split(o); file == path.Base(string(audit.InputApp)) && path.Base(path.Clean(dir)) == path.Dir(string(audit.InputApp)) {
		return path.Dir(path.Clean(dir))
	}
	return o
}

// liveVirtualPath is where a live target read without a config is located:
// okta/<org host>/<app id>, made of what identifies the app and nothing
// that changes between runs.
func liveVirtualPath(t audit.TargetReport) string {
	host := "okta"
	if u, err := url.Parse(t.Origin); err == nil && u.Host != "" {
		host = u.Hostname()
	}
	app := t.App.ID
	if app == "" {
		app = t.Name
	}
	return "okta/" + pathSegment(host) + "/" + pathSegment(app)
}

// pathSegment makes s one path segment: no separators, no dot segments.
func pathSegment(s string) string {
	s = strings.NewReplacer("/", "_", "\\", "_").Replace(s)
	if s == "" || s == "." || s == ".." {
		return "_"
	}
	return s
}

func isAbsoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && u.Host != ""
}

// sarifPath turns a path from the report (relative to the working
// directory, or absolute) into a path relative to the repository root
// (Options.SourceRoot), slash-separated and cleaned, so the same file has
// the same URI wherever the scan ran from: terraform/okta/plan.json, not
// plan.json from inside terraform/okta, and never /home/runner/….
// ok is false when the path lies outside the root (or cannot be related
// to it): GitHub would find no such file in the repository.
func sarifPath(opts Options, p string) (string, bool) {
	native := filepath.FromSlash(p)
	if !filepath.IsAbs(native) && opts.WorkDir != "" {
		native = filepath.Join(opts.WorkDir, native)
	}
	if filepath.IsAbs(native) {
		if opts.SourceRoot == "" {
			return "", false
		}
		rel, err := filepath.Rel(opts.SourceRoot, native)
		if err != nil {
			return "", false
		}
		native = rel
	}
	out := path.Clean(filepath.ToSlash(native))
	if out == ".." || strings.HasPrefix(out, "../") || filepath.IsAbs(native) {
		return "", false
	}
	return out, true
}

// placeText is where a finding is, for the reports people read: the file
// its rule is located at, as the run named it, and the line of the key the
// rule read ("testdata/snapshots/broken/druva.yaml:33"); "" when the
// finding is in no file (live, Terraform). SARIF gives the same file and
// line relative to the repository.
func placeText(locs map[string]audit.Location, t audit.TargetReport, r audit.Result) string {
	if r.File != "" {
		return fmt.Sprintf("%s:%d", r.File, max(r.Line, 1))
	}
	loc, ok := locs[r.Rule]
	if !ok {
		return ""
	}
	line := max(r.Line, 1)
	switch {
	case loc.Input == audit.InputConsole && t.Console != "":
		return fmt.Sprintf("%s:%d", t.Console, line)
	case loc.Input != audit.InputConsole && t.Source == audit.SourceSnapshot && t.Origin != "":
		return fmt.Sprintf("%s:%d", path.Join(snapshotDir(t.Origin), string(loc.Input)), line)
	}
	return ""
}

// catalogLocations maps each rule of the catalog to its Location.
func catalogLocations(catalog []*audit.Rule) map[string]audit.Location {
	out := map[string]audit.Location{}
	for _, r := range catalog {
		if r != nil {
			out[r.ID] = r.Location
		}
	}
	return out
}
