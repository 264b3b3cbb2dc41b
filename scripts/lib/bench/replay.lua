-- GET requests from $BENCH_REQUESTS: one "PATH" or "PATH<TAB>INITDATA" a line (the second form
-- sends Authorization: Bearer INITDATA). Each thread formats its own slice once, then cycles
-- through it, so request() costs wrk nothing. Without $BENCH_REQUESTS the URL's path is used.
-- $BENCH_HEADER ("Name: value"), when set, goes with every request.
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
local prepared, count, position = {}, 0, 0
local extra_name, extra_value = common.env("BENCH_HEADER", "-"):match("^([^:]+):%s*(.*)$")

function init(args)
    if extra_name ~= nil then wrk.headers[extra_name] = extra_value end
    local file = os.getenv("BENCH_REQUESTS")
    if file == nil or file == "" then return end
    local threads = tonumber(common.env("BENCH_THREADS"))
    local lines = common.lines(file)
    -- Thread t takes lines t, t+threads, ...; a file shorter than the thread count is shared.
    local first = thread_id % #lines + 1
    local step = #lines >= threads and threads or #lines
    for i = first, #lines, step do
        local path, token = lines[i]:match("^([^\t]+)\t?(.*)$")
        local headers = {}
        if token ~= "" then headers["Authorization"] = "Bearer " .. token end
        if extra_name ~= nil then headers[extra_name] = extra_value end
        count = count + 1
        prepared[count] = wrk.format("GET", path, headers)
    end
end

function request()
    if count == 0 then return wrk.request() end
    position = position % count + 1
    return prepared[position]
end
