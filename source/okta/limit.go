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
type valueLimiter struct {
	r                 io.Reader
	inString, escaped bool
	n                 int
	err               error
}

func (l *valueLimiter) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		c := p[i]
		switch {
		case l.inString && l.escaped:
			l.escaped = false
			l.n++
		case l.inString && c == '\\':
			l.escaped = true
			l.n++
		case l.inString && c == '"':
			l.inString, l.n = false, 0
		case l.inString:
			l.n++
		case c == '"':
			l.inString, l.n = true, 0
		case c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r':
			l.n = 0
		default:
			l.n++
		}
		if l.n > MaxValueSize {
			l.err = errValueTooLarge
			return i, l.err
		}
	}
	return n, err
}

// limitValues wraps r in a valueLimiter.
func limitValues(r io.Reader) *valueLimiter { return &valueLimiter{r: r} }

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
