-- wrk script of the benchmark harness: a POST of the JSON body in $BENCH_BODY (a file), or a GET when it is
-- unset; extra request headers in $BENCH_HEADERS, one "Name: value" per line. done() prints one line,
-- "BENCH_RESULT {json}", with the counts, the errors by kind and the latency percentiles in microseconds.

local body_file = os.getenv("BENCH_BODY")
if body_file ~= nil and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local extra = os.getenv("BENCH_HEADERS")
if extra ~= nil then
  for line in extra:gmatch("[^\n]+") do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    if name ~= nil then
      wrk.headers[name] = value
    end
  end
end

-- With $BENCH_DEBUG naming a file, the first non-2xx answers of each run are appended to it (status and the start
-- of the body). Off by default: a response() callback costs wrk time on every answer.
local debug_file = os.getenv("BENCH_DEBUG")
if debug_file ~= nil and debug_file ~= "" then
  local shown = 0
  response = function(status, headers, body)
    if (status < 200 or status > 299) and shown < 3 then
      shown = shown + 1
      local f = io.open(debug_file, "a")
      if f ~= nil then
        f:write(status, " ", (body or ""):sub(1, 300), "\n")
        f:close()
      end
    end
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
