package scan

// Spilling: a run of many targets (a Terraform plan of thousands of apps)
// must not hold every target's report until the reports are written. A
// spill keeps its first values in memory, so a small run is held as
// before, and writes the rest to a private temporary file, from which they
// can be read back as many times as the writers need. docs/reports.md
// (Large runs) says what a user sees of it.

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"fmt"
	"io"
	"iter"
	"os"
	"reflect"
	"slices"
	"sync"

	"github.com/ssoaudit/ssoaudit/audit"
)

// spillKeep is how many values a spill holds in memory before it writes
// to its file: a run of up to that many targets is held whole, as it always
// was.
var spillKeep = 256

func init() {
	// Evidence values whose concrete types gob must know to carry them in
	// an interface; a value of any other type keeps its record in memory
	// (spill.add), so an unknown type costs memory, never a wrong report.
	gob.Register(audit.Evidence{})
	gob.Register(map[string]any{})
	gob.Register([]any{})
	gob.Register(map[string]string{})
}

// spill is an ordered list of values, the first ones in memory (as many as
// its budget allows) and the rest in a temporary file. It is written first (add), then read (all) any
// number of times; it is not safe for concurrent use.
type spill[T any] struct {
	budget *spillBudget
	// items says where each value is, in order: in memory (mem[i]) or at
	// an offset of the file.
	items []spillRef
	mem   []T
	file  *spillFile
	err   error
}

type spillRef struct {
	mem bool
	at  int64 // index into mem; a record in the file is the next one
}

func newSpill[T any](b *spillBudget) *spill[T] { return &spill[T]{budget: b} }

// len is how many values were added.
func (s *spill[T]) len() int { return len(s.items) }

// spilled reports whether any value went to the file.
func (s *spill[T]) spilled() bool { return s.file != nil }

// add appends v. Once the budget is spent v is written to the file,
// unless it does not survive the trip exactly (a type gob cannot carry, a
// pointer to a zero value): then it stays in memory, so a report written
// from a spill is always the report that was judged.
func (s *spill[T]) add(v T) {
	if s.err != nil || (s.file == nil && s.budget.take()) {
		s.addMem(v)
		return
	}
	w, ok := roundTrips(v)
	if !ok {
		s.addMem(v)
		return
	}
	if s.file == nil {
		f, err := newSpillFile()
		if err != nil {
			s.err = err
			s.addMem(v)
			return
		}
		s.file = f
	}
	if err := s.file.write(&w); err != nil {
		// The stream may hold part of the record: nothing more is
		// written to it, and reading it back says so.
		s.err = err
		s.addMem(v)
		return
	}
	s.items = append(s.items, spillRef{})
}

func (s *spill[T]) addMem(v T) {
	s.items = append(s.items, spillRef{mem: true, at: int64(len(s.mem))})
	s.mem = append(s.mem, v)
}

// all yields the values in the order they were added. A value that
// cannot be read back ends the sequence and is recorded in *errp.
func (s *spill[T]) all(errp *error) iter.Seq[T] {
	return func(yield func(T) bool) {
		var r *spillReader
		if s.file != nil {
			var err error
			if r, err = s.file.reader(); err != nil {
				setErr(errp, err)
				return
			}
		}
		for _, ref := range s.items {
			if ref.mem {
				if !yield(s.mem[ref.at]) {
					return
				}
				continue
			}
			if s.err != nil {
				setErr(errp, s.err)
				return
			}
			var v T
			if err := readRecord(r, &v); err != nil {
				setErr(errp, err)
				return
			}
			if !yield(v) {
				return
			}
		}
	}
}

func setErr(errp *error, err error) {
	if errp != nil && *errp == nil {
		*errp = fmt.Errorf("reading back the spilled reports: %w", err)
	}
}

// close removes the file, if any.
func (s *spill[T]) close() error {
	if s.file == nil {
		return nil
	}
	f := s.file
	s.file, s.items, s.mem = nil, nil, nil
	return f.close()
}

// roundTrips reports whether v survives gob exactly: encoded on its own,
// decoded and made good again (fromWire), it must be v. It returns what the
// file holds for v (its wire form).
func roundTrips[T any](v T) (T, bool) {
	var buf bytes.Buffer
	registerEvidence(reflect.ValueOf(v))
	w := wire(v, toWire)
	if err := gob.NewEncoder(&buf).Encode(&w); err != nil {
		return w, false
	}
	var back T
	if err := gob.NewDecoder(bytes.NewReader(buf.Bytes())).Decode(&back); err != nil {
		return w, false
	}
	back = wire(back, fromWire)
	return w, reflect.DeepEqual(v, back)
}

// Evidence values are of any type (audit.Field.Value), which gob carries
// only once the type is registered, and it cannot tell an empty list from
// none. Both are made good here, in this process only: a spill is read by
// the run that wrote it.
var (
	registered sync.Map // reflect.Type → bool
	emptyMu    sync.Mutex
	emptyTypes []reflect.Type
	emptyIDs   = map[reflect.Type]int{}
)

// emptyList stands for an empty, non-nil list of emptyTypes[Type].
type emptyList struct{ Type int }

func init() { gob.Register(emptyList{}) }

// registerEvidence registers with gob the type of every value held in an
// interface inside v. A type gob refuses leaves its record in memory.
func registerEvidence(v reflect.Value) {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		e := v.Elem()
		if _, seen := registered.LoadOrStore(e.Type(), true); !seen {
			func() {
				defer func() { _ = recover() }()
				gob.Register(e.Interface())
			}()
		}
		registerEvidence(e)
	case reflect.Pointer:
		if !v.IsNil() {
			registerEvidence(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				registerEvidence(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := 0; i < v.Len(); i++ {
			registerEvidence(v.Index(i))
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			registerEvidence(it.Key())
			registerEvidence(it.Value())
		}
	}
}

// wire applies f to every evidence value of a spilled record's results,
// on a copy: the record itself is shared with nobody, but its evidence
// may be.
func wire[T any](v T, f func(any) (any, bool)) T {
	switch x := any(&v).(type) {
	case *audit.TargetReport:
		x.Results = wireResults(x.Results, f)
	case *audit.DeploymentReport:
		x.Results = wireResults(x.Results, f)
	case *judged:
		x.Target.Results = wireResults(x.Target.Results, f)
		x.Deployment.Results = wireResults(x.Deployment.Results, f)
	}
	return v
}

func wireResults(rs []audit.Result, f func(any) (any, bool)) []audit.Result {
	var out []audit.Result
	for i, r := range rs {
		ev, changed := wireEvidence(r.Evidence, f)
		if !changed {
			continue
		}
		if out == nil {
			out = slices.Clone(rs)
		}
		out[i].Evidence = ev
	}
	if out == nil {
		return rs
	}
	return out
}

func wireEvidence(ev audit.Evidence, f func(any) (any, bool)) (audit.Evidence, bool) {
	var out audit.Evidence
	for i, fd := range ev {
		v, changed := fd.Value, false
		if nested, ok := v.(audit.Evidence); ok {
			v, changed = wireEvidence(nested, f)
		} else {
			v, changed = f(v)
		}
		if !changed {
			continue
		}
		if out == nil {
			out = slices.Clone(ev)
		}
		out[i].Value = v
	}
	if out == nil {
		return ev, false
	}
	return out, true
}

func toWire(v any) (any, bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice || rv.IsNil() || rv.Len() > 0 {
		return v, false
	}
	emptyMu.Lock()
	defer emptyMu.Unlock()
	id, ok := emptyIDs[rv.Type()]
	if !ok {
		id = len(emptyTypes)
		emptyTypes = append(emptyTypes, rv.Type())
		emptyIDs[rv.Type()] = id
	}
	return emptyList{id}, true
}

func fromWire(v any) (any, bool) {
	e, ok := v.(emptyList)
	if !ok {
		return v, false
	}
	emptyMu.Lock()
	defer emptyMu.Unlock()
	return reflect.MakeSlice(emptyTypes[e.Type], 0, 0).Interface(), true
}

// spillFile is the temporary file behind a spill: created 0600 in the
// system's temporary directory and, where the system allows, unlinked at
// once, so nothing is left behind however the run ends; otherwise removed
// by close. It holds users' emails and app settings: nobody else may read
// it.
type spillFile struct {
	f    *os.File
	name string // "" once unlinked
	bw   *bufio.Writer
	enc  *gob.Encoder
	size int64
}

func newSpillFile() (*spillFile, error) {
	f, err := os.CreateTemp("", "ssoaudit-spill-*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	sf := &spillFile{f: f, name: f.Name()}
	sf.bw = bufio.NewWriterSize(spillCounter{f, &sf.size}, 64<<10)
	// One gob stream: each type is described once, not per record.
	sf.enc = gob.NewEncoder(sf.bw)
	if os.Remove(f.Name()) == nil {
		sf.name = ""
	}
	return sf, nil
}

// spillCounter counts what reaches the file.
type spillCounter struct {
	w io.Writer
	n *int64
}

func (c spillCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	*c.n += int64(n)
	return n, err
}

// write appends one record (a wire form, see roundTrips).
func (sf *spillFile) write(v any) error { return sf.enc.Encode(v) }

// reader flushes what was written and returns a reader of the records
// from the first.
func (sf *spillFile) reader() (*spillReader, error) {
	if err := sf.bw.Flush(); err != nil {
		return nil, err
	}
	sec := io.NewSectionReader(sf.f, 0, sf.size)
	return &spillReader{dec: gob.NewDecoder(bufio.NewReaderSize(sec, 64<<10))}, nil
}

func (sf *spillFile) close() error {
	err := sf.f.Close()
	if sf.name != "" {
		if rerr := os.Remove(sf.name); err == nil {
			err = rerr
		}
	}
	return err
}

// spillReader reads the records in the order they were written (every
// pass over a spill is in order).
type spillReader struct{ dec *gob.Decoder }

func readRecord[T any](sr *spillReader, v *T) error {
	if err := sr.dec.Decode(v); err != nil {
		return err
	}
	*v = wire(*v, fromWire)
	return nil
}

// onDisk counts the values in the file.
func (s *spill[T]) onDisk() int { return len(s.items) - len(s.mem) }
