package scan

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"
	"github.com/ssoaudit/ssoaudit/config"
)

// TestOrgsRunSideBySideInConfigOrder: the targets of each Okta org are read
// a few at a time (never more than OrgParallel per org), orgs side by side,
// and the report lists the targets in the config's order whatever order
// they finished in.
func TestOrgsRunSideBySideInConfigOrder(t *testing.T) {
	const orgs, perOrg, par = 5, 6, 3
	var specs []Spec
	var want []string
	for i := range orgs * perOrg {
		org := fmt.Sprintf("https://org%d.okta.com", i%orgs)
		if i%2 == 1 {
			org = fmt.Sprintf("https://ORG%d.okta.com/", i%orgs) // the same org
		}
		name := fmt.Sprintf("t%02d", i)
		want = append(want, name)
		specs = append(specs, Spec{Name: name, Okta: &config.OktaSpec{OrgURL: org, AppID: "0oa" + name}})
	}
	specs = append(specs, Spec{Name: "offline", Snapshot: snap("good")})
	want = append(want, "offline")

	var mu sync.Mutex
	inFlight, most := map[string]int{}, map[string]int{}
	total, mostTotal := 0, 0
	req := request(nil, specs...)
	req.Fleet = true
	req.OrgParallel = par
	req.Live = func(_ context.Context, spec Spec, found func(*audit.Target)) error {
		org := strings.ToLower(spec.Okta.OrgURL[len("https://") : len("https://")+4])
		mu.Lock()
		inFlight[org]++
		total++
		most[org] = max(most[org], inFlight[org])
		mostTotal = max(mostTotal, total)
		mu.Unlock()
		time.Sleep(time.Duration(rand.IntN(20)) * time.Millisecond)
		mu.Lock()
		inFlight[org]--
		total--
		mu.Unlock()
		found(&audit.Target{Name: spec.Okta.AppID, Source: "okta", App: &audit.App{ID: spec.Okta.AppID, Label: "Druva"}})
		return nil
	}
	rep, err := Run(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tr := range rep.Targets {
		got = append(got, tr.Name)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("order %v, want %v", got, want)
	}
	for org, n := range most {
		if n > par {
			t.Errorf("%s: %d targets at once, want at most %d", org, n, par)
		}
	}
	if mostTotal <= par {
		t.Errorf("at most %d targets at once over %d orgs: the orgs did not run side by side", mostTotal, orgs)
	}
}
