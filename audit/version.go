package audit

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// semverPattern is Semantic Versioning 2.0.0's own regular expression.
var semverPattern = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// IsSemVer reports whether v is a Semantic Versioning 2.0.0 version (no
// leading "v").
func IsSemVer(v string) bool { return semverPattern.MatchString(v) }

// SemanticVersion is a build's version as SemVer 2.0, the form every report
// records (docs/reports.md): it starts with a digit, so SARIF consumers can
// compare versions (the SARIF multitool warns, SARIF2005, on any other), and
// it is the same string in JSON, SARIF and `ssoaudit version`. A release's
// "v1.4.0" is 1.4.0, Go's pseudo-versions are already SemVer once the v is
// gone, and anything else (a "devel" build) is a 0.0.0 pre-release named
// after it.
func SemanticVersion(v string) string {
	s := strings.TrimPrefix(v, "v")
	if semverPattern.MatchString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range v {
		switch {
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-'):
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	pre := strings.Trim(b.String(), "-")
	if pre == "" {
		pre = "unknown"
	}
	if pre[0] >= '0' && pre[0] <= '9' {
		// A numeric identifier may not have leading zeros; a prefix makes
		// it alphanumeric whatever follows.
		pre = "v" + pre
	}
	return "0.0.0-" + pre
}
