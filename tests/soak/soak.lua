-- wrk script of the soak (soak.mjs): POSTs SOAK_BODY (an MCP tools/call) to the gateway as each
-- user of SOAK_SESSIONS in turn ("user session-id" pairs, comma-separated: the user's MCP
-- session), with the headers of wrk's -H options. Counts the answers that are a JSON-RPC result
-- (ok), those with another HTTP status (bad_status) and 200s without a result (rpc_errors); done()
-- prints them with wrk's own counts as one line: SOAK_WRK {...}.
local body = os.getenv("SOAK_BODY") or error("SOAK_BODY is not set")
local users = {}
for user, session in (os.getenv("SOAK_SESSIONS") or error("SOAK_SESSIONS is not set")):gmatch("([^,%s]+) ([^,]+)") do
  users[#users + 1] = { user = user, session = session }
end

local requests = {}
local next_user = 0
ok, bad_status, rpc_errors = 0, 0, 0

function init(args)
  for i, u in ipairs(users) do
    local headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    headers["X-User-Email"] = u.user
    headers["Mcp-Session-Id"] = u.session
    requests[i] = wrk.format("POST", nil, headers, body)
  end
end

function request()
  next_user = next_user % #requests + 1
  return requests[next_user]
end

function response(status, headers, answer)
  if status ~= 200 then
    bad_status = bad_status + 1
  elseif answer:find('"result"', 1, true) and not answer:find('"error"', 1, true) then
    ok = ok + 1
  else
    rpc_errors = rpc_errors + 1
  end
end

local threads = {}
function setup(thread) threads[#threads + 1] = thread end

function done(summary, latency, _)
  local counts = { ok = 0, bad_status = 0, rpc_errors = 0 }
  for _, thread in ipairs(threads) do
    for name in pairs(counts) do counts[name] = counts[name] + thread:get(name) end
  end
  local e = summary.errors
  io.write(string.format('SOAK_WRK {"requests":%d,"ok":%d,"bad_status":%d,"rpc_errors":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"timeout":%d,"p99_ms":%.3f}\n', summary.requests, counts.ok,
    counts.bad_status, counts.rpc_errors, e.connect, e.read, e.write, e.timeout, latency:percentile(99) / 1000))
end
