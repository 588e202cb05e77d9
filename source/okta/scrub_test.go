package okta_test

import (
	"strings"
	"testing"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/oktatest"
)

// pieceOf returns an 8-character piece of secret found in s in any letter
// case, or "".
func pieceOf(s, secret string) string {
	s, secret = strings.ToLower(s), strings.ToLower(secret)
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(s, secret[i:i+8]) {
			return secret[i : i+8]
		}
	}
	return ""
}

// echoForms are the ways a server may repeat a credential.
var echoForms = map[string]func(string) string{
	"whole":      func(s string) string { return s },
	"prefix":     func(s string) string { return s[:10] },
	"middle":     func(s string) string { return s[5 : len(s)-5] },
	"lower case": strings.ToLower,
	"upper case": strings.ToUpper,
}

var echoPlaces = []string{oktatest.EchoSummary, oktatest.EchoErrorCode, oktatest.EchoErrorID, oktatest.EchoOAuth,
	oktatest.EchoContentType, oktatest.EchoErrorType, oktatest.EchoPlain}

// everything is every message a target read through the client carries.
func everything(t *testing.T, tg *audit.Target) string {
	var b strings.Builder
	for _, r := range gapReasons(t, tg) {
		b.WriteString(r + "\n")
	}
	return b.String()
}

// TestServerEchoesTheToken reproduces issue 8's scrubbing gaps: a server (or
// a proxy in front of it) repeating the SSWS token — whole, a prefix, a
// piece, in another letter case — in an error summary, errorCode, errorId,
// a Content-Type, a plain-text body or a next-page Link's host. No error
// carries 8 characters of it.
func TestServerEchoesTheToken(t *testing.T) {
	cases := 0
	for _, place := range append(echoPlaces, oktatest.EchoLinkHost) {
		for name, form := range echoForms {
			e := newEnv(t)
			endpoint := oktatest.EndpointApp
			if place == oktatest.EchoLinkHost {
				endpoint = oktatest.EndpointUsers
			}
			e.srv.Inject(oktatest.Fault{Endpoint: endpoint, Kind: oktatest.Echo, EchoIn: place, EchoForm: form, Times: -1})
			e.opts.MaxRetries = -1
			out := everything(t, e.target(t, goodID))
			if out == "" {
				t.Errorf("%s, %s: no error", place, name)
			}
			if p := pieceOf(out, e.srv.Token); p != "" {
				t.Errorf("%s, %s: %q of the token in:\n%s", place, name, p, out)
			}
			cases++
		}
	}
	t.Logf("%d echo cases", cases)
}
