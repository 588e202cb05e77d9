package terraform

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/testkit/race"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

// marshalKeysDescending writes v with every object's keys in reverse order
// (encoding/json sorts them).
func marshalKeysDescending(t testing.TB, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	var write func(v any)
	write = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			slices.Reverse(keys)
			b.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					b.WriteByte(',')
				}
				name, _ := json.Marshal(k)
				b.Write(name)
				b.WriteByte(':')
				write(v[k])
			}
			b.WriteByte('}')
		case doc:
			write(map[string]any(v))
		case []any:
			b.WriteByte('[')
			for i, e := range v {
				if i > 0 {
					b.WriteByte(',')
				}
				write(e)
			}
			b.WriteByte(']')
		default:
			data, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(data)
		}
	}
	write(v)
	return b.Bytes()
}

// sameTargets compares what the rules read of two parses.
func sameTargets(t testing.TB, got, want []*audit.Target) {
	t.Helper()
	if !reflect.DeepEqual(names(got), names(want)) {
		t.Fatalf("targets %v, want %v", names(got), names(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if !reflect.DeepEqual(g.App, w.App) {
			t.Errorf("%s: app\n%s\nwant\n%s", g.Name, dump(g.App), dump(w.App))
		}
		for _, in := range []audit.Input{audit.InputApp, audit.InputKeys, audit.InputMetadata, audit.InputUsers} {
			gg, gok := g.Gap(in)
			wg, wok := w.Gap(in)
			if gok != wok || gg != wg {
				t.Errorf("%s: gap of %s = %+v, want %+v", g.Name, in, gg, wg)
			}
		}
		if len(g.Keys) != len(w.Keys) || (g.Metadata == nil) != (w.Metadata == nil) {
			t.Errorf("%s: %d keys, metadata %v; want %d, %v", g.Name, len(g.Keys), g.Metadata != nil, len(w.Keys), w.Metadata != nil)
		}
	}
}

// TestKeyOrder: JSON does not order an object's keys. A document with its
// keys in reverse order (resource_changes before planned_values, a module's
// resources before its child_modules, values before type) yields the same
// targets, in the same order, as one in encoding/json's sorted order (the
// other way round).
func TestKeyOrder(t *testing.T) {
	for _, tc := range []struct {
		file   string
		mutate func(t *testing.T, d doc)
	}{
		{planFile, func(*testing.T, doc) {}},
		{stateFile, func(*testing.T, doc) {}},
		{planFile, func(t *testing.T, d doc) {
			// after_unknown decides: sso_url unknown until apply.
			d.obj(t, changeRoot...)["after_unknown"].(map[string]any)["sso_url"] = true
			delete(d.values(t, planRoot), "sso_url")
		}},
		{planFile, func(t *testing.T, d doc) {
			// The plan removes the root app: left out.
			d.obj(t, changeRoot...)["actions"] = []any{"delete"}
		}},
	} {
		d := readDoc(t, tc.file)
		tc.mutate(t, d)
		want := parseDoc(t, d)
		got, err := Parse("test.json", bytes.NewReader(marshalKeysDescending(t, d)))
		if err != nil {
			t.Fatal(err)
		}
		sameTargets(t, got, want)
	}
}

// TestValueCap: an okta_app_saml attribute value over okta.MaxValueSize is
// refused like a value in an Okta file: the input it belongs to fails,
// naming the JSON pointer (never the value), and the plan's other apps are
// audited as usual. The first pass names the app without it.
func TestValueCap(t *testing.T) {
	huge := strings.Repeat("x", okta.MaxValueSize+1)
	base := "/planned_values/root_module/resources/1/values/"
	tests := []struct {
		name   string
		file   string
		mutate func(t *testing.T, d doc)
		input  audit.Input
		at     string
	}{
		{"label", planFile, func(t *testing.T, d doc) { d.values(t, planRoot)["label"] = huge }, audit.InputApp, base + "label"},
		{"inside attribute_statements", planFile, func(t *testing.T, d doc) {
			d.values(t, planRoot)["attribute_statements"].([]any)[0].(map[string]any)["values"] = []any{huge}
		}, audit.InputApp, base + "attribute_statements/0/values/0"},
		{"a name with a slash", planFile, func(t *testing.T, d doc) { d.values(t, planRoot)["a/b"] = huge }, audit.InputApp, base + "a~1b"},
		{"metadata", stateFile, func(t *testing.T, d doc) { d.values(t, stateRoot)["metadata"] = huge }, audit.InputMetadata, "/values/root_module/resources/1/values/metadata"},
		{"certificate", stateFile, func(t *testing.T, d doc) {
			delete(d.values(t, stateRoot), "keys")
			d.values(t, stateRoot)["certificate"] = huge
		}, audit.InputKeys, "/values/root_module/resources/1/values/certificate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := readDoc(t, tc.file)
			tc.mutate(t, d)
			listed, targets := streamAll(t, "test.json", bytes.NewReader(d.bytes(t)), -1)
			tg := find(t, targets, rootAddr)
			g, ok := tg.Gap(tc.input)
			if !ok || !g.Failed || !strings.Contains(g.Reason, "larger than 64 KiB at "+tc.at+":") || strings.Contains(g.Reason, "xxxx") {
				t.Errorf("gap of %s = %+v, want failed naming %s and not the value", tc.input, g, tc.at)
			}
			for in, state := range gaps(tg) {
				if state == "failed" && in != tc.input {
					t.Errorf("%s failed too: %s", in, gapReason(t, tg, in))
				}
			}
			for in, state := range gaps(find(t, targets, legacyAddr)) {
				if state == "failed" {
					t.Errorf("the other app's %s failed", in)
				}
			}
			checkListed(t, listed, targets)
		})
	}
}

// checkListed asserts that the first pass listed exactly the targets the
// second built, with the same names, IDs and labels.
func checkListed(t testing.TB, listed []App, targets []*audit.Target) {
	t.Helper()
	if len(listed) != len(targets) {
		t.Fatalf("listed %d apps, built %d targets", len(listed), len(targets))
	}
	for i, tg := range targets {
		if want := (App{Address: tg.Name, ID: tg.App.ID, Label: tg.App.Label}); listed[i] != want {
			t.Errorf("listed %+v, built %+v", listed[i], want)
		}
	}
}

// TestPlanValueCap: any other value in the document has a looser cap,
// MaxPlanValueSize (a plan may hold other providers' resources), past which
// the whole document is refused, naming where, before the decoder holds it.
func TestPlanValueCap(t *testing.T) {
	d := readDoc(t, planFile)
	d.values(t, []any{"planned_values", "root_module", "resources", 2})["description"] = strings.Repeat("x", MaxPlanValueSize+1)
	_, err := Parse("test.json", bytes.NewReader(d.bytes(t)))
	if err == nil || !strings.Contains(err.Error(), "larger than 8 MiB at /planned_values/root_module/resources/2/values/description") {
		t.Fatalf("err = %v", err)
	}
}

// TestPipe: input that cannot seek (a pipe, process substitution) is read
// once into memory and parsed as a file would be.
func TestPipe(t *testing.T) {
	data, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse("plan.json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse("plan.json", io.MultiReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	sameTargets(t, got, want)
}

// TestStreamCallbacks: apps comes once, before the first target; an error of
// either callback stops the read and comes back as it is; a document error
// comes before any target.
func TestStreamCallbacks(t *testing.T) {
	stop := errors.New("stop")
	n := 0
	err := Stream(planFile, nil, func(*audit.Target) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("found's error: %v after %d targets, want it as it is after 1", err, n)
	}
	n = 0
	err = Stream(planFile, func([]App) error { return stop }, func(*audit.Target) error {
		n++
		return nil
	})
	if err != stop || n != 0 {
		t.Errorf("apps' error: %v after %d targets", err, n)
	}
	d := readDoc(t, planFile)
	d.obj(t, "planned_values", "root_module")["child_modules"] = "x"
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, d.bytes(t), 0o600); err != nil {
		t.Fatal(err)
	}
	n = 0
	err = Stream(path, nil, func(*audit.Target) error {
		n++
		return nil
	})
	if err == nil || n != 0 || !strings.Contains(err.Error(), "/planned_values/root_module/child_modules") {
		t.Errorf("a bad child_modules after the apps: %v after %d targets, want an error before any", err, n)
	}
}

// swapper is a file that another process rewrites once the first pass is
// over: at the first seek past the start.
type swapper struct {
	*bytes.Reader
	next []byte
}

func (s *swapper) Seek(off int64, whence int) (int64, error) {
	if s.next != nil && off > 3 && whence == io.SeekStart {
		s.Reader, s.next = bytes.NewReader(s.next), nil
	}
	return s.Reader.Seek(off, whence)
}

// TestChangedBetweenPasses: the second pass checks that each resource is
// the one the first pass found, so a plan rewritten in between is an error,
// not a mix of two plans.
func TestChangedBetweenPasses(t *testing.T) {
	data, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	next := bytes.ReplaceAll(data, []byte(`"okta_app_saml.druva"`), []byte(`"okta_app_saml.druvX"`))
	if bytes.Equal(next, data) {
		t.Fatal("no address to change")
	}
	_, err = Parse("plan.json", &swapper{bytes.NewReader(data), next})
	if err == nil || !strings.Contains(err.Error(), "changed while it was read") {
		t.Fatalf("err = %v", err)
	}
}

// TestResourceCap: an okta_app_saml resource over MaxResourceSize (many
// values, each under the value cap) is not read: its app, keys and metadata
// fail naming it, and the plan's other app is audited.
func TestResourceCap(t *testing.T) {
	d := readDoc(t, planFile)
	vals := d.values(t, planRoot)
	chunk := strings.Repeat("x", 60<<10)
	for i := range MaxResourceSize/len(chunk) + 1 {
		vals[fmt.Sprintf("extra%d", i)] = chunk
	}
	listed, targets := streamAll(t, "test.json", bytes.NewReader(d.bytes(t)), -1)
	tg := find(t, targets, rootAddr)
	for _, in := range []audit.Input{audit.InputApp, audit.InputKeys, audit.InputMetadata} {
		if g, ok := tg.Gap(in); !ok || !g.Failed || !strings.Contains(g.Reason, "/planned_values/root_module/resources/1) is larger than 4 MiB") {
			t.Errorf("gap of %s = %+v", in, g)
		}
	}
	for in, state := range gaps(find(t, targets, legacyAddr)) {
		if state == "failed" {
			t.Errorf("the other app's %s failed", in)
		}
	}
	checkListed(t, listed, targets)
}

// TestTooManyApps: the first pass keeps a little of each okta_app_saml
// resource and change, so their number is bounded (MaxApps): a document of
// tiny ones is refused, not kept.
func TestTooManyApps(t *testing.T) {
	for _, tc := range []struct{ name, head, elem, tail string }{
		{"resources", `{"format_version":"1.0","values":{"root_module":{"resources":[`, `{"type":"okta_app_saml","name":"a%d"}`, `]}}}`},
		{"changes", `{"format_version":"1.2","planned_values":{},"resource_changes":[`, `{"type":"okta_app_saml","address":"okta_app_saml.a%d"}`, `]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(tc.head)
			for i := range MaxApps + 1 {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, tc.elem, i)
			}
			b.WriteString(tc.tail)
			_, err := Parse("test.json", strings.NewReader(b.String()))
			if err == nil || !strings.Contains(err.Error(), "more than 50000 okta_app_saml resources") {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

// TestDuplicateNames: a name given twice where the parser reads it is
// refused, since Terraform reads the last copy: in the document's structure
// the whole document, among an app's attribute values the input it belongs
// to (the plan's other apps are audited). Elsewhere (variables,
// configuration, other resources' values) duplicates are not looked for.
func TestDuplicateNames(t *testing.T) {
	data, err := os.ReadFile(planFile)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	dup := func(t *testing.T, old, new string) string {
		t.Helper()
		if !strings.Contains(text, old) {
			t.Fatalf("plan.json has no %s", old)
		}
		return strings.Replace(text, old, new, 1)
	}
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"type of a resource", dup(t, `"type": "okta_app_saml",`, `"type": "okta_app_saml", "type": "okta_group",`), `duplicate object member name "type" at /planned_values/root_module/resources/`},
		{"resources of a module", dup(t, `"root_module": {`, `"root_module": {"resources": [],`), `duplicate object member name "resources" at /planned_values/root_module/resources`},
		{"actions of a change", dup(t, `"actions": [`, `"actions": ["delete"], "actions": [`), `duplicate object member name "actions"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("plan.json", strings.NewReader(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	d := readDoc(t, planFile)
	d.values(t, planRoot)["sso_url"] = "https://first.example"
	doc := strings.Replace(string(d.bytes(t)), `"sso_url":"https://first.example"`, `"sso_url":"https://first.example","sso_url":"https://cloud.druva.com/wrsaml/consume"`, 1)
	listed, targets := streamAll(t, "plan.json", strings.NewReader(doc), int64(len(doc)))
	if g, ok := find(t, targets, rootAddr).Gap(audit.InputApp); !ok || !g.Failed || !strings.Contains(g.Reason, `"sso_url" is twice in /planned_values/root_module/resources/1/values`) {
		t.Errorf("app gap = %+v, want failed: sso_url twice", g)
	}
	for in, state := range gaps(find(t, targets, legacyAddr)) {
		if state == "failed" {
			t.Errorf("the other app's %s failed", in)
		}
	}
	checkListed(t, listed, targets)
	// Elsewhere, a duplicate is not looked for.
	if _, err := Parse("plan.json", strings.NewReader(dup(t, `"variables": {`, `"variables": {"x": 1, "x": 2,`))); err != nil {
		t.Errorf("duplicate variable: %v", err)
	}
}

// TestManyNamesBound: an object of a million names (11 MiB of variables)
// is streamed in flat memory: the decoder does not keep its names to look
// for duplicates.
func TestManyNamesBound(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"format_version":"1.0","variables":{`)
	for i := range 1_000_000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"v%d":1`, i)
	}
	b.WriteString(`},"values":{"root_module":{"resources":[{"type":"okta_app_saml","name":"a","values":{}}]}}}`)
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	b = strings.Builder{}
	peak := peakHeap(func() {
		if err := Stream(path, nil, func(*audit.Target) error { return nil }); err != nil {
			t.Fatal(err)
		}
	})
	// Measured: under 1 MiB (the decoder keeping the names: 100 MiB).
	if limit := uint64(8<<20) * race.Factor; peak > limit {
		t.Errorf("a million names peak at %d KiB of heap, want at most %d KiB", peak>>10, limit>>10)
	}
}

// TestModuleCap: the first pass keeps no tree of modules, only each app's
// place in it, and modules are bounded: nested at most MaxModuleDepth deep
// (a resource's pointer grows with the depth), at most MaxApps of them.
func TestModuleCap(t *testing.T) {
	nested := func(depth int) string {
		app := `{"resources":[{"type":"okta_app_saml","name":"deep","values":null}]}`
		for range depth {
			app = `{"child_modules":[{},` + app + `]}`
		}
		return `{"format_version":"1.0","values":{"root_module":` + app + `}}`
	}
	targets, err := Parse("state.json", strings.NewReader(nested(MaxModuleDepth)))
	if err != nil || len(targets) != 1 {
		t.Fatalf("%d deep: %d targets, %v", MaxModuleDepth, len(targets), err)
	}
	want := "(at /values/root_module" + strings.Repeat("/child_modules/1", MaxModuleDepth) + "/resources/0)"
	if r := gapReason(t, targets[0], audit.InputApp); !strings.Contains(r, want) {
		t.Errorf("reason %q, want it to name %s", r, want)
	}
	if _, err := Parse("state.json", strings.NewReader(nested(MaxModuleDepth+1))); err == nil || !strings.Contains(err.Error(), "nested more than 32 deep") {
		t.Errorf("%d deep: %v", MaxModuleDepth+1, err)
	}
	many := `{"format_version":"1.0","values":{"root_module":{"child_modules":[` + strings.Repeat(`{},`, MaxApps) + `{"resources":[{"type":"okta_app_saml","name":"a"}]}]}}}`
	if _, err := Parse("state.json", strings.NewReader(many)); err == nil || !strings.Contains(err.Error(), "more than 50000 modules") {
		t.Errorf("%d modules: %v", MaxApps+2, err)
	}
}

// TestWalkOrder: apps come as a walk of the module tree visits them (a
// module's own resources, then its child modules in order, depth first),
// whatever order the keys of the modules come in.
func TestWalkOrder(t *testing.T) {
	app := func(name string) string { return `{"type":"okta_app_saml","name":"` + name + `"}` }
	doc := `{"format_version":"1.0","values":{"root_module":{` +
		`"child_modules":[{"child_modules":[{"resources":[` + app("c") + `]}],"resources":[` + app("b") + `]},{"resources":[` + app("d") + `]}],` +
		`"resources":[` + app("a") + `,` + app("a2") + `]}}}`
	targets, err := Parse("state.json", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"okta_app_saml.a", "okta_app_saml.a2", "okta_app_saml.b", "okta_app_saml.c", "okta_app_saml.d"}
	if got := names(targets); !reflect.DeepEqual(got, want) {
		t.Errorf("targets %v, want %v", got, want)
	}
}

// streamAll streams a plan, failing the test on an error, and returns the
// apps listed first and the targets built.
func streamAll(t *testing.T, name string, r io.Reader, size int64) ([]App, []*audit.Target) {
	t.Helper()
	var listed []App
	var targets []*audit.Target
	err := stream(name, r, size, func(apps []App) error {
		listed = apps
		return nil
	}, func(tg *audit.Target) error {
		targets = append(targets, tg)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return listed, targets
}
