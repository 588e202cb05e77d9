package okta

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Retry and rate-limit policy. Okta's rate-limit windows are one minute, so
// no honest wait is longer than maxWait.
const (
	defaultMaxRetries = 3
	defaultTimeout    = 30 * time.Second
	firstBackoff      = time.Second
	maxWait           = 5 * time.Minute
)

// transport sends each request to Okta, pacing it by Okta's rate-limit
// headers and retrying the failures that are worth retrying. It replaces the
// SDK's own retry logic, which gives up on a 429 without a Date header.
//
// Before a request it consults what the last response from the same endpoint
// said: with no calls left in the window it waits for the reset instead of
// spending a request on a 429. A 429 that comes anyway is retried after the
// reset; 5xx answers and connections dropped before any response are retried
// with exponential backoff; each at most maxRetries times.
type transport struct {
	base       http.RoundTripper
	now        func() time.Time
	sleep      func(context.Context, time.Duration) error
	timeout    time.Duration // per attempt: until the headers, and between body reads
	maxRetries int

	mu      sync.Mutex
	buckets map[string]bucket
	// inflight counts, per endpoint, the requests sent whose response has
	// not come back: Okta has not counted them yet, and on a loaded machine
	// one reserved near the end of a window can land in the next.
	inflight map[string]int
}

// bucket is what Okta last said about one endpoint's rate limit.
type bucket struct {
	limit, remaining int
	reset            time.Time // on our clock
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	key := bucketKey(req.URL.Path)
	retryable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	for attempt := 0; ; attempt++ {
		if err := t.pace(ctx, key); err != nil {
			return nil, err
		}
		if attempt > 0 && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			req.Body = body
		}
		t.sending(key, 1)
		resp, err := t.attempt(req)
		t.sending(key, -1)
		last := attempt >= t.maxRetries || !retryable
		if err != nil {
			if last || !transient(err) || ctx.Err() != nil {
				return nil, err
			}
			if werr := t.wait(ctx, backoff(attempt), "retrying"); werr != nil {
				// Keep the cause (connection refused, TLS, …) in front.
				return nil, fmt.Errorf("%w; gave up %v", err, werr)
			}
			continue
		}
		t.observe(key, resp)
		switch {
		case resp.StatusCode == http.StatusTooManyRequests && !last:
			d := t.resetWait(resp)
			discard(resp)
			if err := t.wait(ctx, d, "rate limited (HTTP 429)"); err != nil {
				return nil, err
			}
		case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented && !last:
			d := backoff(attempt)
			if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && ra > 0 {
				d = min(time.Duration(ra)*time.Second, maxWait)
			}
			discard(resp)
			if err := t.wait(ctx, d, fmt.Sprintf("Okta server error (HTTP %d)", resp.StatusCode)); err != nil {
				return nil, err
			}
		default:
			if attempt > 0 {
				resp.Header.Set(retriesHeader, strconv.Itoa(attempt))
			}
			return resp, nil
		}
	}
}

// retriesHeader carries the number of retries behind a response to the code
// that turns a final failure into a message. It never leaves the process.
const retriesHeader = "X-Ssoaudit-Retries"

func backoff(attempt int) time.Duration { return firstBackoff << attempt }

// transient reports whether a request failed in a way a retry can cure: the
// connection dropped before a response. Timeouts are not retried (the request
// already waited its full time), nor TLS or DNS failures.
func transient(err error) bool {
	var te *timeoutError
	if errors.As(err, &te) {
		return false
	}
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE)
}

func discard(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// wait sleeps d unless the context's deadline comes first, in which case it
// says so at once rather than sleeping into a certain failure.
func (t *transport) wait(ctx context.Context, d time.Duration, why string) error {
	if d <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && t.now().Add(d).After(dl) {
		return fmt.Errorf("%s: it would have to wait %s, past the --timeout deadline", why, d.Round(time.Second))
	}
	if err := t.sleep(ctx, d); err != nil {
		return fmt.Errorf("%s: waiting %s: %w", why, d.Round(time.Second), err)
	}
	return nil
}

// pace reserves one call of the endpoint's rate-limit window before a
// request, waiting for the window's reset when none is left, so that the
// next request is not a 429. Reserving (not just reading) the remaining
// calls is what lets requests to one org run side by side: N requests in
// flight never spend more than the window has, and when the budget is
// small the requests queue here instead of failing.
func (t *transport) pace(ctx context.Context, key string) error {
	for {
		t.mu.Lock()
		b, ok := t.buckets[key]
		now := t.now()
		switch {
		case !ok:
			// Nothing known yet: the first response will say.
			t.mu.Unlock()
			return nil
		case b.remaining > 0:
			b.remaining--
			t.buckets[key] = b
			t.mu.Unlock()
			return nil
		case !b.reset.IsZero() && !now.Before(b.reset):
			// The window has reset: its limit is available again until a
			// response says how much is left, less the requests still in
			// flight, which may land in the new window.
			b.remaining, b.reset = b.limit-t.inflight[key], time.Time{}
			if b.remaining <= 0 {
				delete(t.buckets, key)
			} else {
				t.buckets[key] = b
			}
			t.mu.Unlock()
			continue
		}
		t.mu.Unlock()
		d, why := b.reset.Sub(now), fmt.Sprintf("rate limit: no calls left until %s", b.reset.UTC().Format("15:04:05.000"))
		if b.reset.IsZero() {
			// The new window's budget is reserved by requests still in
			// flight: their responses will say when it resets.
			d, why = pollInFlight, "rate limit: every call of the window is in flight"
		}
		if err := t.wait(ctx, min(d, maxWait), why); err != nil {
			return err
		}
	}
}

// pollInFlight is how often a request waiting for the responses of the
// requests that reserved a window's last calls looks again.
const pollInFlight = 50 * time.Millisecond

// sending counts a request into (+1) or out of (-1) its endpoint's flight.
func (t *transport) sending(key string, d int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.inflight == nil {
		t.inflight = map[string]int{}
	}
	if t.inflight[key] += d; t.inflight[key] <= 0 {
		delete(t.inflight, key)
	}
}

// observe records an endpoint's rate-limit headers. Okta's count of the
// calls left does not yet include the requests still in flight, so they are
// taken off it. Responses to requests sent side by side arrive in any order:
// within one window the lower count of remaining calls wins (ours also
// counts the calls reserved before they were sent).
func (t *transport) observe(key string, resp *http.Response) {
	remaining, err := strconv.Atoi(resp.Header.Get("X-Rate-Limit-Remaining"))
	if err != nil {
		return
	}
	limit, _ := strconv.Atoi(resp.Header.Get("X-Rate-Limit-Limit"))
	reset := t.now().Add(t.untilReset(resp))
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.buckets == nil {
		t.buckets = map[string]bucket{}
	}
	remaining = max(0, remaining-t.inflight[key])
	if old, ok := t.buckets[key]; ok && sameWindow(old.reset, reset) {
		remaining = min(remaining, old.remaining)
		reset = old.reset
	}
	t.buckets[key] = bucket{limit: limit, remaining: remaining, reset: reset}
}

// sameWindow reports whether two reset times computed from two responses
// name one window: they differ by less than the reset's one-second
// resolution.
func sameWindow(a, b time.Time) bool {
	d := a.Sub(b)
	return !a.IsZero() && d < time.Second && d > -time.Second
}

// untilReset is how long until the window in resp resets. Okta's reset is
// epoch seconds on Okta's clock, and Date says Okta's clock in whole
// seconds: when our clock agrees with Date (it reads the same second), it
// measures the wait to the reset exactly; when it does not (a skewed local
// clock), the wait is measured from Date, which can be up to a second long
// but never short.
func (t *transport) untilReset(resp *http.Response) time.Duration {
	reset, err := strconv.ParseInt(resp.Header.Get("X-Rate-Limit-Reset"), 10, 64)
	if err != nil {
		return 0
	}
	ref := t.now()
	if date, err := http.ParseTime(resp.Header.Get("Date")); err == nil && ref.Truncate(time.Second) != date.Truncate(time.Second) {
		ref = date
	}
	d := time.Unix(reset, 0).Sub(ref)
	return max(0, min(d, maxWait))
}

// resetWait is how long to wait before retrying a 429: until the reset, and
// at least a second so that a reset already past does not spin.
func (t *transport) resetWait(resp *http.Response) time.Duration {
	return max(t.untilReset(resp), time.Second)
}

// bucketKey names an endpoint's rate-limit bucket: its path with the app ID
// left out, as Okta counts per endpoint, not per object.
func bucketKey(path string) string {
	parts := strings.Split(path, "/")
	for i := 1; i < len(parts); i++ {
		if parts[i-1] == "apps" && i >= 2 && parts[i-2] == "v1" {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

// timeoutError is an attempt that got no response, or no more of its body,
// within the per-request timeout.
type timeoutError struct {
	d       time.Duration
	waiting string
}

func (e *timeoutError) Error() string {
	return fmt.Sprintf("timed out: no %s within %s", e.waiting, e.d)
}

func (e *timeoutError) Timeout() bool { return true }

// attempt sends req once, cancelling it when the headers, or the next part
// of the body, take longer than the timeout.
func (t *transport) attempt(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancel(req.Context())
	var fired atomic.Bool
	timer := time.AfterFunc(t.timeout, func() { fired.Store(true); cancel() })
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timer.Stop()
		cancel()
		if fired.Load() {
			return nil, &timeoutError{t.timeout, "response"}
		}
		return nil, err
	}
	resp.Body = &idleBody{rc: resp.Body, timer: timer, d: t.timeout, fired: &fired, cancel: cancel}
	return resp, nil
}

// idleBody fails a body read that stalls for longer than the timeout.
type idleBody struct {
	rc     io.ReadCloser
	timer  *time.Timer
	d      time.Duration
	fired  *atomic.Bool
	cancel context.CancelFunc
}

func (b *idleBody) Read(p []byte) (int, error) {
	if !b.timer.Reset(b.d) && b.fired.Load() {
		return 0, &timeoutError{b.d, "data"}
	}
	n, err := b.rc.Read(p)
	if err != nil && err != io.EOF && b.fired.Load() {
		err = &timeoutError{b.d, "data"}
	}
	return n, err
}

func (b *idleBody) Close() error {
	b.timer.Stop()
	err := b.rc.Close()
	b.cancel()
	return err
}

// sleepCtx is the real clock's sleep.
func sleepCtx(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
