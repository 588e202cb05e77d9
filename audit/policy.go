package audit

// PolicyRule is one rule of an app's authentication policy (an Okta
// ACCESS_POLICY rule), as far as the MFA rule reads it. Okta's SDK v2 has no
// model for AUTH_METHOD_CHAIN rules, so the source parses the raw body.
type PolicyRule struct {
	ID       string
	Name     string
	Status   string // ACTIVE or INACTIVE
	Priority int
	// System marks the policy's catch-all rule, which Okta creates, keeps
	// last and never lets anyone delete.
	System bool
	// Access is actions.appSignOn.access: ALLOW or DENY.
	Access string
	// Verification is actions.appSignOn.verificationMethod; nil when the
	// rule carries none.
	Verification *Verification
	// Conditions says whom the rule applies to, for messages ("" when it
	// has no conditions: everyone).
	Conditions string
}

// Verification is how a rule makes people prove who they are.
type Verification struct {
	// Type is ASSURANCE (a number of factors) or AUTH_METHOD_CHAIN (steps
	// of named authenticators); Okta has others (ID_PROOFING).
	Type string
	// FactorMode is 1FA or 2FA (ASSURANCE).
	FactorMode string
	// Chains are the alternatives of an AUTH_METHOD_CHAIN rule.
	Chains []AuthChain
}

// AuthChain is one step of an authentication method chain: one of Methods,
// then one of the Next steps (none: the chain ends here).
type AuthChain struct {
	Methods []string // authenticator key and method, e.g. "okta_verify/push"
	Next    []AuthChain
}
