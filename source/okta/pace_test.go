package okta_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/internal/testkit/fixture"
	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// TestPacingWaitsForTheResetAndNoLonger: against Okta's one-minute windows,
// on a clock that is not on a whole second (Date and the reset are), the
// client waits exactly until the window resets — not a second more — and
// is never answered 429.
func TestPacingWaitsForTheResetAndNoLonger(t *testing.T) {
	app := goodApp(t)
	app.Users = oktatest.Synthetic{N: 2500}
	e := newEnv(t, app)
	start := fixture.Now.Add(400 * time.Millisecond)
	clock := oktatest.NewClock(start)
	e.srv.SetClock(clock.Now)
	e.opts.Now, e.opts.Sleep = clock.Now, clock.Sleep
	e.srv.SetRateLimit(10000, time.Minute)
	e.srv.SetBudget(oktatest.EndpointUsers, 2)
	users, err := collect(e.target(t, goodID).Users)
	if err != nil || len(users) != 2500 {
		t.Fatalf("%d users, %v", len(users), err)
	}
	if n := e.srv.Served(http.StatusTooManyRequests); n != 0 {
		t.Errorf("%d 429s: the client did not wait long enough", n)
	}
	// The users window opened at start and resets on the whole second
	// after start+60s: 60.6 s after the first page; pages 3-4 fill the
	// next window, which resets 60 s later.
	firstReset := start.Add(time.Minute).Truncate(time.Second).Add(time.Second)
	want := []time.Duration{firstReset.Sub(start), time.Minute}
	got := clock.Slept()
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("slept %v, want %v (the reset exactly: before, each wait was a second longer)", got, want)
	}
	t.Logf("waits %v for a 60 s window with 2 calls each, 5 pages", got)
}

// TestPacingSharesTheBudgetBetweenConcurrentRequests: requests to one org
// sent side by side reserve the window's remaining calls, so together they
// never spend more than Okta allows (no 429) and queue for the reset.
func TestPacingSharesTheBudgetBetweenConcurrentRequests(t *testing.T) {
	app := goodApp(t)
	app.Users = nil
	e := newEnv(t, app)
	// On the real clock with one-second windows: the fake clock's sleeps
	// would move time under requests still in flight, which Okta's
	// clock never does.
	e.srv.SetClock(time.Now)
	e.opts.Now, e.opts.Sleep = nil, nil
	e.srv.SetRateLimit(10000, time.Second)
	e.srv.SetBudget(oktatest.EndpointKeys, 3)
	c := e.client(t)
	start := time.Now()
	// One target first, so the client knows the keys endpoint's budget
	// (before Okta's first answer, a first wave goes out unpaced).
	if _, err := c.Target(context.Background(), goodID); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			tg, err := c.Target(context.Background(), goodID)
			if err != nil {
				t.Error(err)
				return
			}
			noGaps(t, tg)
		})
	}
	wg.Wait()
	if n := e.srv.Served(http.StatusTooManyRequests); n != 0 {
		t.Errorf("%d 429s: concurrent requests overspent the window", n)
	}
	if n := e.srv.Count(oktatest.EndpointKeys); n != 9 {
		t.Errorf("%d keys requests, want 9", n)
	}
	// 9 keys calls at 3 a window: two waits for a reset, at least.
	if d := time.Since(start); d < time.Second {
		t.Errorf("9 calls at 3 a second in %v", d)
	}
}
