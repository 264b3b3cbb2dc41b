-- POST /api/orders as the clients in $BENCH_TOKENS (one initData a line), in the cities of
-- $BENCH_CITIES, with a contact no other request uses: +7 8 <run digit> <thread digit>
-- <7-digit counter>, so none collides with an active order (the seed's are +79...).
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local tokens, cities, run, counter, threads
local categories = { "Сантехника", "Электрика", "Бытовой ремонт", "Клининг", "Сборка/установка",
                     "Бытовая техника", "Другое" }

function init(args)
    tokens = common.lines(common.env("BENCH_TOKENS"))
    cities = common.lines(common.env("BENCH_CITIES"))
    run = tonumber(common.env("BENCH_RUN")) % 10
    threads = tonumber(common.env("BENCH_THREADS"))
    counter = 0
end

function request()
    counter = counter + 1
    local n = counter * threads + thread_id
    local body = string.format(
        '{"category":"%s","description":"Срочно нужен мастер, заказ %d из бенчмарка, подъезд 2","city":"%s","contact":"+78%d%d%07d"}',
        categories[n % #categories + 1], n, cities[n % #cities + 1], run, thread_id % 10, counter)
    return wrk.format("POST", "/api/orders", {
        ["Authorization"] = "Bearer " .. tokens[n % #tokens + 1],
        ["Content-Type"] = "application/json",
    }, body)
end
