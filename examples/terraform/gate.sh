#!/usr/bin/env bash
# examples/terraform/gate.sh: audit the okta_app_saml resources of a Terraform
# plan before it is applied, and fail when the change would break Druva SSO.
#
# Usage (in the Terraform directory, with the Okta provider's credentials set):
#   ../path/to/gate.sh [druva.yaml]
#
# Writes ssoaudit.sarif (for code scanning; its paths are relative to the
# repository root whichever directory this runs in) and ssoaudit.json, prints
# the table, and exits with ssoaudit's code: 0 the gate passed, 1 a check
# failed at or above FAIL_ON, 2 usage or config error, 3 incomplete.
set -euo pipefail

fail_on=${FAIL_ON:-high}
druva=${1:-}

terraform plan -input=false -out=plan.out
# plan.json holds sensitive values in clear text (the Druva SSO token among
# them): keep it out of artifacts and delete it afterwards.
trap 'rm -f plan.json' EXIT
terraform show -json plan.out >plan.json

args=(--terraform plan.json --fail-on "$fail_on")
if [ -n "$druva" ]; then args+=(--druva "$druva"); fi

code=0
ssoaudit scan "${args[@]}" --output ssoaudit.sarif --output ssoaudit.json || code=$?
ssoaudit scan "${args[@]}" || true # the table, for the log
exit "$code"
