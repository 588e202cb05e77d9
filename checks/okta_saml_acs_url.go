package checks

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:            "okta.saml.acs-url",
		Title:         "Single sign on URL is the platform's ACS URL",
		Severity:      audit.High,
		Reference:     "Druva guide, Configuring the Okta Druva App, step 4.1 (\"Single sign on URL\")",
		Terraform:     "set sso_url, recipient and destination to the platform's ACS URL (the expected value is in this finding's evidence), and remove every other URL from acs_endpoints / acs_endpoints_indices",
		Location:      audit.Location{Input: audit.InputApp, Key: "settings.signOn.ssoAcsUrl"},
		Needs:         []audit.Input{audit.InputApp},
		ReadsPlatform: true,
		Check:         checkACSURL,
	})
}

// overrideNote says " (set by recipientOverride)" when from is an override.
func overrideNote(from string) string {
	if strings.HasSuffix(from, "Override") {
		return " (set by " + from + ")"
	}
	return ""
}

func checkACSURL(t *audit.Target) audit.Result {
	s, res := samlSettings(t)
	if res != nil {
		return *res
	}
	eff := s.EffectiveACS()
	acs, acsFrom := eff.Value, eff.From
	if r := catalogExcluded(t, "ACS URL", acs); r != nil {
		return *r
	}
	if acsFrom == "ssoAcsUrl" {
		if r := notSent(t, s, "ssoAcsUrl", "the ACS URL (Single sign on URL)",
			"Applications > Applications > (the app) > Sign On > View SAML setup instructions: assertions must go to your Druva platform's ACS URL"); r != nil {
			return *r
		}
	}
	rec, dst := s.EffectiveRecipient(), s.EffectiveDestination()
	recipient, recipientFrom := rec.Value, rec.From
	destination, destinationFrom := dst.Value, dst.From
	want := t.Expect.ACSURL
	ev := audit.Evidence{}.
		Add("platform", t.Platform).
		Add("expected", want).
		Add("expected_from", acsExpectedFrom(t)).
		Add("actual", acs).
		Add("actual_from", acsFrom).
		Add("recipient", recipient).
		Add("destination", destination)
	if acsFrom != "ssoAcsUrl" {
		ev = ev.Add("ssoAcsUrl", s.SSOAcsURL)
	}
	if s.AllowMultipleAcsEndpoints {
		ev = ev.Add("acsEndpoints", s.AcsEndpoints)
	}
	if want == "" {
		r := audit.Error(fmt.Sprintf("the %s platform has no default ACS URL: set expect.acs_url in .ssoaudit.yaml", acsPlatformLabel(t)), ev)
		r.Remediation = "1. Find your Druva server's ACS URL (for inSync on-premises: https://<your inSync server>/wrsaml/consume).\n" +
			"2. Pin it in .ssoaudit.yaml:\n     expect:\n       acs_url: https://<your inSync server>/wrsaml/consume\n" +
			"3. Run the scan again."
		return r
	}

	var problems []string
	if p := acsURLProblem(t, acs, want); p != "" {
		if acsFrom != "ssoAcsUrl" {
			p = fmt.Sprintf("ssoAcsUrlOverride replaces the Single sign on URL %q: %s", s.SSOAcsURL, strings.Replace(p, "the Single sign on URL", "the URL Okta uses", 1))
		}
		problems = append(problems, p)
	}
	// A recipient or destination equal to a wrong ssoAcsUrl is the same
	// mistake, fixed by the same field: only a third value is news.
	if recipient != "" && recipient != want && recipient != acs {
		problems = append(problems, fmt.Sprintf("the Recipient URL%s is %q, not the ACS URL %q: Okta writes it into the assertion's SubjectConfirmationData, "+
			"and a service provider must reject an assertion addressed to another recipient", overrideNote(recipientFrom), recipient, want))
	}
	if destination != "" && destination != want && destination != acs {
		problems = append(problems, fmt.Sprintf("the Destination URL%s is %q, not the ACS URL %q: Okta writes it into the response's Destination, "+
			"which the service provider checks against the URL it received the response at", overrideNote(destinationFrom), destination, want))
	}
	for _, e := range s.RequestableACS() {
		if e.URL != want {
			problems = append(problems, fmt.Sprintf("allowMultipleAcsEndpoints is on and acsEndpoints[%d] is %q, not the ACS URL %q: a request naming that endpoint "+
				"gets a signed assertion, with Druva's SSO token inside, sent there", e.Index, e.URL, want))
		}
	}
	if len(problems) > 0 {
		r := audit.Fail(strings.Join(problems, "; "), ev)
		r.Remediation = acsFailRemediation(t, want)
		return r
	}
	what := "the Single sign on URL"
	if acsFrom != "ssoAcsUrl" {
		what = "the URL Okta uses (ssoAcsUrlOverride)"
	}
	if s.AllowMultipleAcsEndpoints && !s.Has("acsEndpoints") {
		// Other endpoints are allowed but Okta did not say which: the
		// one URL checked is not every URL a token can be sent to.
		r := notSent(t, s, "acsEndpoints", "the other ACS endpoints that allowMultipleAcsEndpoints allows",
			"Applications > (the Druva app) > General > SAML Settings > Show Advanced Settings > Other Requestable SSO URLs")
		r.Message = fmt.Sprintf("%s is %q, as expected, but %s", what, want, r.Message)
		return *r
	}
	return audit.Pass(fmt.Sprintf("%s is %q, the ACS URL expected for the %s platform", what, want, acsPlatformLabel(t)), ev)
}

// acsURLProblem explains what is wrong with ssoAcsUrl, or returns "".
func acsURLProblem(t *audit.Target, actual, want string) string {
	if actual == want {
		if !acsIsHTTPS(actual) {
			return fmt.Sprintf("the Single sign on URL %q is not https (expect.acs_url pins it so): the SAML response, with Druva's SSO token, "+
				"would cross the network unencrypted", actual)
		}
		return ""
	}
	if strings.TrimSpace(actual) == "" {
		return fmt.Sprintf("the Single sign on URL (ssoAcsUrl) is empty: expected %q", want)
	}

	// Peel off the near misses one by one, so the message can say exactly
	// which of them it is (or which several).
	var notes []string
	insecure := false
	a := actual
	if trimmed := strings.TrimSpace(a); trimmed != a {
		notes = append(notes, "it has stray whitespace around it")
		a = trimmed
	}
	if acsHasScheme(a, "http") && acsIsHTTPS(want) {
		notes = append(notes, "it uses http instead of https, so the SAML response, with Druva's SSO token, would cross the network unencrypted")
		a = "https" + a[len("http"):]
		insecure = true
	}
	ta, tw := strings.TrimRight(a, "/"), strings.TrimRight(want, "/")
	if ta == tw && a != want {
		if len(a) > len(want) {
			notes = append(notes, "it has a trailing slash")
		} else {
			notes = append(notes, "it lacks the trailing slash")
		}
	}
	if ta != tw && strings.EqualFold(ta, tw) {
		notes = append(notes, acsCaseNote(ta, tw))
	}
	if strings.EqualFold(ta, tw) {
		msg := fmt.Sprintf("the Single sign on URL is %q, not exactly %q: %s", actual, want, strings.Join(notes, "; "))
		if !insecure {
			msg += ". It still fails: the Recipient and Destination Okta derives from it are compared as exact strings, so ssoaudit requires the exact ACS URL"
		}
		return msg
	}

	msg := fmt.Sprintf("the Single sign on URL is %q, but the %s platform's ACS URL is %q", actual, acsPlatformLabel(t), want)
	if acsExpectedFrom(t) == "expect.acs_url" {
		msg = fmt.Sprintf("the Single sign on URL is %q, but expect.acs_url in the config pins %q", actual, want)
	}
	if hint := acsPlatformHint(t, acsNormalize(actual), func(p audit.Platform) string { return acsNormalize(p.ACSURL) }, "ACS URL", "acs_url"); hint != "" {
		msg += ". " + hint
	}
	if len(notes) > 0 {
		msg += ". Also, " + strings.Join(notes, "; ")
	}
	return msg
}

// acsCaseNote says where two URLs, equal but for case, differ in case.
func acsCaseNote(a, want string) string {
	ua, errA := url.Parse(a)
	uw, errW := url.Parse(want)
	if errA == nil && errW == nil && ua.Host != uw.Host && strings.EqualFold(ua.Host, uw.Host) {
		if ua.Path == uw.Path {
			return fmt.Sprintf("its host %q differs from %q in letter case only (harmless for DNS, not for an exact comparison)", ua.Host, uw.Host)
		}
		return fmt.Sprintf("its host %q and path %q differ from %q and %q in letter case", ua.Host, ua.Path, uw.Host, uw.Path)
	}
	return "it differs in letter case"
}

// acsNormalize folds the near misses away, to recognise another platform's URL.
func acsNormalize(u string) string {
	u = strings.ToLower(strings.TrimSpace(u))
	if strings.HasPrefix(u, "http://") {
		u = "https://" + strings.TrimPrefix(u, "http://")
	}
	return strings.TrimRight(u, "/")
}

func acsHasScheme(u, scheme string) bool {
	return len(u) > len(scheme)+3 && strings.EqualFold(u[:len(scheme)+3], scheme+"://")
}

func acsIsHTTPS(u string) bool { return acsHasScheme(u, "https") }

// acsPlatformLabel names the target's platform for messages.
func acsPlatformLabel(t *audit.Target) string {
	if t.Platform == "" {
		return "configured"
	}
	return t.Platform
}

// acsExpectedFrom says where the expected ACS URL comes from: the platform's
// default or a pin in the config (it differs from the default).
func acsExpectedFrom(t *audit.Target) string {
	p, err := audit.LookupPlatform(t.Platform)
	if err == nil && p.ACSURL == t.Expect.ACSURL {
		return "platform default"
	}
	return "expect.acs_url"
}

// acsPlatformHint recognises v as another platform's value (ACS URL or
// entity ID, as pick chooses) and says what that suggests; "" when it is no
// known platform's. It is shared by okta.saml.audience.
func acsPlatformHint(t *audit.Target, v string, pick func(audit.Platform) string, what, key string) string {
	var names []string
	for _, p := range audit.Platforms {
		pv := pick(p)
		if pv == "" || pv != v {
			continue
		}
		if p.Name == t.Platform {
			// The value is this platform's own default: the config pinned something else.
			return fmt.Sprintf("That is the %s platform's default %s: is the expect.%s pin right?", p.Name, what, key)
		}
		names = append(names, p.Name)
	}
	if len(names) == 0 {
		return ""
	}
	if t.PlatformNote() != "" {
		// The note on the platform, which the runner adds, says the rest.
		return fmt.Sprintf("That is the %s %s", strings.Join(names, " / "), what)
	}
	return fmt.Sprintf("That is the %s %s: is the platform right? If not, set --platform, or the platform key in druva.yaml", strings.Join(names, " / "), what)
}

// acsFailRemediation is the fix for a failing result, with the expected URL
// filled in and the way to pin another one when Okta is right.
func acsFailRemediation(t *audit.Target, want string) string {
	return "1. Okta admin console: Applications > Applications > (the Druva app) > General > SAML Settings > Edit > Next.\n" +
		fmt.Sprintf("2. Set \"Single sign on URL\" to %s and tick \"Use this for Recipient URL and Destination URL\".\n", want) +
		"3. Click Next > Finish. If the app has more ACS endpoints (Show Advanced Settings > Other Requestable SSO URLs), remove every one that is not the ACS URL; " +
		"an override set through the API (ssoAcsUrlOverride, recipientOverride, destinationOverride) must be cleared or set to it too (PUT /api/v1/apps/{appId}).\n" +
		fmt.Sprintf("4. If Okta's value is the right one, tell ssoaudit instead: when the platform (%s) is wrong, set --platform or platform: in druva.yaml "+
			"(one of %s); when your Druva account uses another ACS URL, pin it in .ssoaudit.yaml:\n     expect:\n       acs_url: <the ACS URL your Druva console shows>\n", acsPlatformLabel(t), audit.PlatformNames()) +
		"   Druva's pages blank out the inSync cloud ACS URL; ssoaudit's default for insync-cloud is the one published in Microsoft's Druva tutorial."
}

// catalogExcluded fails a catalog app on a platform whose Druva pages say
// its integration does not work there (the "Druva 2.0" app on GovCloud):
// the integration fixes another cloud's ACS URL and audience, which Okta
// does not show but which are known, so it is a fail, not a skip. what
// names the value judged; override is the app's *Override of it, which
// replaces the fixed value (then the value is judged as usual: nil).
func catalogExcluded(t *audit.Target, what, override string) *audit.Result {
	c := t.App.Integration()
	if c == nil || override != "" {
		return nil
	}
	cite, ok := c.Excluded[t.Platform]
	if !ok {
		return nil
	}
	fixed, _ := audit.LookupPlatform(c.Platform)
	value := fixed.ACSURL
	if what != "ACS URL" {
		value = fixed.Audience
	}
	ev := audit.Evidence{}.Add("platform", t.Platform).Add("integration", c.Title).Add("integration_platform", c.Platform).
		Add("fixed_value", value).Add("documented_by", cite.String())
	r := audit.Fail(fmt.Sprintf("the app is Okta's %q catalog integration, whose %s is fixed to the %s platform's (%q), not the %s platform's. "+
		"Druva: \"%s\" (%s). Use a custom SAML app (Create App Integration > SAML 2.0) with the %s platform's values",
		c.Title, what, c.Platform, value, t.Platform, c.Quote, cite.Title, t.Platform), ev)
	r.Remediation = fmt.Sprintf("1. Okta admin console: Applications > Create App Integration > SAML 2.0: a custom app, not the %q catalog app.\n", c.Title) +
		"2. Set it up with the platform's values (the README's Platforms table; `ssoaudit explain okta.saml.acs-url`): Single sign on URL, Audience URI, Name ID format, the token attribute.\n" +
		"3. Point the Druva console's ID Provider Login URL and certificate at the new app, move the assignments over, then deactivate the catalog app.\n" +
		"4. If the platform is wrong instead, state the right one (--platform, platform: in druva.yaml)."
	r.Reference = cite.String()
	return &r
}
