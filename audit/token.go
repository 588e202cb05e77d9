package audit

import (
	"strings"
	"unicode"
)

// FoldAttributeName is an attribute statement's name without what makes a
// typo of it: whitespace, invisible format characters (U+200B, U+00AD, …)
// and letter case.
func FoldAttributeName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r), unicode.Is(unicode.Cf, r):
			return -1
		}
		return unicode.ToLower(unicode.ToUpper(r))
	}, s)
}

// IsTokenAttribute reports whether an attribute statement named name is
// meant to carry a Druva token: its name is, but for whitespace, invisible
// characters and letter case, expected (the target's token attribute) or any
// platform's. The rules use it to find a token statement's near misses and
// the redaction layer to know which values are secrets: one answer for both,
// so a name a rule treats as the token's can never escape redaction.
func IsTokenAttribute(name, expected string) bool {
	f := FoldAttributeName(name)
	if expected != "" && f == FoldAttributeName(expected) {
		return true
	}
	for _, p := range Platforms {
		if f == FoldAttributeName(p.TokenAttribute) {
			return true
		}
	}
	return false
}
