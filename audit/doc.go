// Package audit holds what flows through ssoaudit: the Target that rules
// read, the Result each rule produces, and the runner that applies rules to
// targets. Its files say which part of that each holds:
//
//   - the rule API: rule.go (Rule, Evaluate, Run), result.go (Result,
//     Status, Severity, Evidence), target.go (the Target container), input.go
//     (the inputs a rule needs and why one is unavailable), deployment.go
//     (deployment rules and their runner);
//   - the Okta model: okta.go (App, SAMLSettings and the values Okta
//     actually uses, signing keys, metadata, users, authentication policy
//     rules, the catalog heuristic);
//   - the Druva console model: console.go (druva.yaml's Console and its
//     ConsoleProfile entries);
//   - platform data: platform.go (each Druva platform's SAML values),
//     platform_profile.go and platform_profile_data.go (what each platform
//     accepts, cited);
//   - what reports carry: report.go, require.go, inputfix.go, secret.go.
//
// Sources fill the models; rules only read them.
package audit
