// Okta policies as okta.app.mfa reads them: the rules of an app's
// authentication policy and the org's global session policies.

package audit

// PolicyRule is one rule of an app's authentication policy (an Okta
// ACCESS_POLICY rule), as far as the MFA rule reads it. Okta's SDK v2 models
// lack AUTH_METHOD_CHAIN, userVerification and required, so the source
// parses the raw body.
type PolicyRule struct {
	ID       string
	Name     string
	Status   string // ACTIVE or INACTIVE
	Priority int
	// System marks the policy's catch-all rule, which Okta creates, keeps
	// last and never lets anyone delete.
	System bool
	// Conditions are the rule's conditions that do not match every sign-in;
	// none means the rule applies to everyone, everywhere (unconditional),
	// so Okta never looks at the rules below it.
	Conditions []Condition
	// Access is actions.appSignOn.access: ALLOW or DENY.
	Access string
	// Verification is actions.appSignOn.verificationMethod; nil when the
	// rule carries none.
	Verification *Verification
}

// Unconditional reports whether the rule matches every sign-in.
func (r PolicyRule) Unconditional() bool { return len(r.Conditions) == 0 }

// Condition is one key of a rule's (or a policy's) conditions that narrows
// whom or what it applies to. A key set to its match-all value (network
// ANYWHERE, risk ANY, people with no one listed, …) is not a condition; a
// key ssoaudit does not know always is.
type Condition struct {
	Key    string // Okta's name: people, network, riskScore, or an unknown key
	Detail string // in words, e.g. "members of 2 groups"
}

// Verification is how a rule makes people prove who they are.
type Verification struct {
	// Type is ASSURANCE (a number of factor types) or AUTH_METHOD_CHAIN
	// (steps of named authenticators); Okta has others (ID_PROOFING).
	Type string
	// FactorMode is 1FA or 2FA (ASSURANCE).
	FactorMode string
	// Constraints are an ASSURANCE rule's constraints: alternatives, of
	// which a sign-in satisfies one (Okta: "only one constraint object
	// needs to be satisfied").
	Constraints []Constraint
	// Chains are the alternatives of an AUTH_METHOD_CHAIN rule.
	Chains []AuthChain
}

// Constraint is one entry of an ASSURANCE rule's constraints. Within it,
// every class present must be satisfied.
type Constraint struct {
	Knowledge  *ConstraintClass
	Possession *ConstraintClass
}

// ConstraintClass is the knowledge or possession part of a constraint.
type ConstraintClass struct {
	// Required is Okta's required: nil when not sent, which Okta's
	// reference documents as true.
	Required *bool
	// UserVerification is REQUIRED or OPTIONAL (possession only): REQUIRED
	// asks for biometrics or a PIN on the possession authenticator.
	UserVerification string
	// Types are the authenticator types allowed (PASSWORD, …), if named.
	Types []string
	// AuthenticationMethods names the authenticators allowed, if any.
	AuthenticationMethods []AuthMethod
}

// AuthMethod is one authenticator and method of a chain step or constraint.
type AuthMethod struct {
	Key              string // authenticator key, e.g. okta_password, okta_verify
	Method           string // e.g. password, push
	UserVerification string // REQUIRED: biometrics or PIN on that authenticator
}

// String names the method as key/method, e.g. "okta_verify/push".
func (m AuthMethod) String() string {
	switch {
	case m.Method == "":
		return m.Key
	case m.Key == "":
		return m.Method
	}
	return m.Key + "/" + m.Method
}

// AuthChain is one step of an authentication method chain: one of Methods,
// then one of the Next steps (none: the chain ends here).
type AuthChain struct {
	Methods []AuthMethod
	Next    []AuthChain
}

// SessionPolicies is the org's global session policies with their rules
// (okta/session-policies.json; live, every page of
// GET /api/v1/policies?type=OKTA_SIGN_ON and of each policy's rules): read
// once per org, shared by every target of the org. An org without any is an
// empty list, never an absent one.
var SessionPolicies = NewOrgFact[[]SessionPolicy]("global session policies", InputSessionPolicies,
	"the org's global session (Okta sign-on) policies and their rules, which okta.app.mfa reads")

// SessionPolicy is one of the org's global session policies (Okta's
// OKTA_SIGN_ON policy type, called the Okta sign-on policy in Classic
// Engine): whether a person must give a second factor for an Okta session.
type SessionPolicy struct {
	ID       string
	Name     string
	Status   string // ACTIVE or INACTIVE
	Priority int
	System   bool // the Default Policy
	// Conditions say whom the policy is assigned to (groups).
	Conditions []Condition
	Rules      []SessionRule
}

// SessionRule is one rule of a global session policy.
type SessionRule struct {
	ID         string
	Name       string
	Status     string
	Priority   int
	System     bool
	Conditions []Condition
	// AuthType is conditions.authContext.authType: "" or ANY for every
	// sign-in, RADIUS or LDAP_INTERFACE for those entry points only.
	AuthType string
	// Access is actions.signon.access: ALLOW, DENY or CHALLENGE.
	Access string
	// RequireFactor is actions.signon.requireFactor; nil when not sent
	// (Okta's default: false).
	RequireFactor    *bool
	FactorPromptMode string // DEVICE, SESSION or ALWAYS
	PrimaryFactor    string // PASSWORD_IDP or PASSWORD_IDP_ANY_FACTOR (Identity Engine)
}

// Unconditional reports whether the rule matches every sign-in.
func (r SessionRule) Unconditional() bool { return len(r.Conditions) == 0 }
