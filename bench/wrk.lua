-- Counts every response that is not a 200 (wrk itself only counts 4xx and 5xx, so a redirect
-- to the log-in page would pass unnoticed) and prints one JSON line with the figures the
-- benchmark report needs.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_ok_total = 0
  for _, thread in ipairs(threads) do
    not_ok_total = not_ok_total + thread:get("not_ok")
  end
  -- The 1st to 100th percentiles, so slices of one page measured at different times can be
  -- merged into one distribution.
  local quantiles = {}
  for p = 1, 100 do
    quantiles[p] = string.format("%d", latency:percentile(p))
  end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "not_ok": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, ' ..
    '"quantiles_us": [%s]}\n',
    summary.requests, summary.duration, summary.bytes, not_ok_total,
    e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max, table.concat(quantiles, ", ")
  ))
end
