package checks

import "github.com/ssoaudit/ssoaudit/audit"

// The facts the rules share (audit/fact.go): each is computed once per
// target (or per deployment) and read by every rule that lists it in
// Requires.

// assignedUsers is the one pass over a target's assigned users that every
// rule reading them shares: Users may be consumed only once, and live it
// costs a request per page. The stream is never collected: memory stays
// flat however many users the app has.
var assignedUsers = &audit.TargetFact[usersRead]{
	Name: "assigned users",
	Doc:  "a tally of the app's assigned users (how many, whose username is not their email, a few examples) and the error that stopped the read",
	Compute: func(t *audit.Target) usersRead {
		if _, absent := t.Gap(audit.InputUsers); absent || t.Users == nil {
			return usersRead{}
		}
		r := usersRead{loaded: true}
		for u, err := range t.Users {
			if err != nil {
				r.err = err
				break
			}
			r.tally.add(u)
		}
		return r
	},
}

// usersRead is what one pass over the users learnt.
type usersRead struct {
	// loaded is false when the target has no users to read (the input is
	// absent or failed, or the source gave none).
	loaded bool
	tally  usersTally
	err    error
}

// deployedApp is what a deployment needs to know of each of its apps.
var deployedApp = &audit.TargetFact[appInDeployment]{
	Name:     "app in deployment",
	Doc:      "the app's ID and label, its default relay state, its IdP sign-on URLs and whether anyone is assigned to it",
	Requires: []audit.FactType{assignedUsers},
	Compute:  appOf,
}

// appInDeployment is one app of a deployment, as deployment rules (and the
// per-target rules that look at the other apps) see it.
type appInDeployment struct {
	// Target is the target's name, filled in by deploymentApps once the
	// run has named its targets.
	Target string
	App    audit.AppRef
	// AppGap, when set, is why the app could not be read: it might be the
	// app a deployment rule looks for.
	AppGap string
	// RelayState is the app's Default RelayState; nil when the app has no
	// SAML settings to read it from.
	RelayState *string
	// SSOURLs are the app's IdP sign-on URLs (the metadata's
	// SingleSignOnService locations), each once.
	SSOURLs []string
	// Assigned says whether anyone is assigned to the app: nil when the
	// run could not learn it, and AssignedGap then says why.
	Assigned    *bool
	AssignedGap string
}

func appOf(t *audit.Target) appInDeployment {
	var a appInDeployment
	if t.App != nil {
		a.App = audit.AppRef{ID: t.App.ID, Label: t.App.Label}
	}
	if g, ok := t.Gap(audit.InputApp); ok || t.App == nil {
		a.AppGap = g.Reason
		if a.AppGap == "" {
			a.AppGap = "the app was not read"
		}
	} else if so := t.App.Settings.SignOn; so != nil && t.App.SignOnMode == "SAML_2_0" {
		a.RelayState = ptr(so.DefaultRelayState)
	}
	if t.Metadata != nil {
		seen := make(map[string]bool, len(t.Metadata.SSOServices))
		for _, s := range t.Metadata.SSOServices {
			if s.Location != "" && !seen[s.Location] {
				seen[s.Location] = true
				a.SSOURLs = append(a.SSOURLs, s.Location)
			}
		}
	}
	users := assignedUsers.Of(t)
	switch g, absent := t.Gap(audit.InputUsers); {
	case absent:
		a.AssignedGap = g.Reason
	case !users.loaded:
		a.AssignedGap = "no assigned users were read"
	case users.tally.total > 0:
		// Someone is assigned, even if the list broke off after them.
		a.Assigned = ptr(true)
	case users.err != nil:
		a.AssignedGap = users.err.Error()
	default:
		a.Assigned = ptr(false)
	}
	return a
}

// deploymentApps are the apps of a deployment, in the run's order.
var deploymentApps = &audit.DeploymentFact[[]appInDeployment]{
	Name:     "deployment apps",
	Doc:      "every app of the deployment, as deployedApp sees it, named after its target",
	Requires: []audit.FactType{deployedApp},
	Compute: func(d *audit.Deployment) []appInDeployment {
		out := make([]appInDeployment, len(d.Targets))
		for i, t := range d.Targets {
			out[i] = deployedApp.Of(t)
			out[i].Target = t.Name
		}
		return out
	},
}

func ptr[T any](v T) *T { return &v }

// signOnOwners indexes a deployment's apps (deploymentApps) by sign-on URL,
// keeping at most two apps per URL: enough for any app to find another that
// owns it, without comparing every app's URLs with every other's.
var signOnOwners = &audit.DeploymentFact[map[string][]int]{
	Name:     "sign-on URL owners",
	Doc:      "for each IdP sign-on URL of the deployment's apps, the index in deploymentApps of (at most two) apps that have it",
	Requires: []audit.FactType{deploymentApps},
	Compute: func(d *audit.Deployment) map[string][]int {
		owners := map[string][]int{}
		for i, a := range deploymentApps.In(d) {
			for _, u := range a.SSOURLs {
				if len(owners[u]) < 2 {
					owners[u] = append(owners[u], i)
				}
			}
		}
		return owners
	},
}
