package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Secret holds a token. Every way Go can print or marshal it shows only its
// redacted form, so a secret cannot reach a report, log or error by accident.
type Secret struct{ v string }

// NewSecret wraps a token.
func NewSecret(v string) Secret { return Secret{v} }

// Reveal returns the token itself. Call it only to compare or hash.
func (s Secret) Reveal() string { return s.v }

// Empty reports whether there is no token.
func (s Secret) Empty() bool { return s.v == "" }

// String shows the redacted form.
func (s Secret) String() string { return Redact(s.v) }

// GoString shows the redacted form under %#v.
func (s Secret) GoString() string { return "audit.Secret(" + Redact(s.v) + ")" }

// Format shows the redacted form under every verb.
func (s Secret) Format(f fmt.State, _ rune) { fmt.Fprint(f, Redact(s.v)) }

// MarshalJSON writes the redacted form.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf("%q", Redact(s.v))), nil }

// MarshalText writes the redacted form.
func (s Secret) MarshalText() ([]byte, error) { return []byte(Redact(s.v)), nil }

// Fingerprint is the hex SHA-256 of a token: how reports identify it.
func Fingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Prefix returns at most the first 6 characters of a token.
func Prefix(token string) string {
	r := []rune(token)
	if len(r) > 6 {
		r = r[:6]
	}
	return string(r)
}

// Redact is the most of a token any output may show: its first 6 characters
// and its SHA-256 fingerprint.
func Redact(token string) string {
	if token == "" {
		return "(empty)"
	}
	return Prefix(token) + "… (sha256:" + Fingerprint(token)[:16] + ")"
}

var tokenLike = regexp.MustCompile(`^[A-Za-z]-[0-9]+-[0-9]+-`)

// LooksLikeToken reports whether s starts like a Druva SSO token
// (A-<digits>-<digits>-…), so callers can avoid echoing it.
func LooksLikeToken(s string) bool { return tokenLike.MatchString(s) }

// LooksLikeSecret reports whether s may be a token pasted into the wrong
// place, so that messages do not echo it: the guide's token shape, or 16 or
// more letters and digits (and base64's + / = _ -) mixing upper case, lower
// case and digits, as generated tokens (Druva's, Okta's API tokens) do and
// names, words and URLs do not.
func LooksLikeSecret(s string) bool {
	if LooksLikeToken(s) {
		return true
	}
	if len(s) < 16 {
		return false
	}
	var upper, lower, digit bool
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= '0' && r <= '9':
			digit = true
		case strings.ContainsRune("+/=_-", r):
		default:
			return false
		}
	}
	return upper && lower && digit
}

// Shown quotes a value a person typed for a message or evidence, unless it
// looks like a token pasted into the wrong field.
func Shown(v string) string {
	if LooksLikeSecret(strings.TrimSpace(v)) {
		return "(not shown: it looks like a token)"
	}
	return strconv.Quote(v)
}
