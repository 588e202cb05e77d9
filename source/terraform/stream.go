package terraform

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

// A document is read in two passes, so that memory stays that of one
// resource however many the plan holds (a plan of 13,000 apps is 55 MB):
//
//  1. scan streams the whole document once, token by token, checks its
//     structure (the errors name the JSON pointer), and keeps only what
//     selecting and naming the apps needs: each okta_app_saml resource's
//     address, label, ID and byte offset, and what the plan's
//     resource_changes say of those addresses (removed or not, which
//     attributes are unknown until apply). JSON does not order an object's
//     keys, so resource_changes may come before or after planned_values.
//  2. Each selected resource is then read alone from its offset, mapped
//     onto a target, and handed over before the next is read.
//
// A regular UTF-8 file is read from disk both times. Input that cannot be
// read twice (a pipe) or that needs transcoding (UTF-16) is first held in
// memory as UTF-8, within MaxDocumentSize.

// MaxPlanValueSize bounds one JSON value (string, number, literal) anywhere
// in the document: the decoder holds a whole value, so one giant string must
// not make the tool hold it. It is loose, because a plan may also hold other
// providers' resources; okta_app_saml attribute values have Okta's own
// limit, okta.MaxValueSize, checked per resource.
const MaxPlanValueSize = 8 << 20

// MaxResourceSize bounds one okta_app_saml resource object, as
// okta.MaxDocumentSize bounds each Okta file: a resource is a few KiB (its
// metadata and certificates included). A larger one is not read: its
// target's Okta inputs fail, naming it, and the plan's other apps are
// audited.
const MaxResourceSize = okta.MaxDocumentSize

// MaxApps bounds the okta_app_saml resources of a document, and their
// changes: the first pass keeps a few hundred bytes of each (address,
// label, offset), so a document of a million tiny ones must not make it
// keep them all. No Okta org has that many apps; a plan of 13,000 is 55 MB.
const MaxApps = 50_000

var errTooManyApps = &limitError{fmt.Sprintf("more than %d okta_app_saml resources or resource changes: refusing it (no Okta org has that many apps)", MaxApps)}

// limitError is a document over one of the bounds of this file.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

// App is one target a document yields, as the first pass finds it: what
// naming the targets needs before any is built (a label that two apps
// share is not a name).
type App struct {
	// Address is the resource's address, the target's Name.
	Address string
	// ID and Label are the target's App.ID and App.Label.
	ID, Label string
}

// input is a document ready to be read from any offset of its UTF-8 text.
type input struct {
	rs io.ReadSeeker
	// base is where the JSON text starts in rs (after a UTF-8 byte order
	// mark).
	base int64
}

var errTooLarge = fmt.Errorf("larger than %d MiB: refusing to parse it as `terraform show -json` output", MaxDocumentSize>>20)

// openInput prepares r, of size bytes from its current offset (-1: unknown,
// or r cannot seek), for reading twice.
func openInput(r io.Reader, size int64) (*input, error) {
	rs, ok := r.(io.ReadSeeker)
	var base int64
	if ok && size >= 0 {
		var err error
		if base, err = rs.Seek(0, io.SeekCurrent); err != nil {
			ok = false
		}
	}
	if !ok || size < 0 {
		data, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
		if err != nil {
			return nil, err
		}
		rs, size, base = bytes.NewReader(data), int64(len(data)), 0
	}
	if size > MaxDocumentSize {
		return nil, errTooLarge
	}
	var head [3]byte
	n, err := io.ReadFull(rs, head[:])
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	// Undo the encodings a JSON file picks up on its way to disk: a UTF-8
	// byte order mark, and UTF-16 from Windows PowerShell's `>`.
	var order binary.ByteOrder
	switch h := head[:n]; {
	case bytes.HasPrefix(h, []byte{0xEF, 0xBB, 0xBF}):
		return &input{rs: rs, base: base + 3}, nil
	case bytes.HasPrefix(h, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(h, []byte{0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return &input{rs: rs, base: base}, nil
	}
	if (size-2)%2 != 0 {
		return nil, errors.New("not JSON: the file starts like UTF-16 text but has an odd number of bytes")
	}
	if _, err := rs.Seek(base+2, io.SeekStart); err != nil {
		return nil, err
	}
	text, err := fromUTF16(io.LimitReader(rs, size-2), order, size-2)
	if err != nil {
		return nil, err
	}
	return &input{rs: bytes.NewReader(text)}, nil
}

// at returns a reader of the JSON text from offset off, every value in it
// capped at MaxPlanValueSize.
func (in *input) at(off int64) (io.Reader, error) {
	if _, err := in.rs.Seek(in.base+off, io.SeekStart); err != nil {
		return nil, err
	}
	return okta.LimitValues(in.rs, MaxPlanValueSize), nil
}

// fromUTF16 transcodes UTF-16 text (an even number of bytes, byte order
// mark removed) to UTF-8 as it reads it, as utf16.Decode would: an unpaired
// surrogate becomes U+FFFD.
func fromUTF16(r io.Reader, order binary.ByteOrder, size int64) ([]byte, error) {
	out := make([]byte, 0, size/2+utf8.UTFMax)
	buf := make([]byte, 32<<10)
	high := rune(-1) // a high surrogate waiting for its pair
	for {
		n, err := io.ReadFull(r, buf)
		for i := 0; i+1 < n; i += 2 {
			u := rune(order.Uint16(buf[i:]))
			if high >= 0 {
				if p := utf16.DecodeRune(high, u); p != utf8.RuneError {
					out, high = utf8.AppendRune(out, p), -1
					continue
				}
				out, high = utf8.AppendRune(out, utf8.RuneError), -1
			}
			switch {
			case u >= 0xD800 && u < 0xDC00:
				high = u
			case utf16.IsSurrogate(u):
				out = utf8.AppendRune(out, utf8.RuneError)
			default:
				out = utf8.AppendRune(out, u)
			}
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if high >= 0 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return out, nil
}

// stream reads the document from r in two passes and hands found each
// target, once apps (when not nil) has the list of them all. Errors of the
// callbacks come back as they are; the document's are prefixed with name.
func stream(name string, r io.Reader, size int64, apps func([]App) error, yield func(*audit.Target) error) error {
	var cb *callbackError
	err := streamDoc(name, r, size, apps, yield)
	if errors.As(err, &cb) {
		return cb.err
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

type callbackError struct{ err error }

func (e *callbackError) Error() string { return e.err.Error() }

func streamDoc(name string, r io.Reader, size int64, apps func([]App) error, yield func(*audit.Target) error) error {
	in, err := openInput(r, size)
	if err != nil {
		return err
	}
	s, err := scan(in)
	if err != nil {
		return err
	}
	plan := s.planned != nil
	sel := s.selectApps()
	if len(sel.apps) == 0 {
		return noApps(s, sel)
	}
	// The trees are done with: the selection has what the second pass needs.
	s.planned, s.values = nil, nil
	if apps != nil {
		list := make([]App, len(sel.apps))
		for i, c := range sel.apps {
			list[i] = App{Address: c.address, ID: c.id, Label: c.label}
		}
		if err := apps(list); err != nil {
			return &callbackError{err}
		}
	}
	rd := resourceReader{in: in}
	for i := range sel.apps {
		c := &sel.apps[i]
		var t *audit.Target
		if c.size > MaxResourceSize {
			t = tooLargeTarget(name, plan, c)
		} else {
			res, err := rd.read(c)
			if err != nil {
				return err
			}
			t = newTarget(name, plan, found{res: res, at: c.pointer(), change: s.changes[c.address]})
		}
		c.module, c.label, c.id = "", "", "" // no longer needed
		if err := yield(t); err != nil {
			return &callbackError{err}
		}
	}
	return nil
}

// tooLargeTarget is the target of a resource over MaxResourceSize: its Okta
// inputs fail, so every rule that reads them ends in error.
func tooLargeTarget(name string, plan bool, c *candidate) *audit.Target {
	t := newTarget(name, plan, found{res: &resource{Address: c.address}, at: c.pointer()})
	err := fmt.Errorf("%s (at %s) is larger than %d MiB: refusing it (an okta_app_saml resource is a few KiB)", c.address, c.pointer(), MaxResourceSize>>20)
	for _, in := range []audit.Input{audit.InputApp, audit.InputKeys, audit.InputMetadata} {
		t.Failed(in, err)
	}
	return t
}

// decodeOptions: the decoder does not look for duplicate names itself. It
// would keep every name of an object to do so, and one object of millions
// of names (23 MiB of them) took 200 MiB. The passes refuse a duplicate of
// each name they read instead (members), which is what matters: a value
// read from the first copy of a name that Terraform reads from the last.
var decodeOptions = jsontext.AllowDuplicateNames(true)

// dupError is a name an object holds twice, among those the parser reads.
type dupError struct{ name, at string }

func (e *dupError) Error() string {
	return fmt.Sprintf("not JSON: duplicate object member name %q at %s", e.name, e.at)
}

// oneOf tells the names a members call reads.
func oneOf(names ...string) func(string) bool {
	return func(name string) bool { return slices.Contains(names, name) }
}

// typeError is a value of the wrong JSON type, named by its pointer.
type typeError struct {
	at   string
	got  jsontext.Kind
	want string
}

func (e *typeError) Error() string {
	at := e.at
	if at == "" {
		at = "the top level"
	}
	return fmt.Sprintf("wrong JSON type at %s: got %s, want %s", at, kindName(e.got), e.want)
}

// scanner is the first pass (see the top of this file).
type scanner struct {
	dec *jsontext.Decoder

	version                  *string
	planned, values          *stateValues
	errored                  bool
	rawVersion, rawResources bool
	// changes are the plan's resource changes of okta_app_saml (by type or
	// address), deposed objects left out; the last one of an address wins.
	changes map[string]*change
	// removed are the okta_app_saml resources the plan deletes or forgets.
	removed []string
	// apps and appChanges count what the first pass keeps (MaxApps),
	// modules the modules.
	apps, appChanges, modules int
	// tree is where resources go while planned_values or values is read.
	tree *stateValues
}

// stateValues is what the first pass keeps of planned_values or values:
// the okta_app_saml resources of its tree of modules. The tree itself is
// not kept (a document may hold millions of empty modules): each resource
// records its module's place in a walk of the tree (modules are numbered
// as their objects start, which is depth-first order whatever the order
// of keys inside a module) and its index in the module's resources.
type stateValues struct {
	apps []candidate // managed okta_app_saml resources, not deposed
	data []candidate // okta_app_saml data sources
}

// candidate is an okta_app_saml resource the first pass found.
type candidate struct {
	address, id, label string
	// module is the module's JSON pointer (shared by its resources),
	// ordinal its number in the walk, index the resource's index in it.
	module         string
	ordinal, index int
	// offset is the byte offset of the resource's '{' in the JSON text,
	// size its length in bytes.
	offset, size int64
}

// pointer is the JSON pointer of the resource object.
func (c *candidate) pointer() string { return c.module + "/resources/" + strconv.Itoa(c.index) }

// walkOrder sorts resources as a walk of the tree visits them: root module
// first, then child modules depth first, each module's in its order.
func walkOrder(cs []candidate) {
	slices.SortStableFunc(cs, func(a, b candidate) int {
		if a.ordinal != b.ordinal {
			return a.ordinal - b.ordinal
		}
		return a.index - b.index
	})
}

// change is what a plan's resource change says of its resource.
type change struct {
	// removes: the plan deletes or forgets the resource.
	removes bool
	// hasChange: after_unknown is there (an object, or null) to tell which
	// values are unknown until apply.
	hasChange bool
	// unknown are the attributes after_unknown marks (true, or true
	// anywhere inside).
	unknown []string
}

func scan(in *input) (*scanner, error) {
	r, err := in.at(0)
	if err != nil {
		return nil, err
	}
	// The start of the file tells the files people mistake for a plan.
	head := make([]byte, 64<<10)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, sizeError(err, "")
	}
	head = head[:n]
	switch {
	case len(bytes.TrimSpace(head)) == 0 && n < cap(head):
		return nil, errors.New("empty file: want the output of `terraform show -json`")
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return nil, errors.New("this is a binary plan file (from `terraform plan -out`): run `terraform show -json PLANFILE > plan.json` and audit that")
	case looksLikeLog(head):
		return nil, errors.New("this is `terraform plan -json` log output, not a plan: save the plan with `terraform plan -out PLANFILE`, then run `terraform show -json PLANFILE`")
	}
	if r, err = in.at(0); err != nil {
		return nil, err
	}
	s := &scanner{dec: jsontext.NewDecoder(r, decodeOptions), changes: map[string]*change{}}
	if err := s.document(); err != nil {
		return nil, s.fail(err)
	}
	if s.version == nil {
		if s.rawVersion && s.rawResources {
			return nil, errors.New("this is a raw state file (terraform.tfstate), not `terraform show -json` output: run `terraform show -json > state.json` and audit that")
		}
		return nil, errors.New(`no "format_version": this is not the output of ` + "`terraform show -json`")
	}
	v := *s.version
	if major, _, _ := strings.Cut(v, "."); major != "0" && major != "1" {
		return nil, fmt.Errorf("format_version %q is not supported: ssoaudit reads format 1.x (Terraform 1.x, OpenTofu)", v)
	}
	if s.planned != nil && s.errored {
		return nil, errors.New(`the plan has "errored": true: Terraform could not finish planning, so its values are incomplete; fix the plan first`)
	}
	return s, nil
}

// fail turns an error of the first pass into the document's error.
func (s *scanner) fail(err error) error {
	var te *typeError
	var de *dupError
	var le *limitError
	if errors.As(err, &te) || errors.As(err, &de) || errors.As(err, &le) {
		return err
	}
	return sizeError(err, string(s.dec.StackPointer()))
}

// sizeError names a value over MaxPlanValueSize where the decoder stopped,
// or describes any other decoder error.
func sizeError(err error, at string) error {
	if errors.Is(err, okta.ErrValueTooLarge) {
		if at == "" {
			at = "the top level"
		}
		return fmt.Errorf("a JSON value larger than %d MiB at %s: refusing it (no plan of Okta apps holds one)", MaxPlanValueSize>>20, at)
	}
	return jsonError(err, "not JSON")
}

// document reads the top level, which must be one object and nothing after.
func (s *scanner) document() error {
	switch k := s.dec.PeekKind(); k {
	case '{':
	case 0:
		_, err := s.dec.ReadToken()
		if errors.Is(err, io.EOF) {
			return errors.New("empty file: want the output of `terraform show -json`")
		}
		return err
	default:
		if err := s.dec.SkipValue(); err != nil {
			return err
		}
		if err := s.end(); err != nil {
			return err
		}
		return errors.New("not `terraform show -json` output: the top level is " + kindName(k) + ", want an object")
	}
	_, err := s.members(func(name string) error {
		var err error
		switch name {
		case "format_version":
			var v string
			var ok bool
			if v, ok, err = s.str(""); ok {
				s.version = &v
			}
		case "planned_values":
			s.planned, err = s.stateValues("/planned_values")
		case "values":
			s.values, err = s.stateValues("/values")
		case "resource_changes":
			err = s.array("", s.resourceChange)
		case "errored":
			s.errored, err = s.boolean()
		case "version", "resources":
			s.rawVersion = s.rawVersion || name == "version"
			s.rawResources = s.rawResources || name == "resources"
			err = s.dec.SkipValue()
		default:
			err = s.dec.SkipValue()
		}
		return err
	}, "", oneOf("format_version", "planned_values", "values", "resource_changes", "errored", "version", "resources"))
	if err != nil {
		return err
	}
	return s.end()
}

// end checks that nothing but white space follows the top-level value.
func (s *scanner) end() error {
	k := s.dec.PeekKind()
	if k == 0 {
		_, err := s.dec.ReadToken()
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
	off := s.dec.InputOffset()
	rest := s.dec.UnreadBuffer()
	i := 0
	for i < len(rest) && (rest[i] == ' ' || rest[i] == '\t' || rest[i] == '\r' || rest[i] == '\n') {
		i++
	}
	c := byte(k)
	if i < len(rest) {
		c = rest[i]
	}
	return fmt.Errorf("not JSON: malformed at byte offset %d: invalid character %q after top-level value", off+int64(i), c)
}

// here is the pointer of the value about to be read: at when given, else
// the member whose name the decoder just read.
func (s *scanner) here(at string) string {
	if at != "" {
		return at
	}
	return string(s.dec.StackPointer())
}

// members reads an object (or null: present is false), calling member for
// each member after its name, to read the value. A name that reads (nil:
// none) may not be there twice.
func (s *scanner) members(member func(name string) error, at string, reads func(string) bool) (present bool, err error) {
	switch k := s.dec.PeekKind(); k {
	case 'n':
		_, err := s.dec.ReadToken()
		return false, err
	case '{':
		if _, err := s.dec.ReadToken(); err != nil {
			return false, err
		}
	case 0:
		_, err := s.dec.ReadToken()
		return false, err
	default:
		return false, &typeError{s.here(at), k, "an object"}
	}
	var seen []string
	for {
		switch s.dec.PeekKind() {
		case '}':
			_, err := s.dec.ReadToken()
			return true, err
		case 0:
			_, err := s.dec.ReadToken()
			return true, err
		}
		tok, err := s.dec.ReadToken()
		if err != nil {
			return true, err
		}
		name := tok.String()
		if reads != nil && reads(name) {
			if slices.Contains(seen, name) {
				return true, &dupError{name, string(s.dec.StackPointer())}
			}
			seen = append(seen, name)
		}
		if err := member(name); err != nil {
			return true, err
		}
	}
}

// array reads an array (or null), calling elem for each element with its
// index, to read it.
func (s *scanner) array(at string, elem func(at string, i int) error) error {
	at = s.here(at)
	switch k := s.dec.PeekKind(); k {
	case 'n', 0:
		_, err := s.dec.ReadToken()
		return err
	case '[':
		if _, err := s.dec.ReadToken(); err != nil {
			return err
		}
	default:
		return &typeError{at, k, "an array"}
	}
	for i := 0; ; i++ {
		switch s.dec.PeekKind() {
		case ']':
			_, err := s.dec.ReadToken()
			return err
		case 0:
			_, err := s.dec.ReadToken()
			return err
		}
		if err := elem(at+"/"+strconv.Itoa(i), i); err != nil {
			return err
		}
	}
}

// str reads a string (ok) or null; at names an array element, "" a member.
func (s *scanner) str(at string) (v string, ok bool, err error) {
	switch k := s.dec.PeekKind(); k {
	case '"':
		tok, err := s.dec.ReadToken()
		if err != nil {
			return "", false, err
		}
		return tok.String(), true, nil
	case 'n', 0:
		_, err := s.dec.ReadToken()
		return "", false, err
	default:
		return "", false, &typeError{s.here(at), k, "a string"}
	}
}

func (s *scanner) boolean() (bool, error) {
	switch k := s.dec.PeekKind(); k {
	case 't', 'f', 'n', 0:
		tok, err := s.dec.ReadToken()
		return err == nil && tok.Kind() == 't', err
	default:
		return false, &typeError{s.here(""), k, "a boolean"}
	}
}

func (s *scanner) stateValues(at string) (*stateValues, error) {
	sv := &stateValues{}
	s.tree = sv
	present, err := s.members(func(name string) error {
		if name != "root_module" {
			return s.dec.SkipValue()
		}
		return s.module(at+"/root_module", "", 0)
	}, "", oneOf("root_module"))
	s.tree = nil
	walkOrder(sv.apps)
	walkOrder(sv.data)
	if !present {
		sv = nil
	}
	return sv, err
}

// MaxModuleDepth bounds how deep child modules nest (a configuration's
// modules nest a few deep): a resource's JSON pointer grows with it.
const MaxModuleDepth = 32

// module reads a module object at pointer at, depth modules below the
// root; elem is at when it is an array element, "" when it is a member.
func (s *scanner) module(at, elem string, depth int) error {
	if depth > MaxModuleDepth {
		return &limitError{fmt.Sprintf("child modules nested more than %d deep at %s: refusing it", MaxModuleDepth, at)}
	}
	if s.modules++; s.modules > MaxApps {
		return &limitError{fmt.Sprintf("more than %d modules: refusing it", MaxApps)}
	}
	ordinal := s.modules
	_, err := s.members(func(name string) error {
		switch name {
		case "address":
			_, _, err := s.str("")
			return err
		case "resources":
			return s.array("", func(_ string, i int) error {
				return s.resource(at, ordinal, i)
			})
		case "child_modules":
			return s.array("", func(_ string, i int) error {
				child := at + "/child_modules/" + strconv.Itoa(i)
				return s.module(child, child, depth+1)
			})
		}
		return s.dec.SkipValue()
	}, elem, oneOf("address", "resources", "child_modules"))
	return err
}

// resource reads element index of the resources of the module at pointer
// module.
func (s *scanner) resource(module string, ordinal, index int) error {
	at := module + "/resources/" + strconv.Itoa(index)
	switch k := s.dec.PeekKind(); k {
	case '{':
	case 'n', 0:
		_, err := s.dec.ReadToken()
		return err
	default:
		return &typeError{at, k, "an object"}
	}
	if _, err := s.dec.ReadToken(); err != nil {
		return err
	}
	c := candidate{module: module, ordinal: ordinal, index: index, offset: s.dec.InputOffset() - 1}
	var mode, typ, name, deposed string
	var seen []string
	for {
		switch s.dec.PeekKind() {
		case '}', 0:
			if _, err := s.dec.ReadToken(); err != nil {
				return err
			}
			if c.size = s.dec.InputOffset() - c.offset; c.size > MaxResourceSize {
				// Not read again: named by its address alone.
				c.id, c.label = "", ""
			}
			if typ == ResourceType && deposed == "" {
				if s.apps++; s.apps > MaxApps {
					return errTooManyApps
				}
			}
			switch {
			case typ != ResourceType || deposed != "":
			case mode == "data":
				c.id, c.label = "", ""
				s.tree.data = append(s.tree.data, c)
			default:
				if c.address == "" {
					c.address = ResourceType + "." + name
				}
				if c.id == "" {
					c.id = c.address
				}
				s.tree.apps = append(s.tree.apps, c)
			}
			return nil
		}
		tok, err := s.dec.ReadToken()
		if err != nil {
			return err
		}
		key := tok.String()
		switch key {
		case "address", "mode", "type", "name", "deposed_key", "values":
			if slices.Contains(seen, key) {
				return &dupError{key, string(s.dec.StackPointer())}
			}
			seen = append(seen, key)
		}
		switch key {
		case "address":
			c.address, _, err = s.str("")
		case "mode":
			mode, _, err = s.str("")
		case "type":
			typ, _, err = s.str("")
		case "name":
			name, _, err = s.str("")
		case "deposed_key":
			deposed, _, err = s.str("")
		case "values":
			// A name twice among the values fails the target in the
			// second pass (resourceReader), which keeps the first.
			var gotLabel, gotID bool
			_, err = s.members(func(attr string) error {
				if (attr != "label" || gotLabel) && (attr != "id" || gotID) {
					return s.dec.SkipValue()
				}
				v, err := s.dec.ReadValue()
				if err != nil {
					return err
				}
				str := stringValue(v)
				if attr == "label" {
					c.label, gotLabel = str, true
				} else {
					c.id, gotID = str, true
				}
				return nil
			}, "", nil)
		default:
			err = s.dec.SkipValue()
		}
		if err != nil {
			return err
		}
	}
}

// stringValue is what attrs.str makes of a value without a default: the
// string, or "" for anything else (null, another type, a value over
// okta.MaxValueSize).
func stringValue(v jsontext.Value) string {
	if v.Kind() != '"' || len(v)-2 > okta.MaxValueSize {
		return ""
	}
	b, err := jsontext.AppendUnquote(nil, v)
	if err != nil {
		return ""
	}
	return string(b)
}

// resourceChange reads one element of resource_changes.
func (s *scanner) resourceChange(at string, _ int) error {
	var address, mode, typ, deposed string
	var actions []string
	var c change
	present, err := s.members(func(name string) error {
		var err error
		switch name {
		case "address":
			address, _, err = s.str("")
		case "mode":
			mode, _, err = s.str("")
		case "type":
			typ, _, err = s.str("")
		case "deposed":
			deposed, _, err = s.str("")
		case "change":
			_, err = s.members(func(name string) error {
				switch name {
				case "actions":
					return s.array("", func(at string, _ int) error {
						a, _, err := s.str(at)
						actions = append(actions, a)
						return err
					})
				case "after_unknown":
					return s.afterUnknown(&c)
				}
				return s.dec.SkipValue()
			}, "", oneOf("actions", "after_unknown"))
		default:
			err = s.dec.SkipValue()
		}
		return err
	}, at, oneOf("address", "mode", "type", "deposed", "change"))
	if err != nil || !present || deposed != "" {
		// A deposed object is the old half of a create-before-destroy
		// replacement: it is on its way out.
		return err
	}
	c.removes = removes(actions)
	if typ == ResourceType || strings.Contains(address, ResourceType) {
		if s.appChanges++; s.appChanges > MaxApps {
			return errTooManyApps
		}
		s.changes[address] = &c
	}
	if typ == ResourceType && mode != "data" && c.removes {
		s.removed = append(s.removed, address)
	}
	return nil
}

// afterUnknown reads change.after_unknown: an object of the attributes
// (true, or true anywhere inside a list or object: unknown until apply).
// Anything but an object or null tells nothing.
func (s *scanner) afterUnknown(c *change) error {
	switch s.dec.PeekKind() {
	case '{', 'n':
	default:
		return s.dec.SkipValue()
	}
	c.hasChange = true
	_, err := s.members(func(name string) error {
		depth := s.dec.StackDepth()
		marked := false
		for {
			tok, err := s.dec.ReadToken()
			if err != nil {
				return err
			}
			marked = marked || tok.Kind() == 't'
			if s.dec.StackDepth() == depth {
				break
			}
		}
		if name, ok := unknownAttrs[name]; ok && marked {
			c.unknown = append(c.unknown, name)
		}
		return nil
	}, "", func(name string) bool {
		_, ok := unknownAttrs[name]
		return ok
	})
	return err
}

// selection is what a document holds of okta_app_saml.
type selection struct {
	apps []candidate
	// dataSources read apps that the configuration does not manage.
	dataSources []string
}

// selectApps finds the okta_app_saml resources to audit, in the document's
// order: root module first, then child modules, depth first.
func (s *scanner) selectApps() selection {
	var sel selection
	tree := s.values
	if s.planned != nil {
		tree = s.planned
	}
	if tree == nil {
		return sel
	}
	for _, c := range tree.data {
		sel.dataSources = append(sel.dataSources, c.address)
	}
	for _, c := range tree.apps {
		if ch := s.changes[c.address]; ch != nil && ch.removes {
			// Terraform leaves resources it destroys out of
			// planned_values; this covers documents from tools that do
			// not.
			continue
		}
		sel.apps = append(sel.apps, c)
	}
	return sel
}

// resourceReader is the second pass: it reads one resource object alone,
// from the offset the first pass found it at.
type resourceReader struct {
	in  *input
	dec *jsontext.Decoder
}

// errChanged: the second pass did not find what the first one did.
var errChanged = errors.New("the file changed while it was read: read it again")

func (rd *resourceReader) read(c *candidate) (*resource, error) {
	r, err := rd.in.at(c.offset)
	if err != nil {
		return nil, err
	}
	if rd.dec == nil {
		rd.dec = jsontext.NewDecoder(r, decodeOptions)
	} else {
		rd.dec.Reset(r, decodeOptions)
	}
	res, err := rd.resource(c)
	if err != nil {
		if errors.Is(err, errChanged) {
			return nil, err
		}
		return nil, fmt.Errorf("%w (%v)", errChanged, sizeError(err, c.pointer()+string(rd.dec.StackPointer())))
	}
	if res.Address != c.address {
		return nil, errChanged
	}
	return res, nil
}

// resource is the part of one resource object that makes a target.
type resource struct {
	Address string
	Name    string
	Values  map[string]jsontext.Value
	// refused are the errors of attribute values over okta.MaxValueSize
	// (such a value reads as null) and of names given twice (the first
	// value stays), in the document's order.
	refused []attrError
}

type attrError struct {
	name string
	err  error
}

func (rd *resourceReader) resource(c *candidate) (*resource, error) {
	dec := rd.dec
	if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
		return nil, cmpErr(err, errChanged)
	}
	res := &resource{}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		switch key := tok.String(); key {
		case "address", "name":
			v, err := dec.ReadValue()
			if err != nil {
				return nil, err
			}
			if key == "address" {
				res.Address = stringValue(v)
			} else {
				res.Name = stringValue(v)
			}
		case "values":
			if dec.PeekKind() == 'n' {
				if _, err := dec.ReadToken(); err != nil {
					return nil, err
				}
				continue
			}
			if tok, err := dec.ReadToken(); err != nil || tok.Kind() != '{' {
				return nil, cmpErr(err, errChanged)
			}
			res.Values = map[string]jsontext.Value{}
			for dec.PeekKind() != '}' {
				tok, err := dec.ReadToken()
				if err != nil {
					return nil, err
				}
				name := tok.String()
				v, err := dec.ReadValue()
				if err != nil {
					return nil, err
				}
				if _, dup := res.Values[name]; dup {
					// Terraform would read the last copy: which one the
					// provider sends is not known.
					res.refused = append(res.refused, attrError{name, fmt.Errorf("the attribute %q is twice in %s/values: refusing it", name, c.pointer())})
					continue
				}
				if inner, big := valueTooLarge(v); big {
					res.refused = append(res.refused, attrError{name, fmt.Errorf("a JSON value larger than %d KiB at %s/values/%s%s: refusing it (Okta's values are a few KiB)",
						okta.MaxValueSize>>10, c.pointer(), escapePointer(name), inner)})
					v = jsontext.Value("null")
				}
				res.Values[name] = v.Clone()
			}
			if _, err := dec.ReadToken(); err != nil {
				return nil, err
			}
		default:
			if err := dec.SkipValue(); err != nil {
				return nil, err
			}
		}
	}
	if res.Address == "" {
		res.Address = ResourceType + "." + res.Name
	}
	return res, nil
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// valueTooLarge finds a string, number or literal longer than
// okta.MaxValueSize in v (measured as the Okta files' limit measures it:
// the bytes between the quotes), and returns its pointer inside v.
func valueTooLarge(v jsontext.Value) (string, bool) {
	if len(v) <= okta.MaxValueSize {
		return "", false
	}
	dec := jsontext.NewDecoder(bytes.NewReader(v))
	for {
		switch dec.PeekKind() {
		case 0:
			return "", false
		case '{', '[', '}', ']':
			if _, err := dec.ReadToken(); err != nil {
				return "", false
			}
			continue
		}
		x, err := dec.ReadValue()
		if err != nil {
			return "", false
		}
		n := len(x)
		if x.Kind() == '"' {
			n -= 2
		}
		if n > okta.MaxValueSize {
			return string(dec.StackPointer()), true
		}
	}
}

// escapePointer escapes a name for a JSON pointer (RFC 6901).
func escapePointer(name string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(name)
}
