package main

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"sync"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/config"
	"github.com/ssoaudit/ssoaudit/scan"
	"github.com/ssoaudit/ssoaudit/source/druva"
	"github.com/ssoaudit/ssoaudit/source/okta"
)

// spec turns the live flags into a scan spec: exactly one way to pick the app.
func (l *liveFlags) spec(getenv func(string) string) (scan.Spec, error) {
	picks := 0
	for _, set := range []bool{l.appID != "", l.appLabel != "", l.discover} {
		if set {
			picks++
		}
	}
	if picks != 1 {
		return scan.Spec{}, errors.New("live mode needs exactly one of --app-id ID, --app-label LABEL or --discover")
	}
	org := l.org
	if org == "" {
		org = getenv("OKTA_CLIENT_ORGURL")
	}
	return scan.Spec{Okta: &config.OktaSpec{OrgURL: org, AppID: l.appID, AppLabel: l.appLabel, Discover: l.discover}}, nil
}

// liveLoader reads live targets, one Okta client per org, so that all the
// targets of one org share its rate-limit budget.
func (e *env) liveLoader(l liveFlags) scan.LiveLoader {
	var mu sync.Mutex
	clients := map[string]*okta.Client{}
	connect := func(org string) (*okta.Client, error) {
		mu.Lock()
		defer mu.Unlock()
		// One client per org however its URL is spelled, as scan runs
		// one lane per org: the client holds the org's rate-limit budget.
		key := scan.OrgKey(org)
		if c, ok := clients[key]; ok {
			return c, nil
		}
		c, err := okta.Connect(e.liveOptions(l, org))
		if err != nil {
			return nil, err
		}
		clients[key] = c
		return c, nil
	}
	return func(ctx context.Context, spec scan.Spec, found func(*audit.Target)) error {
		c, err := connect(spec.Okta.OrgURL)
		if err != nil {
			return &scan.UsageError{Err: err}
		}
		switch {
		case spec.Okta.Discover:
			n, err := c.DiscoverEach(ctx, found)
			if err != nil {
				return fmt.Errorf("discover Druva apps in %s: %w (Druva apps found until then: %d)", c.OrgURL(), err, n)
			}
			if n == 0 {
				return fmt.Errorf("discover: no app in %s looks like a Druva app (a SAML 2.0 app whose audience is a Druva entity ID or whose ACS URL is on druva.com, or a catalog app named for Druva); -v lists every app considered and why it was left", c.OrgURL())
			}
			return nil
		case spec.Okta.AppLabel != "":
			id, err := c.FindByLabel(ctx, spec.Okta.AppLabel)
			if err != nil {
				if labelExit(err) == audit.ExitUsage {
					return &scan.UsageError{Err: err}
				}
				return err
			}
			t, err := c.Target(ctx, id)
			if err != nil {
				return err
			}
			found(t)
			return nil
		default:
			t, err := c.Target(ctx, spec.Okta.AppID)
			if _, ok := okta.Unreachable(err); ok {
				// Not the argument's fault: the org's, one cause for
				// every target of it (scan).
				return err
			}
			if err != nil {
				return &scan.UsageError{Err: fmt.Errorf("--app-id: %w", err)}
			}
			found(t)
			return nil
		}
	}
}

// labelExit is the exit code for a failed --app-label lookup: the org
// answered and no single app has that label (a wrong argument, exit 2), or
// the org could not be asked (exit 3).
func labelExit(err error) int {
	if errors.Is(err, okta.ErrNoApp) || errors.Is(err, okta.ErrAmbiguous) {
		return audit.ExitUsage
	}
	return audit.ExitIncomplete
}

// liveOptions builds the client options: credentials come from the flags,
// else the Okta SDK's conventions (OKTA_CLIENT_* variables, ~/.okta/okta.yaml).
func (e *env) liveOptions(l liveFlags, org string) okta.Options {
	o := okta.Options{
		OrgURL:         org,
		ClientID:       l.clientID,
		PrivateKeyFile: l.keyFile,
		NoUsers:        l.noUsers,
		HTTPClient:     e.oktaHTTP,
		Now:            e.oktaNow,
		Sleep:          e.oktaSleep,
		Secrets:        e.secrets,
	}
	if !l.quiet && e.isTTY(e.stderr) {
		o.Progress = e.stderr
	}
	if l.verbose && l.discover {
		o.Considered = func(app *audit.App, taken bool, why string) {
			verdict := "left"
			if taken {
				verdict = "taken"
			}
			// Labels and names are the org's text: shown escaped, and
			// redacted should a token have been pasted into one — any
			// app's token, so the lines wait until discovery has seen
			// every app (flushDiscovered): app A's label may hold app
			// B's token, listed later.
			if e.secrets != nil {
				scan.AddSecrets(e.secrets, &audit.Target{App: app})
			}
			e.discoveredMu.Lock()
			defer e.discoveredMu.Unlock()
			e.discovered = append(e.discovered, fmt.Sprintf("discover: %s %s (%s, %q): %s", verdict, app.ID, app.Label, app.Name, why))
		}
	}
	return o
}

const snapshotSynopsis = `Usage: ssoaudit snapshot --okta-org URL (--app-id ID | --app-label LABEL)
                         --out DIR [flags]

Saves a live Okta app as a snapshot directory: okta/app.json, okta/keys.json,
okta/metadata.xml and okta/users.json hold the API's responses as Okta sent
them. The directory appears whole or not at all. Add the Druva console's
druva.yaml to it, then audit it any time with: ssoaudit scan --snapshot DIR

Credentials: OKTA_CLIENT_TOKEN (a read-only API token), or an OAuth 2.0
service app (--okta-client-id, --okta-private-key) with okta.apps.read and
okta.users.read (and, optional, okta.policies.read: the app's authentication
policy rules and the org's global session policies, okta/policy-rules.json and
okta/session-policies.json, for okta.app.mfa; okta.domains.read: the org's
custom domains, okta/domains.json, for cross.login-url-match), or
~/.okta/okta.yaml.
`

func (e *env) snapshot(ctx context.Context, args []string) int {
	// --discover is scan's: snapshot saves one app, and says so if asked.
	fs := e.newFlags("snapshot", snapshotSynopsis, "discover", "v")
	out := fs.String("out", "", "write the snapshot to `DIR` (must not exist)")
	druvaFile := fs.String("druva", "", "copy this druva.yaml `FILE` into the snapshot")
	var live liveFlags
	live.register("snapshot", fs)
	pos, code, ok := e.parse(fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		return e.fail(audit.ExitUsage, "snapshot takes no arguments (got %s)", audit.Shown(pos[0]))
	}
	if *out == "" {
		return e.fail(audit.ExitUsage, "snapshot needs --out DIR")
	}
	if live.discover {
		return e.fail(audit.ExitUsage, "snapshot saves one app: use --app-id or --app-label (scan --discover audits them all)")
	}
	spec, err := live.spec(e.getenv)
	if err != nil {
		return e.fail(audit.ExitUsage, "%v", err)
	}
	var extra []okta.File
	if *druvaFile != "" {
		if _, err := druva.Load(*druvaFile); err != nil {
			return e.fail(audit.ExitUsage, "%v", err)
		}
		data, err := os.ReadFile(*druvaFile)
		if err != nil {
			return e.fail(audit.ExitUsage, "%v", err)
		}
		extra = append(extra, okta.File{Name: "druva.yaml", Data: data})
	}
	if live.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, live.timeout)
		defer cancel()
	}
	c, err := okta.Connect(e.liveOptions(live, spec.Okta.OrgURL))
	if err != nil {
		return e.fail(audit.ExitUsage, "%v", err)
	}
	id := spec.Okta.AppID
	if id == "" {
		if id, err = c.FindByLabel(ctx, spec.Okta.AppLabel); err != nil {
			return e.fail(labelExit(err), "%v", err)
		}
	}
	// A killed snapshot leaves its temporary directory behind (users'
	// emails, possibly hundreds of megabytes): remove those whose process
	// is gone, and say so; report those that may still be in use.
	removed, kept, err := okta.CleanStalePartials(*out)
	for _, p := range removed {
		e.errLine(fmt.Sprintf("ssoaudit: removed %s, left by a snapshot that was killed", e.shown(p)))
	}
	for _, p := range kept {
		e.errLine(fmt.Sprintf("ssoaudit: %s is a partial snapshot that may still be being written (another run, or one from another host or an older version): remove it once no snapshot runs", e.shown(p)))
	}
	if err != nil {
		e.errLine("ssoaudit: " + e.shown(err.Error()))
	}
	if err := c.Snapshot(ctx, id, *out, extra...); err != nil {
		code := audit.ExitIncomplete
		if errors.Is(err, iofs.ErrExist) {
			code = audit.ExitUsage
		}
		return e.fail(code, "snapshot of app %s: %v (nothing was written)", id, err)
	}
	fmt.Fprintf(e.stdout, "wrote snapshot of app %s to %s\n", e.shown(id), e.shown(*out))
	// A least-privilege credential leaves the optional policy rules out:
	// say so, or the snapshot's MFA skip would come as a surprise.
	if t, err := okta.LoadSnapshot(*out); err == nil {
		if g, ok := t.Gap(audit.InputPolicyRules); ok && !g.Failed {
			e.errLine(fmt.Sprintf("note: %s was not saved: the credential may not read the app's authentication policy (grant %s); okta.app.mfa skips on this snapshot",
				okta.FilePolicyRules, okta.ScopePolicies))
		}
		if g, ok := t.Gap(audit.InputSessionPolicies); ok && !g.Failed {
			e.errLine(fmt.Sprintf("note: %s was not saved: the credential may not read the org's global session policies (grant %s); "+
				"okta.app.mfa cannot count on them on this snapshot", okta.FileSessionPolicies, okta.ScopePolicies))
		}
		if g, ok := t.Gap(audit.InputDomains); ok && !g.Failed {
			e.errLine(fmt.Sprintf("note: %s was not saved: the credential may not read the org's custom domains (grant %s); "+
				"cross.login-url-match skips a login URL on a custom domain on this snapshot", okta.FileDomains, okta.ScopeDomains))
		}
	}
	return audit.ExitOK
}

// flushDiscovered prints discover -v's lines, once every app's token is
// known (each line goes through errLine, so through the run's redaction).
func (e *env) flushDiscovered() {
	e.discoveredMu.Lock()
	defer e.discoveredMu.Unlock()
	for _, line := range e.discovered {
		e.errLine(line)
	}
	e.discovered = nil
}
