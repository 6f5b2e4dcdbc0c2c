-- wrk script for python -m service loadtest.
--
--   wrk -t2 -c32 -d60s -s service/tools/loadtest/loadtest.lua http://127.0.0.1:PORT -- MANIFEST
--   wrk -t2 -c32 -d60s -s service/tools/loadtest/loadtest.lua http://127.0.0.1:PORT -- healthz
--
-- With a manifest (one "content-type<TAB>path" per line) every request POSTs the next body to
-- /v1/clean, cycling; with "healthz" every request is GET /healthz. Each thread counts the
-- response statuses; at the end one line "LOADTEST_JSON {...}" carries every figure, so the
-- Python side parses numbers rather than wrk's human-readable text.

local threads = {}
local started = 0

-- Runs in wrk's main Lua state, once per thread before it starts.
function setup(thread)
  started = started + 1
  thread:set("thread_number", started)
  table.insert(threads, thread)
end

local requests = {}
local index = 0
statuses = {}  -- global so done() can read it with thread:get()

local function load_manifest(manifest)
  for line in io.lines(manifest) do
    local content_type, path = line:match("^([^\t]+)\t(.+)$")
    if content_type then
      local file = assert(io.open(path, "rb"))
      local body = file:read("*a")
      file:close()
      -- Built once: wrk.format adds Host and Content-Length.
      requests[#requests + 1] =
        wrk.format("POST", "/v1/clean", { ["Content-Type"] = content_type }, body)
    end
  end
  assert(#requests > 0, "the manifest lists no bodies: " .. manifest)
end

function init(args)
  local source = args[1] or "healthz"
  if source == "healthz" then
    requests[1] = wrk.format("GET", "/healthz")
  else
    load_manifest(source)
  end
  -- Threads start at different points of the cycle so they don't send the same page at once.
  index = ((thread_number or 1) * 7919) % #requests
end

function request()
  index = index % #requests + 1
  return requests[index]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, _)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    parts[#parts + 1] = string.format('"%d":%d', status, n)
  end
  local e = summary.errors
  io.write(string.format(
    'LOADTEST_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f},"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, table.concat(parts, ",")))
end
