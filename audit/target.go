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
	// Deployment is what the target's deployment (PRODUCT.md section 10)
	// tells a per-target rule about the other apps signing into the same
	// console; nil when the target is alone.
	Deployment *DeploymentView

	gaps map[Input]Gap

	memoMu sync.Mutex
	memo   map[string]any

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

// Once returns the value f computes for key, computing it on the first call
// only. Rules share a derived value through it when the input it comes from
// can be read only once (Users) or is costly to read twice (a live org's
// users, page by page): the rules stay pure functions of the target, and
// the input is read once however many rules need it.
func (t *Target) Once(key string, f func() any) any {
	t.memoMu.Lock()
	defer t.memoMu.Unlock()
	if v, ok := t.memo[key]; ok {
		return v
	}
	if t.memo == nil {
		t.memo = map[string]any{}
	}
	v := f()
	t.memo[key] = v
	return v
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

// Gap reports whether an input is unavailable, and why.
func (t *Target) Gap(in Input) (Gap, bool) {
	g, ok := t.gaps[in]
	return g, ok
}
