package consumer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema files in the repository (schema/), by the value of the document's
// "schema" field they describe.
var schemaFiles = map[string]string{
	"ssoaudit.report/v1":    "report.schema.json",
	"ssoaudit.rules/v1":     "rules.schema.json",
	"ssoaudit.framework/v1": "framework.schema.json",
}

var ourSchemas = struct {
	once sync.Once
	sch  map[string]*jsonschema.Schema
	err  error
}{}

// compileOurSchemas compiles the repository's JSON Schemas (draft 2020-12),
// with format assertions on, once per test process.
func compileOurSchemas() (map[string]*jsonschema.Schema, error) {
	ourSchemas.once.Do(func() {
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		ourSchemas.sch = map[string]*jsonschema.Schema{}
		for name, file := range schemaFiles {
			path := filepath.Join(repoRoot(), "schema", file)
			f, err := os.Open(path)
			if err != nil {
				ourSchemas.err = err
				return
			}
			doc, err := jsonschema.UnmarshalJSON(f)
			f.Close()
			if err != nil {
				ourSchemas.err = fmt.Errorf("%s: %w", path, err)
				return
			}
			id, _ := doc.(map[string]any)["$id"].(string)
			if id == "" {
				ourSchemas.err = fmt.Errorf("%s has no $id", path)
				return
			}
			if err := c.AddResource(id, doc); err != nil {
				ourSchemas.err = err
				return
			}
			sch, err := c.Compile(id)
			if err != nil {
				ourSchemas.err = fmt.Errorf("%s: %w", path, err)
				return
			}
			ourSchemas.sch[name] = sch
		}
	})
	return ourSchemas.sch, ourSchemas.err
}

// SchemaProblem validates a JSON document ssoaudit wrote (a report or the
// rule catalog) against the repository's JSON Schema its "schema" field
// names, and returns what is wrong, or nil.
func SchemaProblem(data []byte) error {
	schemas, err := compileOurSchemas()
	if err != nil {
		return fmt.Errorf("the repository's JSON Schemas: %w", err)
	}
	var head struct {
		Schema string `json:"schema"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	sch, ok := schemas[head.Schema]
	if !ok {
		return fmt.Errorf("schema %q names no schema in schema/", head.Schema)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("%s fails %s (a field added to the JSON is added to the schema too: docs/reports.md): %v", head.Schema, schemaFiles[head.Schema], err)
	}
	return nil
}

// JSONSchema checks a JSON report or rule catalog against the repository's
// JSON Schema (SchemaProblem).
func JSONSchema(tb testing.TB, data []byte) {
	tb.Helper()
	if err := SchemaProblem(data); err != nil {
		const max = 4000
		doc := data
		if len(doc) > max {
			doc = append(doc[:max:max], "…"...)
		}
		tb.Fatalf("%v\n--- document ---\n%s", err, doc)
	}
	Counts.add(OurJSONSchema)
}
