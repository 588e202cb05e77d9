package audit

import (
	"fmt"
	"slices"
	"strings"
)

// Where a target's platform came from (docs/platforms.md): stated by the
// person running the scan, read from the app, or the default.
const (
	PlatformFromFlag     = "flag"       // --platform
	PlatformFromConsole  = "druva.yaml" // platform: in the console file
	PlatformFromConfig   = "config"     // platform: in .ssoaudit.yaml (the target's, else the top level's)
	PlatformFromInferred = "inferred"   // read from the app (or its deployment's apps)
	PlatformFromDefault  = "default"    // nothing named one and the app did not say: insync-cloud
)

// PlatformStated reports whether a platform source is a person's statement.
func PlatformStated(source string) bool {
	return source == PlatformFromFlag || source == PlatformFromConsole || source == PlatformFromConfig
}

// Inference is what an app's own values say about its platform
// (docs/platforms.md): the platform whose SP entity ID and ACS URL are the
// app's effective audience and ACS URL, or, for a catalog app, the platform
// of its integration.
type Inference struct {
	// Audience and ACSURL are the app's effective values (an *Override
	// when set), as compared; empty when the app does not expose them.
	Audience string `json:"audience,omitempty"`
	ACSURL   string `json:"acs_url,omitempty"`
	// Integration names the catalog integration the platform was read
	// from ("Druva 2.0"); "" for a custom SAML app.
	Integration string `json:"integration,omitempty"`
	// Matches are the platforms the values fit: exactly one makes it the
	// app's platform.
	Matches []string `json:"matches"`
	// Deployment, set on a target whose platform came from its
	// deployment's apps, names them with the platform each infers.
	Deployment []string `json:"deployment_apps,omitempty"`
	// Conflict is set when the deployment's apps infer different
	// platforms: the target was judged against the default instead.
	Conflict bool `json:"conflict,omitempty"`
}

// Platform is the one platform the app's values fit, or "".
func (in *Inference) Platform() string {
	if in == nil || len(in.Matches) != 1 {
		return ""
	}
	return in.Matches[0]
}

// From says in words what the inference read, for messages.
func (in *Inference) From() string {
	if in == nil {
		return "nothing"
	}
	if in.Integration != "" {
		return fmt.Sprintf("its catalog integration, %q", in.Integration)
	}
	return fmt.Sprintf("its audience %q and ACS URL %q", in.Audience, in.ACSURL)
}

// CatalogIntegration is one of Druva's integrations in Okta's catalog:
// whose values it fixes, and on which platforms Druva's pages say it does
// not work.
type CatalogIntegration struct {
	// Title is the integration's name in Okta's catalog.
	Title string
	// Keys are the app names (Okta's integration key) it is known by.
	Keys []string
	// Platform is the platform whose values the integration fixes.
	Platform string
	// Excluded are the platforms Druva's pages exclude it from, with the
	// page and its words.
	Excluded map[string]Citation
	Quote    string
}

// citeCatalogGovCloud: "The Druva 2.0 app in Okta Applications, is
// specifically configured for Druva Public Cloud customers. It doesn't work
// with the Druva GovCloud customers."
var citeCatalogGovCloud = citeGovCloudOkta

// CatalogIntegrations lists Druva's catalog integrations.
var CatalogIntegrations = []CatalogIntegration{
	{
		Title: "Druva 2.0", Keys: []string{"druva2"}, Platform: "dcp",
		Excluded: map[string]Citation{"insync-govcloud": citeCatalogGovCloud, "dcp-govcloud": citeCatalogGovCloud},
		Quote:    "The Druva 2.0 app in Okta Applications, is specifically configured for Druva Public Cloud customers. It doesn't work with the Druva GovCloud customers",
	},
	{Title: "Druva", Keys: []string{"druva"}, Platform: "insync-cloud"},
}

// Integration finds the catalog integration of a catalog app: by its name
// (the integration's key), else by a label that is the integration's
// title. nil for a custom app or an integration ssoaudit does not know.
func (a *App) Integration() *CatalogIntegration {
	if a == nil {
		return nil
	}
	if catalog, _ := a.Catalog(); !catalog {
		return nil
	}
	for i, c := range CatalogIntegrations {
		if slices.Contains(c.Keys, strings.ToLower(a.Name)) {
			return &CatalogIntegrations[i]
		}
	}
	for i, c := range CatalogIntegrations {
		if strings.EqualFold(strings.TrimSpace(a.Label), c.Title) {
			return &CatalogIntegrations[i]
		}
	}
	return nil
}

// Infer reads the platform the app was set up for. It is a pure function of
// the application object.
func Infer(a *App) *Inference {
	in := &Inference{Matches: []string{}}
	if a == nil {
		return in
	}
	if c := a.Integration(); c != nil {
		in.Integration = c.Title
		in.Matches = []string{c.Platform}
		return in
	}
	s := a.Settings.SignOn
	if s == nil || a.SignOnMode != "SAML_2_0" {
		return in
	}
	in.Audience, in.ACSURL = s.Audience, s.SSOAcsURL
	if s.AudienceOverride != "" {
		in.Audience = s.AudienceOverride
	}
	if s.SSOAcsURLOverride != "" {
		in.ACSURL = s.SSOAcsURLOverride
	}
	for _, p := range Platforms {
		if p.Audience != "" && p.ACSURL != "" && p.Audience == in.Audience && p.ACSURL == in.ACSURL {
			in.Matches = append(in.Matches, p.Name)
		}
	}
	return in
}

// Family is the platform's family ("insync", "dcp", "msc"): a console of one
// family never has apps of another.
func (p Platform) Family() string { return p.Profile().Family }

// FamilyOf is the family of a platform name; "" when unknown.
func FamilyOf(name string) string {
	p, err := LookupPlatform(name)
	if err != nil {
		return ""
	}
	return p.Family()
}

// PlatformNote is what a failing platform rule adds to its message so a
// person can tell a wrong app from a wrong platform (docs/platforms.md):
// the platform it compared against when nothing stated one, or the
// platform the app's own values belong to when they disagree with the
// stated one; "" when there is nothing to add.
func (t *Target) PlatformNote() string {
	if c := t.App.Integration(); c != nil {
		if _, excluded := c.Excluded[t.Platform]; excluded {
			// The integration cannot serve the platform: no choice
			// between app and platform to offer.
			return ""
		}
	}
	app := t.Inference.Platform()
	state := "state the platform with --platform, platform: in druva.yaml, or platform: in the config (.ssoaudit.yaml or --config)"
	switch {
	case PlatformStated(t.PlatformSource) && app != "" && app != t.Platform:
		return fmt.Sprintf("This app is set up for %s (%s), but %s states %s: if the app is right, state %s there; if %s is right, fix the app",
			app, t.Inference.From(), platformSourceName(t.PlatformSource), t.Platform, app, t.Platform)
	case t.PlatformSource == PlatformFromDefault && t.Inference != nil && t.Inference.Conflict:
		return fmt.Sprintf("Judged against %s, the default: the apps of this console infer different platforms (%s); %s",
			t.Platform, strings.Join(t.Inference.Deployment, ", "), state)
	case t.PlatformSource == PlatformFromDefault && t.Inference != nil && len(t.Inference.Matches) > 1:
		return fmt.Sprintf("Judged against %s, the default: the app's %s fit several platforms (%s); %s",
			t.Platform, strings.TrimPrefix(t.Inference.From(), "its "), strings.Join(t.Inference.Matches, ", "), state)
	case t.PlatformSource == PlatformFromDefault:
		what := "the app's values match no Druva platform"
		if t.Inference != nil && (t.Inference.Audience != "" || t.Inference.ACSURL != "") {
			what = fmt.Sprintf("the app's %s match no Druva platform", strings.TrimPrefix(t.Inference.From(), "its "))
		}
		return fmt.Sprintf("Judged against %s, the default: %s; %s", t.Platform, what, state)
	case t.PlatformSource == PlatformFromInferred && len(t.Inference.Deployment) > 0 && app != t.Platform:
		return fmt.Sprintf("Judged against %s, the platform the other apps of this console are set up for (%s)", t.Platform, strings.Join(t.Inference.Deployment, ", "))
	}
	return ""
}

// platformSourceName names a stated platform's source for messages.
func platformSourceName(source string) string {
	switch source {
	case PlatformFromFlag:
		return "--platform"
	case PlatformFromConsole:
		return "druva.yaml"
	case PlatformFromConfig:
		return "the config"
	}
	return source
}

// Or returns e with every zero field taken from base: a target's own
// expect: keys win over the top level's.
func (e Expectations) Or(base Expectations) Expectations {
	if e.ACSURL == "" {
		e.ACSURL = base.ACSURL
	}
	if e.Audience == "" {
		e.Audience = base.Audience
	}
	if e.TokenAttribute == "" {
		e.TokenAttribute = base.TokenAttribute
	}
	if e.CertWarnDays == 0 {
		e.CertWarnDays = base.CertWarnDays
	}
	return e
}

// RequirePlatform turns the verdicts of the rules that judge against the
// platform into errors when the run requires a stated platform (--require
// platform) and the target's was inferred or defaulted: a gate that must
// state it does not take the app's word. isPlatformRule says which rules
// judge against the platform.
func RequirePlatform(results []Result, platform, source string, in *Inference, names []string, isPlatformRule func(id string) bool) {
	if !slices.Contains(names, "platform") || PlatformStated(source) || source == "" {
		return
	}
	how := "inferred from the app: " + in.From()
	if in != nil && len(in.Deployment) > 0 && in.Platform() != platform {
		how = "inferred from the other apps of its console: " + strings.Join(in.Deployment, ", ")
	}
	if source == PlatformFromDefault {
		how = "the default, as nothing stated one and the app's values did not name one"
	}
	for i, r := range results {
		if !isPlatformRule(r.Rule) || r.Status == StatusError || r.Status == StatusSkip {
			continue
		}
		e := r
		e.Status = StatusError
		e.Message = fmt.Sprintf("required input platform is not stated (--require platform): this target's platform, %s, is %s. Was: %s: %s",
			platform, how, r.Status, r.Message)
		e.Remediation = "State the Druva platform: --platform P, platform: P in druva.yaml, or platform: P in the config (.ssoaudit.yaml or --config) " +
			"(one of " + PlatformNames() + "). Or leave platform out of --require (the config's require:)."
		e.Evidence = append(Evidence{}.Add("required", "platform").Add("platform_source", source), r.Evidence...)
		results[i] = e
	}
}
