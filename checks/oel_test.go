package checks

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// tok is shaped like the guide's example token, but is not a real one.
const oelTok = "A-16620-5232-jbzFc96F3EhGyG+uh2c+kDj+QgVQuS2keB8DD/LtwVs="

var oelCases = []struct {
	name    string
	in      string
	token   string
	quote   rune
	problem literalProblem
}{
	{"double-quoted", `"` + oelTok + `"`, oelTok, '"', litOK},
	{"single-quoted", `'` + oelTok + `'`, oelTok, '\'', litOK},
	{"short token", `"x"`, "x", '"', litOK},
	{"empty value", ``, "", 0, litBlank},
	{"only spaces", " \t\n", "", 0, litBlank},
	{"guide's curly quotes", "“" + oelTok + "”", "", 0, litTypographic},
	{"curly single quotes", "‘" + oelTok + "’", "", 0, litTypographic},
	{"low-9 quote", "„" + oelTok + "\"", "", 0, litTypographic},
	{"curly quote inside straight ones", `"` + oelTok + `”"`, "", 0, litTypographic},
	{"unquoted", oelTok, "", 0, litUnquoted},
	{"unquoted with spaces", " " + oelTok + " ", "", 0, litUnquoted},
	{"no closing quote", `"` + oelTok, "", '"', litNoClosing},
	{"lone quote", `"`, "", '"', litNoClosing},
	{"no opening quote", oelTok + `"`, "", '"', litNoOpening},
	{"no opening single quote", oelTok + `'`, "", '\'', litNoOpening},
	{"mismatched", `"` + oelTok + `'`, "", '"', litMismatched},
	{"mismatched the other way", `'` + oelTok + `"`, "", '\'', litMismatched},
	{"concatenation", `"A-1" + "2"`, "", '"', litConcat},
	{"concatenation without spaces", `"A-1"+"2"`, "", '"', litConcat},
	{"text after", `"` + oelTok + `" x`, "", '"', litOutside},
	{"text before", `x "` + oelTok + `"`, "", 0, litOutside},
	{"function call", `toUpperCase("` + oelTok + `")`, "", 0, litOutside},
	{"stray quote inside", `"A-1"2"`, "", '"', litQuoteInside},
	{"two literals", `"A-1" "2"`, "", '"', litQuoteInside},
	{"backslash-escaped quote", `"A-1\"2"`, "", '"', litQuoteInside},
	{"other quote inside", `"A-1'2"`, "A-1'2", '"', litQuoteInside},
	{"doubled quote", `"A-1""2"`, "", '"', litDoubledQuote},
	{"empty literal", `""`, "", '"', litEmpty},
	{"empty single literal", `''`, "", '\'', litEmpty},
	{"backslash", `"A-1\n2"`, `A-1\n2`, '"', litBackslash},
	{"line break", "\"A-1\n2\"", "A-1\n2", '"', litLineBreak},
	{"trailing newline inside", "\"" + oelTok + "\r\n\"", oelTok + "\r\n", '"', litLineBreak},
	{"leading space inside", `" ` + oelTok + `"`, " " + oelTok, '"', litSpaceEdge},
	{"trailing space inside", `"` + oelTok + ` "`, oelTok + " ", '"', litSpaceEdge},
	{"space in the middle", `"A-1 2"`, "A-1 2", '"', litSpaceInside},
	{"no-break space in the middle", "\"A-1\u00a02\"", "A-1\u00a02", '"', litSpaceInside},
	{"zero-width space", "\"A-1\u200b2\"", "A-1\u200b2", '"', litInvisible},
	{"byte order mark", "\"\ufeffA-1\"", "\ufeffA-1", '"', litInvisible},
	{"invalid UTF-8", "\"A-1\xff\"", "A-1\xff", '"', litInvisible},
	{"whitespace outside", ` "` + oelTok + `"` + "\n", oelTok, '"', litOuterSpace},
}

func TestParseLiteral(t *testing.T) {
	for _, c := range oelCases {
		t.Run(c.name, func(t *testing.T) {
			token, quote, problem := parseLiteral(c.in)
			if token != c.token || quote != c.quote || problem != c.problem {
				t.Errorf("parseLiteral(%q) = %q, %q, %d; want %q, %q, %d", c.in, token, quote, problem, c.token, c.quote, c.problem)
			}
		})
	}
}

func TestLitShape(t *testing.T) {
	for in, want := range map[string]string{
		`"` + oelTok + `"`:   `"…"`,
		oelTok:               `…`,
		"“" + oelTok + "”":   `“…”`,
		`"A-1" + "2"`:        `"…" + "…"`,
		`"A-1"+"2"`:          `"…"+"…"`,
		`"A-1+2"`:            `"…"`,   // a + inside a token is token text
		`A-1 + 2`:            `… … …`, // so is an unquoted one
		`"` + oelTok + `" x`: `"…" …`,
		"\" A-1\n\"":         `" …\n"`,
		"\"A\u200b1\"":       `"…<U+200B>…"`,
		`"A-1\"2"`:           `"…\"…"`,
		`"A-1'2"`:            `"…'…"`,
		`'A' + x + "B"`:      `'…' + … … "…"`,
	} {
		if got := litShape(in); got != want {
			t.Errorf("litShape(%q) = %q, want %q", in, got, want)
		}
	}
}

// The shape of a value never contains a character of its token: a token is
// base64 text, and the shape keeps only quotes, whitespace, backslashes,
// invisible characters and + between literals.
func TestLitShapeHidesToken(t *testing.T) {
	escapes := regexp.MustCompile(`<[^>]*>|\\[nrt]`)
	for _, c := range oelCases {
		shape := litShape(c.in)
		if rest := escapes.ReplaceAllString(shape, ""); strings.IndexFunc(rest, func(r rune) bool {
			return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '/' || r == '='
		}) >= 0 {
			t.Errorf("litShape(%q) = %q shows token text", c.in, shape)
		}
	}
}

func FuzzParseLiteral(f *testing.F) {
	for _, c := range oelCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, v string) {
		token, quote, problem := parseLiteral(v)
		_ = litShape(v)
		_ = literalMessage(v, quote, problem)
		if problem == litOK || problem == litOuterSpace {
			if quote != '"' && quote != '\'' {
				t.Fatalf("parseLiteral(%q): problem %d with quote %q", v, problem, quote)
			}
		}
		if problem != litOK {
			return
		}
		q := string(quote)
		if v != q+token+q {
			t.Fatalf("parseLiteral(%q) = %q, %q: the input is not quote+token+quote", v, token, quote)
		}
		if token == "" || !utf8.ValidString(token) ||
			strings.IndexFunc(token, unicode.IsSpace) >= 0 ||
			strings.ContainsAny(token, `"'\`+litTypographicQuotes) ||
			strings.IndexFunc(token, litInvisibleRune) >= 0 {
			t.Fatalf("parseLiteral(%q) passed the token %q", v, token)
		}
	})
}
