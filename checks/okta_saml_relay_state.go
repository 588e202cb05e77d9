package checks

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/internal/words"
)

func init() {
	register(&audit.Rule{
		ID:       "okta.saml.relay-state",
		Title:    "Default RelayState is one Druva documents for the platform",
		Severity: audit.High,
		Reference: "Druva's pages per platform (the guide itself never mentions relay states): " +
			audit.ProfileReference(audit.FieldUserRelayStates, audit.FieldAdminRelayStates),
		Terraform:     "set default_relay_state to a value the platform accepts (\"\" or \"browseractivate\" for inSync users, \"adminlogin\" for inSync administrators; see ssoaudit explain okta.saml.relay-state)",
		Location:      audit.Location{Input: audit.InputApp, Key: "settings.signOn.defaultRelayState"},
		Needs:         []audit.Input{audit.InputApp},
		Profile:       []audit.ProfileField{audit.FieldUserRelayStates, audit.FieldAdminRelayStates},
		ReadsPlatform: true,
		Check:         checkRelayState,
	})
}

func checkRelayState(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	prof := profileOf(t)
	v := s.DefaultRelayState
	ev := audit.Evidence{}.
		Add("platform", t.Platform).
		Add("expected", fmt.Sprintf("%s (users), %s (administrators)", acceptedList(prof.UserRelayStates), acceptedList(prof.AdminRelayStates))).
		Add("actual", v)
	if s.State("defaultRelayState") == audit.FieldAbsent {
		// Not sent at all: unlike null (a catalog app's "none"), nothing
		// says what the app sends.
		return *notSent(t, s, "defaultRelayState", "the Default RelayState",
			"Applications > (the Druva app) > Sign On (or General > SAML Settings) > Default RelayState")
	}
	if st := s.State("defaultRelayState"); st != audit.FieldSet {
		// Okta sends a null relay state (as catalog apps do): the app
		// sends none, which is the empty value.
		ev = ev.Add("sent", map[audit.FieldState]string{audit.FieldNull: "null", audit.FieldAbsent: "left out"}[st])
	}

	user, isUser := audit.Find(prof.UserRelayStates, v)
	admin, isAdmin := audit.Find(prof.AdminRelayStates, v)
	switch {
	case isUser && isAdmin:
		return audit.Pass(fmt.Sprintf("the Default RelayState is %s: on the %s platform it serves users and administrators alike", relayShow(v), relayPlatform(t)),
			acceptedEvidence(ev.Add("mode", "users or administrators"), user))
	case isUser:
		return audit.Pass(fmt.Sprintf("the Default RelayState is %s: the app signs users in to Druva", relayShow(v)),
			acceptedEvidence(ev.Add("mode", "users"), user))
	case isAdmin:
		return audit.Pass(fmt.Sprintf("the Default RelayState is %s: the app signs administrators in to the Druva console", relayShow(v)),
			acceptedEvidence(ev.Add("mode", "administrators"), admin))
	}

	accepted := append(append([]audit.Accepted{}, prof.UserRelayStates...), prof.AdminRelayStates...)
	expect := fmt.Sprintf("the %s platform accepts %s for users and %s for administrators", relayPlatform(t), acceptedList(prof.UserRelayStates), acceptedList(prof.AdminRelayStates))
	trimmed := strings.TrimSpace(v)
	if trimmed == "" {
		return audit.Fail(fmt.Sprintf("the Default RelayState is %q: blank but not empty, which Druva does not read as no relay state; clear the field", v), ev)
	}
	for _, a := range accepted {
		if a.Value != "" && strings.EqualFold(trimmed, a.Value) {
			ev = ev.Add("closest", a.Value)
			if a.Value == "adminlogin" {
				return audit.Fail(fmt.Sprintf(`the Default RelayState is %q, not "adminlogin" (%s). Druva matches adminlogin exactly and never authenticates an administrator without the exact value`,
					v, relayNearMiss(v, trimmed, a.Value)), ev)
			}
			return audit.Fail(fmt.Sprintf(`the Default RelayState is %q, not %q (%s). Druva matches relay states exactly: in lower case, with no spaces`,
				v, a.Value, relayNearMiss(v, trimmed, a.Value)), ev)
		}
	}
	closest := relayClosest(trimmed, accepted)
	closestNote := ""
	if closest != "" {
		closestNote = fmt.Sprintf(" (closest: %q)", closest)
		ev = ev.Add("closest", closest)
	}
	if relayLooksLikeURL(trimmed) {
		return audit.Fail(fmt.Sprintf(`the Default RelayState is %q: a URL is not a Druva relay state; %s%s`, v, expect, closestNote), ev)
	}
	if others := relayOtherPlatforms(t, trimmed); len(others) > 0 {
		hint := ". If the platform is wrong, set --platform or platform: in druva.yaml"
		if t.PlatformNote() != "" {
			hint = "" // the runner's note on the platform says it
		}
		return audit.Fail(fmt.Sprintf("the Default RelayState is %q, which Druva documents for %s, not for %s: %s%s%s",
			v, strings.Join(others, " / "), relayPlatform(t), expect, closestNote, hint), ev.Add("documented_for", others))
	}
	return audit.Fail(fmt.Sprintf("the Default RelayState is %q, which is not a Druva relay state: %s%s", v, expect, closestNote), ev)
}

// relayOtherPlatforms names the platforms that accept v (users or admins).
func relayOtherPlatforms(t *audit.Target, v string) []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range []audit.ProfileField{audit.FieldUserRelayStates, audit.FieldAdminRelayStates} {
		for _, p := range otherPlatforms(t, f, v) {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// relayClosest is the accepted non-empty value fewest edits away.
func relayClosest(v string, accepted []audit.Accepted) string {
	best, bestD := "", 1<<30
	for _, a := range accepted {
		if a.Value == "" {
			continue
		}
		if d := words.Distance(strings.ToLower(v), a.Value); d < bestD {
			best, bestD = a.Value, d
		}
	}
	return best
}

func relayShow(v string) string {
	if v == "" {
		return "empty"
	}
	return fmt.Sprintf("%q", v)
}

func relayPlatform(t *audit.Target) string {
	if t.Platform == "" {
		return audit.DefaultPlatform
	}
	return t.Platform
}

// relayNearMiss says how v misses want: stray whitespace, letter case, or both.
func relayNearMiss(v, trimmed, want string) string {
	var notes []string
	before := strings.TrimLeftFunc(v, unicode.IsSpace) != v
	after := strings.TrimRightFunc(v, unicode.IsSpace) != v
	switch {
	case before && after:
		notes = append(notes, "it has a stray space before and after it")
	case before:
		notes = append(notes, "it has a stray space before it")
	case after:
		notes = append(notes, "it has a stray space after it")
	}
	if trimmed != want {
		notes = append(notes, "its letter case differs")
	}
	return strings.Join(notes, ", and ")
}

// relayLooksLikeURL recognises an absolute or site-relative URL, which people
// paste in hoping to land on a Druva page after sign-in.
func relayLooksLikeURL(v string) bool {
	l := strings.ToLower(v)
	return strings.Contains(l, "://") || strings.HasPrefix(l, "/") || strings.HasPrefix(l, "www.")
}
