package report

// Evidence as text: one value, one list, one line.

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// evidenceValue renders one evidence value as text: strings as they are,
// values with a text form (time.Time, audit.Secret) in that form, anything
// else as JSON. Secrets therefore only ever show their redacted form.
func evidenceValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case encoding.TextMarshaler:
		if b, err := x.MarshalText(); err == nil {
			return string(b)
		}
	case json.Marshaler:
		// A type that chose its JSON form (nested audit.Evidence keeps its
		// key order this way) knows best how to show itself.
		if b, err := x.MarshalJSON(); err == nil {
			return string(b)
		}
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("(unprintable %T: %v)", v, err)
	}
	return string(b)
}

// oneLine squeezes text onto one line of at most max runes, for places
// (terminal blocks) where a long evidence value would drown the finding.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// evidenceList returns the elements of a list-valued piece of evidence, each
// as text (see evidenceValue), and whether v is a list at all. Types that
// choose their own form (audit.Evidence is a slice but an object in JSON)
// and byte slices are not lists here.
func evidenceList(v any) ([]string, bool) {
	switch v.(type) {
	case nil, string, []byte, encoding.TextMarshaler, json.Marshaler:
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	out := make([]string, rv.Len())
	for i := range out {
		out[i] = evidenceValue(rv.Index(i).Interface())
	}
	return out, true
}

// maxEvidenceItems is how many elements of an evidence list the table and
// Markdown show before saying how many more there are.
const maxEvidenceItems = 10
