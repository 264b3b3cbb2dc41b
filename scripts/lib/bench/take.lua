-- POST /api/orders/{id}/take for distinct (executor, order) pairs. $BENCH_ORDERS holds P
-- untaken active order ids, $BENCH_TOKENS 3*P funded executors' initData. Pair k (k = 0, 1,
-- ...) is executor k mod 3P taking order k mod P, so every order gets its 1st, 2nd, then 3rd
-- take from three different executors and never a 4th; once the 3P pairs are used up the
-- requests repeat earlier pairs (200, no charge). Threads interleave k; $BENCH_OFFSET skips
-- the pairs an earlier run already used.
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local orders, tokens, threads, k

function init(args)
    orders = common.lines(common.env("BENCH_ORDERS"))
    tokens = common.lines(common.env("BENCH_TOKENS"))
    if #tokens ~= 3 * #orders then error("take.lua: need exactly 3 executors per order") end
    threads = tonumber(common.env("BENCH_THREADS"))
    k = tonumber(common.env("BENCH_OFFSET", "0")) + thread_id
end

function request()
    local pair = k % #tokens
    k = k + threads
    return wrk.format("POST", "/api/orders/" .. orders[pair % #orders + 1] .. "/take",
                      { ["Authorization"] = "Bearer " .. tokens[pair + 1] }, "")
end
