package okta_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ssoaudit/ssoaudit/audit"

	"github.com/ssoaudit/ssoaudit/internal/testkit/oktatest"
)

// BenchmarkLive100k reads 100,000 synthetic users from the fake org: a
// live scan's user iteration, and a snapshot streamed to disk. It reports
// the requests per operation (200 users pages + 3).
func BenchmarkLive100k(b *testing.B) {
	const n = 100_000
	app := goodApp(b)
	app.Users = oktatest.Synthetic{N: n, StaleEvery: 1000}
	e := newEnv(b, app)
	c := e.client(b)

	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		e.srv.ResetLog()
		for b.Loop() {
			tg, err := c.Target(context.Background(), goodID)
			if err != nil {
				b.Fatal(err)
			}
			count := 0
			for _, err := range tg.Users {
				if err != nil {
					b.Fatal(err)
				}
				count++
			}
			if count != n {
				b.Fatalf("%d users", count)
			}
		}
		b.ReportMetric(float64(e.srv.Count(""))/float64(b.N), "requests/op")
	})

	b.Run("snapshot", func(b *testing.B) {
		b.ReportAllocs()
		e.srv.ResetLog()
		dir := b.TempDir()
		i := 0
		for b.Loop() {
			i++
			if err := c.Snapshot(context.Background(), goodID, filepath.Join(dir, fmt.Sprintf("snap%d", i))); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(e.srv.Count(""))/float64(b.N), "requests/op")
	})
}

// BenchmarkDiscover1000Apps discovers the 2 Druva apps of an org of 1,000
// apps, with every request taking 0 or 50 ms: 5 list pages of 200 plus
// each Druva app's keys, metadata and one users page (11 requests; reading
// each app on its own took 1,011).
//
//	go test ./source/okta -run '^$' -bench Discover1000Apps -benchtime 1x
func BenchmarkDiscover1000Apps(b *testing.B) {
	var apps []*oktatest.App
	for i := range 998 {
		apps = append(apps, &oktatest.App{JSON: fmt.Appendf(nil, `{"id":"0oaFiller%05d","name":"app%d","label":"App %d","status":"ACTIVE","signOnMode":"SAML_2_0","credentials":{"signing":{"kid":"k%d"}},"settings":{"app":{},"signOn":{"ssoAcsUrl":"https://app%d.example.com/sso/saml","audience":"https://app%d.example.com","recipient":"https://app%d.example.com/sso/saml","destination":"https://app%d.example.com/sso/saml","subjectNameIdTemplate":"${user.userName}","subjectNameIdFormat":"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress","responseSigned":true,"assertionSigned":true,"signatureAlgorithm":"RSA_SHA256","digestAlgorithm":"SHA256","attributeStatements":[]}}}`, i, i, i, i, i, i, i, i)})
		if i == 400 {
			apps = append(apps, goodApp(b))
		}
	}
	admin := goodApp(b)
	admin.JSON = bytes.Replace(admin.JSON, []byte(goodID), []byte("0oaAdmin0000000000001"), 1)
	apps = append(apps, admin)
	for _, latency := range []time.Duration{0, 50 * time.Millisecond} {
		b.Run(fmt.Sprintf("latency=%v", latency), func(b *testing.B) {
			e := newEnv(b, apps...)
			if latency > 0 {
				e.srv.Inject(oktatest.Fault{Kind: oktatest.Slow, Delay: latency, Times: -1})
			}
			c := e.client(b)
			for b.Loop() {
				n := 0
				_, err := c.DiscoverEach(context.Background(), func(t *audit.Target) {
					for _, err := range t.Users {
						if err != nil {
							b.Fatal(err)
						}
					}
					n++
				})
				if err != nil || n != 2 {
					b.Fatalf("%d Druva apps, %v", n, err)
				}
			}
			b.ReportMetric(float64(e.srv.Count(""))/float64(b.N), "requests/op")
		})
	}
}
