# examples/terraform/main.tf: an okta_app_saml resource set up the way
# Druva's guide asks (platform insync-cloud). `ssoaudit scan --terraform`
# reads these attributes from the plan and applies the same rules as to the
# live app: sso_url, audience, Name ID, signing, username template, and the
# token attribute statement (a quoted string literal).

terraform {
  required_providers {
    okta = {
      source  = "okta/okta"
      version = "~> 4.0"
    }
  }
}

variable "druva_sso_token" {
  description = "The token from Druva's console (Settings > Single Sign-On > Generate SSO Token)"
  type        = string
  sensitive   = true
}

resource "okta_app_saml" "druva" {
  label = "Druva inSync"

  sso_url     = "https://cloud.druva.com/wrsaml/consume" # "Single sign on URL"
  recipient   = "https://cloud.druva.com/wrsaml/consume"
  destination = "https://cloud.druva.com/wrsaml/consume"
  audience    = "druva-cloud" # "Audience URI (SP Entity ID)"

  subject_name_id_format   = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
  subject_name_id_template = "$${user.userName}"
  user_name_template       = "$${source.email}" # Application username format: Email
  user_name_template_type  = "BUILT_IN"

  response_signed         = true
  assertion_signed        = true
  signature_algorithm     = "RSA_SHA256"
  digest_algorithm        = "SHA256"
  honor_force_authn       = true
  authn_context_class_ref = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"

  # The token must reach Druva as text: an Okta Expression Language string
  # literal, in straight double quotes. Without the quotes Okta evaluates
  # A-16620-… as an expression (okta.saml.token-literal fails).
  attribute_statements {
    type      = "EXPRESSION"
    name      = "insync_auth_token"
    namespace = "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified"
    values    = ["\"${var.druva_sso_token}\""]
  }
}
