package checks

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/ssoaudit/ssoaudit/audit"
)

func init() {
	register(&audit.Rule{
		ID:       "okta.metadata.consistent",
		Title:    "Okta's IdP metadata matches the app's signing key and SAML settings",
		Severity: audit.Medium,
		Reference: "Druva guide, Configuring the Okta Druva App, steps 4.3 (\"Name ID format: EmailAddress\") and 9–10 " +
			"(\"View setup instructions\" ... \"Copy the Certificate\"); Name ID formats per platform: " + audit.ProfileReference(audit.FieldNameIDFormats),
		Location:      audit.Location{Input: audit.InputApp},
		Needs:         []audit.Input{audit.InputApp, audit.InputKeys, audit.InputMetadata},
		Profile:       []audit.ProfileField{audit.FieldNameIDFormats},
		ReadsPlatform: true,
		Check:         checkMetadataConsistent,
	})
}

// mdFacet is one thing the metadata must get right: its verdict, the problem
// when it is wrong, and what was expected and found.
type mdFacet struct {
	status   audit.Status // pass, fail or error
	problem  string
	expected any
	actual   any
}

func checkMetadataConsistent(t *audit.Target) audit.Result {
	md := t.Metadata
	if md == nil {
		return audit.Error("okta/metadata.xml was not parsed (no metadata on the target)", nil)
	}
	facets := []struct {
		name string
		f    mdFacet
	}{
		{"signing_certificate_sha256", mdCertFacet(t, md)},
		{"sso_service", mdSSOFacet(md)},
		{"name_id_format", mdNameIDFacet(t, md)},
	}
	expected, actual := audit.Evidence{}, audit.Evidence{}
	var fails, errs []string
	for _, x := range facets {
		expected = expected.Add(x.name, x.f.expected)
		actual = actual.Add(x.name, x.f.actual)
		switch x.f.status {
		case audit.StatusFail:
			fails = append(fails, x.f.problem)
		case audit.StatusError:
			errs = append(errs, x.f.problem)
		}
	}
	ev := audit.Evidence{}.Add("expected", expected).Add("actual", actual)
	if md.EntityID != "" {
		ev = ev.Add("entity_id", md.EntityID)
	}
	switch {
	case len(fails) > 0:
		msg := "the IdP metadata is inconsistent: " + strings.Join(fails, "; ")
		if len(errs) > 0 {
			msg += ". Part of it could not be checked either: " + strings.Join(errs, "; ")
		}
		return audit.Fail(msg, ev.Add("problems", append(fails, errs...)))
	case len(errs) > 0:
		return audit.Error("the IdP metadata could not be checked: "+strings.Join(errs, "; "), ev.Add("problems", errs))
	}
	return audit.Pass("the IdP metadata names the active signing certificate, has an https SingleSignOnService and offers the emailAddress NameID format", ev)
}

// mdCertFacet: one of the metadata's signing certificates is the active key's.
func mdCertFacet(t *audit.Target, md *audit.Metadata) mdFacet {
	var found []string
	var decodeErrs []string
	for i, mc := range md.SigningCerts {
		if mc.Cert == nil {
			decodeErrs = append(decodeErrs, fmt.Sprintf("signing certificate %d: %s", i+1, certDecodeErr(mc.Err)))
			found = append(found, "(undecodable)")
			continue
		}
		found = append(found, certFingerprint(mc.Cert))
	}
	f := mdFacet{actual: found}
	k, res := activeKey(t)
	if res != nil {
		f.status, f.problem, f.expected = res.Status, "cannot compare the metadata's signing certificate with the active key, because "+res.Message, nil
		return f
	}
	if k.Cert == nil {
		f.status, f.problem = audit.StatusError, fmt.Sprintf("the active signing key %q has no decodable certificate to compare with: %s", k.Kid, certDecodeErr(k.CertErr))
		return f
	}
	want := certFingerprint(k.Cert)
	f.expected = want
	switch {
	case slices.Contains(found, want):
		f.status = audit.StatusPass
	case len(md.SigningCerts) == 0:
		f.status, f.problem = audit.StatusFail, "it has no signing certificate (no <KeyDescriptor use=\"signing\"> with an X509Certificate)"
	case len(decodeErrs) > 0:
		f.status, f.problem = audit.StatusError, fmt.Sprintf("its signing certificate could not be decoded (%s) and no other one is the active key's", strings.Join(decodeErrs, "; "))
	default:
		f.status, f.problem = audit.StatusFail, fmt.Sprintf("its signing certificate (SHA-256 %s) is not the active signing key's (kid %q, SHA-256 %s): the metadata and keys.json disagree about which certificate Okta signs with",
			strings.Join(found, ", "), k.Kid, want)
	}
	return f
}

// mdSSOFacet: at least one SingleSignOnService location is an https URL.
func mdSSOFacet(md *audit.Metadata) mdFacet {
	f := mdFacet{expected: "an https SingleSignOnService location"}
	locs := make([]string, 0, len(md.SSOServices))
	https := false
	for _, s := range md.SSOServices {
		locs = append(locs, s.Location)
		if u, err := url.Parse(s.Location); err == nil && u.Scheme == "https" && u.Host != "" {
			https = true
		}
	}
	f.actual = locs
	switch {
	case https:
		f.status = audit.StatusPass
	case len(locs) == 0:
		f.status, f.problem = audit.StatusFail, "it has no SingleSignOnService, so there is no IdP login URL to give Druva"
	default:
		f.status, f.problem = audit.StatusFail, fmt.Sprintf("none of its SingleSignOnService locations is an https URL (%s): sign-in requests would travel unencrypted", mdQuoteAll(locs))
	}
	return f
}

// mdNameIDFacet: a NameID format the platform's profile accepts is offered
// (emailAddress; on GovCloud also unspecified).
func mdNameIDFacet(t *audit.Target, md *audit.Metadata) mdFacet {
	accepted := audit.Values(profileOf(t).NameIDFormats)
	f := mdFacet{expected: strings.Join(accepted, " or "), actual: md.NameIDFormats}
	if md.NameIDFormats == nil {
		f.actual = []string{}
	}
	for _, a := range accepted {
		if slices.Contains(md.NameIDFormats, a) {
			f.status = audit.StatusPass
			return f
		}
	}
	offers := "it offers none"
	if len(md.NameIDFormats) > 0 {
		offers = "only " + mdQuoteAll(md.NameIDFormats)
	}
	what := "the emailAddress NameID format that Druva matches users by"
	if len(accepted) > 1 {
		what = "a NameID format the " + relayPlatform(t) + " platform accepts (" + mdQuoteAll(accepted) + ")"
	}
	f.status, f.problem = audit.StatusFail, fmt.Sprintf("it does not offer %s (%s)", what, offers)
	return f
}

func mdQuoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
