// Command fakeokta serves the fake Okta API (internal/testkit/oktatest) on a
// loopback port, for trying the CLI by hand and for measuring it:
//
//	go run ./internal/testkit/oktatest/cmd/fakeokta -snapshot testdata/snapshots/good -users 100000
//
// It prints the org URL, the API token, the app ID and the path of its CA
// certificate as shell assignments, then serves until interrupted:
//
//	eval "$(go run ./internal/testkit/oktatest/cmd/fakeokta -snapshot DIR &)"   # or copy the lines
//	SSL_CERT_FILE=$FAKEOKTA_CA ssoaudit scan --okta-org $OKTA_CLIENT_ORGURL --app-id $FAKEOKTA_APP_ID
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

func main() {
	snapshot := flag.String("snapshot", "", "snapshot directory to serve (required)")
	users := flag.Int("users", -1, "serve this many synthetic users instead of the snapshot's users.json")
	staleEvery := flag.Int("stale-every", 0, "with -users: every Nth synthetic user has a stale username")
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	certOut := flag.String("cert", "", "write the CA certificate here (default: a file in the temp dir)")
	token := flag.String("token", "", "API token to accept (default: random)")
	rate := flag.Int("rate-limit", 0, "calls per endpoint per minute (default 10000)")
	textXML := flag.Bool("text-xml", false, "serve metadata as text/xml")
	rulesPage := flag.Int("rules-page", 0, "policy rules per page (default oktatest.DefaultRulesPageSize)")
	flag.Parse()
	if *snapshot == "" {
		fmt.Fprintln(os.Stderr, "fakeokta: -snapshot DIR is required")
		os.Exit(2)
	}
	app, err := oktatest.FromSnapshot(*snapshot)
	if err != nil {
		fmt.Fprintf(os.Stderr, "fakeokta: %v\n", err)
		os.Exit(2)
	}
	if *users >= 0 {
		app.Users = oktatest.Synthetic{N: *users, StaleEvery: *staleEvery}
	}
	s := oktatest.New()
	if *token != "" {
		s.Token = *token
		s.AddToken(*token, oktatest.ScopeApps, oktatest.ScopeUsers, oktatest.ScopePolicies)
	}
	if err := s.AddApp(app); err != nil {
		fmt.Fprintf(os.Stderr, "fakeokta: %v\n", err)
		os.Exit(2)
	}
	if *rate > 0 {
		s.SetRateLimit(*rate, time.Minute)
	}
	if *rulesPage > 0 {
		s.SetRulesPageSize(*rulesPage)
	}
	if *textXML {
		s.SetMetadataContentType("text/xml;charset=UTF-8")
	}
	if err := s.ServeOn(*addr); err != nil {
		fmt.Fprintf(os.Stderr, "fakeokta: %v\n", err)
		os.Exit(1)
	}
	defer s.Close()
	path := *certOut
	if path == "" {
		path = filepath.Join(os.TempDir(), fmt.Sprintf("fakeokta-%d.pem", os.Getpid()))
		defer os.Remove(path)
	}
	if err := os.WriteFile(path, s.CertPEM(), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "fakeokta: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("OKTA_CLIENT_ORGURL=%s\nOKTA_CLIENT_TOKEN=%s\nFAKEOKTA_APP_ID=%s\nFAKEOKTA_CA=%s\n", s.URL, s.Token, app.ID(), path)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	<-sig
	fmt.Fprintf(os.Stderr, "fakeokta: served %d requests\n", s.Count(""))
}
