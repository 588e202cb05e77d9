// Package redact is the one redaction layer every report and error of a run
// goes through (docs/security.md). A Set knows every secret the run
// holds — the Okta API token, OAuth key material and access tokens,
// druva.yaml's sso_token, whatever Okta's token attribute or a catalog app's
// token field carries — and String removes any 8 or more consecutive
// characters of any of them, in any letter case, wherever they appear: a
// token pasted into the relay state, echoed by a server inside an error, or
// split across a table's lines. Independently of what the run knows, it
// hides anything shaped like a Druva token and the credentials a URL can
// carry (user info, and the values of query parameters named like
// credentials), and JSON Web Tokens (OAuth client assertions, Okta access
// tokens).
//
// Checks keep their own care (audit.Shown, audit.Redact); this layer is the
// net under them, applied at the edge like escaping: report.Write redacts
// the model, the command redacts every error line.
package redact

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Window is the longest run of a secret's characters output may show: the
// shortest piece that is found and hidden. audit.Redact shows 6.
const Window = 8

// Hidden replaces a piece of a known secret.
const Hidden = "[redacted]"

// Set is the secrets of a run. The zero value is empty and ready; it is safe
// for concurrent use (fleet targets add theirs as they are read).
type Set struct {
	mu      sync.RWMutex
	windows map[string]struct{} // every Window-long piece, ASCII-lower-cased
}

// Own is what the tool itself prints whatever it reads: its name, the
// schemas and identifiers reports carry, the SDK's bearer placeholder and
// the redaction marker. A piece of a "secret" that is a piece of one of these
// is never hidden: a credential is not made of the tool's own words, and a
// file setting sso_token to "ssoaudit.report/v1" (or the OAuth placeholder
// joining the set) must not turn every "ssoaudit" in a report — the JSON
// schema, SARIF's tool name, which GitHub tracks alerts by — into
// [redacted].
var Own = []string{
	"ssoaudit", "ssoaudit.report/v1", "ssoaudit.rules/v1", "ssoaudit.diff/v1",
	"ssoaudit.could-not-evaluate", "ssoaudit-oauth-token-pending",
	"https://github.com/ssoaudit/ssoaudit", Hidden,
}

// own is every Window-long piece of Own, lower-cased.
var own = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range Own {
		s = strings.ToLower(s)
		for i := 0; i+Window <= len(s); i++ {
			m[s[i:i+Window]] = true
		}
	}
	return m
}()

// Add records secrets. Values shorter than Window are ignored: they are not
// credentials anything accepts, and hiding every short word they share with
// ordinary text would garble reports. Pieces of the tool's own words (Own)
// are not recorded. Each value's encoded forms (base64, base64url,
// percent-encoding) are recorded too: a token pasted base64-encoded into a
// relay state is still the token.
func (s *Set) Add(secrets ...string) {
	for _, v := range secrets {
		if len(v) < Window {
			continue
		}
		s.mu.Lock()
		if s.windows == nil {
			s.windows = map[string]struct{}{}
		}
		for _, form := range encodings(v) {
			low := asciiLower(form)
			for i := 0; i+Window <= len(low); i++ {
				if w := low[i : i+Window]; !own[w] {
					s.windows[w] = struct{}{}
				}
			}
		}
		s.mu.Unlock()
	}
}

// AddFragments records the pieces of a value that may hold a token written
// with quotes, spaces or other decoration around or inside it (Okta's token
// attribute, say): every run of token characters (letters, digits and
// base64's + / = _ -) of at least Window characters that looks generated
// (audit.LooksLikeSecret: the guide's token shape, or letters of both cases
// and digits). Names and expressions — user.email, or an attribute's own
// name such as insync_auth_token — are not tokens and are left alone:
// hiding them would garble every message that names them.
func (s *Set) AddFragments(v string) {
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return !tokenChar(r) }) {
		if audit.LooksLikeSecret(f) {
			s.Add(f)
		}
	}
}

func tokenChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+/=_-", r)
}

// Len reports how many distinct pieces the set knows (for tests).
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.windows)
}

// String returns v with every piece of a known secret, every Druva-shaped
// token (also base64-encoded), JSON Web Token and URL credential hidden. A
// nil Set hides only the shapes. Invisible characters (Unicode format
// characters such as U+200B, U+2060, U+00AD, bidi controls, tags) do not
// split a secret, nor do their escapes (\u200b, as %q writes them): a value
// holding any is matched without them. When something is hidden, the
// words that hid nothing keep their invisible characters (and escapes), so
// that a value looks the same in every place of a report, whether or not
// another part of its string held a secret; the words that did are shown
// without them.
func (s *Set) String(v string) string {
	stripped, ok := stripAll(v)
	if !ok {
		return s.visible(v)
	}
	out := s.visible(stripped)
	if out == stripped {
		return v
	}
	if kept, ok := s.keepInvisible(v); ok {
		return kept
	}
	return out
}

// stripAll is v without its invisible characters and their escapes, and
// whether it had any.
func stripAll(v string) (string, bool) {
	stripped, ok := stripInvisible(v)
	if unescaped, had := stripEscapedInvisible(stripped); had {
		stripped, ok = unescaped, true
	}
	return stripped, ok
}

// keepInvisible hides the secrets of v word by word (words split at ASCII
// white space), keeping the invisible characters of the words that hold
// none. It is used only if the whole result, stripped again, hides
// nothing more — a secret split across words is then hidden by String's
// own pass over the whole value, as before.
func (s *Set) keepInvisible(v string) (string, bool) {
	var b strings.Builder
	for len(v) > 0 {
		i := strings.IndexAny(v, " \t\n\r")
		if i < 0 {
			i = len(v)
		}
		if i == 0 {
			b.WriteByte(v[0])
			v = v[1:]
			continue
		}
		word := v[:i]
		v = v[i:]
		st, had := stripAll(word)
		switch out := s.visible(st); {
		case !had:
			b.WriteString(out)
		case out == st:
			b.WriteString(word)
		default:
			b.WriteString(out)
		}
	}
	res := b.String()
	st, _ := stripAll(res)
	return res, s.visible(st) == st
}

func (s *Set) visible(v string) string {
	v = s.known(v)
	if strings.Contains(v, "-") {
		v = druvaToken.ReplaceAllStringFunc(v, func(m string) string {
			return audit.Redact(m)
		})
	}
	if strings.Contains(v, "eyJ") {
		v = jwt.ReplaceAllString(v, Hidden)
	}
	if strings.Contains(v, "//") {
		v = urlUser.ReplaceAllString(v, "${1}"+Hidden+"@")
	}
	if strings.Contains(v, "=") {
		v = urlParam.ReplaceAllStringFunc(v, hideParam)
	}
	if len(v) >= 24 {
		v = base64Run.ReplaceAllStringFunc(v, func(m string) string {
			if encodesDruvaToken(m) {
				return Hidden
			}
			return m
		})
	}
	return v
}

// stripInvisible is v without its invisible characters, and whether it had
// any.
func stripInvisible(v string) (string, bool) {
	has := false
	for _, r := range v {
		if invisible(r) {
			has = true
			break
		}
	}
	if !has {
		return v, false
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, v), true
}

// escapedInvisible is the text Go's %q and strconv.Quote (and JSON) write
// for a character they will not print raw: \u200b, \U000e0041.
var escapedInvisible = regexp.MustCompile(`\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}`)

// stripEscapedInvisible is v without the escapes of invisible characters,
// and whether it had any. A rule that quotes untrusted text with %q turns a
// U+200B slipped into a token into the six characters \u200b before this
// layer sees it; they split the token as the character itself would.
func stripEscapedInvisible(v string) (string, bool) {
	if !strings.Contains(v, `\u`) && !strings.Contains(v, `\U`) {
		return v, false
	}
	had := false
	out := escapedInvisible.ReplaceAllStringFunc(v, func(m string) string {
		if n, err := strconv.ParseUint(m[2:], 16, 32); err == nil && invisible(rune(n)) {
			had = true
			return ""
		}
		return m
	})
	return out, had
}

// invisible reports whether r is a character a reader does not see, that
// can be slipped into a secret to split it: a format character (category
// Cf), a line or paragraph separator.
func invisible(r rune) bool {
	return r >= 0x80 && (unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 || r >= 0xe0000 && r <= 0xe0fff)
}

// encodesDruvaToken reports whether a run of base64 (or base64url)
// characters decodes to text holding a Druva-shaped token.
func encodesDruvaToken(run string) bool {
	run = strings.TrimRight(run, "=")
	for skip := 0; skip < 4 && skip < len(run); skip++ {
		r := run[skip:]
		r = r[:len(r)/4*4+min(len(r)%4, 3)]
		if len(r)%4 == 1 {
			r = r[:len(r)-1]
		}
		for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(r); err == nil && druvaToken.Match(b) {
				return true
			}
		}
	}
	return false
}

// hideParam hides the value of a name=value pair whose name is a
// credential's (credentialParam).
func hideParam(m string) string {
	sub := urlParam.FindStringSubmatch(m)
	if sub == nil || !credentialParam(sub[2]) {
		return m
	}
	return sub[1] + sub[2] + "=" + Hidden
}

// CredentialParams are the parameter names (of a URL's query or fragment,
// or a form body) whose values are hidden wherever they appear: a name
// holding one of CredentialStems, or equal to one of CredentialNames, in
// any letter case, with - and _ ignored. They follow the keywords of
// gitleaks' generic-api-key rule (access, auth, api, credential, creds,
// key, passwd/password, secret, token) plus the parameters that carry
// credentials in practice: OAuth's access_token, id_token, refresh_token,
// code, client_assertion and client_secret (RFC 6749, RFC 7523; a fragment's
// #access_token= in the implicit flow), AWS presigned URLs'
// X-Amz-Security-Token, X-Amz-Signature and X-Amz-Credential, Azure SAS sig,
// api-key / apikey, session_token / sessionToken, jwt, sso_token.
var (
	CredentialStems = []string{"token", "secret", "passw", "passwd", "pwd", "apikey", "credential", "creds", "auth", "signature", "assertion", "jwt", "sessionid", "accesskey", "privatekey"}
	CredentialNames = []string{"key", "sig", "code", "pat", "access", "session", "pass", "sas"}
)

// credentialParam reports whether a parameter name is a credential's.
func credentialParam(name string) bool {
	n := strings.ToLower(strings.NewReplacer("-", "", "_", "", ".", "").Replace(name))
	if slices.Contains(CredentialNames, n) {
		return true
	}
	for _, stem := range CredentialStems {
		if strings.Contains(n, stem) {
			return true
		}
	}
	return false
}

// known hides every run of characters covered by a known secret's pieces.
func (s *Set) known(v string) string {
	if s == nil || len(v) < Window {
		return v
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(s.windows) == 0 {
		return v
	}
	low := asciiLower(v)
	var b strings.Builder
	last := 0   // v[:last] is decided
	cover := -1 // v[start:cover] is secret
	start := 0
	for i := 0; i+Window <= len(low); i++ {
		if _, hit := s.windows[low[i:i+Window]]; !hit {
			continue
		}
		if i > cover {
			if cover >= 0 {
				b.WriteString(v[last:start])
				b.WriteString(Hidden)
				last = cover
			}
			start = i
		}
		cover = i + Window
	}
	if cover < 0 {
		return v
	}
	b.WriteString(v[last:start])
	b.WriteString(Hidden)
	b.WriteString(v[cover:])
	return b.String()
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay put.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

var (
	// druvaToken is the guide's token shape, A-<digits>-<digits>-<base64>,
	// with enough of a tail to be a token rather than a date or an ID.
	druvaToken = regexp.MustCompile(`\b[A-Za-z]-[0-9]+-[0-9]+-[A-Za-z0-9+/=_-]{8,}`)
	// jwt is a JSON Web Token (a base64url JSON header, payload and
	// signature): OAuth client assertions and Okta's access tokens. A
	// server echoing one in an error must not hand it to the log.
	jwt = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)
	// urlUser is the user info of a URL, scheme://USER[:PASSWORD]@ or
	// scheme-relative //USER[:PASSWORD]@: everything up to the authority's
	// last @ (a password may hold @ itself).
	urlUser = regexp.MustCompile(`(?i)((?:\b[a-z][a-z0-9+.-]*:)?//)[^/?#\s"'<>\x60]*@`)
	// urlParam is a name=value pair in a query, a fragment, a form body or
	// a header-like list: hideParam decides by the name.
	urlParam = regexp.MustCompile(`(^|[?&;#\s,"'(])([A-Za-z][A-Za-z0-9_.-]*)=([^&#\s"'<>\x60,;)]+)`)
	// base64Run is a run of base64 or base64url characters long enough to
	// encode a Druva token.
	base64Run = regexp.MustCompile(`[A-Za-z0-9+/_-]{24,}={0,2}`)
)

// encodings is v and the forms it takes encoded: percent-encoded (query
// and path escaping), and base64 and base64url at each of the three
// alignments it can have inside a longer encoded value (only the characters
// that depend on v's bytes alone are kept, so they match wherever v sits).
func encodings(v string) []string {
	forms := []string{v}
	add := func(f string) {
		if len(f) >= Window && !slices.Contains(forms, f) {
			forms = append(forms, f)
		}
	}
	add(url.QueryEscape(v))
	add(url.PathEscape(v))
	for k := 0; k < 3; k++ {
		buf := make([]byte, k+len(v))
		copy(buf[k:], v)
		start := (8*k + 5) / 6
		end := 8 * len(buf) / 6
		std := base64.StdEncoding.EncodeToString(buf)
		add(std[start:end])
		add(base64.URLEncoding.EncodeToString(buf)[start:end])
	}
	return forms
}
