// Package words holds the small text helpers every writer of people's text
// shares: wrapping to a terminal's width and "did you mean" suggestions.
package words

import (
	"slices"
	"strings"
	"unicode"
)

// Wrap breaks text into lines of at most width runes at spaces, keeping the
// text's own line breaks (an empty line stays empty). A word longer than
// width — a long URL or fingerprint — starts a line of its own and is broken
// after a separator near the width, so no line outgrows the terminal (which
// would break it at the same place anyway); the piece left over joins the
// words after it.
func Wrap(s string, width int) []string {
	width = max(width, 10)
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		var line []rune
		for _, word := range words {
			wr := []rune(word)
			switch {
			case len(line) == 0 && len(wr) <= width:
				line = wr
				continue
			case len(line) > 0 && len(line)+1+len(wr) <= width:
				line = append(append(line, ' '), wr...)
				continue
			case len(wr) <= width:
				out = append(out, string(line))
				line = wr
				continue
			}
			// A word longer than the width (a long URL): start it on a
			// line of its own — a fragment such as "<https:/" at the end
			// of a line is neither readable nor clickable — then break it
			// after a separator ("/", "-", "_", …) near the width, and
			// keep the rest for the next words.
			if len(line) > 0 {
				out = append(out, string(line))
			}
			for len(wr) > width {
				cut := breakWord(wr, width)
				out = append(out, string(wr[:cut]))
				wr = wr[cut:]
			}
			line = wr
		}
		out = append(out, string(line))
	}
	return out
}

// breakWord is where to cut a word longer than width: after the last
// separator of a URL or path in the second half of the line, else at the
// width; never so that only punctuation (the ";" after a URL) is left over
// to start the next line.
func breakWord(wr []rune, width int) int {
	cut := width
	// Between the parts of a list first (a JSON object's fields stay
	// whole: an email is not cut at its dot), then a URL's segments, then
	// within a name.
classes:
	for _, seps := range []string{",;", "/?&=", "-_."} {
		for i := width; i > width/2; i-- {
			if strings.ContainsRune(seps, wr[i-1]) {
				cut = i
				break classes
			}
		}
	}
	rest := wr[cut:]
	if len(rest) <= 3 && !slices.ContainsFunc(rest, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		cut = max(cut-len(rest)-1, 1)
	}
	return cut
}

// Closest suggests the known word within two edits of w (compared in lower
// case), if any: the "did you mean" of a mistyped key, flag or rule ID.
func Closest(w string, known []string) string {
	best, bestD := "", 3
	for _, c := range known {
		if d := Distance(strings.ToLower(w), c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the Levenshtein distance of two short strings; anything
// longer than 64 bytes is far from everything (O(len²) stays small).
func Distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
