package checks

import (
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// factorType is a set of Okta's factor types: something you know, have, are.
type factorType uint8

const (
	knowledge factorType = 1 << iota
	possession
	inherence
)

// count is how many factor types the set holds.
func (f factorType) count() int {
	n := 0
	for ; f != 0; f &= f - 1 {
		n++
	}
	return n
}

func (f factorType) String() string {
	var parts []string
	for _, t := range []struct {
		f    factorType
		name string
	}{{knowledge, "knowledge"}, {possession, "possession"}, {inherence, "inherence"}} {
		if f&t.f != 0 {
			parts = append(parts, t.name)
		}
	}
	if len(parts) == 0 {
		return "no factor type"
	}
	return strings.Join(parts, " + ")
}

// authenticatorFactors maps an Okta authenticator key to the factor types
// one use of it gives: always base, and verified as well when the method
// requires user verification (userVerification REQUIRED: biometrics or a
// PIN on the device).
//
// Source: Okta's Policy API reference, "Authenticator key, type, method, and
// characteristic relationships for constraints"
// (https://developer.okta.com/docs/reference/api/policy/#authenticator-key-type-method-and-characteristic-relationships-for-constraints),
// which gives each key's factor classes: okta_password and
// security_question knowledge; okta_email, phone_number, duo, symantec_vip,
// google_otp, custom_otp, onprem_mfa, rsa_token, yubikey_token and
// external_idp possession; okta_verify (push, signed_nonce), custom_app and
// webauthn possession and inherence ("you can satisfy inherence as the
// second part of a 2FA assurance if the device or platform supports
// biometrics"); smart_card_idp possession, with "a PIN acts as user
// verifying". Okta's help page "Multifactor authentication"
// (https://help.okta.com/oie/en-us/content/topics/identity-engine/authenticators/about-authenticators.htm)
// groups the same authenticators (Okta Verify, FIDO2 (WebAuthn), Custom
// Authenticator: "Possession + Biometric"; Smart Card IdP with PIN:
// "Possession + Knowledge"). docs/rules/okta.app.mfa.md repeats the table.
var authenticatorFactors = map[string]struct{ base, verified factorType }{
	"okta_password":     {knowledge, 0},
	"security_question": {knowledge, 0},
	"okta_email":        {possession, 0},
	"phone_number":      {possession, 0},
	"duo":               {possession, 0},
	"symantec_vip":      {possession, 0},
	"google_otp":        {possession, 0},
	"custom_otp":        {possession, 0},
	"onprem_mfa":        {possession, 0},
	"rsa_token":         {possession, 0},
	"yubikey_token":     {possession, 0},
	"external_idp":      {possession, 0},
	"okta_verify":       {possession, inherence},
	"custom_app":        {possession, inherence},
	"webauthn":          {possession, inherence},
	"smart_card_idp":    {possession, knowledge},
}

// notUserVerifying are methods that never verify the user, whatever the
// rule asks: Okta's table marks Okta Verify's TOTP possession only.
var notUserVerifying = map[string]bool{"okta_verify/totp": true, "okta_verify/otp": true}

// factorsOf is the factor types one use of an authentication method gives;
// ok is false for an authenticator key the table does not hold.
func factorsOf(m audit.AuthMethod) (factorType, bool) {
	f, ok := authenticatorFactors[strings.ToLower(m.Key)]
	if !ok {
		return 0, false
	}
	t := f.base
	if strings.EqualFold(m.UserVerification, "REQUIRED") && !notUserVerifying[strings.ToLower(m.String())] {
		t |= f.verified
	}
	return t, true
}
