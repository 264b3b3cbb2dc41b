# Sourced by scripts/bench: a payment provider that accepts connections and never answers,
# and a load of top-ups against it, so the list and take runs can be repeated while the
# outbound pool is stuck on it (issue 13: nothing else may slow down).
#
# stall_provider_start PORT: a loopback listener that accepts every connection and never
# writes a byte (python3; its pid in STALL_PROVIDER_PID).
stall_provider_start() {
    python3 - "$1" <<'PY' &
import socket, sys, time
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", int(sys.argv[1])))
listener.listen(128)
held = []
while True:
    connection, _ = listener.accept()
    held.append(connection)  # read nothing, answer nothing, close nothing
PY
    STALL_PROVIDER_PID=$!
    STACK_PIDS+=("$STALL_PROVIDER_PID")
}

# stall_load_start TOKENS OUT: STALL_CLIENTS loops (default 6: the outbound pool's 4 workers
# stay stuck, and 2 more find nginx's limit_conn full) posting create-invoice through nginx
# with the clients' initData, each a user who retries a second after every answer; one
# "status seconds" line per answer in OUT. Their pids in STALL_LOAD_PIDS. (Without the pause,
# loops answered at once by limit_conn spawn curl ~100 times a second, and that CPU, not the
# stall, is what a 2-core machine then measures.)
stall_load_start() {
    local tokens=$1 out=$2 clients=${STALL_CLIENTS:-6} i
    : >"$out"
    STALL_LOAD_PIDS=()
    for ((i = 1; i <= clients; i++)); do
        (
            trap 'exit 0' TERM
            token=$(sed -n "${i}p" "$tokens")
            while true; do
                curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -X POST \
                    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
                    --data '{"amount":100,"provider":"crypto_bot"}' "$BASE/api/balance/create-invoice" >>"$out"
                sleep 1
            done
        ) &
        STALL_LOAD_PIDS+=($!)
    done
    sleep 1  # every outbound worker is now waiting on the provider
}

stall_load_stop() {
    local pid
    for pid in "${STALL_LOAD_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${STALL_LOAD_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    STALL_LOAD_PIDS=()
}

# stall_load_summary OUT: the top-ups' answers while the provider was stalled: how many, by
# status, and the median and slowest time of each status.
stall_load_summary() {
    python3 - "$1" <<'PY'
import statistics, sys
by_status = {}
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) == 2:
        by_status.setdefault(parts[0], []).append(float(parts[1]))
print("; ".join(
    f"{status}: {len(times)} answers, median {statistics.median(times):.3f} s, slowest {max(times):.3f} s"
    for status, times in sorted(by_status.items())) or "no answers")
PY
}
