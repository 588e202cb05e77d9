package checks

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:       "cross.login-url-match",
		Title:    "Druva console's IdP login URL is Okta's sign-on URL for the app",
		Severity: audit.High,
		Reference: "Druva guide, Configuring the Okta Druva App, step 9 (\"View setup instructions\") and " +
			"Configure the inSync Management Console to use Okta, step 3 (\"Enter the details as obtained in previous steps\")",
		Location: audit.Location{Input: audit.InputConsole, Key: "sso.idp_login_url"},
		Needs:    []audit.Input{audit.InputMetadata, audit.InputConsole},
		// The other apps of the deployment: the console's login URL may be
		// another app's.
		Requires: []audit.FactType{deploymentApps, signOnOwners, audit.Domains},
		Check:    checkLoginURLMatch,
	})
}

// checkLoginURLMatch compares exactly: Druva redirects to the console's value
// verbatim, so a URL that differs only in form is still reported, with what
// the difference is, rather than passed on the hope that Okta tolerates it.
func checkLoginURLMatch(t *audit.Target) audit.Result {
	sso := t.Console.SSO
	switch {
	case sso == nil:
		return audit.SkipAbsent(audit.InputConsole, "druva.yaml has no sso section: the console's ID Provider Login URL was not recorded", nil)
	case sso.IDPLoginURL == nil:
		return audit.SkipAbsent(audit.InputConsole, "druva.yaml's sso section has no idp_login_url: the console's ID Provider Login URL was not recorded", nil)
	}
	got := *sso.IDPLoginURL
	locs := []string{}
	for _, s := range t.Metadata.SSOServices {
		locs = append(locs, s.Location)
	}
	// The POST and Redirect bindings usually share one location: each
	// location is listed once, with the bindings it serves beside it.
	uniq, index := loginURLUnique(locs)
	bindings := make([]string, len(uniq))
	for _, s := range t.Metadata.SSOServices {
		i := index[s.Location]
		if bindings[i] != "" {
			bindings[i] += ", "
		}
		bindings[i] += loginURLBinding(s.Binding)
	}
	ev := audit.Evidence{}.Add("expected", uniq).Add("expected_bindings", bindings).Add("actual", loginURLActual(got))
	if strings.TrimSpace(got) == "" {
		return audit.Fail("the console's ID Provider Login URL is empty", ev)
	}
	if len(locs) == 0 {
		return audit.Fail(fmt.Sprintf("the IdP metadata has no SingleSignOnService, so the console's ID Provider Login URL %s matches none (see okta.metadata.consistent)", loginURLShown(got)), ev)
	}
	for _, s := range t.Metadata.SSOServices {
		if s.Location == got {
			return audit.Pass(fmt.Sprintf("the console's ID Provider Login URL is the metadata's %s SingleSignOnService location %q", loginURLBinding(s.Binding), got), ev)
		}
	}
	// The console holds one login URL for all the apps signing into it
	// (docs/deployments.md): another app of the deployment may own it.
	apps := deploymentApps.Of(t)
	for _, i := range signOnOwners.Of(t)[got] {
		if m := apps[i]; m.Target != t.Name {
			return audit.Pass(fmt.Sprintf("the console's ID Provider Login URL %q is the sign-on URL of %s of the same deployment (%s): "+
				"the console holds one login URL for all its apps, and SP-initiated sign-in goes through that app",
				got, memberName(m), t.Deployment().Name), ev.Add("deployment_app", m.Target))
		}
	}
	if r := loginURLCustomDomain(t, got, uniq, ev); r != nil {
		return *r
	}
	for _, loc := range uniq {
		if diffs := loginURLDifferences(got, loc); len(diffs) > 0 {
			fix := "Druva redirects to the console's value verbatim, and Okta does not promise to accept other spellings: set it to exactly %q"
			if loginURLExtra(got, loc) != "" {
				// A query or fragment is something added, not a spelling:
				// say to remove it, and keep its text (perhaps a secret) out.
				fix = "Druva redirects to the console's value verbatim, and Okta's sign-on URL takes no parameters of ours: remove everything from the ? or #, so that it is exactly %q"
			}
			return audit.Fail(fmt.Sprintf("the console's ID Provider Login URL %s is not exactly the metadata's %q: it differs by %s. "+fix,
				loginURLShown(got), loc, strings.Join(diffs, " and "), loc), ev.Add("near_match", loc))
		}
	}
	msg := fmt.Sprintf("the console's ID Provider Login URL %s is none of the metadata's SingleSignOnService locations (%s)", loginURLShown(got), mdQuoteAll(uniq))
	if len(uniq) == 1 {
		msg = fmt.Sprintf("the console's ID Provider Login URL %s is not the metadata's SingleSignOnService location %q", loginURLShown(got), uniq[0])
	}
	if hint := loginURLHint(got, uniq); hint != "" {
		msg += ": " + hint
	}
	return audit.Fail(msg, ev)
}

// loginURLDifferences lists the harmless-looking ways in which got differs
// from want (surrounding whitespace, a trailing slash, letter case in the
// scheme or host), or nil when they differ in more than that.
func loginURLDifferences(got, want string) []string {
	var diffs []string
	g := strings.TrimSpace(got)
	if g != got {
		diffs = append(diffs, "surrounding whitespace")
	}
	if extra := loginURLExtra(g, want); extra != "" {
		diffs = append(diffs, extra)
		g = g[:strings.IndexAny(g, "?#")]
	}
	switch gs, ws := strings.HasSuffix(g, "/"), strings.HasSuffix(want, "/"); {
	case gs && !ws:
		diffs = append(diffs, "a trailing slash")
	case !gs && ws:
		diffs = append(diffs, "a missing trailing slash")
	}
	g, w := strings.TrimSuffix(g, "/"), strings.TrimSuffix(want, "/")
	if g != w {
		// Scheme and host are case-insensitive; the rest of a URL is not.
		gu, err1 := url.Parse(g)
		wu, err2 := url.Parse(w)
		if err1 != nil || err2 != nil || gu.Scheme != wu.Scheme || !strings.EqualFold(gu.Host, wu.Host) {
			return nil
		}
		gu.Host = wu.Host
		if gu.String() != wu.String() {
			return nil
		}
		diffs = append(diffs, "letter case in the scheme or host")
	}
	if len(diffs) == 0 {
		return nil
	}
	return diffs
}

// loginURLExtra names the query string and fragment got carries beyond
// want's (which has neither), or "" when it carries none.
func loginURLExtra(got, want string) string {
	got = strings.TrimSpace(got)
	i := strings.IndexAny(got, "?#")
	if i < 0 || strings.ContainsAny(want, "?#") {
		return ""
	}
	q, f := got[i] == '?', strings.Contains(got[i:], "#")
	switch {
	case q && f:
		return "an extra query string and fragment"
	case q:
		return "an extra query string"
	}
	return "an extra fragment"
}

// loginURLShown quotes the console's URL for a message with the text of its
// query and fragment left out: parameters pasted into a URL are where a
// token or a session ID ends up.
func loginURLShown(got string) string {
	i := strings.IndexAny(got, "?#")
	if i < 0 {
		return audit.Shown(got)
	}
	out := got[:i]
	if got[i] == '?' {
		out += "?…"
	}
	if strings.Contains(got[i:], "#") {
		out += "#…"
	}
	return audit.Shown(out) + " (the text after ? or # not shown)"
}

// loginURLActual is the console's URL for evidence: as typed, but with the
// text of a query or fragment left out (see loginURLShown).
func loginURLActual(got string) string {
	v := consoleValue(got)
	if v != got {
		return v
	}
	if i := strings.IndexAny(got, "?#"); i >= 0 {
		return got[:i] + fmt.Sprintf("%c… (%d characters not shown)", got[i], len(got)-i-1)
	}
	return got
}

// loginURLHint explains a clear mismatch where it can: the same app path on
// another host (a custom domain or another org) or a different app.
func loginURLHint(got string, locs []string) string {
	gu, err := url.Parse(strings.TrimSpace(got))
	if err != nil || gu.Host == "" {
		return "it is not an absolute URL"
	}
	for _, loc := range locs {
		lu, err := url.Parse(loc)
		if err != nil {
			continue
		}
		if strings.TrimSuffix(gu.Path, "/") == strings.TrimSuffix(lu.Path, "/") && !strings.EqualFold(gu.Host, lu.Host) {
			return fmt.Sprintf("it has the app's path on host %q instead of %q (an Okta custom domain, or another org?); Druva sends users to the console's host", gu.Host, lu.Host)
		}
		if gu.Scheme != lu.Scheme && strings.EqualFold(gu.Host, lu.Host) && gu.Path == lu.Path {
			return fmt.Sprintf("it uses %s instead of %s", gu.Scheme, lu.Scheme)
		}
	}
	if strings.Contains(gu.Path, "/sso/saml") {
		return "it points at a different SAML app (compare the app name and ID in the path)"
	}
	return ""
}

// loginURLUnique drops repeated locations, keeping the first of each.
func loginURLUnique(locs []string) ([]string, map[string]int) {
	// A map, not slices.Contains in a loop: the list comes from data, and
	// no step may be quadratic in it.
	var out []string
	index := make(map[string]int, len(locs))
	for _, l := range locs {
		if _, seen := index[l]; !seen {
			index[l] = len(out)
			out = append(out, l)
		}
	}
	return out, index
}

func loginURLBinding(b string) string {
	if i := strings.LastIndex(b, ":"); i >= 0 && i < len(b)-1 {
		return b[i+1:]
	}
	if b == "" {
		return "(no binding)"
	}
	return b
}

// loginURLCustomDomain judges a login URL that is a metadata location on
// another host: Okta serves every app on each of the org's custom domains
// too, and tells customers to use the custom domain once it is on. On a
// listed domain it passes; with no domain list to check the host against
// it is a skip naming how to provide one, never a fail; on a host the list
// does not have it fails, naming the list.
func loginURLCustomDomain(t *audit.Target, got string, locs []string, ev audit.Evidence) *audit.Result {
	gu, err := url.Parse(strings.TrimSpace(got))
	if err != nil || gu.Host == "" || gu.Scheme != "https" || gu.RawQuery != "" || gu.Fragment != "" {
		return nil
	}
	var loc *url.URL
	for _, l := range locs {
		if lu, err := url.Parse(l); err == nil && lu.Path == gu.Path && lu.Scheme == gu.Scheme && !strings.EqualFold(lu.Host, gu.Host) {
			loc = lu
			break
		}
	}
	if loc == nil {
		return nil
	}
	host := strings.ToLower(gu.Host)
	domains, from := t.OktaDomains, "the config's okta_domains"
	if domains == nil {
		var ok bool
		if domains, ok = audit.Domains.Of(t); ok {
			from = string(audit.InputDomains)
		} else {
			why := "the org's custom domains were not read"
			if g, gap := t.Gap(audit.InputDomains); gap {
				why += " (" + g.Reason + ")"
				if g.Failed {
					// Unreadable, not refused or absent: an error of
					// this rule, never a skip that hides it.
					r := audit.Error(fmt.Sprintf("the console's ID Provider Login URL %s is the app's sign-on path on host %q instead of %q: "+
						"Okta serves it there too if %q is one of the org's custom domains, but %s",
						loginURLShown(got), gu.Host, loc.Host, gu.Host, why), ev.Add("host", gu.Host).Add("okta_host", loc.Host))
					return &r
				}
			}
			r := audit.SkipAbsent(audit.InputDomains, fmt.Sprintf("the console's ID Provider Login URL %s is the app's sign-on path on host %q instead of %q: "+
				"Okta serves it there too if %q is one of the org's custom domains, but %s. Grant okta.domains.read (live), save okta/domains.json "+
				"(GET /api/v1/domains) in the snapshot, or list the domains under okta_domains: in .ssoaudit.yaml",
				loginURLShown(got), gu.Host, loc.Host, gu.Host, why), ev.Add("host", gu.Host).Add("okta_host", loc.Host))
			return &r
		}
	}
	for _, d := range domains {
		if d == host {
			r := audit.Pass(fmt.Sprintf("the console's ID Provider Login URL %q is the app's sign-on URL on the org's custom domain %q (from %s), "+
				"where Okta serves the same app as on %q", got, gu.Host, from, loc.Host), ev.Add("custom_domain", gu.Host).Add("domains_from", from))
			return &r
		}
	}
	// A list that lacks the host: Okta does not serve the app there (a
	// domain not yet verified serves nothing).
	listed := "none"
	if len(domains) > 0 {
		listed = strings.Join(domains, ", ")
	}
	r := audit.Fail(fmt.Sprintf("the console's ID Provider Login URL %s is the app's sign-on path on host %q instead of %q, and %q is not one of the org's verified custom domains (from %s: %s): "+
		"Okta does not serve the app there. Set it to exactly %q, or finish verifying the domain in Okta (Customizations > Domain)",
		loginURLShown(got), gu.Host, loc.Host, gu.Host, from, listed, loc.String()), ev.Add("host", gu.Host).Add("okta_host", loc.Host).Add("domains_from", from))
	return &r
}
