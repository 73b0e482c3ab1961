-- Shared by every bench script (`local shared = require("shared")`): the tills' POST, a
-- random sequence per thread, and at the end one JSON line with the figures bench/run.py
-- reads (wrk's own text summary is printed before it; the runner takes only the last line).
local shared = {}

-- Every request a POST of a JSON body to `path` with BENCH_TOKEN, as a till sends it.
function shared.post_json(path)
  wrk.method = "POST"
  wrk.path = path
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end

-- wrk's setup(thread) and init(args) for a script that draws random numbers: each thread
-- gets its own seed, or every thread would send the same sequence of requests.
function shared.setup(thread)
  thread:set("seed", math.random(1, 1e9))
end

function shared.init(args)
  math.randomseed(seed or os.time())
end

function shared.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p90_ms": %.2f, ' ..
    '"p99_ms": %.2f, "max_ms": %.2f, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end

return shared
