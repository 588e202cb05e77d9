package checks

import (
	"fmt"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

// profileOf is what the target's platform accepts (docs/platforms.md, What each platform accepts).
// A target without a known platform is judged by the guide's platform.
func profileOf(t *audit.Target) audit.PlatformProfile {
	p, err := audit.LookupPlatform(t.Platform)
	if err != nil {
		p, _ = audit.LookupPlatform(audit.DefaultPlatform)
	}
	return p.Profile()
}

// acceptedList renders accepted values for messages: "" or "browseractivate".
func acceptedList(as []audit.Accepted) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = fmt.Sprintf("%q", a.Value)
	}
	switch len(parts) {
	case 0:
		return "nothing"
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

// acceptedEvidence records why a value passed: the page that documents it
// and, for a weaker choice than the guide's, the reason it is accepted.
func acceptedEvidence(ev audit.Evidence, a audit.Accepted) audit.Evidence {
	ev = ev.Add("documented_by", a.Source.String())
	if a.Note != "" {
		ev = ev.Add("note", a.Note)
	}
	return ev
}

// otherPlatforms names the platforms whose profile accepts v in the field
// and the target's does not, for a failure's hint.
func otherPlatforms(t *audit.Target, f audit.ProfileField, v string) []string {
	var names []string
	for _, p := range audit.Platforms {
		if p.Name == t.Platform {
			continue
		}
		if _, ok := audit.Find(f.Get(p.Profile()), v); ok {
			names = append(names, p.Name)
		}
	}
	return names
}

// notSent reports a field a rule reads that the app did not send (absent, or
// null where null means nothing): a skip that names the catalog integration
// and what to check in the admin console, never a fail or a pass. It returns
// nil when the field was sent.
func notSent(t *audit.Target, s *audit.SAMLSettings, field, what, verify string) *audit.Result {
	if s.Has(field) {
		return nil
	}
	state := "left out"
	if s.State(field) == audit.FieldNull {
		state = "null"
	}
	ev := audit.Evidence{}.Add("field", "settings.signOn."+field).Add("sent", state)
	var r audit.Result
	if catalog, how := t.App.Catalog(); catalog {
		ev = ev.Add("catalog", how)
		r = audit.SkipHidden(fmt.Sprintf("Okta does not expose %s for the %s: the integration fixes it (settings.signOn.%s is %s). Verify it in the Okta admin console: %s",
			what, t.App.IntegrationName(), field, state, verify), ev)
		if c := t.App.Integration(); c != nil && c.Platform != t.Platform {
			// Its fixed values are another platform's: say so, since a
			// person verifying it must know what to look for.
			r.Message += fmt.Sprintf(". This app is set up for %s (Okta's %q integration fixes that platform's values), and this scan judges it as %s", c.Platform, c.Title, t.Platform)
			r.Evidence = r.Evidence.Add("integration_platform", c.Platform)
		}
	} else {
		r = audit.SkipHidden(fmt.Sprintf("okta/app.json does not record %s (settings.signOn.%s is %s), so it cannot be judged: a field Okta did not send is not one set to false or empty. Verify it in the Okta admin console: %s",
			what, field, state, verify), ev)
	}
	return &r
}
