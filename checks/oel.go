package checks

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Okta Expression Language (a dialect of Spring's SpEL) string literals, as
// far as the token attribute needs them: a literal is text between two equal
// ASCII quotes, ' or "; inside it, a doubled quote stands for one quote
// character and a backslash is an ordinary character (SpEL has no backslash
// escapes). Anything else around the literal is an expression Okta evaluates.

// literalProblem is what is wrong with an attribute value that should be one
// string literal holding the Druva token. Each is a distinct mistake an admin
// makes pasting the token from Druva's console or guide.
type literalProblem int

const (
	litOK           literalProblem = iota
	litBlank                       // nothing but whitespace
	litTypographic                 // “…” or ‘…’ (the guide itself shows “…”)
	litUnquoted                    // no quotes at all: an expression, not a literal
	litNoClosing                   // "A-…   (quote missing at the end)
	litNoOpening                   // A-…"   (quote missing at the start)
	litMismatched                  // "A-…'
	litConcat                      // "A-1" + "2"
	litOutside                     // "A-…" x, or x "A-…"
	litQuoteInside                 // "A-1"2" or "A-1'2": a quote inside the token
	litDoubledQuote                // "A-1""2": SpEL's escaped quote, a quote inside the token
	litEmpty                       // ""
	litBackslash                   // "A-1\2": a backslash is no escape; Druva receives it
	litLineBreak                   // a line break inside the quotes
	litSpaceEdge                   // " A-…" or "A-… ": whitespace just inside a quote
	litSpaceInside                 // "A-1 2": whitespace in the middle of the token
	litInvisible                   // a control or invisible character (e.g. U+200B) or invalid UTF-8
	litOuterOther                  // "\u00a0"A-…"": whitespace SpEL does not skip (no-break space…) outside the quotes
	litOuterSpace                  // ` "A-…" `: whitespace around an otherwise good literal
)

// litTypographicQuotes are the quote characters word processors, web pages
// and chat tools substitute for ASCII quotes.
const litTypographicQuotes = "“”„‟‘’‚‛«»‹›″′＂＇"

// spelSpace is the whitespace Okta's expression language (Spring's SpEL
// tokenizer) skips between tokens: space, tab, CR and LF, nothing else.
const spelSpace = " \t\r\n"

func litIsQuote(b byte) bool { return b == '"' || b == '\'' }

// parseLiteral reads v as one string literal. token is the text Okta would
// send when v is one well-delimited literal (even one with a problem inside
// it, such as whitespace), and "" when v is not a single literal. quote is the
// opening quote, or 0 when there is none. problem is litOK only when v is
// exactly quote+token+quote and the token is non-empty, printable and free of
// whitespace, quotes and backslashes.
func parseLiteral(v string) (token string, quote rune, problem literalProblem) {
	if strings.TrimSpace(v) == "" {
		return "", 0, litBlank
	}
	if strings.ContainsAny(v, litTypographicQuotes) {
		return "", 0, litTypographic
	}
	core := strings.TrimFunc(v, unicode.IsSpace)
	outer := core != v
	if !strings.ContainsAny(core, `"'`) {
		return "", 0, litUnquoted
	}
	first, last := core[0], core[len(core)-1]
	if !litIsQuote(first) {
		if litIsQuote(last) && strings.Count(core, string(last)) == 1 {
			return "", rune(last), litNoOpening
		}
		return "", 0, litOutside
	}
	q := rune(first)
	end := strings.IndexByte(core[1:], first)
	if end < 0 {
		if litIsQuote(last) && last != first && len(core) > 1 {
			return "", q, litMismatched
		}
		return "", q, litNoClosing
	}
	end++ // index of the closing quote in core
	if rest := core[end+1:]; rest != "" {
		switch {
		case rest[0] == first:
			return "", q, litDoubledQuote
		case strings.HasPrefix(strings.TrimLeftFunc(rest, unicode.IsSpace), "+"):
			return "", q, litConcat
		case last == first:
			// The value ends with the opening quote's kind, so a quote in the
			// middle cut the literal short.
			return "", q, litQuoteInside
		}
		return "", q, litOutside
	}
	tok := core[1:end]
	switch {
	case tok == "":
		return "", q, litEmpty
	case strings.ContainsAny(tok, `"'`):
		return tok, q, litQuoteInside
	case strings.Contains(tok, `\`):
		return tok, q, litBackslash
	case strings.ContainsAny(tok, "\n\r\u0085\u2028\u2029"):
		return tok, q, litLineBreak
	case litStartsOrEndsWithSpace(tok):
		return tok, q, litSpaceEdge
	case strings.IndexFunc(tok, unicode.IsSpace) >= 0:
		return tok, q, litSpaceInside
	case !utf8.ValidString(tok) || strings.IndexFunc(tok, litInvisibleRune) >= 0:
		return tok, q, litInvisible
	case strings.Trim(v, spelSpace) != core:
		return tok, q, litOuterOther
	case outer:
		return tok, q, litOuterSpace
	}
	return tok, q, litOK
}

func litStartsOrEndsWithSpace(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	l, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(r) || unicode.IsSpace(l)
}

// litInvisibleRune reports characters that paste invisibly: controls,
// zero-width and other format characters (U+200B, U+FEFF…).
func litInvisibleRune(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf) || r == utf8.RuneError
}

// litFirstOf returns the first rune of s that is in set, with its code point,
// for messages: "“ (U+201C)".
func litFirstOf(s string, match func(rune) bool) string {
	for _, r := range s {
		if match(r) {
			return litRuneName(r)
		}
	}
	return ""
}

func litRuneName(r rune) string {
	switch {
	case r == ' ':
		return "a space (U+0020)"
	case r == '\u00a0':
		return "a no-break space (U+00A0)"
	case r == utf8.RuneError:
		return "an invalid UTF-8 byte"
	case unicode.IsPrint(r) && !unicode.IsSpace(r):
		return fmt.Sprintf("%c (%U)", r, r)
	}
	return fmt.Sprintf("%U", r)
}

// litShape draws the structure of a value without any of its text: quotes,
// whitespace, backslashes and invisible characters stay, a concatenating +
// between literals stays, and every run of other characters becomes "…".
// `"A-1" + "2"` is drawn `"…" + "…"`, `“A-1”` is drawn `“…”`. It never shows
// a character of the token (a base64 token contains + and /, which are drawn
// as "…" too).
func litShape(v string) string {
	var b strings.Builder
	inRun := false
	var open rune     // the quote of the literal we are in, 0 outside
	afterLit := false // outside, and only spaces or + since a literal closed
	for _, r := range v {
		isQuote := r == '"' || r == '\''
		keep := ""
		switch {
		case isQuote || r == '\\' || strings.ContainsRune(litTypographicQuotes, r):
			keep = string(r)
		case r == ' ':
			keep = " "
		case r == '\n':
			keep = `\n`
		case r == '\r':
			keep = `\r`
		case r == '\t':
			keep = `\t`
		case unicode.IsSpace(r) || litInvisibleRune(r):
			keep = "<" + litRuneName(r) + ">"
		case r == '+' && open == 0 && afterLit:
			keep = "+"
		}
		switch {
		case isQuote && open == 0:
			open, afterLit = r, false
		case isQuote && r == open:
			open, afterLit = 0, true
		case open == 0 && keep != " " && keep != "+":
			afterLit = false
		}
		if keep == "" {
			if !inRun {
				b.WriteString("…")
				inRun = true
			}
			continue
		}
		inRun = false
		b.WriteString(keep)
	}
	return b.String()
}
