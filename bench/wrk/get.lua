-- GET the URL given to wrk; optional bearer token from the environment (BENCH_TOKEN).
package.path = package.path .. ";" .. os.getenv("BENCH_LUA_DIR") .. "/?.lua"
local shared = require("shared")
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
done = shared.done
