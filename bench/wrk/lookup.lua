-- GET /customers/points/{phone} as the customers themselves: BENCH_TOKENS_FILE holds lines
-- "<phone> <customer token>"; each request picks one at random.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA_DIR") .. "/?.lua"
local shared = require("shared")
local pairs_ = {}
for line in io.lines(os.getenv("BENCH_TOKENS_FILE")) do
  local phone, token = line:match("^(%S+) (%S+)$")
  if phone then
    pairs_[#pairs_ + 1] = {phone, token}
  end
end

setup, init = shared.setup, shared.init

request = function()
  local pick = pairs_[math.random(1, #pairs_)]
  local path = "/customers/points/" .. pick[1]:gsub("+", "%%2B")
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. pick[2]})
end

done = shared.done
