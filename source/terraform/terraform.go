// Package terraform reads the Okta half of targets from `terraform show -json`
// output, plan or state, so that an okta_app_saml resource can be audited
// before `terraform apply` makes it real: the pre-apply gate for teams that
// manage Okta as code. Like the other sources it parses and never judges:
// whatever a plan or state cannot tell becomes a gap on the target.
package terraform

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

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
// target per okta_app_saml resource.
func Load(path string) ([]*audit.Target, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("terraform file: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a directory: want the output of `terraform show -json` saved to a file", path)
	}
	return Parse(path, f)
}

// Parse reads a `terraform show -json` document from r and returns one target
// per okta_app_saml resource, in the document's order (root module first,
// then child modules, depth first). Each target is named by the resource's
// address and has Origin name; platform, expectations, clock and the Druva
// console are the caller's to set.
//
// The error names the document: it is not JSON, not `terraform show -json`
// output, of an unsupported format version, structurally wrong (with the
// JSON pointer of the bad value), or has no okta_app_saml resource to audit
// (ErrNoApps). A problem inside one resource's attribute values is not an
// error: it becomes a failed input of that resource's target, so the other
// resources are still audited.
func Parse(name string, r io.Reader) ([]*audit.Target, error) {
	targets, err := parse(name, r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return targets, nil
}

func parse(name string, r io.Reader) ([]*audit.Target, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxDocumentSize {
		return nil, fmt.Errorf("larger than %d MiB: refusing to parse it as `terraform show -json` output", MaxDocumentSize>>20)
	}
	data, err = utf8Text(data)
	if err != nil {
		return nil, err
	}
	doc, err := decodeDocument(data)
	if err != nil {
		return nil, err
	}
	sel := doc.selectApps()
	if len(sel.apps) == 0 {
		return nil, noApps(doc, sel)
	}
	targets := make([]*audit.Target, 0, len(sel.apps))
	for _, f := range sel.apps {
		targets = append(targets, newTarget(name, doc.isPlan(), f))
	}
	return targets, nil
}

// utf8Text undoes the encodings a JSON file picks up on its way to disk:
// a UTF-8 byte order mark, and UTF-16 from Windows PowerShell's `>`.
func utf8Text(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return fromUTF16(data[2:], binary.LittleEndian)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return fromUTF16(data[2:], binary.BigEndian)
	}
	return data, nil
}

func fromUTF16(data []byte, order binary.ByteOrder) ([]byte, error) {
	if len(data)%2 != 0 {
		return nil, errors.New("not JSON: the file starts like UTF-16 text but has an odd number of bytes")
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	out := make([]byte, 0, len(units))
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// document is the part of `terraform show -json` output this package reads.
// Terraform promises to add fields only in new minor versions, so unknown
// ones are ignored.
type document struct {
	FormatVersion   *string          `json:"format_version"`
	PlannedValues   *stateValues     `json:"planned_values"`
	Values          *stateValues     `json:"values"`
	ResourceChanges []resourceChange `json:"resource_changes"`
	Errored         bool             `json:"errored"`
}

type stateValues struct {
	RootModule *module `json:"root_module"`
}

type module struct {
	Address      string     `json:"address"`
	Resources    []resource `json:"resources"`
	ChildModules []module   `json:"child_modules"`
}

type resource struct {
	Address    string                    `json:"address"`
	Mode       string                    `json:"mode"`
	Type       string                    `json:"type"`
	Name       string                    `json:"name"`
	DeposedKey string                    `json:"deposed_key"`
	Values     map[string]jsontext.Value `json:"values"`
}

type resourceChange struct {
	Address string `json:"address"`
	Mode    string `json:"mode"`
	Type    string `json:"type"`
	Deposed string `json:"deposed"`
	Change  struct {
		Actions      []string       `json:"actions"`
		AfterUnknown jsontext.Value `json:"after_unknown"`
	} `json:"change"`
}

// decodeDocument checks that data is `terraform show -json` output of a
// format this package understands, and decodes the parts it reads.
func decodeDocument(data []byte) (*document, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("empty file: want the output of `terraform show -json`")
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, errors.New("this is a binary plan file (from `terraform plan -out`): run `terraform show -json PLANFILE > plan.json` and audit that")
	}
	if looksLikeLog(data) {
		return nil, errors.New("this is `terraform plan -json` log output, not a plan: save the plan with `terraform plan -out PLANFILE`, then run `terraform show -json PLANFILE`")
	}
	if k := jsontext.Value(bytes.TrimSpace(data)).Kind(); k != '{' {
		if !jsontext.Value(data).IsValid() {
			return nil, jsonError(json.Unmarshal(data, new(any)), "not JSON")
		}
		return nil, fmt.Errorf("not `terraform show -json` output: the top level is %s, want an object", kindName(k))
	}
	var doc document
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(err, "not JSON")
	}
	if doc.FormatVersion == nil {
		var raw struct {
			Version   jsontext.Value `json:"version"`
			Resources jsontext.Value `json:"resources"`
		}
		if json.Unmarshal(data, &raw) == nil && raw.Version != nil && raw.Resources != nil {
			return nil, errors.New("this is a raw state file (terraform.tfstate), not `terraform show -json` output: run `terraform show -json > state.json` and audit that")
		}
		return nil, errors.New(`no "format_version": this is not the output of ` + "`terraform show -json`")
	}
	v := *doc.FormatVersion
	if major, _, _ := strings.Cut(v, "."); major != "0" && major != "1" {
		return nil, fmt.Errorf("format_version %q is not supported: ssoaudit reads format 1.x (Terraform 1.x, OpenTofu)", v)
	}
	if doc.PlannedValues != nil && doc.Errored {
		return nil, errors.New(`the plan has "errored": true: Terraform could not finish planning, so its values are incomplete; fix the plan first`)
	}
	return &doc, nil
}

// looksLikeLog spots the machine-readable UI stream of `terraform plan -json`:
// one JSON object per line, each with "@level".
func looksLikeLog(data []byte) bool {
	first, _, _ := bytes.Cut(bytes.TrimSpace(data), []byte("\n"))
	return bytes.HasPrefix(first, []byte("{")) && bytes.Contains(first, []byte(`"@level"`)) && bytes.Contains(first, []byte(`"@message"`))
}

func (d *document) isPlan() bool { return d.PlannedValues != nil }

// found is one okta_app_saml resource instance to audit.
type found struct {
	res *resource
	// at is the JSON pointer of the resource object, for messages.
	at string
	// change is the plan's change for the resource; nil for a state or when
	// the plan has none.
	change *resourceChange
}

// selection is what a document holds of okta_app_saml.
type selection struct {
	apps []found
	// removed are the resources the plan deletes or forgets: not audited.
	removed []string
	// dataSources read apps that the configuration does not manage.
	dataSources []string
}

// selectApps finds the okta_app_saml resources to audit.
func (d *document) selectApps() selection {
	var sel selection
	var root *module
	at := "/values"
	if d.isPlan() {
		root, at = d.PlannedValues.RootModule, "/planned_values"
	} else if d.Values != nil {
		root = d.Values.RootModule
	}
	changes := map[string]*resourceChange{}
	for i := range d.ResourceChanges {
		c := &d.ResourceChanges[i]
		if c.Deposed != "" {
			// A deposed object is the old half of a create-before-destroy
			// replacement: it is on its way out.
			continue
		}
		changes[c.Address] = c
		if c.Type == ResourceType && c.Mode != "data" && removes(c.Change.Actions) {
			sel.removed = append(sel.removed, c.Address)
		}
	}
	if root == nil {
		return sel
	}
	walk(root, at+"/root_module", func(r *resource, at string) {
		switch {
		case r.Type != ResourceType || r.DeposedKey != "":
			return
		case r.Mode == "data":
			sel.dataSources = append(sel.dataSources, r.Address)
			return
		}
		if r.Address == "" {
			r.Address = ResourceType + "." + r.Name
		}
		c := changes[r.Address]
		if c != nil && removes(c.Change.Actions) {
			// Terraform leaves resources it destroys out of planned_values;
			// this covers documents from tools that do not.
			return
		}
		sel.apps = append(sel.apps, found{res: r, at: at, change: c})
	})
	return sel
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

// walk visits every resource of m and its child modules, depth first.
func walk(m *module, at string, visit func(r *resource, at string)) {
	for i := range m.Resources {
		visit(&m.Resources[i], fmt.Sprintf("%s/resources/%d", at, i))
	}
	for i := range m.ChildModules {
		walk(&m.ChildModules[i], fmt.Sprintf("%s/child_modules/%d", at, i), visit)
	}
}

// noApps explains an empty selection, so that a gate pointed at the wrong
// file, or at a plan that removes the app, says so.
func noApps(d *document, sel selection) error {
	switch {
	case len(sel.removed) > 0:
		return fmt.Errorf("%w to audit: the plan removes %s", ErrNoApps, strings.Join(sel.removed, ", "))
	case len(sel.dataSources) > 0:
		return fmt.Errorf("%w: only the data source %s, which reads an app that this configuration does not manage", ErrNoApps, strings.Join(sel.dataSources, ", "))
	case d.isPlan():
		return fmt.Errorf("%w in the plan: is this the configuration that manages the Druva app?", ErrNoApps)
	case d.Values == nil:
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
