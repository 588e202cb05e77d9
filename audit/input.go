package audit

// Input names one piece of data a rule reads. Its value is the path of that
// data inside a snapshot directory, which is also how messages name it.
type Input string

// The inputs a target can carry.
const (
	InputApp      Input = "okta/app.json"
	InputKeys     Input = "okta/keys.json"
	InputMetadata Input = "okta/metadata.xml"
	InputUsers    Input = "okta/users.json"
	InputConsole  Input = "druva.yaml"
	// InputPolicyRules is the rules of the app's authentication policy
	// (Identity Engine orgs only; optional).
	InputPolicyRules Input = "okta/policy-rules.json"
)

// Describe names an input for messages: what it is, and for a snapshot the
// file it was read from.
func (in Input) Describe(source string) string {
	what := map[Input]string{
		InputApp:         "the Okta app",
		InputKeys:        "the app's signing keys",
		InputMetadata:    "the IdP metadata",
		InputUsers:       "the assigned users",
		InputConsole:     "the Druva console settings",
		InputPolicyRules: "the app's authentication policy rules",
	}[in]
	switch {
	case what == "":
		return string(in)
	case source == "snapshot" || in == InputConsole:
		return string(in) + " (" + what + ")"
	}
	return what
}

// Gap records why an input is not available to the rules.
type Gap struct {
	// Failed is true when the data exists (or should) but could not be read,
	// parsed or fetched: rules that need it end in error. When false the
	// input is optional and absent: rules that need it are skipped.
	Failed bool
	Reason string
}
