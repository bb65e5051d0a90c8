-- POSTs a chat request body to the URL given on wrk's command line, and prints a machine-readable
-- summary line ("TGJSON {...}") after wrk's own report. Environment:
--   TG_BODY    path of the request body file (required)
--   TG_TENANT  tenant for X-Tollgate-Tenant (default "acme")
local body_file = os.getenv("TG_BODY")
local f = assert(io.open(body_file, "rb"), "TG_BODY: cannot open " .. tostring(body_file))
local body = f:read("*a")
f:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["X-Tollgate-Tenant"] = os.getenv("TG_TENANT") or "acme"
-- Header mode passes a client credential through unchanged; the fake upstream ignores it.
wrk.headers["Authorization"] = "Bearer sk-bench-not-a-real-key"
wrk.headers["User-Agent"] = "OpenAI/Python 1.99.0"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'TGJSON {"requests":%d,"duration_us":%d,"bytes":%d,"err_connect":%d,"err_read":%d,"err_write":%d,' ..
    '"err_status":%d,"err_timeout":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"mean_us":%.1f,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.mean, latency.max))
end
