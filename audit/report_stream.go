package audit

import (
	"iter"
	"slices"
)

// Stream holds a report's targets and deployments when the report does not
// hold them itself: a run of thousands of targets keeps them in a private
// temporary file (the scan's spill), so that memory stays flat whatever a
// plan holds. Each sequence may be ranged over any number of times, in
// the run's order.
type Stream interface {
	Targets() iter.Seq[TargetReport]
	Deployments() iter.Seq[DeploymentReport]
	NumTargets() int
	NumDeployments() int
	// Err is the first error met while reading the targets back (a
	// sequence stops at it); a writer checks it once it is done.
	Err() error
	// Close releases the temporary file.
	Close() error
}

// reportStream is a report's Stream and the transforms its iterators apply
// (the output edge, see Report.Map).
type reportStream struct {
	s      Stream
	target func(TargetReport) TargetReport
	deploy func(DeploymentReport) DeploymentReport
}

// SetStream makes s the report's targets and deployments: Targets and
// Deployments are then empty, and EachTarget and EachDeployment read s.
func (r *Report) SetStream(s Stream) {
	r.Targets, r.Deployments = nil, nil
	r.stream = nil
	if s != nil {
		r.stream = &reportStream{s: s}
	}
}

// Stream is the report's Stream; nil for a report held in memory.
func (r *Report) Stream() Stream {
	if !r.Streamed() {
		return nil
	}
	return r.stream.s
}

// Streamed reports whether the report's targets are in a Stream rather than
// in Targets.
func (r *Report) Streamed() bool { return r.stream != nil && r.stream.s != nil }

// EachTarget yields every target's report, in the run's order, through
// the transforms Map added: from Targets, or from the report's Stream.
func (r *Report) EachTarget() iter.Seq[TargetReport] {
	src := slices.Values(r.Targets)
	var f func(TargetReport) TargetReport
	if r.stream != nil {
		f = r.stream.target
	}
	if r.Streamed() {
		src = r.stream.s.Targets()
	}
	return mapped(src, f)
}

// EachDeployment yields every deployment's report, in the run's order, as
// EachTarget does targets.
func (r *Report) EachDeployment() iter.Seq[DeploymentReport] {
	src := slices.Values(r.Deployments)
	var f func(DeploymentReport) DeploymentReport
	if r.stream != nil {
		f = r.stream.deploy
	}
	if r.Streamed() {
		src = r.stream.s.Deployments()
	}
	return mapped(src, f)
}

// mapped is src with f applied to each element as it is read; src itself
// when f is nil.
func mapped[T any](src iter.Seq[T], f func(T) T) iter.Seq[T] {
	if f == nil {
		return src
	}
	return func(yield func(T) bool) {
		for v := range src {
			if !yield(f(v)) {
				return
			}
		}
	}
}

// NumTargets is how many targets the report has.
func (r *Report) NumTargets() int {
	if r.Streamed() {
		return r.stream.s.NumTargets()
	}
	return len(r.Targets)
}

// NumDeployments is how many deployments the report has.
func (r *Report) NumDeployments() int {
	if r.Streamed() {
		return r.stream.s.NumDeployments()
	}
	return len(r.Deployments)
}

// Err is the first error met reading a streamed report back; nil for a
// report held in memory.
func (r *Report) Err() error {
	if r.Streamed() {
		return r.stream.s.Err()
	}
	return nil
}

// Close releases what a streamed report holds on disk. The report's
// targets cannot be read after it.
func (r *Report) Close() error {
	if r.Streamed() {
		return r.stream.s.Close()
	}
	return nil
}

// Map returns a shallow copy of r whose EachTarget and EachDeployment pass
// each report through target and deploy (after any transform r already
// has), one at a time as they are read: a writer's output edge never holds
// a second copy of every target. The copy's Targets and Deployments are
// r's; read them through EachTarget and EachDeployment.
func (r *Report) Map(target func(TargetReport) TargetReport, deploy func(DeploymentReport) DeploymentReport) *Report {
	out := *r
	ns := &reportStream{target: target, deploy: deploy}
	if r.stream != nil {
		ns.s = r.stream.s
		if prev := r.stream.target; prev != nil {
			ns.target = func(t TargetReport) TargetReport { return target(prev(t)) }
		}
		if prev := r.stream.deploy; prev != nil {
			ns.deploy = func(d DeploymentReport) DeploymentReport { return deploy(prev(d)) }
		}
	}
	out.stream = ns
	return &out
}
