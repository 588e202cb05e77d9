package report

import (
	"strings"
	"testing"
)

// Every report says which framework controls a result is evidence for:
// JSON per result, SARIF as rule tags, Markdown and HTML beside each
// finding, and the HTML audit record per control with its results.
func TestControlsInReports(t *testing.T) {
	opts := Options{Catalog: testCatalog()}
	js := string(render(t, "json", opts))
	if !strings.Contains(js, `"controls": [`) || !strings.Contains(js, `"id": "IA-13(2)"`) {
		t.Error("JSON results lack their controls")
	}
	sarif := string(render(t, "sarif", opts))
	for _, tag := range []string{`"nist-800-53/IA-13(2)"`, `"cis-v8/4.1"`, `"nist-800-53/SC-12"`} {
		if !strings.Contains(sarif, tag) {
			t.Errorf("SARIF rule tags lack %s", tag)
		}
	}
	if md := string(render(t, "markdown", opts)); !strings.Contains(md, "Controls: NIST IA-13(2) Verification of Identity Assertions and Access Tokens; CIS 4.1") {
		t.Error("Markdown findings lack their controls")
	}
	html := string(render(t, "html", opts))
	for _, want := range []string{
		"Results per control",
		// okta.saml.response-signed fails on acme-prod: its controls' rows say so.
		"<tr><td><code>NIST IA-13(2)</code></td><td>Verification of Identity Assertions and Access Tokens</td><td><code>okta.saml.response-signed</code></td><td>1 fail</td></tr>",
		"<tr><td><code>CIS 4.1</code></td>",
		`<p class="label">Controls</p>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	// NIST before CIS, and each framework in its own order.
	if strings.Index(html, "NIST IA-13(1)") > strings.Index(html, "NIST SC-12") || strings.Index(html, "NIST SC-12</code></td><td>Crypto") > strings.Index(html, "CIS 4.1</code></td>") {
		t.Error("the per-control table is not in the frameworks' order")
	}
}
