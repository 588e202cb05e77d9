package audit

// Platform profiles (PRODUCT.md section 2a): what each Druva platform accepts
// for the values Druva documents per platform. Rules ask the profile; they
// never test the platform's name. Each accepted value carries the Druva page
// it comes from, shown in the rule's reference and by `ssoaudit explain`.

// Citation is the page a profile value comes from.
type Citation struct {
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
}

// Accepted is one value a platform accepts, with where Druva documents it.
// Note, when set, is why a weaker choice than the guide's is accepted; a
// rule that passes on such a value says it.
type Accepted struct {
	Value  string   `json:"value"`
	Source Citation `json:"source"`
	Note   string   `json:"note,omitempty"`
}

// Username policies a profile can accept ("Application username format").
const (
	UsernameEmail        = "email"         // Okta's "Email" choice: ${source.email}
	UsernameOktaUsername = "okta-username" // Okta's "Okta username" choice: ${source.login}
)

// Name ID formats.
const (
	NameIDEmail       = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
	NameIDUnspecified = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
)

// PlatformProfile is what one platform accepts (not to be confused with
// Profile, an inSync user profile of the console).
type PlatformProfile struct {
	// Family is "insync" or "dcp".
	Family           string
	UserRelayStates  []Accepted
	AdminRelayStates []Accepted
	NameIDFormats    []Accepted
	Usernames        []Accepted
}

// Values lists the accepted values of one profile field, for messages.
func Values(as []Accepted) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Value
	}
	return out
}

// Find returns the accepted entry for v, if any.
func Find(as []Accepted, v string) (Accepted, bool) {
	for _, a := range as {
		if a.Value == v {
			return a, true
		}
	}
	return Accepted{}, false
}
