package okta

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"
)

// MaxValueSize bounds one JSON value (a string, a number, a literal) in the
// Okta files ssoaudit parses. Okta's own values are at most a few KiB (a
// certificate in x5c); a larger one is not Okta data, and must not make the
// tool hold it: a decoder buffers a whole string, so one gigabyte-long
// username took 5.5 GB of memory. A value over the limit is refused with the
// file's rules ending in error, naming where it is.
const MaxValueSize = 64 << 10

// errValueTooLarge is what valueLimiter's reader returns.
var errValueTooLarge = fmt.Errorf("a JSON value larger than %d KiB", MaxValueSize>>10)

// valueLimiter passes JSON through while following just enough of its
// syntax (inside or outside a string, escapes) to measure each string and
// each bare value (number, literal), and fails the read at the first byte
// past MaxValueSize: the decoder behind it never holds more than that of
// any value. Its errors are the decoder's; a document it passes is
// unchanged.
//
// It does not look at every byte: inside a string it jumps to the next
// quote or backslash (bytes.IndexByte, vectorised), and outside one it
// jumps to the next quote, walking the bytes between only when a bare value
// there could be over the limit.
type valueLimiter struct {
	r                 io.Reader
	inString, escaped bool
	n                 int // the current value's length so far
	max               int // MaxValueSize; smaller in tests
	err               error
}

func (l *valueLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	if at := l.scan(p[:n]); at >= 0 {
		l.err = errValueTooLarge
		return at, l.err
	}
	return n, err
}

// scan follows p and returns the index of the first byte past the limit,
// or -1.
func (l *valueLimiter) scan(p []byte) int {
	maxSize := l.max
	i := 0
	quote := -1 // the next '"' at or after i, once searched for
	for i < len(p) {
		if l.inString {
			if l.escaped {
				l.escaped = false
				if l.n++; l.n > maxSize {
					return i
				}
				i++
				continue
			}
			if quote < i {
				if quote = bytes.IndexByte(p[i:], '"'); quote >= 0 {
					quote += i
				} else {
					quote = len(p)
				}
			}
			end := quote // the string's end, or the chunk's
			if b := bytes.IndexByte(p[i:end], '\\'); b >= 0 {
				end = i + b
			}
			if l.n+(end-i) > maxSize {
				return i + maxSize - l.n
			}
			l.n += end - i
			switch {
			case end == len(p):
			case p[end] == '"':
				l.inString, l.n = false, 0
			default: // a backslash: it and the byte after it
				l.escaped = true
				if l.n++; l.n > maxSize {
					return end
				}
			}
			i = end + 1
			continue
		}
		// Outside a string: structure, whitespace and bare values up to
		// the next string.
		end := len(p)
		if q := bytes.IndexByte(p[i:], '"'); q >= 0 {
			end = i + q
		}
		if l.n+(end-i) > maxSize {
			// A bare value may be too long: walk the bytes.
			for j := i; j < end; j++ {
				if isDelim(p[j]) {
					l.n = 0
				} else if l.n++; l.n > maxSize {
					return j
				}
			}
		} else {
			// None can be: only the last run's length carries on.
			run := end
			for run > i && !isDelim(p[run-1]) {
				run--
			}
			if run > i {
				l.n = 0
			}
			l.n += end - run
		}
		if end < len(p) {
			l.inString, l.n = true, 0
		}
		i = end + 1
	}
	return -1
}

// isDelim reports whether c ends a bare value (number or literal).
func isDelim(c byte) bool {
	switch c {
	case '{', '}', '[', ']', ',', ':', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// limitValues wraps r in a valueLimiter.
func limitValues(r io.Reader) *valueLimiter { return &valueLimiter{r: r, max: MaxValueSize} }

// LimitValues passes the JSON read from r through unchanged, but fails the
// read with ErrValueTooLarge at the first byte of a string, number or
// literal longer than maxSize bytes, so that a decoder reading from it never
// buffers more of one value. Other sources of JSON (Terraform plans) use it
// with their own cap.
func LimitValues(r io.Reader, maxSize int) io.Reader { return &valueLimiter{r: r, max: maxSize} }

// ErrValueTooLarge is the error of a read LimitValues stopped (its text
// names MaxValueSize: a caller with another cap says its own).
var ErrValueTooLarge = errValueTooLarge

// tooLarge turns a decode that stopped at an over-long value into an error
// naming where (the decoder's JSON pointer), or returns nil for any other
// error.
func tooLarge(err error, dec *jsontext.Decoder) error {
	if !errors.Is(err, errValueTooLarge) {
		return nil
	}
	where := string(dec.StackPointer())
	if where == "" {
		where = "the top level"
	}
	return fmt.Errorf("%w at %s: refusing it (Okta's values are a few KiB)", errValueTooLarge, where)
}

// checkValueSizes refuses a document holding a value over MaxValueSize,
// naming its JSON pointer. Documents read whole (app.json, keys.json) are
// checked before they are decoded; malformed JSON is left to the decoder
// to report.
func checkValueSizes(data []byte) error {
	dec := jsontext.NewDecoder(limitValues(bytes.NewReader(data)))
	for {
		_, err := dec.ReadToken()
		if err == nil {
			continue
		}
		if e := tooLarge(err, dec); e != nil {
			return e
		}
		return nil
	}
}
