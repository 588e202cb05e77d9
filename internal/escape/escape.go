// Package escape makes untrusted text safe for each medium ssoaudit writes: one
// function per medium, used by every writer at its edge (docs/security.md).
// Report models keep raw values; only what a medium would interpret is changed,
// and the JSON report keeps every value as read.
//
// Which function for which medium:
//
//   - Line: one value on one line of a terminal, or any text field whose
//     medium has no safe way to carry control characters (the base of every
//     other function). Control characters — C0 including TAB, CR and LF, DEL,
//     C1 (so ESC/CSI/OSC/BEL/NUL sequences) — Unicode bidirectional controls
//     (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), every other
//     invisible format character that can reorder, hide or split text
//     (Unicode category Cf: U+00AD, U+200B–U+200D, U+2060–U+2064, U+FEFF,
//     tag characters U+E0000–U+E007F…), U+2028, U+2029, noncharacters
//     (U+FFFE, U+FFFF, U+FDD0–U+FDEF) and invalid
//     UTF-8 become visible escapes: \x1b, \u202e, \u200b, \U000e0041, \xff
//     (\n, \r, \t for the common three).
//   - Text: prose a person reads on a terminal that may span lines
//     (remediation steps): as Line, but LF and TAB are kept.
//   - Markdown: prose in a Markdown document (GitHub-flavoured): Line, plus
//     HTML markup and entity syntax inert and Markdown link and image syntax
//     ([text](url), ![alt](src), [ref]) inert. MarkdownText keeps LF for
//     prose that spans lines. MarkdownCode is for inside a `code span`.
//   - HTML: html/template escapes markup itself; values pass through Line
//     or Text first so that no control or bidi character reaches the page.
//   - XML: text or attribute content of an XML 1.0 document (JUnit): Line
//     (or Text) first, so that no character XML 1.0 forbids is ever
//     written; markup is escaped by the encoder.
//   - SARIF: message text and property values: Line or Text, since SARIF
//     viewers (GitHub code scanning) render them to people; the JSON
//     encoding escapes the rest.
//
// Strings applies one of these to every string of a report model at once,
// so that a field added later is escaped without anyone remembering to.
package escape

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line makes s safe as a single-line value on a terminal and the base of
// every other medium: see the package comment for what is shown escaped.
func Line(s string) string { return visible(s, false) }

// Text is Line for text that may span lines: LF and TAB are kept, every
// other control character is shown escaped (CR too: it rewrites a line).
func Text(s string) string { return visible(s, true) }

// Clean reports whether s has nothing Line would escape, so callers can
// avoid a copy.
func Clean(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return false
			}
		}
		if hidden(r) {
			return false
		}
	}
	return true
}

func visible(s string, multiline bool) string {
	if Clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case multiline && (r == '\n' || r == '\t'):
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && hidden(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case hidden(r) && r > 0xffff:
			fmt.Fprintf(&b, `\U%08x`, r) // tag characters: \U000e0041
		case hidden(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// hidden reports whether r must not reach a reader raw: a control
// character, or an invisible character that reorders, hides or breaks text.
func hidden(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true // bidirectional controls ("Trojan Source")
	case r == 0x2028, r == 0x2029, r == 0xfeff:
		return true // line/paragraph separators, zero-width no-break space
	case r >= 0xe0000 && r <= 0xe0fff:
		return true // tag characters (ASCII smuggled invisibly) and the rest of plane 14's invisible block
	case r >= 0xfdd0 && r <= 0xfdef, r&0xfffe == 0xfffe:
		return true // noncharacters: U+FDD0–U+FDEF and U+xxFFFE/U+xxFFFF of every plane
	case unicode.Is(unicode.Cf, r):
		// Format characters (U+00AD soft hyphen, U+200B–U+200D zero
		// widths, U+2060–U+2064 word joiner and invisible operators,
		// U+180E, U+FFF9–U+FFFB…) hide text or split a token so that
		// it matches nothing.
		return true
	}
	return false
}

// markdownEscaper makes HTML and link syntax inert in Markdown prose: GitHub
// renders raw HTML, and [text](url) or ![alt](src) would turn a value into a
// link or an image fetched by every reader's browser. A backslash before a
// bracket is CommonMark's own escape for it.
//
// It also keeps a value from pinging or linking anyone: GitHub turns @name
// into a mention (a notification to a person or a whole team) and a bare
// http://, https://, www. or e-mail address into a link. A zero-width space
// written as an entity (the way Renovate's pull requests quote @names)
// breaks each without changing what a reader sees.
var markdownEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`,
	"@", "@&#8203;", "://", ":&#8203;//", "www.", "www&#8203;.", "WWW.", "WWW&#8203;.")

// Markdown makes s safe as prose on one line of a Markdown document.
func Markdown(s string) string { return markdownEscaper.Replace(Line(s)) }

// MarkdownText is Markdown for prose that may span lines (remediation
// steps): LF is kept, so it must only be given text whose line starts the
// tool wrote.
func MarkdownText(s string) string { return markdownEscaper.Replace(Text(s)) }

// MarkdownCode makes s safe inside a single-backtick code span: entities
// and links are not interpreted there, so only backticks (which would end
// the span) and line breaks need handling, after Line.
func MarkdownCode(s string) string { return strings.ReplaceAll(Line(s), "`", "'") }

// XML makes s safe as XML 1.0 character data: nothing XML forbids (most C0
// controls, U+FFFE, U+FFFF, invalid UTF-8) is written, and nothing that
// would reach a reader's terminal raw. Markup is the encoder's to escape.
func XML(s string) string {
	s = Text(s)
	if !strings.ContainsAny(s, "\ufffe\uffff") {
		return s
	}
	return strings.NewReplacer("\ufffe", `\ufffe`, "\uffff", `\uffff`).Replace(s)
}
