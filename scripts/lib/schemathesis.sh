#!/usr/bin/env bash
# Runs Schemathesis against the running stack through nginx, driven by the served OpenAPI
# document (GET /api/openapi.json): every operation, positive and negative inputs, and fails
# on any server error or answer that does not conform to the document (status code, content
# type, response headers, response schema). First the served document itself must be valid
# OpenAPI 3.1 (scripts/lib/validate-openapi.sh, a pinned openapi-spec-validator in the same
# venv): a violation fails the script before Schemathesis starts.
#
# Called by scripts/test after `swift test`, with SROCHNO_DEV_DIR and SROCHNO_HTTP_PORT set
# and the stack running. Installs a pinned Schemathesis into "$SROCHNO_DEV_DIR/venv" on first
# use. Tunables: SROCHNO_SCHEMATHESIS_MAX_EXAMPLES (per operation and phase, default 100:
# about a minute), SROCHNO_SCHEMATHESIS_SEED (default a fixed seed, so CI runs are reproducible;
# pass another to explore); extra arguments go to `st run` (e.g. --include-operation-id takeOrder).
# Settings that do not change per run (the two users, stateful depth) are in schemathesis.toml.
# Reports (JUnit XML, the failing cases as a pytest file) go to "$SROCHNO_DEV_DIR/schemathesis/".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/stack.sh"

SCHEMATHESIS_VERSION=4.32.5
: "${SROCHNO_DEV_DIR:?}" "${SROCHNO_HTTP_PORT:?}"

venv=$SROCHNO_DEV_DIR/venv
if [[ $("$venv/bin/st" --version 2>/dev/null) != "st, version $SCHEMATHESIS_VERSION" ]]; then
    say "installing schemathesis==$SCHEMATHESIS_VERSION into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

base=http://127.0.0.1:$SROCHNO_HTTP_PORT
"$REPO_ROOT/scripts/lib/validate-openapi.sh" "$base/api/openapi.json"

reports=$SROCHNO_DEV_DIR/schemathesis
mkdir -p "$reports"
# Two dedicated Telegram users (see schemathesis.toml), with a fresh auth_date: valid for the
# configured maximum age, 24 h by default, far longer than the run.
SROCHNO_SCHEMATHESIS_CLIENT_INIT_DATA=$(python3 "$REPO_ROOT/scripts/initdata" 990000001 Клиент --token "$(bot_token)")
SROCHNO_SCHEMATHESIS_EXECUTOR_INIT_DATA=$(python3 "$REPO_ROOT/scripts/initdata" 990000002 Исполнитель --token "$(bot_token)")
export SROCHNO_SCHEMATHESIS_CLIENT_INIT_DATA SROCHNO_SCHEMATHESIS_EXECUTOR_INIT_DATA
seed=${SROCHNO_SCHEMATHESIS_SEED:-20261127}

say "running Schemathesis $SCHEMATHESIS_VERSION against $base/api/openapi.json (seed $seed)"
# Schemathesis leaves out the operation that served the document unless a filter names it:
# without other filters, select every path explicitly.
filters=()
(($#)) || filters=(--include-path-regex '^/')
# --workers 1: with threads, Python before 3.11.8 can fail inside Hypothesis with "AST
# constructor recursion depth mismatch" (CPython gh-106905), and Debian 12 has 3.11.2.
# --rate-limit: stay under the dev nginx limit (200 r/s per address), so no answer is a 429
# (429 is documented anyway). Cases that failed before are replayed first from the example
# database under the dev directory.
cd "$reports"
exec "$venv/bin/st" --config-file "$REPO_ROOT/scripts/lib/schemathesis.toml" run "$base/api/openapi.json" \
    --max-examples "${SROCHNO_SCHEMATHESIS_MAX_EXAMPLES:-100}" \
    --seed "$seed" \
    --workers 1 \
    --rate-limit 150/s \
    --request-timeout 10 \
    --generation-database "$reports/examples" \
    --report junit,pytest --report-dir "$reports" \
    --no-color \
    "${filters[@]}" "$@"
