-- wrk script: POST /api/v1/firms with a fresh, valid USCC per request (GB 32100 check).
local alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
local weights = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
-- Usage: TOKEN=trk_... wrk ... -s scripts/register.lua URL -- RUN  (RUN: 0-30, a different one
-- per run, so USCCs never repeat across runs of one benchmark; each thread gets its own tag too).
-- TOKEN is a write-scope API token (`tier-registry token create --scope write`).
-- An optional second argument is a think time in ms: each connection waits that long after an
-- answer before its next request (wrk's delay()), a client population below saturation rather
-- than clients sending as fast as the server answers.
local counter = 0
thread_tag = 0 -- global: thread:set() in setup() writes globals
local run_tag = 0
local think_ms = 0
local next_thread = 0
local token = os.getenv("TOKEN") or ""

function setup(thread)
  thread:set("thread_tag", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  run_tag = tonumber(args[1] or "0") % 31
  think_ms = tonumber(args[2] or "0")
end

function delay()
  return think_ms
end

local function uscc(n)
  local t = tonumber(thread_tag) % 31
  local body = "91320411W" .. alphabet:sub(run_tag + 1, run_tag + 1) .. alphabet:sub(t + 1, t + 1)
  local digits = ""
  for _ = 1, 6 do
    local d = n % 31
    digits = alphabet:sub(d + 1, d + 1) .. digits
    n = math.floor(n / 31)
  end
  body = body .. digits
  local sum = 0
  for i = 1, 17 do
    local v = alphabet:find(body:sub(i, i), 1, true) - 1
    sum = sum + v * weights[i]
  end
  local check = (31 - sum % 31) % 31
  return body .. alphabet:sub(check + 1, check + 1)
end

request = function()
  counter = counter + 1
  local payload = string.format(
    '{"uscc":"%s","name":"常州压测科技有限公司","region_code":"320411","industry_code":"I65","founded_on":"2022-01-01","credit_ok":true,"tech_firm":true}',
    uscc(counter))
  return wrk.format("POST", "/api/v1/firms", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, payload)
end
