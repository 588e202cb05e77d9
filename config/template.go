package config

// Template is a commented .ssoaudit.yaml for `ssoaudit init` to write. Only
// the default gate is set; every other setting is an example commented out
// with a bare "#" (prose comments use "# "), so the file changes nothing
// until a person opts in. Removing the "#" from every example line yields a
// valid config, which the tests check.
const Template = `# .ssoaudit.yaml: settings for ssoaudit.
#
# Every setting is optional, and command-line flags win over this file.
# Unknown keys are an error, so a typo cannot silently change a check.
# Lines starting with "#" and no space are examples: delete the "#" to use one.

# The gate: "ssoaudit scan" exits 1 when a check fails at this severity or
# above: critical, high, medium, low or info (or none: report only). By
# default a warning does not fail the gate; fail_on_warn (--fail-on-warn)
# makes a warning at or above fail_on fail it too.
fail_on: high
#fail_on_warn: true

# Inputs whose absence is an error (exit 3, "could not verify") instead of a
# skipped rule (--require): druva (druva.yaml), users (okta/users.json,
# okta.users.read live), policy (okta/policy-rules.json, okta.policies.read).
#require: [druva, users, policy]

# The Druva platform, when neither druva.yaml nor the command line names it:
# insync-cloud, insync-govcloud, dcp, dcp-govcloud, dcp-dell, insync-onprem or
# msc. It decides the ACS URL, audience and token attribute. Left out, it is
# the platform the Okta app is set up for, else insync-cloud.
#platform: insync-cloud

# Change what the checks expect from Okta, e.g. for a custom SP entity ID.
# insync-onprem needs acs_url (the consume URL of your own inSync server) and
# audience (the SAML_Identifier Druva Support issued); a target's own expect:
# wins over this one.
#expect:
#  acs_url: https://insync.example.com/wrsaml/consume
#  audience: druva-cloud
#  token_attribute: insync_auth_token
#  cert_warn_days: 30   # warn this many days before Okta's certificate expires

# Switch a check off, or change its severity. "ssoaudit rules" lists the IDs.
#rules:
#  okta.saml.assertion-signed: {enabled: false}
#  okta.users.username-current: {severity: medium}

# Accept a known finding for a while. Each suppression needs a reason and an
# expiry date (YYYY-MM-DD, UTC; it holds through that day). Once expired it
# stops hiding the finding, and reports say that it expired.
#suppress:
#  - rule: okta.saml.sha256
#    target: prod       # optional: only for this target
#    reason: "Okta org pinned to SHA-1 until migration INC-123"
#    expires: 2027-01-31

# Audit several Okta apps in one run. Each target reads exactly one of
# snapshot (a saved snapshot directory), okta (the live, read-only API) or
# terraform ("terraform show -json" output). Relative paths are relative to
# this file.
#targets:
#  - name: prod
#    snapshot: snapshots/prod
#    druva: prod-druva.yaml   # optional: instead of the snapshot's druva.yaml
#    platform: dcp            # optional: this target's platform
#  - name: live
#    okta:
#      org_url: https://acme.okta.com   # optional: else OKTA_CLIENT_ORGURL
#      app_id: 0oa123                   # or app_label: Druva, or discover: true
#  - name: tf
#    terraform: plan.json
`
