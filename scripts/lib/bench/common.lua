-- Shared by scripts/bench's wrk scripts (loaded with dofile from $BENCH_LUA_DIR).
-- Numbers every thread (thread_id 0..threads-1, set before its init), prints the run's result
-- as one "BENCH_RESULT {json}" line for report.py, and reads the bench's data files.
local common = {}

function common.lines(path)
    local lines = {}
    for line in io.lines(path) do
        if #line > 0 then lines[#lines + 1] = line end
    end
    if #lines == 0 then error("no lines in " .. path) end
    return lines
end

function common.env(name, default)
    local value = os.getenv(name)
    if value == nil or value == "" then
        if default == nil then error("environment variable " .. name .. " is not set") end
        return default
    end
    return value
end

local next_thread = 0
function setup(thread)
    thread:set("thread_id", next_thread)
    next_thread = next_thread + 1
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"errors_connect":%d,"errors_read":%d,' ..
        '"errors_write":%d,"errors_status":%d,"errors_timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
        '"max_us":%d,"mean_us":%.1f,"threads":%d}\n',
        summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
        next_thread))
end

return common
