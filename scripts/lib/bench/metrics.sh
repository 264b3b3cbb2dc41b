#!/usr/bin/env bash
# usage: metrics.sh BASE_URL SROCHNO_FCGI_BINARY DATABASE_URL [SCRAPES]
# GET /metrics as Prometheus asks for it: one request at a time over one kept-alive connection
# through nginx, SCRAPES times (default 1,000), after 20 unrecorded ones, each followed by the
# anchor GET /health; prints p50, p99 and max of the request time seen by the client. Then
# EXPLAIN (ANALYZE, BUFFERS) of its one statement (`srochno-fcgi --print-sql metrics_figures`),
# prepared and planned generically as the workers do, at its second execution: the database's
# share, and what grows with the data (compare --orders 10000 with 1000000). Also how many rows
# wait in the notification outbox and how many orders are due but unsettled, the two parts of
# the statement that grow with a backlog rather than with the history (the bench runs no
# sender and no closer; the outbox is measured full, then emptied). Figures only.
set -euo pipefail
base=${1:?base URL} binary=${2:?srochno-fcgi binary} url=${3:?database URL} scrapes=${4:-1000}

python3 - "$base" "$scrapes" <<'PY'
import http.client, statistics, sys, time, urllib.parse
base, scrapes = urllib.parse.urlsplit(sys.argv[1]), int(sys.argv[2])
connection = http.client.HTTPConnection(base.hostname, base.port, timeout=10)
def get(path, expected):
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if response.status != 200 or expected not in body:
        sys.exit(f"metrics.sh: {path} answered {response.status}: {body[:200]!r}")
    return elapsed, len(body)
# /metrics and, alternating with it, the anchor GET /health (one SELECT 1): the same worker,
# nginx and connection, so what the machine's other load adds shows in both.
for _ in range(20):
    get("/metrics", b"srochno_database_up 1")
    get("/health", b"healthy")
metrics, health = [], []
for _ in range(scrapes):
    metrics.append(get("/metrics", b"srochno_database_up 1")[0])
    health.append(get("/health", b"healthy")[0])
size = get("/metrics", b"srochno_database_up 1")[1]
def line(label, times):
    times = sorted(times)
    p99 = times[min(len(times) - 1, int(0.99 * len(times)))]
    return f"p50 {statistics.median(times):.2f} ms, p99 {p99:.2f} ms, max {times[-1]:.2f} ms"
print(f"    GET /metrics one at a time, {scrapes} scrapes: {line('metrics', metrics)} ({size} bytes); "
      f"GET /health between them: {line('health', health)}")
PY

# Prepared with its parameters and executed once first, as a worker's session runs it.
sql=$("$binary" --print-sql metrics_figures)
waiting=$(psql "$url" -X -Atq -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM notification_outbox")
plan=$(psql "$url" -X -Atq -v ON_ERROR_STOP=1 -c "SET plan_cache_mode = force_generic_plan" \
    -c "PREPARE metrics_figures (timestamptz, integer) AS $sql" -c "EXECUTE metrics_figures (now(), 30)" \
    -c "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) EXECUTE metrics_figures (now(), 30)" | sed -n '/^\[/,$p')
# The same with the outbox as a running sender keeps it: empty. The bench runs no sender, so the
# seeded orders all wait there; they are deleted now (and the table vacuumed), for good: no
# later run of scripts/bench reads the outbox.
drained=$(psql "$url" -X -Atq -v ON_ERROR_STOP=1 -c "DELETE FROM notification_outbox" -c "VACUUM notification_outbox" \
    -c "SET plan_cache_mode = force_generic_plan" \
    -c "PREPARE metrics_figures (timestamptz, integer) AS $sql" -c "EXECUTE metrics_figures (now(), 30)" \
    -c "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) EXECUTE metrics_figures (now(), 30)" | sed -n '/^\[/,$p')
backlog=$(psql "$url" -X -Atq -v ON_ERROR_STOP=1 -F ' ' -c "
    SELECT $waiting,
           (SELECT count(*) FROM orders WHERE status = 'active' AND due_at <= now()),
           (SELECT count(*) FROM orders)")
python3 -c '
import json, sys
(outbox, due, orders) = sys.argv[3].split()
for text, waiting in ((sys.argv[1], int(outbox)), (sys.argv[2], 0)):
    plan = json.loads(text)[0]
    top = plan["Plan"]
    buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    elapsed = plan["Execution Time"]
    print(f"    its statement alone (EXPLAIN ANALYZE): {elapsed:.2f} ms, {buffers} buffers, "
          f"with {int(orders):,} orders, {waiting:,} in the outbox, {int(due):,} due and unsettled")
' "$plan" "$drained" "$backlog"
