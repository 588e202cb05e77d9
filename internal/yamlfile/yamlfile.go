// Package yamlfile reads the YAML files a person writes (.ssoaudit.yaml,
// druva.yaml) strictly: known keys only, every problem a *FileError with its
// line, no anchors or aliases, and messages that never echo a secret.
package yamlfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/words"
)

// MaxFileSize is the largest file accepted. A settings file fits in a few
// kilobytes, so anything bigger is the wrong file or an attack, and refusing
// it keeps parsing time and memory bounded.
const MaxFileSize = 1 << 20

// FileError is a problem in a file a person wrote, located by line so they can
// fix it. The command line exits 2 on it (docs/cli.md).
type FileError struct {
	File   string
	Line   int // 0 when the problem is the file as a whole
	Column int
	Msg    string
}

// Error renders FILE:LINE: MSG, the form editors and CI logs link to.
func (e *FileError) Error() string {
	if e.File == "" {
		return e.Msg
	}
	if e.Line <= 0 {
		return e.File + ": " + e.Msg
	}
	return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
}

// Parser turns yaml.Node trees into typed values with messages we control,
// because yaml.v3's own type errors echo values and some of ours are secrets.
// It collects problems (Note) so that one run reports every problem of a
// file, not one per run.
type Parser struct {
	File string
	errs []*FileError
	// more counts problems found past MaxErrors, which are not kept (nor
	// their messages built, nor the rest of a mapping read).
	more int
}

// MaxErrors is how many problems of one file are listed; the rest are
// counted, so a hostile file can make neither an unbounded report nor a
// slow parse.
const MaxErrors = 50

// Errors is every problem found in one file, in line order (at most
// MaxErrors, then one that counts the rest).
type Errors []*FileError

// Error lists the problems one a line, FILE:LINE: MSG each.
func (e Errors) Error() string {
	var b strings.Builder
	for i, fe := range e {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(fe.Error())
	}
	return b.String()
}

// Unwrap gives errors.As access to each problem.
func (e Errors) Unwrap() []error {
	out := make([]error, len(e))
	for i, fe := range e {
		out[i] = fe
	}
	return out
}

// Join lists the problems of several files together: each file's in the
// order given (its own are in line order already), at most MaxErrors in
// all, then one that says listing stopped, so a fleet of broken files makes
// no unbounded report. One error comes back as it is.
func Join(errs ...error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	var out Errors
	for _, err := range errs {
		var fe *FileError
		var many Errors
		switch {
		case errors.As(err, &many):
			out = append(out, many...)
		case errors.As(err, &fe):
			out = append(out, fe)
		default:
			out = append(out, &FileError{Msg: err.Error()})
		}
	}
	if len(out) > MaxErrors {
		out = append(out[:MaxErrors:MaxErrors], &FileError{Msg: fmt.Sprintf("… and more problems: listing stopped after %d (fix those above first)", MaxErrors)})
	}
	return out
}

// ErrNoted is what a part of a parser returns when its problems are already
// noted: the caller skips the part, and Note records nothing more.
var ErrNoted = errors.New("problems already noted")

// Note records a problem and reports whether there was one, so a parser can
// go on to the next field: `if p.Note(err) { continue }`.
func (p *Parser) Note(err error) bool {
	if err == nil {
		return false
	}
	if err == ErrNoted {
		return true
	}
	if p.full() {
		p.more++
		return true
	}
	var fe *FileError
	var many Errors
	switch {
	case errors.As(err, &many):
		p.errs = append(p.errs, many...)
	case errors.As(err, &fe):
		p.errs = append(p.errs, fe)
	default:
		p.errs = append(p.errs, &FileError{File: p.File, Msg: err.Error()})
	}
	return true
}

// Problems is how many problems were noted so far.
func (p *Parser) Problems() int { return len(p.errs) + p.more }

// full reports whether MaxErrors problems are kept: the rest are counted.
func (p *Parser) full() bool { return len(p.errs) >= MaxErrors }

// Err is what was noted: nil, the one *FileError, or Errors in line order.
func (p *Parser) Err() error {
	switch len(p.errs) {
	case 0:
		return nil
	case 1:
		return p.errs[0]
	}
	out := slices.Clone(p.errs)
	slices.SortStableFunc(out, func(a, b *FileError) int { return a.Line - b.Line })
	if p.more > 0 {
		out = append(out, &FileError{File: p.File, Msg: fmt.Sprintf("… and more problems: listing stopped after %d (fix those above first)", MaxErrors)})
	}
	return Errors(out)
}

// ErrAt is a FileError at node n.
func (p *Parser) ErrAt(n *yaml.Node, format string, args ...any) error {
	return &FileError{File: p.File, Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(format, args...)}
}

// ReadCapped reads at most one byte past the limit, so a huge file or an
// endless device is refused without being held in memory.
func ReadCapped(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Decode parses data into the root mapping node, refusing whatever a
// hand-written settings file never needs: more than one document, anchors and
// aliases (the "billion laughs" vector), binary content and oversize files.
func Decode(name string, data []byte) (root *yaml.Node, err error) {
	fileErr := func(line int, format string, args ...any) error {
		return &FileError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	if len(data) > MaxFileSize {
		return nil, fileErr(0, "file is larger than the 1 MiB limit; a settings file is a few kilobytes, so this is probably the wrong file")
	}
	if bytes.IndexByte(data, 0) >= 0 || !utf8.Valid(data) {
		return nil, fileErr(0, "not a text file: it must be UTF-8 YAML")
	}
	// yaml.v3 has had panics on hostile input in the past; a bad file must
	// end in an error, never in a crash.
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, fileErr(0, "not valid YAML (the YAML parser failed: %v)", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fileErr(0, "file is empty")
		}
		return nil, yamlError(name, data, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, yamlError(name, data, err)
	default:
		return nil, fileErr(extra.Line, "a second YAML document starts here: the file must hold exactly one")
	}
	if err := rejectAliases(name, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) != 1 {
		return nil, fileErr(0, "file is empty")
	}
	root = doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return nil, fileErr(root.Line, "document is empty")
	}
	if root.Kind != yaml.MappingNode {
		return nil, fileErr(root.Line, "want a mapping of settings (key: value lines) at the top of the file, got %s", KindName(root))
	}
	return root, nil
}

// yamlError keeps yaml.v3's syntax message (which names no values) and moves
// its line number into the FileError.
//
// yaml.v3 names the line where the block it was reading starts ("line 2:
// did not find expected key" for a mis-indented line 8), which sends a
// person to the wrong place. The line that is wrong is the first whose
// lines up to it no longer parse: found by parsing prefixes of the file
// (a binary search, so a few parses), and named with the block's start.
func yamlError(name string, data []byte, err error) error {
	msg := err.Error()
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if bad := firstBadLine(data, line); bad > line {
			hint := ""
			if strings.Contains(m[2], "expected key") || strings.Contains(m[2], "'-' indicator") {
				hint = ": check this line's indentation"
			}
			return &FileError{File: name, Line: bad, Msg: fmt.Sprintf("not valid YAML: %s (in the block that starts at line %d%s)", m[2], line, hint)}
		}
		return &FileError{File: name, Line: line, Msg: "not valid YAML: " + m[2]}
	}
	return &FileError{File: name, Msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// firstBadLine returns the smallest line number k >= from such that the
// file's first k lines do not parse, or 0 when it cannot tell (every
// prefix parses, or the file is not a list of lines).
func firstBadLine(data []byte, from int) int {
	// ends[i] is the offset just past line i+1.
	var ends []int
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		ends = append(ends, len(data))
	}
	parses := func(k int) bool {
		var n yaml.Node
		ok := true
		func() {
			defer func() {
				if recover() != nil {
					ok = false
				}
			}()
			ok = yaml.Unmarshal(data[:ends[k-1]], &n) == nil
		}()
		return ok
	}
	lo, hi := max(from, 1), len(ends)
	if lo > hi || parses(hi) {
		return 0
	}
	// Invariant: the first hi lines do not parse.
	for lo < hi {
		mid := (lo + hi) / 2
		if parses(mid) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return hi
}

// rejectAliases walks the tree without recursion, so depth cannot exhaust
// the stack, and refuses anchors and aliases outright.
func rejectAliases(name string, doc *yaml.Node) error {
	stack := []*yaml.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Kind == yaml.AliasNode || n.Anchor != "" {
			return &FileError{File: name, Line: n.Line, Column: n.Column,
				Msg: "YAML anchors and aliases (&name, *name) are not supported: write each value out"}
		}
		// Reversed, so the first offender in reading order is reported.
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i])
		}
	}
	return nil
}

// Field is one key of a mapping with its value.
type Field struct {
	Key  string
	K, V *yaml.Node
}

// Fields checks that n is a mapping whose keys are all known and unique, so
// a typo cannot silently switch a check off. Bad keys are noted (see Note)
// and left out; the error returned is only for n not being a mapping. A nil known accepts any key (the
// caller checks it, as for rule IDs).
func (p *Parser) Fields(n *yaml.Node, where string, known []string) ([]Field, error) {
	if n.Kind != yaml.MappingNode || n.ShortTag() != "!!map" {
		return nil, p.ErrAt(n, "%s: want a mapping (key: value lines), got %s", where, KindName(n))
	}
	out := make([]Field, 0, len(n.Content)/2)
	seen := map[string]int{}
	// A bad key is noted and skipped, so the other keys are still read and
	// every problem of the file is reported in one run.
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		bad := k.Kind != yaml.ScalarNode || (known != nil && !slices.Contains(known, k.Value))
		if _, dup := seen[k.Value]; (bad || dup) && p.full() {
			// Enough to fix first: stop reading this mapping, so a
			// hostile file costs no more than MaxErrors messages.
			p.more++
			break
		}
		if k.Kind != yaml.ScalarNode {
			p.Note(p.ErrAt(k, "keys in %s must be plain names, got %s", where, KindName(k)))
			continue
		}
		if known != nil && !slices.Contains(known, k.Value) {
			msg := fmt.Sprintf("unknown key %s in %s (known keys: %s)", ShowKey(k.Value), where, strings.Join(known, ", "))
			if s := words.Closest(k.Value, known); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			p.Note(p.ErrAt(k, "%s", msg))
			continue
		}
		if first, dup := seen[k.Value]; dup {
			p.Note(p.ErrAt(k, "duplicate key %q in %s (first at line %d)", k.Value, where, first))
			continue
		}
		seen[k.Value] = k.Line
		out = append(out, Field{Key: k.Value, K: k, V: v})
	}
	return out, nil
}

// plainTags are the tags a scalar may carry; anything else (!!binary, a
// custom !tag) is a mistake in a hand-written file.
var plainTags = []string{"!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp"}

// Str reads a scalar as text; an empty value is "" (present but empty). Its
// messages name the value's kind only, so it is safe for secrets.
func (p *Parser) Str(v *yaml.Node, path string) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", p.ErrAt(v, "%s: want a string, got %s", path, KindName(v))
	}
	if !slices.Contains(plainTags, v.ShortTag()) {
		return "", p.ErrAt(v, "%s: unsupported YAML tag: want a plain string", path)
	}
	if v.ShortTag() == "!!null" {
		return "", nil
	}
	return v.Value, nil
}

// Bool reads true or false. An empty value is an error, not a finding:
// a switch has no "present but empty" state to record.
func (p *Parser) Bool(v *yaml.Node, path string) (bool, error) {
	if v.Kind == yaml.ScalarNode && v.ShortTag() == "!!bool" {
		if b, err := strconv.ParseBool(strings.ToLower(v.Value)); err == nil {
			return b, nil
		}
	}
	return false, p.ErrAt(v, "%s: want true or false, got %s", path, Shown(v, false))
}

// KindName describes a node's type for messages, never its content.
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "an empty value"
		case "!!bool":
			return "true/false"
		case "!!int", "!!float":
			return "a number"
		}
		return "a string"
	}
	return "nothing"
}

// Shown describes a value for messages: its kind, and for non-secret scalars
// the value itself (shortened) so the person sees what we read.
func Shown(n *yaml.Node, secret bool) string {
	if secret || n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		return KindName(n)
	}
	v := n.Value
	if audit.LooksLikeSecret(strings.TrimSpace(v)) {
		return KindName(n) + " (not shown: it looks like a token)"
	}
	if r := []rune(v); len(r) > 60 {
		v = string(r[:60]) + "…"
	}
	return KindName(n) + " " + strconv.Quote(v)
}

var (
	keyLike = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
)

// ShowKey quotes an unknown key only when it looks like a mistyped name: a
// token pasted where a key belongs (say, a flow mapping {A-166…}) must not be
// echoed into an error.
func ShowKey(k string) string {
	if keyLike.MatchString(k) && !audit.LooksLikeSecret(k) {
		return strconv.Quote(k)
	}
	return "(not shown: it does not look like a key name)"
}

// IsNull reports an empty value (`key:` or `key: ~`): present but empty.
func IsNull(v *yaml.Node) bool {
	return v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null"
}
