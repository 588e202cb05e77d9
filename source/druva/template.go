package druva

// Template is a commented druva.yaml for `ssoaudit init` to write. Its
// placeholder values parse, but they describe a console before SSO is set up
// (and a login URL and certificate that are not real), so an unedited copy
// leads to findings, never to passes it has not earned.
const Template = `# druva.yaml: the Druva console's single sign-on settings, for ssoaudit.
#
# Druva has no public API for these settings, so copy them here from the
# console: Settings > Single Sign-On (inSync: Settings > Single Sign-on tab;
# Druva Cloud: Druva Cloud Settings > Single Sign-On Settings).
#
# Unknown keys are an error, so a typo cannot silently switch a check off.
# Leave a whole section out and the checks that need it are skipped with the
# reason; write a key with an empty value and the checks report it as empty.

# The Druva platform (insync-cloud, insync-govcloud, dcp, dcp-govcloud, dcp-dell,
# insync-onprem, msc): what Okta must send. Left out, it is the one the Okta
# app is set up for, else insync-cloud; state it when a gate must.
#platform: insync-cloud

sso:
  # "ID Provider Login URL": Okta's "Identity Provider Single Sign-On URL",
  # shown under the Okta app's Sign On tab > View SAML setup instructions.
  idp_login_url: https://YOUR-ORG.okta.com/app/YOUR-APP/YOUR-APP-ID/sso/saml

  # "ID Provider Certificate": the certificate pasted into the console, PEM
  # (with the BEGIN/END lines) or bare base64. Okta shows it as
  # "X.509 Certificate" in the same setup instructions.
  idp_certificate: |
    -----BEGIN CERTIFICATE-----
    PASTE THE CERTIFICATE FROM THE CONSOLE HERE
    -----END CERTIFICATE-----

  # The SSO token made by "Generate SSO Token", which Okta must send in its
  # token attribute. Prefer recording its SHA-256 (64 hex digits), so no
  # secret sits on disk:
  #   printf %s 'A-16620-...' | sha256sum
  # The zeros below match no token: replace them.
  sso_token_sha256: "0000000000000000000000000000000000000000000000000000000000000000"
  # Or the token itself (never printed: reports show its first 6 characters
  # and its SHA-256 only). Keep only one of the two.
  # sso_token: A-16620-...

  # Advanced settings, if your console shows them: whether Druva signs its
  # authentication requests and wants encrypted assertions.
  authn_requests_signed: false
  want_assertions_encrypted: false

# The two sections below are commented out so that nothing unrecorded is
# judged: until you uncomment them with the console's values, the checks
# that read them are reported as not checked.
#
# admins:
#   # "Enable single sign-on for administrators" (Druva Cloud Settings >
#   # Single Sign-On Settings).
#   sso_enabled: true
#   # "Failsafe for administrators": administrators may still sign in with
#   # their Druva password when the IdP fails. Druva recommends it.
#   failsafe: true

# Each profile and its "Login mechanism" (profile > General > User Privacy &
# Access): sso (Single Sign-On), insync (inSync password) or ad (Active
# Directory/LDAP). Users sign in with SSO only through a profile set to sso.
#
# profiles:
#   - name: Engineering
#     login_mechanism: sso
`
