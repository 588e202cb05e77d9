package audit

// Facts, the way go/analysis passes them (its Analyzer's Requires, ResultOf
// and FactTypes): a fact is a typed value derived once from the data and
// handed to every rule that declares it needs it. A rule lists the facts it
// reads in Rule.Requires; a fact lists the facts it is computed from in its
// own Requires. The runner (Plan) computes each fact once — per target, per
// org or per deployment — before the inputs it comes from go away (a
// target's users are a stream read once), and judges a rule only when every
// fact it needs is known: a per-target rule that needs a deployment fact
// waits for its deployment, with no path of its own through the scan.
//
// A rule or fact that reads a fact it did not declare panics, which the
// runner turns into an error result: the declarations are what the runner
// computes from, so they must be complete.

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// Scope is what a fact is computed over.
type Scope uint8

// Scopes of facts.
const (
	// PerTarget facts are derived from one target's inputs.
	PerTarget Scope = iota
	// PerOrg facts are loaded by a source once per Okta org and shared by
	// every target of that org.
	PerOrg
	// PerDeployment facts are derived from the per-target facts of every
	// target of a deployment.
	PerDeployment
)

func (s Scope) String() string {
	switch s {
	case PerTarget:
		return "target"
	case PerOrg:
		return "org"
	case PerDeployment:
		return "deployment"
	}
	return fmt.Sprintf("Scope(%d)", s)
}

// FactType is a fact's declaration, whatever its value's type: what a rule
// (or another fact) lists in Requires. *TargetFact, *OrgFact and
// *DeploymentFact implement it.
type FactType interface {
	// FactName names the fact in messages.
	FactName() string
	// FactScope says what the fact is computed over.
	FactScope() Scope
	requires() []FactType
}

// reader is what reads facts: a rule or a fact, and what it declared.
type reader interface {
	readerName() string
	requires() []FactType
}

func (r *Rule) readerName() string   { return "rule " + r.ID }
func (r *Rule) requires() []FactType { return r.Requires }

// TargetFact is a fact derived from one target. Declare it as a package
// variable, as a rule is declared:
//
//	var assignedUsers = &audit.TargetFact[usersRead]{
//		Name:    "assigned users",
//		Compute: readUsers,
//	}
//
// and read it in a rule that lists it in Requires: assignedUsers.Of(t).
type TargetFact[T any] struct {
	Name string
	Doc  string
	// Requires lists the facts Compute reads.
	Requires []FactType
	// Compute derives the fact. It is called once per target, before any
	// rule that needs the fact, whatever inputs are absent or failed: it
	// must handle them (a nil Users, a nil App) itself.
	Compute func(t *Target) T
}

// FactName names the fact.
func (f *TargetFact[T]) FactName() string { return f.Name }

// FactScope is PerTarget.
func (f *TargetFact[T]) FactScope() Scope      { return PerTarget }
func (f *TargetFact[T]) requires() []FactType  { return f.Requires }
func (f *TargetFact[T]) readerName() string    { return "fact " + f.Name }
func (f *TargetFact[T]) compute(t *Target) any { return f.Compute(t) }

// Of is the fact's value for the target, computed on the first call only.
func (f *TargetFact[T]) Of(t *Target) T {
	t.facts.checkReads(f)
	return t.facts.get(f, func() any { return f.Compute(t) }).(T)
}

// DeploymentFact is a fact derived from every target of a deployment (their
// per-target facts, listed in Requires). A per-target rule that needs one
// is judged once its deployment is known; a deployment rule reads it too.
type DeploymentFact[T any] struct {
	Name string
	Doc  string
	// Requires lists the facts Compute reads of the deployment's targets.
	Requires []FactType
	Compute  func(d *Deployment) T
}

// FactName names the fact.
func (f *DeploymentFact[T]) FactName() string { return f.Name }

// FactScope is PerDeployment.
func (f *DeploymentFact[T]) FactScope() Scope     { return PerDeployment }
func (f *DeploymentFact[T]) requires() []FactType { return f.Requires }
func (f *DeploymentFact[T]) readerName() string   { return "fact " + f.Name }

// In is the fact's value for the deployment, computed on the first call only.
func (f *DeploymentFact[T]) In(d *Deployment) T {
	d.facts.checkReads(f)
	// The per-target facts Compute reads are checked against f, not
	// against whoever asked for f.
	return d.facts.get(f, func() any {
		for _, t := range d.Targets {
			t.facts.push(f)
		}
		defer func() {
			for _, t := range d.Targets {
				t.facts.pop()
			}
		}()
		return f.Compute(d)
	}).(T)
}

// Of is the fact's value for the target's deployment. Only a rule the
// runner judged with the deployment known may call it.
func (f *DeploymentFact[T]) Of(t *Target) T {
	t.facts.checkReads(f)
	if t.deployment == nil {
		// Judged outside a run (a rule's test): the target is alone.
		NewDeployment(t.Name, t.Console, t.Platform, t.Now, []*Target{t})
	}
	d := t.deployment
	d.facts.push(t.facts.top())
	defer d.facts.pop()
	return f.In(d)
}

// OrgFact is a fact a source loads once per Okta org (the org's session
// policies, its custom domains) and shares with every target of the org.
// Its Input is how rules see whether it was loaded: a rule that lists the
// input in Needs skips when it is absent or refused and ends in error when
// it failed, like any input; a rule that judges without it (saying what it
// could not see) leaves it out of Needs and asks Of.
type OrgFact[T any] struct {
	Name  string
	Doc   string
	Input Input
}

// NewOrgFact declares an org fact read from in. Declare each once, as a
// package variable: the declaration makes in an org-wide input, which a
// target whose org never loaded it reports as absent.
func NewOrgFact[T any](name string, in Input, doc string) *OrgFact[T] {
	orgInputsMu.Lock()
	defer orgInputsMu.Unlock()
	if orgInputs[in] {
		panic("audit: two org facts read from " + string(in))
	}
	orgInputs[in] = true
	return &OrgFact[T]{Name: name, Doc: doc, Input: in}
}

var (
	orgInputsMu sync.Mutex
	orgInputs   = map[Input]bool{}
)

func isOrgInput(in Input) bool {
	orgInputsMu.Lock()
	defer orgInputsMu.Unlock()
	return orgInputs[in]
}

// FactName names the fact.
func (f *OrgFact[T]) FactName() string { return f.Name }

// FactScope is PerOrg.
func (f *OrgFact[T]) FactScope() Scope     { return PerOrg }
func (f *OrgFact[T]) requires() []FactType { return nil }

// Load reads the fact for the org once: the first of the org's targets to
// call it runs load, the others (also those calling at the same time) share
// its value or its gap. load returns an error made by Absent or Refused
// when the input is not there or not allowed (rules that need it skip), any
// other error when it could not be read (they end in error). A panic in load
// is such an error.
func (f *OrgFact[T]) Load(o *Org, load func() (T, error)) {
	e := o.entry(f.Input)
	e.once.Do(func() {
		defer func() {
			if p := recover(); p != nil {
				e.gap = &Gap{Failed: true, Reason: fmt.Sprintf("internal error reading %s: %v", f.Name, p)}
			}
		}()
		v, err := load()
		if err != nil {
			e.gap = gapOf(err)
			return
		}
		e.value = v
	})
}

// Of is the fact's value for the target's org, and whether it was loaded;
// when not, t.Gap(f.Input) says why.
func (f *OrgFact[T]) Of(t *Target) (T, bool) {
	t.facts.checkReads(f)
	var zero T
	if t.Org == nil {
		return zero, false
	}
	e := t.Org.loaded(f.Input)
	if e == nil || e.gap != nil {
		return zero, false
	}
	return e.value.(T), true
}

// Org is what a run knows of one Okta org beyond its apps: the org-wide
// inputs its targets share. A source makes one per org and sets it on each
// of the org's targets (a snapshot is its own org).
type Org struct {
	// Key names the org (its normalised URL, or a snapshot's directory).
	Key string

	mu      sync.Mutex
	entries map[Input]*orgEntry
}

// NewOrg returns the org named key, with nothing loaded yet.
func NewOrg(key string) *Org { return &Org{Key: key} }

type orgEntry struct {
	once  sync.Once
	value any
	gap   *Gap
}

func (o *Org) entry(in Input) *orgEntry {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.entries == nil {
		o.entries = map[Input]*orgEntry{}
	}
	e := o.entries[in]
	if e == nil {
		e = &orgEntry{}
		o.entries[in] = e
	}
	return e
}

// loaded is the entry of an input whose Load has returned, or nil.
func (o *Org) loaded(in Input) *orgEntry {
	o.mu.Lock()
	e := o.entries[in]
	o.mu.Unlock()
	if e == nil {
		return nil
	}
	// Wait for a Load under way (once.Do blocks until it returns).
	e.once.Do(func() { e.gap = &Gap{Reason: "it was not loaded"} })
	return e
}

// gap is why the org's input is unavailable, if it is.
func (o *Org) gap(in Input) (Gap, bool) {
	if o == nil {
		return Gap{Reason: "this target's source does not read it"}, true
	}
	e := o.loaded(in)
	switch {
	case e == nil:
		return Gap{Reason: "it was not read for this target's org"}, true
	case e.gap != nil:
		return *e.gap, true
	}
	return Gap{}, false
}

// gapError is an error that says an input is absent or refused, not broken.
type gapError struct {
	reason string
}

func (e *gapError) Error() string { return e.reason }

// Absent is the error a loader returns for an optional input that is not
// there (a snapshot without the file): rules that need it skip.
func Absent(reason string) error { return &gapError{reason: reason} }

// Refused is the error a loader returns when the credential's scopes do not
// allow reading an input (HTTP 403): rules that need it skip, naming the
// scope to grant; --require makes that an error.
func Refused(scope string, err error) error {
	return &gapError{reason: fmt.Sprintf("%v: the credential is not granted the %s scope", err, scope)}
}

func gapOf(err error) *Gap {
	var ge *gapError
	if errors.As(err, &ge) {
		return &Gap{Reason: ge.reason}
	}
	return &Gap{Failed: true, Reason: err.Error()}
}

// factMemo holds the facts computed for one target or deployment, and who
// is reading them (the rule being judged, the fact being computed), to
// check that each reads only what it declared.
type factMemo struct {
	mu      sync.Mutex
	values  map[FactType]factValue
	readers []reader
}

type factValue struct {
	v        any
	panicked any // what Compute panicked with; re-raised on every read
	stack    string
}

func (m *factMemo) push(r reader) { m.mu.Lock(); m.readers = append(m.readers, r); m.mu.Unlock() }
func (m *factMemo) pop()          { m.mu.Lock(); m.readers = m.readers[:len(m.readers)-1]; m.mu.Unlock() }

func (m *factMemo) top() reader {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.readers) == 0 {
		return nil
	}
	return m.readers[len(m.readers)-1]
}

// checkReads panics when the current reader did not declare f.
func (m *factMemo) checkReads(f FactType) {
	r := m.top()
	if r == nil {
		return // a test or a tool reading outside the runner
	}
	for _, d := range r.requires() {
		if d == f {
			return
		}
	}
	panic(fmt.Sprintf("%s reads fact %q without listing it in Requires", r.readerName(), f.FactName()))
}

// get returns f's value, computing it with f as the reader on the first
// call. A Compute that panicked panics again for every reader, so each rule
// that needs the fact ends in error.
func (m *factMemo) get(f FactType, compute func() any) any {
	fv := m.ensure(f, compute)
	if fv.panicked != nil {
		panic(fmt.Sprintf("fact %s: %v\n%s", f.FactName(), fv.panicked, fv.stack))
	}
	return fv.v
}

// ensure computes f once, with f as the reader, and keeps what it gave or
// what it panicked with.
func (m *factMemo) ensure(f FactType, compute func() any) factValue {
	m.mu.Lock()
	fv, ok := m.values[f]
	m.mu.Unlock()
	if ok {
		return fv
	}
	r, isReader := f.(reader)
	if isReader {
		m.push(r)
	}
	fv = m.compute(compute)
	if isReader {
		m.pop()
	}
	m.mu.Lock()
	if m.values == nil {
		m.values = map[FactType]factValue{}
	}
	m.values[f] = fv
	m.mu.Unlock()
	return fv
}

func (m *factMemo) compute(compute func() any) (fv factValue) {
	m.mu.Lock()
	depth := len(m.readers)
	m.mu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			fv = factValue{panicked: p, stack: string(debug.Stack())}
			m.mu.Lock()
			m.readers = m.readers[:depth]
			m.mu.Unlock()
		}
	}()
	return factValue{v: compute()}
}
