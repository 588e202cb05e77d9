// Package terraform reads the Okta half of targets from `terraform show -json`
// output, plan or state, so that an okta_app_saml resource can be audited
// before `terraform apply` makes it real: the pre-apply gate for teams that
// manage Okta as code. Like the other sources it parses and never judges:
// whatever a plan or state cannot tell becomes a gap on the target.
package terraform

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Source is the value of Target.Source for targets read by this package.
const Source = audit.SourceTerraform

// ResourceType is the okta/okta provider's resource for a SAML app.
const ResourceType = "okta_app_saml"

// MaxDocumentSize caps the document: a plan for a large Okta configuration is
// a few MiB (each SAML app carries its metadata and certificates), and a file
// far bigger than that is not one.
const MaxDocumentSize = 64 << 20

// ErrNoApps is wrapped by the error for a document without any
// okta_app_saml resource to audit. It is an error, not an empty result,
// because a gate that silently checks nothing is worse than one that stops.
var ErrNoApps = errors.New("no okta_app_saml resources")

// Load reads a `terraform show -json` document (plan or state) and returns one
// target per okta_app_saml resource. It holds every target: Stream hands
// them over one at a time.
func Load(path string) ([]*audit.Target, error) {
	var out []*audit.Target
	err := Stream(path, nil, func(t *audit.Target) error {
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Stream reads the `terraform show -json` document (plan or state) at path
// and calls found with one target per okta_app_saml resource, each as soon
// as it is built, in the document's order (root module first, then child
// modules, depth first). Before the first, apps (when not nil) gets the list
// of every target to come: a document is checked whole before any target is
// handed over, so its errors come before any target; only a failed read or
// a file rewritten while it is read (an error saying so) can come after
// some.
// Memory is that of one resource, whatever the plan holds (see stream.go).
//
// The errors are Parse's; an error of apps or found ends the read and is
// returned as it is.
func Stream(path string, apps func([]App) error, found func(*audit.Target) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("terraform file: %w", err)
	}
	defer f.Close()
	size := int64(-1)
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			return fmt.Errorf("%s is a directory: want the output of `terraform show -json` saved to a file", path)
		}
		if st.Mode().IsRegular() {
			size = st.Size()
		}
	}
	return stream(path, f, size, apps, found)
}

// Parse reads a `terraform show -json` document from r and returns one target
// per okta_app_saml resource, in the document's order (root module first,
// then child modules, depth first). Each target is named by the resource's
// address and has Origin name; platform, expectations, clock and the Druva
// console are the caller's to set. An r that can seek is read twice, not
// held; any other is held in memory (at most MaxDocumentSize).
//
// The error names the document: it is not JSON, not `terraform show -json`
// output, of an unsupported format version, structurally wrong (with the
// JSON pointer of the bad value), or has no okta_app_saml resource to audit
// (ErrNoApps). A problem inside one resource's attribute values is not an
// error: it becomes a failed input of that resource's target, so the other
// resources are still audited.
func Parse(name string, r io.Reader) ([]*audit.Target, error) {
	size := int64(-1)
	if rs, ok := r.(io.ReadSeeker); ok {
		if cur, err := rs.Seek(0, io.SeekCurrent); err == nil {
			if end, err := rs.Seek(0, io.SeekEnd); err == nil {
				if _, err := rs.Seek(cur, io.SeekStart); err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				size = end - cur
			}
		}
	}
	var out []*audit.Target
	err := stream(name, r, size, nil, func(t *audit.Target) error {
		out = append(out, t)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// looksLikeLog spots the machine-readable UI stream of `terraform plan -json`:
// one JSON object per line, each with "@level".
func looksLikeLog(data []byte) bool {
	first, _, _ := bytes.Cut(bytes.TrimSpace(data), []byte("\n"))
	return bytes.HasPrefix(first, []byte("{")) && bytes.Contains(first, []byte(`"@level"`)) && bytes.Contains(first, []byte(`"@message"`))
}

// found is one okta_app_saml resource instance to audit.
type found struct {
	res *resource
	// at is the JSON pointer of the resource object, for messages.
	at string
	// change is the plan's change for the resource; nil for a state or when
	// the plan has none.
	change *change
}

// removes reports whether a planned change takes the resource out of Okta
// (delete) or out of Terraform's hands (forget: `removed` blocks). Neither is
// worth auditing: after apply the configuration no longer describes that app.
// A replacement (delete and create) is audited, as the app it creates.
func removes(actions []string) bool {
	return len(actions) > 0 && !slices.Contains(actions, "create") && !slices.Contains(actions, "update") &&
		!slices.Contains(actions, "no-op") && !slices.Contains(actions, "read") &&
		(slices.Contains(actions, "delete") || slices.Contains(actions, "forget"))
}

// noApps explains an empty selection, so that a gate pointed at the wrong
// file, or at a plan that removes the app, says so.
func noApps(s *scanner, sel selection) error {
	switch {
	case len(s.removed) > 0:
		return fmt.Errorf("%w to audit: the plan removes %s", ErrNoApps, strings.Join(s.removed, ", "))
	case len(sel.dataSources) > 0:
		return fmt.Errorf("%w: only the data source %s, which reads an app that this configuration does not manage", ErrNoApps, strings.Join(sel.dataSources, ", "))
	case s.planned != nil:
		return fmt.Errorf("%w in the plan: is this the configuration that manages the Druva app?", ErrNoApps)
	case s.values == nil:
		return fmt.Errorf("%w: the state is empty", ErrNoApps)
	}
	return fmt.Errorf("%w in the state: is this the workspace that manages the Druva app?", ErrNoApps)
}

// jsonError turns a decoder error into a message that says where, without
// quoting the offending value (an attribute statement holds the SSO token).
func jsonError(err error, what string) error {
	var se *json.SemanticError
	if errors.As(err, &se) {
		where := string(se.JSONPointer)
		if where == "" {
			where = "the top level"
		}
		if se.GoType != nil && se.JSONKind != 0 {
			return fmt.Errorf("wrong JSON type at %s: got %s, want %s", where, kindName(se.JSONKind), goKind(se.GoType.Kind().String()))
		}
		return fmt.Errorf("invalid JSON at %s", where)
	}
	var syn *jsontext.SyntacticError
	if errors.As(err, &syn) {
		return fmt.Errorf("%s: malformed at byte offset %d: %v", what, syn.ByteOffset, syn.Err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: the document ends early", what)
	}
	return fmt.Errorf("%s: %v", what, err)
}

func kindName(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 't', 'f':
		return "a boolean"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return "nothing"
}

func goKind(k string) string {
	switch k {
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "bool":
		return "a boolean"
	case "string":
		return "a string"
	case "int", "int64", "float64":
		return "a number"
	}
	return k
}
