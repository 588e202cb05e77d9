package audit

// Source says where a target's Okta half came from. Messages and fixes
// depend on it (a snapshot file is saved again, a live request retried, a
// Terraform plan written again), so it is a type, not free text.
type Source string

// The sources of a target, as the JSON report's "source" names them.
const (
	SourceSnapshot  Source = "snapshot"
	SourceOkta      Source = "okta"
	SourceTerraform Source = "terraform"
	// SourceDeployment marks a report section that covers a deployment
	// (docs/deployments.md), not one target.
	SourceDeployment Source = "deployment"
)
