#!/usr/bin/env bash
# Checks the production configuration files, not the dev stack: called by scripts/test once
# the stack is up (SROCHNO_DEV_DIR holds the two pools' FastCGI sockets, fcgi.sock and
# fcgi-outbound.sock, and their logs, workers.log and workers-outbound.log).
#
# nginx: nginx/srochno-http.conf and nginx/srochno.conf, rendered into a temporary prefix with
# sed substitutions only for what cannot work here (listen ports → loopback, certificate,
# chain, log and pid paths, the FastCGI sockets → the test stack's), inside an http{} that
# sets what Debian's /etc/nginx/nginx.conf sets (TLSv1 and TLSv1.1 allowed, server cipher
# preference): the server block has to override those itself. `nginx -t` runs with a
# self-signed certificate (stapling must only warn), then nginx serves the files with a
# certificate from a throwaway CA whose OCSP answers a loopback responder gives, and the
# probes run: TLS suites and protocols (each refusal next to a permissive openssl s_server
# that accepts the same client offer, so a refusal is the server's doing, not the client's),
# the stapled OCSP answer, the port-80 redirect with a forged Host, X-Content-Type-Options on
# nginx's own errors and on proxied responses, an access log without query strings, and that
# POST /api/balance/create-invoice reaches the outbound pool and nothing else does.
#
# systemd: the exposure score of every service unit (systemd-analyze security --offline),
# which must stay at 1.5 or below, the IP rules (localhost only, or for the units that call
# the payment providers or the Bot API, everything but the private, link-local and multicast
# ranges), the credentials, the migration gate of both pools, the notification sender being a
# service that restarts, and systemd-analyze verify of every unit in a
# temporary root (see the comment there for what that does and does not prove).
#
# One line per check ("ok", "FAIL"); exits 1 if any check failed. Everything it starts
# listens on 127.0.0.1 only and is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO_ROOT=$PWD

DEV_DIR=${SROCHNO_DEV_DIR:-.test}
FCGI_SOCKET=$(cd "$DEV_DIR" && pwd)/fcgi.sock
FCGI_OUTBOUND_SOCKET=$(cd "$DEV_DIR" && pwd)/fcgi-outbound.sock
BUILD_RELEASE=${SROCHNO_BUILD_PATH:-$REPO_ROOT/.build}/release
# Loopback ports, next to the stack's own (scripts/test: 18080 → 18083, 18084, 18443, 18444),
# so that two test stacks on different ports do not clash here either. +1 and +2 are the fake
# payment providers' (SROCHNO_TEST_CRYPTO_PAY_PORT, SROCHNO_TEST_BOT_API_PORT in scripts/test).
base=${SROCHNO_HTTP_PORT:-18080}
HTTP_PORT=${SROCHNO_CHECK_HTTP_PORT:-$((base + 3))}
OCSP_PORT=${SROCHNO_CHECK_OCSP_PORT:-$((base + 4))}
HTTPS_PORT=${SROCHNO_CHECK_HTTPS_PORT:-$((base + 363))}
CONTROL_PORT=${SROCHNO_CHECK_CONTROL_PORT:-$((base + 364))}
MAX_EXPOSURE=1.5

FAILURES=0
pass() { printf 'ok    %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; FAILURES=$((FAILURES + 1)); }
die() { printf 'FAIL  %s\n' "$*"; exit 1; }
trap 'printf "FAIL  %s: unexpected failure at line %s\n" "$0" "$LINENO"' ERR

# Debian packages, installed only when missing (as scripts/lib/stack.sh does).
missing=()
for package in nginx openssl curl systemd python3; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
    [[ $EUID -eq 0 ]] || die "missing Debian packages: ${missing[*]} (run as root, or install them first)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

WORK=$(mktemp -d /tmp/srochno-check-configs.XXXXXX)
chmod 755 "$WORK"   # nginx workers (nobody) create their temp files under it
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$HTTPS_PORT" "$HTTP_PORT" "$OCSP_PORT" "$CONTROL_PORT"; do
    port_free "$port" || die "127.0.0.1:$port is in use (set SROCHNO_CHECK_*_PORT)"
done

# Everyone's order lists may be at most a second old (README: "Everyone's order lists come
# from a micro-cache"). nginx keeps expiry in whole seconds, so any way of serving an expired
# copy breaks that: stale while updating (a second plus a refresh, or the last copy of a list
# nobody read for minutes), in the background, or on errors. None of the nginx files may set
# one, at any level (a server or http block's would be inherited by the list location).
for file in nginx/srochno-http.conf nginx/srochno.conf nginx/dev.conf.template; do
    if stale=$(sed 's/#.*//' "$file" | grep -nE 'fastcgi_cache_(use_stale|background_update)'); then
        fail "$file: serves expired copies of the order lists: $stale"
    else
        pass "$file: never serves an expired copy of an order list"
    fi
done

# The configured name: the redirect must use it, and the certificates carry it.
SERVER_NAME=$(awk '$1 == "server_name" { sub(/;.*/, "", $2); print $2; exit }' nginx/srochno.conf)
[[ -n $SERVER_NAME ]] || die "no server_name in nginx/srochno.conf"

# --- certificates -------------------------------------------------------------------------
cd "$WORK"
openssl_quiet() { openssl "$@" 2>/dev/null; }
openssl_quiet req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$SERVER_NAME" \
    -addext "subjectAltName=DNS:$SERVER_NAME" -keyout self.key -out self.crt
openssl_quiet req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=srochno check CA" \
    -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout ca.key -out ca.crt
openssl_quiet req -newkey rsa:2048 -nodes -subj "/CN=$SERVER_NAME" -keyout leaf.key -out leaf.csr
printf '%s\n' "subjectAltName=DNS:$SERVER_NAME" "basicConstraints=CA:false" "extendedKeyUsage=serverAuth" \
    "authorityInfoAccess=OCSP;URI:http://127.0.0.1:$OCSP_PORT/" >leaf.ext
openssl_quiet x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile leaf.ext -out leaf.crt
chmod 600 ./*.key

# A "good" OCSP answer for the leaf, made once and served to whoever asks (nginx asks by GET).
serial=$(openssl x509 -in leaf.crt -noout -serial | cut -d= -f2)
expiry=$(date -u -d "$(openssl x509 -in leaf.crt -noout -enddate | cut -d= -f2)" +%y%m%d%H%M%SZ)
printf 'V\t%s\t\t%s\tunknown\t/CN=%s\n' "$expiry" "$serial" "$SERVER_NAME" >ocsp-index.txt
openssl_quiet ocsp -issuer ca.crt -cert leaf.crt -no_nonce -reqout ocsp-request.der
openssl_quiet ocsp -index ocsp-index.txt -CA ca.crt -rsigner ca.crt -rkey ca.key -ndays 1 \
    -reqin ocsp-request.der -respout ocsp-response.der
python3 - "$OCSP_PORT" "$WORK/ocsp-response.der" 2>"$WORK/ocsp.log" <<'PY' &
import http.server, sys
answer = open(sys.argv[2], "rb").read()
class Responder(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/ocsp-response")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Responder).serve_forever()
PY
PIDS+=($!)
for _ in $(seq 50); do port_free "$OCSP_PORT" || break; sleep 0.1; done

# --- render -------------------------------------------------------------------------------
# render DIR CERT KEY CHAIN: the production files with the local substitutions, under DIR.
render() {
    local dir=$1 cert=$2 key=$3 chain=$4
    mkdir -p "$dir/tmp"
    cp /etc/nginx/fastcgi_params "$dir/"   # srochno.conf includes it relative to the conf dir
    sed -e "s|/var/lib/nginx/srochno-lists|$dir/tmp/srochno-lists|" "$REPO_ROOT/nginx/srochno-http.conf" >"$dir/srochno-http.conf"
    if sed 's/#.*//' "$dir/srochno-http.conf" | grep -n '/var/lib/nginx' >&2; then
        die "nginx/srochno-http.conf: the lines above escaped the substitutions of check-configs.sh"
    fi
    sed -e "s|^\( *listen\) 80;|\1 127.0.0.1:$HTTP_PORT;|" \
        -e "s|^\( *listen\) 443 |\1 127.0.0.1:$HTTPS_PORT |" \
        -e '/^ *listen \[::\]:/d' \
        -e "s|/etc/ssl/srochno/fullchain.pem|$cert|" \
        -e "s|/etc/ssl/srochno/privkey.pem|$key|" \
        -e "s|/etc/ssl/srochno/chain.pem|$chain|" \
        -e "s|/var/log/nginx/|$dir/|" \
        -e "s|unix:/run/srochno/fcgi.sock|unix:$FCGI_SOCKET|" \
        -e "s|unix:/run/srochno/fcgi-outbound.sock|unix:$FCGI_OUTBOUND_SOCKET|" \
        "$REPO_ROOT/nginx/srochno.conf" >"$dir/srochno.conf"
    # A production line that changed shape would otherwise be checked unsubstituted, or not at all.
    if sed 's/#.*//' "$dir/srochno.conf" | grep -nE 'listen +(80|443|\[)|/etc/ssl/srochno|/var/log/|/run/srochno' >&2; then
        die "nginx/srochno.conf: the lines above escaped the substitutions of check-configs.sh"
    fi
    cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
    # What Debian's /etc/nginx/nginx.conf sets in http{}.
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log $dir/access.log;
    gzip on;
    client_body_temp_path $dir/tmp/client_body;
    fastcgi_temp_path $dir/tmp/fastcgi;
    proxy_temp_path $dir/tmp/proxy;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/srochno-http.conf;   # conf.d/
    include $dir/srochno.conf;        # sites-enabled/
}
CONF
}

render "$WORK/self-signed" "$WORK/self.crt" "$WORK/self.key" "$WORK/self.crt"
if output=$(nginx -t -q -p "$WORK/self-signed" -e "$WORK/self-signed/error.log" -c "$WORK/self-signed/nginx.conf" 2>&1); then
    if grep -q '"ssl_stapling" ignored' <<<"$output"; then
        pass "nginx -t, self-signed certificate: valid; stapling only warns (\"ssl_stapling\" ignored)"
    else
        pass "nginx -t, self-signed certificate: valid"
    fi
else
    fail "nginx -t, self-signed certificate: $output"
fi

NGINX=$WORK/ca-issued
render "$NGINX" "$WORK/leaf.crt" "$WORK/leaf.key" "$WORK/ca.crt"
if ! output=$(nginx -t -q -p "$NGINX" -e "$NGINX/error.log" -c "$NGINX/nginx.conf" 2>&1) || [[ -n $output ]]; then
    fail "nginx -t, CA-issued certificate with an OCSP URL (expected no message at all): $output"
fi
nginx -p "$NGINX" -e "$NGINX/error.log" -c "$NGINX/nginx.conf" -g 'daemon off;' 2>>"$NGINX/error.log" &
PIDS+=($!)
for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/" && break
    sleep 0.1
done
curl -s -o /dev/null "http://127.0.0.1:$HTTP_PORT/" || { tail -n 20 "$NGINX/error.log"; die "nginx with the production files did not start"; }

# A permissive TLS server: the control for every refusal below.
openssl s_server -accept "127.0.0.1:$CONTROL_PORT" -cert self.crt -key self.key -cipher 'ALL:@SECLEVEL=0' \
    -quiet </dev/null >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do port_free "$CONTROL_PORT" || break; sleep 0.1; done
cd "$REPO_ROOT"

# --- TLS ----------------------------------------------------------------------------------
# tls PORT ARGS...: "PROTOCOL SUITE" of a completed handshake, or "refused".
tls() {
    local port=$1 out
    shift
    if out=$(timeout 10 openssl s_client -connect "127.0.0.1:$port" -servername "$SERVER_NAME" -brief "$@" </dev/null 2>&1); then
        printf '%s %s\n' "$(sed -n 's/^Protocol version: //p' <<<"$out")" "$(sed -n 's/^Ciphersuite: //p' <<<"$out")"
    else
        echo refused
    fi
}
expect_refused() {  # LABEL ARGS...
    local label=$1 got control
    shift
    got=$(tls "$HTTPS_PORT" "$@")
    control=$(tls "$CONTROL_PORT" "$@")
    if [[ $control == refused ]]; then
        fail "$label: inconclusive, the client could not negotiate it with a permissive server either"
    elif [[ $got == refused ]]; then
        pass "$label: refused (a permissive server accepts it: $control)"
    else
        fail "$label: accepted ($got)"
    fi
}
expect_accepted() {  # LABEL PROTOCOL ARGS...
    local label=$1 protocol=$2 got
    shift 2
    got=$(tls "$HTTPS_PORT" "$@")
    if [[ $got == "$protocol "* ]]; then pass "$label: accepted ($got)"; else fail "$label: $got"; fi
}
for suite in AES128-SHA AES256-SHA AES128-GCM-SHA256 AES256-GCM-SHA384 ECDHE-RSA-AES128-SHA ECDHE-RSA-AES256-SHA384; do
    expect_refused "TLS 1.2 $suite" -tls1_2 -cipher "$suite:@SECLEVEL=0"
done
expect_refused "TLS 1.1" -tls1_1 -cipher 'ALL:@SECLEVEL=0'
expect_refused "TLS 1.0" -tls1 -cipher 'ALL:@SECLEVEL=0'
for suite in ECDHE-RSA-AES128-GCM-SHA256 ECDHE-RSA-AES256-GCM-SHA384 ECDHE-RSA-CHACHA20-POLY1305; do
    expect_accepted "TLS 1.2 $suite" TLSv1.2 -tls1_2 -cipher "$suite"
done
expect_accepted "TLS 1.3" TLSv1.3 -tls1_3

# Every TLS 1.2 suite this OpenSSL knows, offered one at a time: what is accepted must be
# forward-secret (ECDHE/DHE) and AEAD (GCM, CHACHA20-POLY1305). PSK and SRP suites are left
# out: the client cannot offer them without an identity, and nginx configures none.
accepted=() bad=() offered=0
for suite in $(openssl ciphers -tls1_2 'ALL:COMPLEMENTOFALL:!PSK:!SRP:@SECLEVEL=0' | tr ':' '\n' | grep -v '^TLS_'); do
    offered=$((offered + 1))
    got=$(tls "$HTTPS_PORT" -tls1_2 -cipher "$suite:@SECLEVEL=0")
    [[ $got == refused ]] && continue
    accepted+=("$suite")
    [[ $suite =~ ^(ECDHE|DHE)-(RSA|ECDSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$ ]] || bad+=("$suite")
done
if ((${#bad[@]})); then
    fail "TLS 1.2 suites outside the policy accepted: ${bad[*]}"
elif ((${#accepted[@]} == 0)); then
    fail "TLS 1.2: none of $offered suites accepted"
else
    pass "TLS 1.2: $offered suites (all but PSK/SRP) offered one at a time, accepted only ${accepted[*]}"
fi

# OCSP stapling: nginx fetches the answer after the first handshake that asks for it.
stapled=""
for _ in $(seq 40); do
    out=$(timeout 10 openssl s_client -connect "127.0.0.1:$HTTPS_PORT" -servername "$SERVER_NAME" -status </dev/null 2>&1 || true)
    if grep -q 'OCSP Response Status: successful' <<<"$out" && grep -q 'Cert Status: good' <<<"$out"; then stapled=yes; break; fi
    sleep 0.25
done
if [[ -n $stapled ]]; then
    pass "OCSP stapling with a chain (ssl_trusted_certificate): a verified \"good\" answer is stapled"
else
    fail "OCSP stapling: no stapled answer"
    grep -hi ocsp "$NGINX"/*error.log | tail -n 3 || true
fi

# --- HTTP ---------------------------------------------------------------------------------
HTTPS=(--resolve "$SERVER_NAME:$HTTPS_PORT:127.0.0.1" --cacert "$WORK/ca.crt" --http1.1)
BASE=https://$SERVER_NAME:$HTTPS_PORT
# headers URL CURL_ARGS...: the response headers, CRs removed.
headers() { curl -sS -o /dev/null -D - --max-time 10 "$@" | tr -d '\r'; }

out=$(headers -H 'Host: evil.example' "http://127.0.0.1:$HTTP_PORT/api/orders?page=2")
location=$(sed -n 's/^[Ll]ocation: //p' <<<"$out")
if [[ $location == "https://$SERVER_NAME/api/orders?page=2" ]]; then
    pass "port 80 with Host: evil.example redirects to the configured name: $location"
else
    fail "port 80 with Host: evil.example redirects to: ${location:-(no Location)}"
fi

# nosniff URL LABEL CURL_ARGS...: the header exactly once; the status is left in STATUS.
STATUS=""
nosniff() {
    local url=$1 label=$2 out count
    shift 2
    out=$(headers "$@" "$url" || true)
    STATUS=$(head -n 1 <<<"$out" | cut -d' ' -f2)
    count=$(grep -ci '^X-Content-Type-Options: nosniff$' <<<"$out" || true)
    if [[ $count == 1 ]]; then
        pass "X-Content-Type-Options: nosniff on $label: $STATUS"
    else
        fail "X-Content-Type-Options: nosniff on $label: $STATUS, header seen $count times"
    fi
}
head -c 70000 /dev/zero >"$WORK/body-70k"
nosniff "http://127.0.0.1:$HTTP_PORT/x" "the port-80 redirect" -H 'Host: evil.example'
nosniff "$BASE/nope" "nginx's own 404" "${HTTPS[@]}"
nosniff "$BASE/api/orders" "nginx's 413 (error_page)" "${HTTPS[@]}" -X POST --data-binary @"$WORK/body-70k"
nosniff "$BASE/health" "proxied GET /health" "${HTTPS[@]}"
[[ $STATUS == 200 ]] || fail "GET /health through the production files answered $STATUS, not 200 (workers at $FCGI_SOCKET?)"
nosniff "$BASE/api/no-such-route" "the app's own 404 (proxied)" "${HTTPS[@]}"

# Access log: no query string, yet the path of the original request (not the error_page's).
mark=secret=check$RANDOM$RANDOM
for path in "/health?$mark" "/nope?$mark" "/api/no-such-route?$mark&token=x"; do
    curl -s -o /dev/null --max-time 10 "${HTTPS[@]}" "$BASE$path" || true
done
curl -s -o /dev/null --max-time 10 "${HTTPS[@]}" -X POST --data-binary @"$WORK/body-70k" "$BASE/api/orders?$mark" || true
log=$NGINX/srochno-access.log
for _ in $(seq 20); do grep -q '"POST /api/orders HTTP/1.1" 413' "$log" 2>/dev/null && break; sleep 0.1; done
if grep -q 'secret' "$log"; then
    fail "access log contains the query string: $(grep -m 1 secret "$log")"
elif grep -q '"GET /health HTTP/1.1" [0-9]' "$log" && grep -q '"POST /api/orders HTTP/1.1" 413' "$log"; then
    pass "access log: no query string, original paths kept ($(grep -c . "$log") lines, e.g. $(grep -m 1 -o '"GET /health HTTP/1.1" [0-9]*' "$log"))"
else
    fail "access log: expected lines missing: $(tail -n 3 "$log")"
fi

# Routing: only POST /api/balance/create-invoice goes to the outbound pool. Each pool logs one
# line per request ("POST /path status ..."), so the line that appears, and in which pool's log,
# says where nginx sent a request. The path is matched after nginx decodes it, as the app routes
# on the decoded path too, so an encoded spelling cannot slip past to the main pool.
# pool_lines LOG PATH: how many POST PATH lines LOG holds so far.
pool_lines() { local n; n=$(grep -c "^POST $2 " "$1" 2>/dev/null) || true; echo "${n:-0}"; }
DEV_PATH=$(cd "$DEV_DIR" && pwd)
expect_pool() {  # REQUEST_PATH LOGGED_PATH POOL(main|outbound)
    local path=$1 logged=$2 pool=$3 main_before outbound_before main_after outbound_after
    main_before=$(pool_lines "$DEV_PATH/workers.log" "$logged")
    outbound_before=$(pool_lines "$DEV_PATH/workers-outbound.log" "$logged")
    curl -s -o /dev/null --max-time 10 "${HTTPS[@]}" -X POST -H 'Content-Type: application/json' --data '{}' "$BASE$path" || true
    for _ in $(seq 30); do
        main_after=$(pool_lines "$DEV_PATH/workers.log" "$logged")
        outbound_after=$(pool_lines "$DEV_PATH/workers-outbound.log" "$logged")
        ((main_after + outbound_after > main_before + outbound_before)) && break
        sleep 0.1
    done
    local main=$((main_after - main_before)) outbound=$((outbound_after - outbound_before))
    if [[ $pool == outbound && $main == 0 && $outbound == 1 ]] || [[ $pool == main && $main == 1 && $outbound == 0 ]]; then
        pass "POST $path reaches the $pool pool only"
    else
        fail "POST $path: expected in the $pool pool's log, got $main line(s) in workers.log, $outbound in workers-outbound.log"
    fi
}
expect_pool /api/balance/create-invoice /api/balance/create-invoice outbound
expect_pool /api/balance/create%2Dinvoice /api/balance/create-invoice outbound
expect_pool /api/balance/webhook/crypto-bot /api/balance/webhook/crypto-bot main

# Monitoring: /metrics (the main pool) and stub_status answer loopback's 127.0.0.1 only.
# 127.0.0.2 is loopback too but not an allowed address: it stands for any other client and
# must get the JSON 404 of an unknown path, not the figures.
# body_of SOURCE PATH: "STATUS CONTENT-TYPE" on the first line, then the body.
body_of() {
    curl -sS --max-time 10 "${HTTPS[@]}" --interface "$1" -w '\n%{http_code} %{content_type}' "$BASE$2" 2>&1 |
        awk '{ lines[NR] = $0 } END { print lines[NR]; for (i = 1; i < NR; i++) print lines[i] }'
}
for path in /metrics /nginx_status; do
    case $path in /metrics) want='srochno_database_up 1' ;; *) want='Active connections:' ;; esac
    out=$(body_of 127.0.0.1 "$path")
    if [[ $(head -n 1 <<<"$out") == "200 text/plain"* ]] && grep -q "^$want" <<<"$out"; then
        pass "GET $path from 127.0.0.1: $(head -n 1 <<<"$out"), with '$want'"
    else
        fail "GET $path from 127.0.0.1: $(head -n 3 <<<"$out")"
    fi
    out=$(body_of 127.0.0.2 "$path")
    if [[ $(head -n 1 <<<"$out") == "404 application/json" && $(sed -n 2p <<<"$out") == '{"detail":"Not Found"}' ]]; then
        pass "GET $path from 127.0.0.2: refused as an unknown path (404, JSON)"
    else
        fail "GET $path from 127.0.0.2 (not an allowed address): $(head -n 3 <<<"$out")"
    fi
done

# --- systemd ------------------------------------------------------------------------------
# The units that call the payment providers or the Bot API over HTTPS. Their exposure is 1.1
# against the others' 0.9 (systemd-analyze rates any IP rule without IPAddressDeny=any like no
# rule at all), still within the one limit: no separate threshold.
EGRESS_UNITS="srochno-fcgi-outbound.service srochno-reconcile.service srochno-notify.service"
for unit in systemd/*.service; do
    score=$(systemd-analyze security --offline=yes --no-pager "$unit" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
    if [[ -z $score ]]; then
        fail "$(basename "$unit"): systemd-analyze security printed no score"
    elif awk -v s="$score" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(s <= m) }'; then
        pass "$(basename "$unit"): exposure $score (at most $MAX_EXPOSURE)"
    else
        fail "$(basename "$unit"): exposure $score, above $MAX_EXPOSURE"
    fi
done

# unit_values FILE KEY: every value of KEY= in FILE, space-separated (lists add up).
unit_values() { sed -n "s/^$2=//p" "$1" | paste -sd ' '; }
has_word() { [[ " $1 " == *" $2 "* ]]; }
for pool in srochno-fcgi.service srochno-fcgi-outbound.service; do
    requires=$(unit_values "systemd/$pool" Requires)
    after=$(unit_values "systemd/$pool" After)
    if has_word "$requires" srochno-migrate.service && has_word "$after" srochno-migrate.service \
        && [[ $(unit_values systemd/srochno-migrate.service Type) == oneshot ]] \
        && ! has_word "$(unit_values systemd/srochno-migrate.service RemainAfterExit)" yes; then
        pass "$pool: Requires= and After= srochno-migrate.service (a oneshot run on every start)"
    else
        fail "$pool must Require= and be After= srochno-migrate.service, a oneshot without RemainAfterExit=yes"
    fi
done
# Credentials: the jobs that only need the database get none; the pools and the reconciler get
# the bot token and the Crypto Pay token, the latter with SetCredential= as its default so that
# a host without Crypto Pay still starts (a missing LoadCredential= file alone fails the unit).
for unit in srochno-autoclose.service; do
    if grep -qE '^(LoadCredential|LoadCredentialEncrypted|SetCredential|SetCredentialEncrypted)=' "systemd/$unit"; then
        fail "$unit loads a credential it never reads"
    else
        pass "$unit: no credentials"
    fi
done
# Least privilege in the database: only the migrations connect as the schema owner, from their own
# system user (peer authentication maps it to the role of the same name) and, where the owner
# needs a password, from a credential no other unit loads; every other unit runs as srochno.
if [[ $(unit_values systemd/srochno-migrate.service User) == srochno_owner \
    && $(unit_values systemd/srochno-migrate.service LoadCredential) == migrate-database-url:/etc/srochno/migrate-database-url \
    && $(unit_values systemd/srochno-migrate.service SetCredential) == 'migrate-database-url:\n' ]]; then
    pass "srochno-migrate.service: User=srochno_owner, credential migrate-database-url only (optional: SetCredential= default)"
else
    fail "srochno-migrate.service: expected User=srochno_owner, LoadCredential=migrate-database-url:/etc/srochno/migrate-database-url and SetCredential=migrate-database-url:\\n"
fi
for unit in systemd/*.service; do
    [[ $unit == systemd/srochno-migrate.service ]] && continue
    if [[ $(unit_values "$unit" User) == srochno ]] && ! grep -q migrate-database-url "$unit"; then
        pass "${unit#systemd/}: User=srochno, without the owner's credential"
    else
        fail "${unit#systemd/}: expected User=srochno and no migrate-database-url credential"
    fi
done
# The notification sender reads the bot token only (sendMessage), and never Crypto Pay's.
loads=$(unit_values systemd/srochno-notify.service LoadCredential)
if [[ $loads == bot-token:/etc/srochno/bot-token ]] \
    && ! grep -qE '^(SetCredential|LoadCredentialEncrypted|SetCredentialEncrypted)=' systemd/srochno-notify.service; then
    pass "srochno-notify.service: credential bot-token only"
else
    fail "srochno-notify.service: expected LoadCredential=bot-token:/etc/srochno/bot-token and no other credential (has: $loads)"
fi
# A service, not a oneshot: restarted whatever ends it, stopped gracefully by SIGTERM.
if [[ $(unit_values systemd/srochno-notify.service Type) == simple && $(unit_values systemd/srochno-notify.service Restart) == always ]]; then
    pass "srochno-notify.service: Type=simple, Restart=always"
else
    fail "srochno-notify.service: expected Type=simple and Restart=always"
fi
for unit in srochno-fcgi.service srochno-fcgi-outbound.service srochno-reconcile.service; do
    loads=$(unit_values "systemd/$unit" LoadCredential)
    if has_word "$loads" bot-token:/etc/srochno/bot-token && has_word "$loads" crypto-pay-token:/etc/srochno/crypto-pay-token \
        && [[ $(unit_values "systemd/$unit" SetCredential) == 'crypto-pay-token:\n' ]]; then
        pass "$unit: credentials bot-token and crypto-pay-token (optional: SetCredential= default)"
    else
        fail "$unit: expected LoadCredential= of bot-token and crypto-pay-token, and SetCredential=crypto-pay-token:\\n"
    fi
done
# IP rules: localhost only; the egress units may reach any address outside the ranges below
# (IPAddressAllow= still wins, for drop-ins naming a database or DNS server).
INTERNAL_RANGES="0.0.0.0/8 10.0.0.0/8 100.64.0.0/10 169.254.0.0/16 172.16.0.0/12 192.168.0.0/16 224.0.0.0/3 fc00::/7 fe80::/10 ff00::/8"
for unit in systemd/*.service; do
    name=$(basename "$unit") deny=$(unit_values "$unit" IPAddressDeny) allow=$(unit_values "$unit" IPAddressAllow)
    if has_word "$EGRESS_UNITS" "$name"; then
        missing=()
        for range in $INTERNAL_RANGES; do has_word "$deny" "$range" || missing+=("$range"); done
        if ((${#missing[@]} == 0)) && [[ $allow == localhost ]]; then
            pass "$name: egress to any address but the private, link-local and multicast ranges; allowed: $allow"
        else
            fail "$name: IPAddressDeny= must list $INTERNAL_RANGES (missing: ${missing[*]:-none}) and IPAddressAllow= be localhost (is: $allow)"
        fi
    elif [[ $deny == any ]] && [[ -n $allow ]]; then
        pass "$name: IPAddressDeny=any, allowed: $allow"
    else
        fail "$name: no IPAddressDeny=any with an IPAddressAllow= list"
    fi
done

# systemd-analyze verify in a temporary root holding the units as installed, the host's
# system units (sysinit.target and the rest of what the units order against) and, under
# /usr/bin as the Debian package installs them, the binaries scripts/test has just built (every
# executable product of Package.swift, scripts/lib/executables). That checks the unit syntax
# and every directive's value (any message counts as a failure: verify itself only warns
# about unknown keys and bad values), that the dependencies load and form a transaction, and
# that every ExecStart names an executable file. systemd-sysusers creates the srochno and
# srochno_owner users from srochno.sysusers.conf in the same root, and systemd-tmpfiles the socket directory from
# srochno.tmpfiles.conf. Not verified here (systemd is not PID 1): that the sandbox lets the
# binaries run, /etc/srochno, the database, and the socket's owner (scripts/test-package runs
# the installed package's units without the sandbox).
root=$WORK/root
mkdir -p "$root/etc/systemd/system" "$root/usr/lib/systemd" "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d" "$root/usr/bin"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
cp systemd/*.service systemd/*.socket systemd/*.timer "$root/etc/systemd/system/"
cp systemd/srochno.sysusers.conf "$root/usr/lib/sysusers.d/srochno.conf"
cp systemd/srochno.tmpfiles.conf "$root/usr/lib/tmpfiles.d/srochno.conf"
# The project's binaries by name, so that an ExecStart= with a typo still fails (no such file).
# One not built (yet) gets a stand-in, and the pass line names it.
stand_ins=()
for binary in $(scripts/lib/executables); do
    if [[ -x $BUILD_RELEASE/$binary ]]; then
        cp "$BUILD_RELEASE/$binary" "$root/usr/bin/"
    else
        cp /bin/true "$root/usr/bin/$binary"
        stand_ins+=("$binary")
    fi
done
binaries="the built binaries from $BUILD_RELEASE"
if ((${#stand_ins[@]})); then binaries+=", copies of /bin/true for ${stand_ins[*]} (not built: build first)"; fi
units=$(cd systemd && ls ./*.service ./*.socket ./*.timer | sed 's|^\./||')
# shellcheck disable=SC2086  # unit names have no spaces
if out=$(cd "$root/etc/systemd/system" && systemd-analyze verify --root="$root" --man=no $units 2>&1) && [[ -z $out ]]; then
    pass "systemd-analyze verify: $(tr '\n' ' ' <<<"$units")with $binaries"
else
    fail "systemd-analyze verify: ${out:-exit status non-zero}"
fi
if out=$(systemd-sysusers --root="$root" 2>&1) && grep -q '^srochno:' "$root/etc/passwd" && grep -q '^srochno_owner:' "$root/etc/passwd"; then
    pass "systemd-sysusers: srochno.sysusers.conf creates the users srochno and srochno_owner"
else
    fail "systemd-sysusers: $out"
fi
if out=$(systemd-tmpfiles --root="$root" --create srochno.conf 2>&1) && [[ -z $out ]] \
    && [[ $(stat -c '%a %U' "$root/run/srochno") == '755 root' ]]; then
    pass "systemd-tmpfiles: srochno.tmpfiles.conf creates /run/srochno (0755 root)"
else
    fail "systemd-tmpfiles: ${out:-/run/srochno not created as 0755 root}"
fi

if ((FAILURES)); then
    printf '%d check(s) failed\n' "$FAILURES"
    exit 1
fi
echo "all configuration checks passed"
