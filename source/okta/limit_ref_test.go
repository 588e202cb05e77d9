package okta

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// refLimit is the byte-by-byte walk valueLimiter replaced, kept as the
// reference it must agree with: the index of the first byte past
// MaxValueSize, or -1.
func refLimit(data []byte, maxSize int) int {
	inString, escaped, n := false, false, 0
	for i, c := range data {
		switch {
		case inString && escaped:
			escaped = false
			n++
		case inString && c == '\\':
			escaped = true
			n++
		case inString && c == '"':
			inString, n = false, 0
		case inString:
			n++
		case c == '"':
			inString, n = true, 0
		case isDelim(c):
			n = 0
		default:
			n++
		}
		if n > maxSize {
			return i
		}
	}
	return -1
}

// limitAt reads data through a valueLimiter in chunks of at most chunk
// bytes and returns how many bytes it passed before refusing (-1: none
// refused), checking that what it passed is data's prefix.
func limitAt(t *testing.T, data []byte, chunk, maxSize int) int {
	t.Helper()
	var r io.Reader = bytes.NewReader(data)
	if chunk > 0 {
		r = &chunked{r: r, n: chunk}
	}
	got, err := io.ReadAll(&valueLimiter{r: r, max: maxSize})
	if !bytes.Equal(got, data[:len(got)]) {
		t.Fatal("the limiter changed the data")
	}
	if err == errValueTooLarge {
		return len(got)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(data) {
		t.Fatalf("passed %d of %d bytes without an error", len(got), len(data))
	}
	return -1
}

type chunked struct {
	r io.Reader
	n int
}

func (c *chunked) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

// valueDoc builds a JSON-ish document around values of the given lengths,
// with escapes and bare values, so the limit falls inside strings, escapes
// and numbers, across read boundaries.
func valueDoc(rng *rand.Rand) []byte {
	var b bytes.Buffer
	b.WriteString(`[{"a":`)
	for range 1 + rng.IntN(4) {
		n := MaxValueSize - 8 + rng.IntN(16)
		switch rng.IntN(4) {
		case 0: // a plain string
			b.WriteString(`"` + string(bytes.Repeat([]byte("x"), n)) + `",`)
		case 1: // a string of escapes and text
			b.WriteByte('"')
			for w := 0; w < n; {
				if rng.IntN(8) == 0 {
					b.WriteString(`\"`)
					w += 2
				} else {
					b.WriteString("yz")
					w += 2
				}
			}
			b.WriteString(`",`)
		case 2: // a number
			b.Write(bytes.Repeat([]byte("9"), n))
			b.WriteString(`, `)
		default: // short values
			b.WriteString(`"s\\", 12, true, null, {"k": "v\u0041"}, `)
		}
	}
	b.WriteString(`0}]`)
	return b.Bytes()
}

// TestLimiterAgreesWithByteWalk: the jumping limiter refuses exactly where
// the byte-by-byte walk does, whatever the read sizes.
func TestLimiterAgreesWithByteWalk(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		doc := valueDoc(rng)
		want := refLimit(doc, MaxValueSize)
		for _, chunk := range []int{0, 1, 2, 3, 7, 4096, 1 + rng.IntN(70000)} {
			if got := limitAt(t, doc, chunk, MaxValueSize); got != want {
				t.Fatalf("doc %d, reads of %d: refused at %d, the byte walk at %d", i, chunk, got, want)
			}
		}
	}
	// iotest.OneByteReader too, on a document that passes.
	doc := []byte(`{"a":"b\\\"c","n":-1.5e3,"t":[true,null]}`)
	if got, err := io.ReadAll(limitValues(iotest.OneByteReader(bytes.NewReader(doc)))); err != nil || !bytes.Equal(got, doc) {
		t.Fatalf("%q %v", got, err)
	}
}

func FuzzValueLimiter(f *testing.F) {
	f.Add([]byte(`{"a":"b\"c"}`), uint8(3), uint8(2))
	f.Add([]byte(`"\\`), uint8(1), uint8(1))
	f.Add([]byte(`[12345, "ab\\cd", true]`), uint8(5), uint8(4))
	f.Fuzz(func(t *testing.T, data []byte, chunk, maxSize uint8) {
		// A limit of a few bytes, so that the fuzzer reaches it.
		want := refLimit(data, int(maxSize))
		if got := limitAt(t, data, int(chunk), int(maxSize)); got != want {
			t.Fatalf("refused at %d, the byte walk at %d", got, want)
		}
	})
}
