#!/usr/bin/env bash
# Validates the served OpenAPI document as OpenAPI 3.1 with a pinned openapi-spec-validator:
# the structure against the specification's own JSON Schema (e.g. no Reference Object with
# siblings other than summary and description), then its semantic rules (every path template
# parameter declared, unique operation ids, …). Any violation, or a validator that cannot be
# installed or run, fails the script: it never skips.
#
# Usage: scripts/lib/validate-openapi.sh [URL]; URL defaults to the stack of SROCHNO_DEV_DIR
# and SROCHNO_HTTP_PORT (…/api/openapi.json). scripts/lib/schemathesis.sh runs it before
# Schemathesis, so it is part of every full `scripts/test` run. Installs the validator into
# "$SROCHNO_DEV_DIR/venv", the virtual environment Schemathesis uses, on first use.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"

OPENAPI_SPEC_VALIDATOR_VERSION=0.9.0
: "${SROCHNO_DEV_DIR:=.dev}" "${SROCHNO_HTTP_PORT:=8080}"
url=${1:-http://127.0.0.1:$SROCHNO_HTTP_PORT/api/openapi.json}

venv=$SROCHNO_DEV_DIR/venv
installed_version() {
    "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("openapi-spec-validator"))' 2>/dev/null || true
}
if [[ $(installed_version) != "$OPENAPI_SPEC_VALIDATOR_VERSION" ]]; then
    say "installing openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION into $venv"
    [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==$OPENAPI_SPEC_VALIDATOR_VERSION"
    # The venv is shared with Schemathesis: refuse an install that broke its requirements.
    "$venv/bin/pip" check --disable-pip-version-check >/dev/null
    [[ $(installed_version) == "$OPENAPI_SPEC_VALIDATOR_VERSION" ]] ||
        die "openapi-spec-validator $OPENAPI_SPEC_VALIDATOR_VERSION is not importable from $venv"
fi

# Validate exactly the bytes the server answers, under a stable name for the messages.
document=$SROCHNO_DEV_DIR/openapi.json
curl -fsS -o "$document" "$url"
say "validating $url with openapi-spec-validator $OPENAPI_SPEC_VALIDATOR_VERSION (OpenAPI 3.1)"
"$venv/bin/openapi-spec-validator" --schema 3.1 --validation-errors all "$document"
