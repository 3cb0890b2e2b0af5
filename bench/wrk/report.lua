-- Shared by every benchmark: prints one JSON line with throughput, latency percentiles and error counts.
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  local socket = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'BENCH {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50":%.3f,"p99":%.3f,"max":%.3f,"non2xx":%d,"socketErrors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000, non2xx, socket))
end
