// Reading one app, its keys, metadata and users, and discovering Druva apps.

package okta

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssoaudit/ssoaudit/audit"
)

// Paths of the endpoints ssoaudit reads.
func appPath(id string) string      { return "/api/v1/apps/" + id }
func keysPath(id string) string     { return "/api/v1/apps/" + id + "/credentials/keys" }
func metadataPath(id string) string { return "/api/v1/apps/" + id + "/sso/saml/metadata" }
func usersPath(id string) string    { return "/api/v1/apps/" + id + "/users?limit=500&expand=user" }

// Target reads one app into a target: the app, its signing keys, its IdP
// metadata, and (lazily, when the rules iterate them) its users. Every fetch
// failure becomes a gap, so the rules that need the data end in error; a
// failure to fetch the app itself fails every Okta input. The error is for
// a malformed app ID, and for an org that could not be reached at all
// (Unreachable: every target of the org shares that one cause). Platform,
// expectations, clock and the Druva half are the caller's to set.
func (c *Client) Target(ctx context.Context, appID string) (*audit.Target, error) {
	if err := checkAppID(appID); err != nil {
		return nil, err
	}
	t := c.newTarget(appID)
	raw, err := c.fetch(ctx, appPath(appID), typesJSON)
	if _, ok := Unreachable(err); ok {
		return nil, err
	}
	if err != nil {
		c.failAll(t, err)
		return t, nil
	}
	if app, err := ParseApp(bytes.NewReader(raw)); err != nil {
		t.Failed(audit.InputApp, fmt.Errorf("GET %s: %w", appPath(appID), err))
	} else {
		setApp(t, app)
	}
	c.fill(ctx, t, appID)
	return t, nil
}

func (c *Client) newTarget(appID string) *audit.Target {
	return &audit.Target{Name: appID, Source: audit.SourceOkta, Origin: c.orgURL.String() + appPath(appID)}
}

func setApp(t *audit.Target, app *audit.App) {
	t.App = app
	if app.Label != "" {
		t.Name = app.Label
	}
}

func (c *Client) failAll(t *audit.Target, err error) {
	t.Failed(audit.InputApp, err)
	t.Failed(audit.InputKeys, err)
	t.Failed(audit.InputMetadata, err)
	if c.noUsers {
		t.Missing(audit.InputUsers, "--no-users was given")
	} else {
		t.Failed(audit.InputUsers, err)
	}
}

// fill reads what a target needs beyond the app object: its signing keys,
// its IdP metadata, its authentication policy's rules (when it has one) and
// (lazily) its users.
func (c *Client) fill(ctx context.Context, t *audit.Target, appID string) {
	if t.App != nil {
		c.policyRules(ctx, t)
	}
	c.sessionPolicies(ctx, t)
	c.orgDomains(ctx, t)
	if raw, err := c.fetch(ctx, keysPath(appID), typesJSON); err != nil {
		t.Failed(audit.InputKeys, err)
	} else if keys, err := ParseKeys(bytes.NewReader(raw)); err != nil {
		t.Failed(audit.InputKeys, fmt.Errorf("GET %s: %w", keysPath(appID), err))
	} else {
		t.Keys = keys
	}
	if raw, err := c.fetch(ctx, metadataPath(appID), typesXML); err != nil {
		t.Failed(audit.InputMetadata, err)
	} else if md, err := ParseMetadata(bytes.NewReader(raw)); err != nil {
		t.Failed(audit.InputMetadata, fmt.Errorf("GET %s: %w", metadataPath(appID), err))
	} else {
		t.Metadata = md
	}
	if c.noUsers {
		t.Missing(audit.InputUsers, "--no-users was given")
	} else {
		t.Users = c.users(ctx, appID)
	}
}

// users streams the app's users page by page when iterated: one page is in
// memory at a time, and nothing is fetched until the rules ask.
func (c *Client) users(ctx context.Context, appID string) iter.Seq2[audit.User, error] {
	return func(yield func(audit.User, error) bool) {
		p := c.newProgress()
		defer p.done()
		name := "/api/v1/apps/" + appID + "/users"
		for pg, err := range c.pages(ctx, name, usersPath(appID)) {
			if err != nil {
				yield(audit.User{}, err)
				return
			}
			for u, err := range Users(bytes.NewReader(pg.body)) {
				if err != nil {
					yield(audit.User{}, fmt.Errorf("GET %s (page %d): %w", name, pg.n, err))
					return
				}
				if !yield(u, nil) {
					return
				}
				p.add(1)
			}
			p.show()
		}
	}
}

// progress prints "users: N fetched" on one carriage-return-updated line.
type progress struct {
	w     io.Writer
	n     int
	shown bool
}

func (c *Client) newProgress() *progress { return &progress{w: c.progress} }

func (p *progress) add(n int) { p.n += n }

func (p *progress) show() {
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "\rusers: %s fetched", thousands(p.n))
	p.shown = true
}

func (p *progress) done() {
	if p.w != nil && p.shown {
		fmt.Fprintln(p.w)
	}
}

// thousands formats n with comma separators: 45500 → "45,500".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// listEntry is what a label lookup reads of an entry of GET /api/v1/apps.
type listEntry struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// listLimit is the page size asked of GET /api/v1/apps: 200 is the most
// the Apps API returns in one page (its default is 20), so an org of N
// apps is listed in ceil(N/200) requests.
const listLimit = "200"

// listApps streams the entries of GET /api/v1/apps with the given query,
// each as the raw application object Okta sent. Okta's list returns the
// same objects as GET /api/v1/apps/{id}, settings included (only
// useOptimization=true trims them, and ssoaudit never asks for it).
func (c *Client) listApps(ctx context.Context, q url.Values) iter.Seq2[jsontext.Value, error] {
	q.Set("limit", listLimit)
	return func(yield func(jsontext.Value, error) bool) {
		for pg, err := range c.pages(ctx, "/api/v1/apps", "/api/v1/apps?"+q.Encode()) {
			if err != nil {
				yield(nil, err)
				return
			}
			var entries []jsontext.Value
			if err := json.Unmarshal(pg.body, &entries); err != nil {
				yield(nil, fmt.Errorf("GET /api/v1/apps (page %d): %w", pg.n, jsonError(err)))
				return
			}
			for _, e := range entries {
				if !yield(e, nil) {
					return
				}
			}
		}
	}
}

// ErrNoApp and ErrAmbiguous are what a label lookup or discovery can find
// instead of exactly one app (errors.Is works on the returned errors).
var (
	ErrNoApp     = errors.New("no matching app")
	ErrAmbiguous = errors.New("more than one matching app")
)

// FindByLabel returns the ID of the one app whose label is exactly label
// (GET /api/v1/apps?q=LABEL, which matches prefixes of names and labels).
func (c *Client) FindByLabel(ctx context.Context, label string) (string, error) {
	if strings.TrimSpace(label) == "" {
		return "", errors.New("empty app label")
	}
	var ids, near []string
	for raw, err := range c.listApps(ctx, url.Values{"q": {label}}) {
		if err != nil {
			return "", err
		}
		var e listEntry
		if err := json.Unmarshal(raw, &e); err != nil {
			return "", fmt.Errorf("GET /api/v1/apps: %w", jsonError(err))
		}
		if e.Label == label {
			ids = append(ids, e.ID)
		} else if len(near) < 5 {
			near = append(near, fmt.Sprintf("%q (%s)", e.Label, e.ID))
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		msg := fmt.Errorf("%w: no app in %s is labelled %q", ErrNoApp, c.orgURL, label)
		if len(near) > 0 {
			msg = fmt.Errorf("%w (labels starting with it: %s)", msg, strings.Join(near, ", "))
		}
		return "", msg
	default:
		return "", fmt.Errorf("%w: %d apps are labelled %q (%s): choose one by app ID", ErrAmbiguous, len(ids), label, strings.Join(ids, ", "))
	}
}

// Discover finds every app of the org that signs into Druva (IsDruvaApp)
// and reads each into a target; see DiscoverEach. On error it returns the
// targets found until then with it.
func (c *Client) Discover(ctx context.Context) ([]*audit.Target, error) {
	var targets []*audit.Target
	_, err := c.DiscoverEach(ctx, func(t *audit.Target) { targets = append(targets, t) })
	return targets, err
}

// DiscoverEach finds every app of the org that signs into Druva
// (IsDruvaApp), reads each into a target and hands it to found, in the
// list's order; it returns how many it found. It judges each app from the
// list itself — GET /api/v1/apps returns full application objects — so it
// costs ceil(apps/200) list requests plus, per Druva app, its keys,
// metadata and users pages: no request per app of the org.
//
// The list is paged while the Druva apps already found are read, up to
// discoverAhead of them at once (their users are streamed by found, one
// app at a time); so few apps are held that memory does not grow with
// the org.
//
// A failure to list or read any app ends discovery with an error: an app
// that could not be read might have been a Druva app. The targets found
// until then have been handed over.
func (c *Client) DiscoverEach(ctx context.Context, found func(*audit.Target)) (int, error) {
	type job struct {
		t    *audit.Target
		done chan struct{}
	}
	// The queue's capacity bounds the apps read ahead of found.
	jobs := make(chan *job, discoverAhead-1)
	var listErr error
	go func() {
		defer close(jobs)
		for raw, err := range c.listApps(ctx, url.Values{}) {
			if err != nil {
				listErr = err
				return
			}
			app, err := c.listedApp(ctx, raw)
			if err != nil {
				listErr = err
				return
			}
			taken, why := DruvaApp(app)
			if c.considered != nil {
				c.considered(app, taken, why)
			}
			if !taken {
				continue
			}
			j := &job{t: c.newTarget(app.ID), done: make(chan struct{})}
			setApp(j.t, app)
			go func() {
				defer close(j.done)
				c.fill(ctx, j.t, app.ID)
			}()
			jobs <- j
		}
	}()
	n := 0
	for j := range jobs {
		<-j.done
		found(j.t)
		n++
	}
	return n, listErr
}

// discoverAhead is how many Druva apps discovery reads at once while it
// goes on listing: a handful of requests in flight, well within Okta's
// concurrent-request limit of an org.
const discoverAhead = 4

// listedApp parses one entry of the app list. An entry without settings
// is a summary, not the application object Okta's list normally carries
// (a proxy or a future API trimming it, as useOptimization=true does): the
// rules and IsDruvaApp need the SAML settings, so only then is the app
// read on its own with GET /api/v1/apps/{id}.
func (c *Client) listedApp(ctx context.Context, raw jsontext.Value) (*audit.App, error) {
	var head struct {
		ID       string         `json:"id"`
		Settings jsontext.Value `json:"settings"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("GET /api/v1/apps: %w", jsonError(err))
	}
	if err := checkAppID(head.ID); err != nil {
		return nil, fmt.Errorf("GET /api/v1/apps: %w", err)
	}
	path := "/api/v1/apps (app " + head.ID + ")"
	if len(head.Settings) == 0 {
		var err error
		if raw, err = c.fetch(ctx, appPath(head.ID), typesJSON); err != nil {
			return nil, err
		}
		path = appPath(head.ID)
	}
	app, err := ParseApp(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", path, err)
	}
	return app, nil
}

// IsDruvaApp reports whether an app signs into Druva; DruvaApp says why.
func IsDruvaApp(app *audit.App) bool {
	taken, _ := DruvaApp(app)
	return taken
}

// DruvaApp decides whether an app of the org is a Druva app to audit, and
// says why it was taken or left. It is a pure function of the application
// object, as GET /api/v1/apps lists it. A SAML 2.0 app is taken when:
//   - the audience Okta sends (audienceOverride, else audience) is a Druva
//     platform's entity ID, or the ACS URL it uses (ssoAcsUrlOverride, else
//     ssoAcsUrl) is on druva.com: a custom app set up for Druva;
//   - it is from Okta's catalog and its name (the integration's key, not
//     documented for Druva's two integrations, "Druva" and "Druva 2.0") or
//     label mentions Druva, or its settings.app has an inSync field: Druva's
//     catalog apps expose no ACS URL or audience to recognise;
//   - its label or name mentions Druva although its settings point
//     elsewhere: taken so that the rules say what is wrong with it.
func DruvaApp(app *audit.App) (bool, string) {
	if app == nil {
		return false, "no application object"
	}
	if app.SignOnMode != "SAML_2_0" {
		if druvaNamed(app) {
			return false, fmt.Sprintf("its name or label mentions Druva, but its sign-on mode is %q, not SAML 2.0 (a bookmark, SWA or provisioning-only app)", app.SignOnMode)
		}
		return false, fmt.Sprintf("sign-on mode %q, not SAML 2.0", app.SignOnMode)
	}
	so := app.Settings.SignOn
	if so == nil {
		return false, "a SAML 2.0 app without settings.signOn"
	}
	audience := so.EffectiveAudience().Value
	for _, p := range audit.Platforms {
		if p.Audience != "" && strings.TrimSpace(audience) == p.Audience {
			return true, fmt.Sprintf("its audience %q is the %s platform's entity ID", audience, p.Name)
		}
	}
	acs := so.EffectiveACS().Value
	if u, err := url.Parse(strings.TrimSpace(acs)); err == nil {
		if host := strings.ToLower(u.Hostname()); host == "druva.com" || strings.HasSuffix(host, ".druva.com") {
			return true, fmt.Sprintf("its ACS URL %q is on druva.com", acs)
		}
	}
	catalog, how := app.Catalog()
	switch {
	case catalog && druvaNamed(app):
		return true, fmt.Sprintf("a catalog app whose name %q or label %q mentions Druva (%s)", app.Name, app.Label, how)
	case catalog && druvaFields(app):
		return true, fmt.Sprintf("a catalog app with an inSync field in settings.app (%s)", how)
	case druvaNamed(app):
		return true, fmt.Sprintf("its label %q or name %q mentions Druva, though its audience %q and ACS URL %q are not Druva's: taken so that the rules say what is wrong", app.Label, app.Name, audience, acs)
	case catalog:
		return false, fmt.Sprintf("a catalog app (integration %q) whose name, label and fields do not mention Druva", app.Name)
	}
	return false, fmt.Sprintf("audience %q and ACS URL %q are not Druva's, and neither its name nor its label mentions Druva", audience, acs)
}

// druvaNamed reports whether the app's name or label mentions Druva or inSync.
func druvaNamed(app *audit.App) bool {
	for _, s := range []string{app.Name, app.Label} {
		if l := strings.ToLower(s); strings.Contains(l, "druva") || strings.Contains(l, "insync") {
			return true
		}
	}
	return false
}

// druvaFields reports whether a catalog app's own fields name inSync.
func druvaFields(app *audit.App) bool {
	for k := range app.Settings.App {
		if strings.Contains(strings.ToLower(k), "insync") {
			return true
		}
	}
	return false
}
