package audit

import (
	"iter"
	"slices"
	"strings"
	"sync"
	"time"
)

// Target is everything known about one Okta app and the Druva console it signs
// into. Sources fill it; rules only read it.
type Target struct {
	Name     string
	Source   Source // snapshot, okta or terraform
	Platform string
	// PlatformSource says where Platform came from (PlatformFrom…), and
	// Inference what the app's own values say, whatever was stated
	// (nil before the scan prepares the target).
	PlatformSource string
	Inference      *Inference
	// Origin is the file or URL the target was read from (reports point at it).
	Origin string
	Expect Expectations
	// Now is the clock every time-dependent rule uses.
	Now time.Time

	App      *App
	Keys     []Key
	Metadata *Metadata
	// Users yields the app's assigned users one at a time, so that a large
	// org is never held in memory. It may be consumed once.
	Users   iter.Seq2[User, error]
	Console *Console
	// PolicyRules are the rules of the app's authentication policy
	// (GET /api/v1/policies/{policyId}/rules), in Okta's order.
	PolicyRules []PolicyRule
	// Org is the Okta org the target's app belongs to, with the org-wide
	// inputs its source loaded once for all its targets (OrgFact); nil when
	// the source reads none.
	Org *Org
	// OktaDomains are the org's custom domains as the config lists them
	// (okta_domains:); nil when it does not, and the org's Domains fact
	// (okta/domains.json, GET /api/v1/domains) is read instead.
	OktaDomains []string

	gaps map[Input]Gap
	// facts are the per-target facts computed for the rules (fact.go).
	facts factMemo
	// deployment is the target's deployment, once the runner knows it.
	deployment *Deployment

	// hashes are the SHA-256 of each input file read whole, for reports:
	// an auditor can tie a verdict to the exact files it judged.
	hashMu sync.Mutex
	hashes []InputFile
}

// InputFile is one file a target was read from and the SHA-256 of its bytes.
type InputFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Hashed records the SHA-256 of an input file. Sources call it as they read
// (users.json when its stream reaches the end, possibly during the rules).
func (t *Target) Hashed(path, sum string) {
	t.hashMu.Lock()
	defer t.hashMu.Unlock()
	t.hashes = append(t.hashes, InputFile{Path: path, SHA256: sum})
}

// InputFiles lists the input files read whole, sorted by path.
func (t *Target) InputFiles() []InputFile {
	t.hashMu.Lock()
	defer t.hashMu.Unlock()
	out := slices.Clone(t.hashes)
	slices.SortFunc(out, func(a, b InputFile) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// Missing marks an optional input as absent; rules that need it skip.
func (t *Target) Missing(in Input, reason string) {
	t.setGap(in, Gap{Reason: reason})
}

// Failed marks an input as unreadable; rules that need it end in error.
func (t *Target) Failed(in Input, err error) {
	t.setGap(in, Gap{Failed: true, Reason: err.Error()})
}

func (t *Target) setGap(in Input, g Gap) {
	if t.gaps == nil {
		t.gaps = map[Input]Gap{}
	}
	t.gaps[in] = g
}

// Gap reports whether an input is unavailable, and why. An org-wide input
// (OrgFact) is unavailable when the target's org did not load it.
func (t *Target) Gap(in Input) (Gap, bool) {
	if g, ok := t.gaps[in]; ok {
		return g, ok
	}
	if isOrgInput(in) {
		return t.Org.gap(in)
	}
	return Gap{}, false
}

// Deployment is the target's deployment, once the runner knows it (nil
// before): per-target rules read it through deployment facts.
func (t *Target) Deployment() *Deployment { return t.deployment }
