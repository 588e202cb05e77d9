package audit

// The Druva console model: druva.yaml, the console's SSO settings as its
// admin records them.

// Console is the Druva console's SSO settings (druva.yaml). A nil section was
// left out of the file; a nil field inside a present section was left out too.
type Console struct {
	File string
	// SHA256 is the hex SHA-256 of the file's bytes.
	SHA256   string
	Platform string
	SSO      *ConsoleSSO
	Admins   *ConsoleAdmins
	// Profiles is nil when the section was left out.
	Profiles []ConsoleProfile
}

// ConsoleSSO is the console's "Single Sign-On Settings".
type ConsoleSSO struct {
	IDPLoginURL             *string
	IDPCertificate          *string
	SSOTokenSHA256          *string
	SSOToken                *Secret
	AuthnRequestsSigned     *bool
	WantAssertionsEncrypted *bool
}

// ConsoleAdmins holds the administrator SSO switches.
type ConsoleAdmins struct {
	SSOEnabled *bool
	Failsafe   *bool
}

// ConsoleProfile is one profile of the Druva console (an inSync user
// profile) and its login mechanism; not a PlatformProfile, which is what a
// Druva platform accepts.
type ConsoleProfile struct {
	Name           string
	LoginMechanism string
}
