#!/usr/bin/env bash
# usage: deep-pages.sh SROCHNO_FCGI_BINARY DATABASE_URL CITY
# EXPLAIN (ANALYZE, BUFFERS) of everyone's active, expired and completed order lists, unfiltered
# and by category and CITY, at offset 0 and at the deepest allowed offset (10,000), exactly as
# the workers prepare them (`srochno-fcgi --print-sql`), planned for these values as the workers
# plan history lists. One line each: execution time, buffers, rows. Run on a small and on a
# large history (scripts/bench --orders 10000 / 1000000), it shows whether a deep page costs
# more as the history grows (SPEC §6: it must not).
set -euo pipefail
binary=${1:?srochno-fcgi binary} url=${2:?database URL} city=${3:?a city}

deep_page() {
    local status=$1 category=$2 city=$3 shape sql offset text plan
    shape="orders_list_${status}_${category:+c}${city:+t}_everyone"
    sql=$("$binary" --print-sql "$shape")
    for offset in 0 10000; do
        text=$(sed -e 's/\$1::timestamptz/now()/g; s/\$2\b\(::bigint\)\{0,1\}/50/g' \
                   -e "s/\\\$3::bigint/$offset/g; s/\\\$4::text/'$category'/g; s/\\\$5::text/'$city'/g" <<<"$sql")
        if grep -q '\$[0-9]' <<<"$text"; then echo "a parameter is left in $shape" >&2; exit 1; fi
        plan=$(psql "$url" -X -Atq -v ON_ERROR_STOP=1 -c "SET plan_cache_mode = auto" -c "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) $text")
        python3 -c '
import json, sys
shape, offset, plan = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])[0]
top = plan["Plan"]
buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
elapsed, rows = plan["Execution Time"], top.get("Actual Rows")
print(f"    {shape:<40} offset {offset:>5}: {elapsed:8.2f} ms, {buffers:6d} buffers, {rows} rows")
' "$shape" "$offset" "$plan"
    done
}

for status in active expired completed; do
    deep_page "$status" "" ""
    deep_page "$status" "Сантехника" "$city"
done
