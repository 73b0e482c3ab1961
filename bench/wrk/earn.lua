-- POST /transactions/add_points for a business (BENCH_TOKEN, BENCH_BUSINESS_ID): each request
-- a purchase of $1.00-$99.99 by one of BENCH_CUSTOMERS phones (default 100,000), as tills do.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA_DIR") .. "/?.lua"
local shared = require("shared")
local business = os.getenv("BENCH_BUSINESS_ID")
local customers = tonumber(os.getenv("BENCH_CUSTOMERS") or "100000")
local prefix = os.getenv("BENCH_PHONE_PREFIX") or "+26377"

shared.post_json("/transactions/add_points")

setup, init = shared.setup, shared.init

request = function()
  local phone = string.format("%s%07d", prefix, math.random(0, customers - 1))
  local cents = math.random(100, 9999)
  local body = string.format(
    '{"business_id": %s, "customer_phone_number": "%s", "amount_spent": "%d.%02d"}',
    business, phone, math.floor(cents / 100), cents % 100)
  return wrk.format(nil, nil, nil, body)
end

done = shared.done
