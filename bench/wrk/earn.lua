-- POST /transactions/add_points for a business (BENCH_TOKEN, BENCH_BUSINESS_ID): each request
-- a purchase of $1.00-$99.99 by one of BENCH_CUSTOMERS phones (default 100,000), as tills do.
package.path = package.path .. ";" .. os.getenv("BENCH_LUA_DIR") .. "/?.lua"
local report = require("report")
local business = os.getenv("BENCH_BUSINESS_ID")
local customers = tonumber(os.getenv("BENCH_CUSTOMERS") or "100000")
local prefix = os.getenv("BENCH_PHONE_PREFIX") or "+26377"

wrk.method = "POST"
wrk.path = "/transactions/add_points"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")

function setup(thread)
  thread:set("seed", math.random(1, 1e9))
end

function init(args)
  math.randomseed(seed or os.time())
end

request = function()
  local phone = string.format("%s%07d", prefix, math.random(0, customers - 1))
  local cents = math.random(100, 9999)
  local body = string.format(
    '{"business_id": %s, "customer_phone_number": "%s", "amount_spent": "%d.%02d"}',
    business, phone, math.floor(cents / 100), cents % 100)
  return wrk.format(nil, nil, nil, body)
end

done = report.done
