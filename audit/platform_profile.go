package audit

import "strings"

// Platform profiles (docs/platforms.md, What each platform accepts): what each
// Druva platform accepts for the values Druva documents per platform. Rules ask
// the profile; they never test the platform's name. Each accepted value carries
// the Druva page it comes from, shown in the rule's reference and by `ssoaudit
// explain`.

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
// ConsoleProfile, an inSync user profile of the console).
type PlatformProfile struct {
	// Family is "insync", "dcp" or "msc": platforms of one family share a
	// console's kind, and an app of another family never signs into it.
	Family           string
	UserRelayStates  []Accepted
	AdminRelayStates []Accepted
	NameIDFormats    []Accepted
	Usernames        []Accepted
	// AdminsOnly: every app of the platform is an administrators' app
	// (Managed Services Center), so one app is the admins' sign-in path.
	AdminsOnly bool
	// NoUserProfiles: the console has no user profiles to put on SSO.
	NoUserProfiles bool
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

// String renders a citation as "title <url>".
func (c Citation) String() string {
	if c.URL == "" {
		return c.Title
	}
	return c.Title + " <" + c.URL + ">"
}

// ProfileField names one field of the platform profiles, for rules that
// judge by it and for explain, which prints it for every platform.
type ProfileField struct {
	// Name is what the field is, as explain heads it.
	Name string
	// Get picks the field's accepted values from a profile.
	Get func(PlatformProfile) []Accepted
}

// Profile fields the rules read.
var (
	FieldUserRelayStates  = ProfileField{"Default RelayState, users' app", func(p PlatformProfile) []Accepted { return p.UserRelayStates }}
	FieldAdminRelayStates = ProfileField{"Default RelayState, administrators' app", func(p PlatformProfile) []Accepted { return p.AdminRelayStates }}
	FieldNameIDFormats    = ProfileField{"Name ID format", func(p PlatformProfile) []Accepted { return p.NameIDFormats }}
	FieldUsernames        = ProfileField{"Application username", func(p PlatformProfile) []Accepted { return p.Usernames }}
)

// ShowValue makes an accepted value readable: the empty value is named.
func ShowValue(v string) string {
	if v == "" {
		return "(empty)"
	}
	return v
}

// ProfileReference names every Druva page the given profile fields cite on
// any platform, once each: the reference of a rule that judges by them.
func ProfileReference(fields ...ProfileField) string {
	var out []string
	seen := map[string]bool{}
	for _, p := range Platforms {
		prof := p.Profile()
		for _, f := range fields {
			for _, a := range f.Get(prof) {
				if s := a.Source.String(); !seen[s] {
					seen[s] = true
					out = append(out, s)
				}
			}
		}
	}
	return strings.Join(out, "; ")
}
