// Package keyline finds the line of a key in a JSON or YAML document, so a
// finding can point at the line of the value its rule read (SARIF's
// region.startLine, file:line in the reports people read).
package keyline

import (
	"bytes"
	"encoding/json"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxSize bounds the documents looked into: a key's line is worth a small
// file's second read, not a large one's.
const MaxSize = 4 << 20

// JSON returns the line (1-based) of the key at the dotted path in a JSON
// document ("settings.signOn.ssoAcsUrl"), or of the deepest of its parents
// that is there when the key itself is absent (a field Okta did not send);
// 1 when none is, or the document cannot be read.
func JSON(data []byte, path string) int {
	if len(data) > MaxSize || path == "" {
		return 1
	}
	want := strings.Split(path, ".")
	dec := json.NewDecoder(bytes.NewReader(data))
	best, bestDepth := 1, 0
	// stack holds, for each open container, whether it is an object and
	// the key being read in it.
	type frame struct {
		object bool
		key    string
		expect bool // the next token is a key
	}
	var stack []frame
	matches := func(depth int) bool {
		if depth > len(want) {
			return false
		}
		for i := 0; i < depth; i++ {
			if !stack[i].object || stack[i].key != want[i] {
				return false
			}
		}
		return true
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return best
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expect {
			if k, ok := tok.(string); ok {
				stack[n-1].key, stack[n-1].expect = k, false
				if n > bestDepth && matches(n) {
					best, bestDepth = 1+bytes.Count(data[:dec.InputOffset()], []byte("\n")), n
					if n == len(want) {
						return best
					}
				}
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, expect: true})
			continue
		case json.Delim('['):
			stack = append(stack, frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value ended: the enclosing object expects its next key.
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].expect = true
		}
	}
}

// YAML is JSON for a YAML document (druva.yaml): the line of the key at the
// dotted path ("admins.failsafe"), else of its deepest parent there, else 1.
func YAML(data []byte, path string) int {
	if len(data) > MaxSize || path == "" {
		return 1
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return 1
	}
	node, best := doc.Content[0], 1
	for _, k := range strings.Split(path, ".") {
		if node.Kind != yaml.MappingNode {
			return best
		}
		var next *yaml.Node
		for i := 0; i+1 < len(node.Content); i += 2 {
			if node.Content[i].Value == k {
				best, next = node.Content[i].Line, node.Content[i+1]
				break
			}
		}
		if next == nil {
			return best
		}
		node = next
	}
	return best
}
