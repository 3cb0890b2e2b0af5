// The cost of telemetry on the hot paths: our server without any listener (the default: every span and instrument
// is skipped after one check) against the same server exporting everything over OTLP (Better Auth's source and meter,
// ASP.NET Core, HttpClient and runtime instrumentation, logs) to a local sink that accepts and discards it.
// Rounds alternate the two servers so a busy machine slows both alike; medians are printed.
// Usage: dotnet build src/BetterAuth.Server -c Release && node bench/telemetry.mjs [--quick]
import http from "node:http";
import fs from "node:fs";
import { startOurs, freePort } from "../e2e/lib/servers.mjs";
import { DURATION, PASSWORD, median, signUp, wrk } from "./load.mjs";

const rounds = process.argv.includes("--quick") ? 1 : 3;

// An OTLP/HTTP endpoint that answers every export with an empty (valid) protobuf response.
let received = 0;
const sink = http.createServer((req, res) => {
  req.on("data", (d) => (received += d.length));
  req.on("end", () => { res.writeHead(200, { "content-type": "application/x-protobuf" }); res.end(); });
});
const sinkPort = await freePort();
await new Promise((r) => sink.listen(sinkPort, "127.0.0.1", r));

const configs = {
  off: {},
  otlp: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`, OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf", OTEL_METRIC_EXPORT_INTERVAL: "5000" },
};
const servers = {};
const cookies = {};
const emails = {};
for (const [name, env] of Object.entries(configs)) {
  servers[name] = await startOurs({ env: { ...env, Logging__LogLevel__Default: "Information" } });
  emails[name] = `bench-telemetry-${name}-${Date.now()}@example.com`;
  cookies[name] = await signUp(servers[name], emails[name]);
}

const cases = [
  ["GET /get-session c=64", (s, n) => wrk(`${s.apiURL}/get-session`, "get.lua", 64, { COOKIE: cookies[n] })],
  ["POST /sign-in/email c=16", (s, n) => wrk(`${s.apiURL}/sign-in/email`, "sign-in.lua", 16, { EMAIL: emails[n], PASSWORD })],
];
const results = {};
try {
  for (const [, run] of cases) for (const n of Object.keys(servers)) run(servers[n], n); // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ["off", "otlp"] : ["otlp", "off"];
    for (const [label, run] of cases)
      for (const n of order) {
        console.error(`[telemetry] round ${round + 1}: ${label} ${n}`);
        (results[`${label}|${n}`] ??= []).push(run(servers[n], n));
      }
  }
} finally {
  for (const s of Object.values(servers)) { await s.stop(); fs.rmSync(s.dir, { recursive: true, force: true }); }
  sink.close();
}

console.log(`| case (${rounds} x ${DURATION} s, medians) | no listener req/s | OTLP export req/s | change | p99 no listener | p99 OTLP |`);
console.log("|---|---|---|---|---|---|");
for (const [label] of cases) {
  const off = results[`${label}|off`], on = results[`${label}|otlp`];
  const rps = (rs) => median(rs.map((r) => r.rps));
  const p99 = (rs) => median(rs.map((r) => r.p99));
  const change = ((rps(on) / rps(off) - 1) * 100).toFixed(1);
  console.log(`| ${label} | ${rps(off).toFixed(0)} | ${rps(on).toFixed(0)} | ${change}% | ${p99(off).toFixed(1)} ms | ${p99(on).toFixed(1)} ms |`);
}
console.log(`OTLP bytes received by the sink: ${received}`);
