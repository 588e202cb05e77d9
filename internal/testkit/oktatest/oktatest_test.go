package oktatest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

func goodDir() string { return filepath.Join("..", "..", "..", "testdata", "snapshots", "good") }

func start(t *testing.T) (*oktatest.Server, *oktatest.App) {
	t.Helper()
	app, err := oktatest.FromSnapshot(goodDir())
	if err != nil {
		t.Fatal(err)
	}
	app.Users = oktatest.Synthetic{N: 1001}
	return oktatest.Start(t, app), app
}

func get(t *testing.T, s *oktatest.Server, path, auth string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func TestServesSnapshotVerbatim(t *testing.T) {
	s, app := start(t)
	resp, body := get(t, s, "/api/v1/apps/"+app.ID(), "SSWS "+s.Token)
	want, _ := os.ReadFile(filepath.Join(goodDir(), "okta", "app.json"))
	if resp.StatusCode != 200 || string(body) != string(want) {
		t.Errorf("app: %d", resp.StatusCode)
	}
	for _, h := range []string{"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset", "Date"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
	resp, _ = get(t, s, "/api/v1/apps/"+app.ID()+"/sso/saml/metadata", "SSWS "+s.Token)
	if ct := resp.Header.Get("Content-Type"); ct != "application/xml" {
		t.Errorf("metadata Content-Type %q", ct)
	}
}

func TestAuthErrors(t *testing.T) {
	s, app := start(t)
	for _, auth := range []string{"", "SSWS wrong", "Bearer nope"} {
		resp, body := get(t, s, "/api/v1/apps/"+app.ID(), auth)
		var e map[string]any
		_ = json.Unmarshal(body, &e)
		if resp.StatusCode != 401 || e["errorCode"] != "E0000011" || e["errorSummary"] != "Invalid token provided" || e["errorId"] == "" {
			t.Errorf("%q: %d %s", auth, resp.StatusCode, body)
		}
	}
	s.AddToken("appsonly", oktatest.ScopeApps)
	resp, body := get(t, s, "/api/v1/apps/"+app.ID()+"/users", "SSWS appsonly")
	if resp.StatusCode != 403 || !strings.Contains(string(body), "E0000006") {
		t.Errorf("users without the scope: %d %s", resp.StatusCode, body)
	}
}

func TestPagingLinks(t *testing.T) {
	s, app := start(t)
	path := "/api/v1/apps/" + app.ID() + "/users?limit=500&expand=user"
	var total, pages int
	for path != "" {
		resp, body := get(t, s, path, "SSWS "+s.Token)
		var users []json.RawMessage
		if err := json.Unmarshal(body, &users); err != nil {
			t.Fatal(err)
		}
		total += len(users)
		pages++
		path = ""
		for _, l := range resp.Header.Values("Link") {
			if strings.HasSuffix(l, `rel="next"`) {
				u := strings.TrimSuffix(strings.TrimPrefix(strings.Split(l, ";")[0], "<"), ">")
				if !strings.HasPrefix(u, s.URL+"/api/v1/apps/"+app.ID()+"/users?") || !strings.Contains(u, "limit=500") || !strings.Contains(u, "expand=user") {
					t.Errorf("next link %s", u)
				}
				path = strings.TrimPrefix(u, s.URL)
			}
		}
	}
	if total != 1001 || pages != 3 {
		t.Errorf("%d users in %d pages", total, pages)
	}
	if s.Count(oktatest.EndpointUsers) != 3 {
		t.Errorf("log: %d users requests", s.Count(oktatest.EndpointUsers))
	}
}

func TestRateLimitWindow(t *testing.T) {
	s, app := start(t)
	clock := oktatest.NewClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	s.SetClock(clock.Now)
	s.SetBudget(oktatest.EndpointApp, 2)
	var statuses []int
	var remaining []string
	for range 3 {
		resp, _ := get(t, s, "/api/v1/apps/"+app.ID(), "SSWS "+s.Token)
		statuses = append(statuses, resp.StatusCode)
		remaining = append(remaining, resp.Header.Get("X-Rate-Limit-Remaining"))
	}
	if statuses[2] != 429 || remaining[0] != "1" || remaining[1] != "0" {
		t.Errorf("statuses %v remaining %v", statuses, remaining)
	}
	clock.Advance(time.Minute)
	if resp, _ := get(t, s, "/api/v1/apps/"+app.ID(), "SSWS "+s.Token); resp.StatusCode != 200 {
		t.Errorf("after the reset: %d", resp.StatusCode)
	}
}

func TestFaults(t *testing.T) {
	s, app := start(t)
	s.Inject(oktatest.Fault{Endpoint: oktatest.EndpointKeys, Kind: oktatest.Status, Status: 429, NoDate: true, Request: 2})
	path := "/api/v1/apps/" + app.ID() + "/credentials/keys"
	if resp, _ := get(t, s, path, "SSWS "+s.Token); resp.StatusCode != 200 {
		t.Errorf("first request: %d", resp.StatusCode)
	}
	resp, _ := get(t, s, path, "SSWS "+s.Token)
	if resp.StatusCode != 429 || resp.Header.Get("Date") != "" || resp.Header.Get("X-Rate-Limit-Reset") == "" {
		t.Errorf("second request: %d, Date %q", resp.StatusCode, resp.Header.Get("Date"))
	}
	s.Inject(oktatest.Fault{Endpoint: oktatest.EndpointApp, Kind: oktatest.Reset})
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/api/v1/apps/"+app.ID(), nil)
	req.Header.Set("Authorization", "SSWS "+s.Token)
	r, err := s.Client().Do(req)
	if err == nil {
		_, err = io.ReadAll(r.Body)
		r.Body.Close()
	}
	if err == nil {
		t.Error("a reset connection read without error")
	}
}

// TestRoutes: each path reaches its endpoint (counted under its name), an
// unknown app is Okta's E0000007, and a path or method no route has is
// Okta's E0000022, counted under "".
func TestRoutes(t *testing.T) {
	s, app := start(t)
	id := app.ID()
	for _, c := range []struct {
		method, path, endpoint string
		status                 int
		code                   string
	}{
		{"GET", "/api/v1/apps", oktatest.EndpointApps, 200, ""},
		{"GET", "/api/v1/apps/" + id, oktatest.EndpointApp, 200, ""},
		{"GET", "/api/v1/apps/" + id + "/credentials/keys", oktatest.EndpointKeys, 200, ""},
		{"GET", "/api/v1/apps/" + id + "/sso/saml/metadata", oktatest.EndpointMetadata, 200, ""},
		{"GET", "/api/v1/apps/" + id + "/users", oktatest.EndpointUsers, 200, ""},
		{"GET", "/api/v1/apps/0oanone", oktatest.EndpointApp, 404, "E0000007"},
		{"GET", "/api/v1/apps/0oanone/users", oktatest.EndpointUsers, 404, "E0000007"},
		{"GET", "/api/v1/policies/rst-none/rules", oktatest.EndpointPolicyRules, 404, "E0000007"},
		{"GET", "/api/v1/apps/" + id + "/groups", "", 404, "E0000022"},
		{"DELETE", "/api/v1/apps/" + id, "", 404, "E0000022"},
		{"GET", "/api/v2/apps", "", 404, "E0000022"},
	} {
		s.ResetLog()
		req, _ := http.NewRequest(c.method, s.URL+c.path, nil)
		req.Header.Set("Authorization", "SSWS "+s.Token)
		resp, err := s.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e struct{ ErrorCode string }
		_ = json.Unmarshal(body, &e)
		log := s.Requests()
		if resp.StatusCode != c.status || e.ErrorCode != c.code || len(log) != 1 || log[0].Endpoint != c.endpoint {
			t.Errorf("%s %s: %d %q, logged %+v; want %d %q under %q", c.method, c.path, resp.StatusCode, e.ErrorCode, log, c.status, c.code, c.endpoint)
		}
	}
}
