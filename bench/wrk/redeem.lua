-- POST /transactions/redeem_points: 1 point at a time from one of BENCH_HOT hot customers
-- (phones BENCH_PHONE_PREFIX + 0000000 .. BENCH_HOT-1), all tills at once: the contention case.
-- BENCH_CODES (optional) is a comma-separated list of the hot customers' consent codes.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA_DIR") .. "/?.lua"
local shared = require("shared")
local business = os.getenv("BENCH_BUSINESS_ID")
local hot = tonumber(os.getenv("BENCH_HOT") or "10")
local prefix = os.getenv("BENCH_PHONE_PREFIX") or "+26371"
local codes = {}
for code in string.gmatch(os.getenv("BENCH_CODES") or "", "[^,]+") do
  codes[#codes + 1] = code
end

shared.post_json("/transactions/redeem_points")

setup, init = shared.setup, shared.init

request = function()
  local i = math.random(0, hot - 1)
  local code = ""
  if #codes > 0 then
    code = string.format(', "customer_code": "%s"', codes[i + 1])
  end
  local body = string.format(
    '{"business_id": %s, "customer_phone_number": "%s%07d", "points_to_redeem": 1, ' ..
    '"reward_description": "bench"%s}', business, prefix, i, code)
  return wrk.format(nil, nil, nil, body)
end

done = shared.done
