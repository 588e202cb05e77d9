package audit

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// counted is a per-target fact that counts how often it is computed.
func counted(n *atomic.Int32) *TargetFact[int] {
	return &TargetFact[int]{Name: "counted", Compute: func(t *Target) int { return int(n.Add(1)) }}
}

func ruleReading(id string, reads func(t *Target) Result, requires ...FactType) *Rule {
	return &Rule{ID: id, Severity: High, Requires: requires, Check: reads}
}

func TestTargetFactComputedOnceForEveryRuleThatAsks(t *testing.T) {
	var n atomic.Int32
	f := counted(&n)
	read := func(t *Target) Result { return Pass(fmt.Sprint(f.Of(t)), nil) }
	rules := []*Rule{ruleReading("a", read, f), ruleReading("b", read, f)}
	res := Run(&Target{Name: "t"}, rules, nil)
	if n.Load() != 1 || res[0].Message != "1" || res[1].Message != "1" {
		t.Errorf("computed %d times; results %+v", n.Load(), res)
	}
}

func TestUndeclaredFactIsAnError(t *testing.T) {
	var n atomic.Int32
	f := counted(&n)
	r := ruleReading("sneaky", func(t *Target) Result { return Pass(fmt.Sprint(f.Of(t)), nil) })
	res := Run(&Target{Name: "t"}, []*Rule{r}, nil)[0]
	if res.Status != StatusError || !strings.Contains(res.Message, `rule sneaky reads fact "counted" without listing it in Requires`) {
		t.Errorf("%s: %s", res.Status, res.Message)
	}
	// A fact reading another it did not declare is caught the same way.
	inner := &TargetFact[int]{Name: "inner", Compute: func(*Target) int { return 1 }}
	outer := &TargetFact[int]{Name: "outer", Compute: func(t *Target) int { return inner.Of(t) }}
	r = ruleReading("honest", func(t *Target) Result { return Pass(fmt.Sprint(outer.Of(t)), nil) }, outer)
	res = Run(&Target{Name: "t"}, []*Rule{r}, nil)[0]
	if res.Status != StatusError || !strings.Contains(res.Message, `fact outer reads fact "inner" without listing it`) {
		t.Errorf("%s: %s", res.Status, res.Message)
	}
}

func TestPanickingFactErrorsEveryRuleThatNeedsIt(t *testing.T) {
	f := &TargetFact[int]{Name: "broken", Compute: func(*Target) int { panic("boom") }}
	read := func(t *Target) Result { return Pass(fmt.Sprint(f.Of(t)), nil) }
	other := ruleReading("other", func(*Target) Result { return Pass("fine", nil) })
	res := Run(&Target{Name: "t"}, []*Rule{ruleReading("a", read, f), other, ruleReading("b", read, f)}, nil)
	for _, i := range []int{0, 2} {
		if res[i].Status != StatusError || !strings.Contains(res[i].Message, "fact broken: boom") {
			t.Errorf("%s: %s: %s", res[i].Rule, res[i].Status, res[i].Message)
		}
	}
	if res[1].Status != StatusPass {
		t.Errorf("a rule that does not need the fact: %s", res[1].Status)
	}
}

// TestPlanComputesFactsBeforeTheStreamGoes: a fact only a deployment rule
// needs is computed while the target is judged, before its users are
// dropped; a rule that reads a deployment fact keeps its place among the
// target's results.
func TestPlanComputesFactsBeforeTheStreamGoes(t *testing.T) {
	usersSeen := &TargetFact[int]{Name: "users seen", Compute: func(t *Target) int {
		n := 0
		for range t.Users {
			n++
		}
		return n
	}}
	var computed atomic.Int32
	total := &DeploymentFact[int]{Name: "users of the deployment", Requires: []FactType{usersSeen}, Compute: func(d *Deployment) int {
		computed.Add(1)
		sum := 0
		for _, t := range d.Targets {
			sum += usersSeen.Of(t)
		}
		return sum
	}}
	early := ruleReading("early", func(*Target) Result { return Pass("early", nil) })
	late := ruleReading("late", func(t *Target) Result {
		return Pass(fmt.Sprintf("%d users in %s", total.Of(t), t.Deployment().Name), nil)
	}, total)
	last := ruleReading("last", func(*Target) Result { return Pass("last", nil) })
	dep := &Rule{ID: "dep", Severity: High, Requires: []FactType{total},
		CheckDeployment: func(d *Deployment) Result { return Pass(fmt.Sprint(total.In(d)), nil) }}
	p := NewPlan([]*Rule{early, late, dep, last}, nil)
	if !p.Waits() || len(p.TargetRules()) != 3 || len(p.DeploymentRules()) != 1 {
		t.Fatalf("plan: waits %v, %d target rules, %d deployment rules", p.Waits(), len(p.TargetRules()), len(p.DeploymentRules()))
	}
	users := func(n int) func(func(User, error) bool) {
		return func(yield func(User, error) bool) {
			for i := range n {
				if !yield(User{ID: fmt.Sprint(i)}, nil) {
					return
				}
			}
		}
	}
	a, b := &Target{Name: "a", Users: users(2)}, &Target{Name: "b", Users: users(3)}
	ra, rb := p.Judge(a), p.Judge(b)
	if a.Users != nil || ra[1].Rule != "" || ra[0].Rule != "early" || ra[2].Rule != "last" {
		t.Fatalf("after Judge: users kept %v, results %+v", a.Users != nil, ra)
	}
	d := NewDeployment("console", nil, "", a.Now, []*Target{a, b})
	dr := p.JudgeDeployment(d, [][]Result{ra, rb})
	if ra[1].Rule != "late" || ra[1].Message != "5 users in console" || rb[1].Message != "5 users in console" {
		t.Errorf("late results %+v %+v", ra[1], rb[1])
	}
	if len(dr) != 1 || dr[0].Message != "5" || computed.Load() != 1 {
		t.Errorf("deployment results %+v; deployment fact computed %d times", dr, computed.Load())
	}
}

func TestCheckFacts(t *testing.T) {
	dep := &DeploymentFact[int]{Name: "dep", Compute: func(*Deployment) int { return 0 }}
	wrong := &TargetFact[int]{Name: "wrong", Requires: []FactType{dep}, Compute: func(*Target) int { return 0 }}
	a := &TargetFact[int]{Name: "a"}
	b := &TargetFact[int]{Name: "b", Requires: []FactType{a}}
	a.Requires = []FactType{b}
	for _, c := range []struct {
		rule *Rule
		want string
	}{
		{ruleReading("r1", nil, wrong), `target fact "wrong" requires deployment fact "dep"`},
		{ruleReading("r2", nil, a), "facts form a cycle: r2 → a → b → a"},
		{ruleReading("r3", nil, nil), "rule r3 requires a nil fact"},
	} {
		if err := CheckFacts([]*Rule{c.rule}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.rule.ID, err, c.want)
		}
	}
}

var testPolicies = NewOrgFact[[]string]("test session policies", Input("okta/test-session-policies.json"), "for tests")

// TestOrgFactLoadedOncePerOrg: the targets of one org share one load, and
// an org input's absence, refusal or failure reaches rules like any
// input's.
func TestOrgFactLoadedOncePerOrg(t *testing.T) {
	org := NewOrg("https://acme.okta.com")
	var loads atomic.Int32
	var wg sync.WaitGroup
	targets := make([]*Target, 8)
	for i := range targets {
		targets[i] = &Target{Name: fmt.Sprint(i), Org: org}
		wg.Go(func() {
			testPolicies.Load(org, func() ([]string, error) {
				loads.Add(1)
				return []string{"Default Policy"}, nil
			})
		})
	}
	wg.Wait()
	if loads.Load() != 1 {
		t.Errorf("loaded %d times", loads.Load())
	}
	rule := &Rule{ID: "needs-policies", Severity: High, Needs: []Input{testPolicies.Input}, Requires: []FactType{testPolicies},
		Check: func(t *Target) Result {
			v, ok := testPolicies.Of(t)
			if !ok {
				return Error("not loaded", nil)
			}
			return Pass(strings.Join(v, ","), nil)
		}}
	for _, tg := range targets {
		if r := Run(tg, []*Rule{rule}, nil)[0]; r.Status != StatusPass || r.Message != "Default Policy" {
			t.Errorf("%s: %s %s", tg.Name, r.Status, r.Message)
		}
	}

	for _, c := range []struct {
		name   string
		org    *Org
		err    error
		status Status
		msg    string
	}{
		{"absent", NewOrg("snap"), Absent("okta/test-session-policies.json is not in the snapshot"), StatusSkip, "is not in the snapshot"},
		{"refused", NewOrg("live"), Refused("okta.policies.read", errors.New("HTTP 403")), StatusSkip, "HTTP 403: the credential is not granted the okta.policies.read scope"},
		{"failed", NewOrg("live"), errors.New("HTTP 500"), StatusError, "HTTP 500"},
		{"never loaded", NewOrg("terraform"), nil, StatusSkip, "not read for this target's org"},
		{"no org", nil, nil, StatusSkip, "does not read it"},
	} {
		if c.err != nil {
			testPolicies.Load(c.org, func() ([]string, error) { return nil, c.err })
		}
		r := Run(&Target{Name: c.name, Org: c.org}, []*Rule{rule}, nil)[0]
		if r.Status != c.status || !strings.Contains(r.Message, c.msg) {
			t.Errorf("%s: %s %q", c.name, r.Status, r.Message)
		}
		if c.status == StatusSkip && r.SkipKind != SkipInputAbsent {
			t.Errorf("%s: skip kind %q", c.name, r.SkipKind)
		}
	}
}
