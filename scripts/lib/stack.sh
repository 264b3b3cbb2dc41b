# Shared by scripts/dev, scripts/test and scripts/bench: installs what the stack needs and
# starts a private PostgreSQL, the FastCGI worker pools (main and outbound) and nginx under one
# directory.
# Source it with SROCHNO_DEV_DIR and SROCHNO_HTTP_PORT set; every function is idempotent.

set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PG_BIN=/usr/lib/postgresql/15/bin
# Build folder; helpers running side by side may each use their own (.build-NAME).
BUILD_PATH=${SROCHNO_BUILD_PATH:-$REPO_ROOT/.build}
STACK_PIDS=()

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Debian packages the stack needs, installed only when missing.
install_packages() {
    local wanted=(libfcgi-dev libfcgi-bin libpq-dev libssl-dev libcurl4-openssl-dev pkg-config postgresql-15 postgresql-contrib nginx curl ca-certificates python3-venv "$@")
    local missing=()
    for package in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    if ((${#missing[@]})); then
        [[ $EUID -eq 0 ]] || die "missing Debian packages: ${missing[*]} (run as root, or install them first)"
        say "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    dpkg --compare-versions "$(dpkg-query -W -f='${Version}' libfcgi-dev)" ge 2.4.2-2+deb12u1 \
        || die "libfcgi-dev must be at least 2.4.2-2+deb12u1 (CVE-2025-23016)"
    command -v swift >/dev/null || die "the Swift 6 toolchain must be on PATH"
}

# As root, PostgreSQL runs as the 'postgres' user and nginx workers as 'nobody': both must
# be able to walk down to the dev directory, so grant search (x, not read) where missing.
make_reachable() {
    [[ $EUID -eq 0 ]] || return 0
    local dir
    dir=$(cd "$1" && pwd)   # absolute: dirname of a relative path ends at ".", never at "/"
    while [[ $dir != / ]]; do
        if [[ $(( 0$(stat -c '%a' "$dir") & 1 )) -eq 0 ]]; then
            chmod o+x "$dir"
            say "granted search permission on $dir (PostgreSQL and nginx workers must reach $SROCHNO_DEV_DIR)"
        fi
        dir=$(dirname "$dir")
    done
}

as_postgres() {
    if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

PG_DIR() { echo "$SROCHNO_DEV_DIR/pg"; }
# database_url [DATABASE [ROLE]]: a connection string to the private cluster (trust
# authentication), as ROLE (default postgres, the superuser the scripts and SQL tests use).
# The stack itself connects as production does (sql/setup/roles.sql): the pools and jobs as
# srochno, which may not change the schema, the migrations as its owner srochno_owner.
database_url() { echo "host='$(PG_DIR)' port=5432 user=${2:-postgres} dbname=${1:-srochno}"; }

start_postgres() {
    local pg; pg=$(PG_DIR)
    mkdir -p "$pg"
    [[ $EUID -eq 0 ]] && chown postgres: "$pg"
    make_reachable "$pg"
    if [[ ! -f $pg/data/PG_VERSION ]]; then
        say "creating a PostgreSQL cluster in $pg/data"
        as_postgres "$PG_BIN/initdb" -D "$pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if as_postgres "$PG_BIN/pg_ctl" -D "$pg/data" status >/dev/null 2>&1; then
        say "PostgreSQL already running in $pg/data"
    else
        # Production durability settings (fsync, synchronous_commit) stay at their defaults.
        as_postgres "$PG_BIN/pg_ctl" -D "$pg/data" -l "$pg/postgres.log" -w -t 60 start \
            -o "-c listen_addresses='' -c unix_socket_directories='$pg' -c port=5432 -c max_connections=200 -c shared_buffers=256MB" >/dev/null \
            || { tail -n 20 "$pg/postgres.log" >&2; die "PostgreSQL did not start"; }
    fi
    for database in srochno "$@"; do
        psql "$(database_url postgres)" -Atqc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
            || psql "$(database_url postgres)" -qc "CREATE DATABASE \"$database\"" >/dev/null
    done
}

stop_postgres() {
    as_postgres "$PG_BIN/pg_ctl" -D "$(PG_DIR)/data" -m fast -w stop >/dev/null 2>&1 || true
}

# The Swift runtime is linked in (--static-swift-stdlib): the binaries that scripts/dev, scripts/test
# and the benchmarks run are the ones the Debian package ships (scripts/package), which need
# only Debian's C libraries, and one build folder serves all of them (switching the flag
# relinks every executable).
build_release() {
    say "building release binaries (swift build -c release --static-swift-stdlib)"
    (cd "$REPO_ROOT" && swift build -c release --static-swift-stdlib --scratch-path "$BUILD_PATH") >&2
}

# setup_roles [DATABASE]: the two roles and their grants, the same file an operator runs
# (idempotent: every migrate runs it first, so a database made by any script gets them).
setup_roles() {
    psql "$(database_url "${1:-srochno}")" -X -q -v ON_ERROR_STOP=1 -f "$REPO_ROOT/sql/setup/roles.sql" >&2
}

# Migrates as the schema owner, as srochno-migrate.service does.
migrate() {
    setup_roles "${1:-srochno}"
    env -u SROCHNO_CONFIG SROCHNO_DATABASE_URL="$(database_url "${1:-srochno}" srochno)" \
        SROCHNO_MIGRATE_DATABASE_URL="$(database_url "${1:-srochno}" srochno_owner)" \
        "$BUILD_PATH/release/srochno-migrate" --dir "$REPO_ROOT/sql" >&2
}

# The dev config file; SROCHNO_* variables in the environment still override it.
write_config() {
    local token_file=$SROCHNO_DEV_DIR/bot-token
    [[ -s $token_file ]] || printf '%s:dev-%s\n' "$((RANDOM * 1000 + RANDOM))" "$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')" >"$token_file"
    chmod 600 "$token_file"
    # The config may hold secrets: the executables refuse one that others can read.
    (umask 077 && : >"$SROCHNO_DEV_DIR/srochno.conf")
    chmod 600 "$SROCHNO_DEV_DIR/srochno.conf"
    cat >"$SROCHNO_DEV_DIR/srochno.conf" <<CONF
# Written by scripts/$(basename "$0"); SROCHNO_* environment variables override these.
SROCHNO_DATABASE_URL=$(database_url srochno srochno)
SROCHNO_MIGRATE_DATABASE_URL=$(database_url srochno srochno_owner)
SROCHNO_BOT_TOKEN_FILE=$token_file
SROCHNO_LISTEN=$SROCHNO_DEV_DIR/fcgi.sock
SROCHNO_LISTEN_MODE=0666
SROCHNO_WORKERS=${SROCHNO_WORKERS:-4}
SROCHNO_DEV_RECHARGE=on
SROCHNO_CORS_ORIGINS=http://localhost:10002
CONF
    database_url >"$SROCHNO_DEV_DIR/database-url"
}

bot_token() {
    if [[ -n ${SROCHNO_BOT_TOKEN:-} ]]; then echo "$SROCHNO_BOT_TOKEN"; else tr -d '\n' <"$SROCHNO_DEV_DIR/bot-token"; fi
}

# start_pool NAME SOCKET [VAR=VALUE...]: one srochno-fcgi pool on SOCKET, with the dev config
# and VAR=VALUE on top (the environment overrides the file); stderr to $SROCHNO_DEV_DIR/NAME.log,
# its pid in NAME.pid. Returns once the socket exists.
start_pool() {
    local name=$1 socket=$2
    shift 2
    rm -f "$socket"
    env SROCHNO_CONFIG="$SROCHNO_DEV_DIR/srochno.conf" "$@" "$BUILD_PATH/release/srochno-fcgi" 2>>"$SROCHNO_DEV_DIR/$name.log" &
    echo $! >"$SROCHNO_DEV_DIR/$name.pid"
    STACK_PIDS+=($!)
    for _ in $(seq 100); do
        [[ -S $socket ]] && return 0
        kill -0 "$(cat "$SROCHNO_DEV_DIR/$name.pid")" 2>/dev/null || { tail -n 20 "$SROCHNO_DEV_DIR/$name.log" >&2; die "srochno-fcgi ($name) exited"; }
        sleep 0.1
    done
    die "srochno-fcgi ($name) did not create $socket"
}

# The main pool: every route but the one nginx sends to the outbound pool.
start_workers() {
    start_pool workers "$SROCHNO_DEV_DIR/fcgi.sock"
}

# The outbound pool, as systemd/srochno-fcgi-outbound.service runs it: the same binary and
# config on its own socket with 4 workers, for POST /api/balance/create-invoice, which waits on
# a payment provider (nginx's limit_conn for it in nginx/dev.conf.template is 4 as well).
start_outbound_workers() {
    start_pool workers-outbound "$SROCHNO_DEV_DIR/fcgi-outbound.sock" \
        SROCHNO_LISTEN="$SROCHNO_DEV_DIR/fcgi-outbound.sock" SROCHNO_WORKERS=4
}

# $1: nginx template (default the dev one); limits can be dropped for benchmarks.
start_nginx() {
    local template=${1:-$REPO_ROOT/nginx/dev.conf.template}
    mkdir -p "$SROCHNO_DEV_DIR/nginx-tmp"
    make_reachable "$SROCHNO_DEV_DIR"
    sed -e "s|@PREFIX@|$SROCHNO_DEV_DIR|g" -e "s|@HTTP_PORT@|$SROCHNO_HTTP_PORT|g" \
        -e "s|@FCGI_SOCKET@|$SROCHNO_DEV_DIR/fcgi.sock|g" \
        -e "s|@FCGI_OUTBOUND_SOCKET@|$SROCHNO_DEV_DIR/fcgi-outbound.sock|g" "$template" >"$SROCHNO_DEV_DIR/nginx.conf"
    # A placeholder added to the template but not here would reach nginx as a literal path.
    if grep -n '@[A-Z_]*@' "$SROCHNO_DEV_DIR/nginx.conf" >&2; then die "$template: placeholders left unsubstituted (above)"; fi
    if [[ -n ${NGINX_WITHOUT_LIMITS:-} ]]; then sed -i '/limit_req /d' "$SROCHNO_DEV_DIR/nginx.conf"; fi
    if [[ -f $SROCHNO_DEV_DIR/nginx.pid ]] && kill -0 "$(cat "$SROCHNO_DEV_DIR/nginx.pid")" 2>/dev/null; then
        kill "$(cat "$SROCHNO_DEV_DIR/nginx.pid")" || true
        sleep 0.5
    fi
    nginx -q -t -p "$SROCHNO_DEV_DIR" -c "$SROCHNO_DEV_DIR/nginx.conf" 2>&1 | grep -v 'the "user" directive' >&2 || true
    nginx -p "$SROCHNO_DEV_DIR" -c "$SROCHNO_DEV_DIR/nginx.conf" -g 'daemon off;' 2>>"$SROCHNO_DEV_DIR/nginx-error.log" &
    STACK_PIDS+=($!)
    for _ in $(seq 100); do
        curl -fsS -o /dev/null "http://127.0.0.1:$SROCHNO_HTTP_PORT/health" 2>/dev/null && return 0
        sleep 0.1
    done
    die "the API did not answer on http://127.0.0.1:$SROCHNO_HTTP_PORT/health (see $SROCHNO_DEV_DIR/*.log)"
}

# Stops what this shell started (workers, nginx, background loops), then PostgreSQL.
stop_stack() {
    local pid
    for pid in "${STACK_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${STACK_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    STACK_PIDS=()
    stop_postgres
}

prepare_dev_dir() {
    mkdir -p "$SROCHNO_DEV_DIR"
    SROCHNO_DEV_DIR=$(cd "$SROCHNO_DEV_DIR" && pwd)
    export SROCHNO_DEV_DIR
}
