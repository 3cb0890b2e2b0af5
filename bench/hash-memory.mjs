// Memory against sign-in rate during a password-hashing storm: our server with 1, 2 and 4 concurrent scrypt hashes
// (EmailAndPassword.MaxConcurrentPasswordHashes) next to the reference, in one run. Each hash holds a 32 MiB block.
// Usage: node bench/hash-memory.mjs [--quick]   (build src/BetterAuth.Server in Release first; SQLite, no services)
import { startOurs, startReference } from "../e2e/lib/servers.mjs";
import { DURATION, PASSWORD, fmt, measure, peakRss, pidOf, resetPeak, signUp, wrkAsync } from "./load.mjs";

const LIMITS = [1, 2, 4];
const CONNECTIONS = [16, 64];

async function bench(label, server) {
  const pid = pidOf(server.port);
  const email = `bench-hash-${Date.now()}@example.com`;
  const cookie = await signUp(server, email);
  const rows = [];
  for (const c of CONNECTIONS) {
    console.error(`[hash-memory] ${label}: sign-in c=${c}`);
    const r = measure(pid, `${server.apiURL}/sign-in/email`, "sign-in.lua", c, { EMAIL: email, PASSWORD });
    rows.push(`| ${label} | sign-in storm | ${c} | ${fmt(r.rps, 1)} | ${fmt(r.p50, 0)} | ${fmt(r.p99, 0)} | ${r.non2xx} | ${r.rss} |`);
  }
  // A session read at one connection while sign-in is saturated at 16: what the storm does to everyone else.
  console.error(`[hash-memory] ${label}: isolation`);
  resetPeak(pid);
  const storm = wrkAsync(`${server.apiURL}/sign-in/email`, "sign-in.lua", 16, { EMAIL: email, PASSWORD }, DURATION + 2);
  await new Promise((r) => setTimeout(r, 1000));
  const probe = await wrkAsync(`${server.apiURL}/get-session`, "get.lua", 1, { COOKIE: cookie }, DURATION);
  const s = await storm;
  rows.push(`| ${label} | get-session during the storm (sign-in ${fmt(s.rps, 1)}/s) | 1 | ${fmt(probe.rps)} | ${fmt(probe.p50, 2)} | ${fmt(probe.p99, 2)} | ${probe.non2xx} | ${peakRss(pid)} |`);
  return rows;
}

const rows = [];
for (const limit of LIMITS) {
  const server = await startOurs({
    env: {
      ASPNETCORE_ENVIRONMENT: "Production",
      BETTER_AUTH_RATE_LIMIT: "0",
      BetterAuth__EmailAndPassword__MaxConcurrentPasswordHashes: String(limit),
    },
  });
  try { rows.push(...(await bench(`ours, ${limit} at once`, server))); } finally { await server.stop(); }
}
const reference = await startReference({ env: { REF_RATE_LIMIT: "0" } });
try { rows.push(...(await bench("reference", reference))); } finally { await reference.stop(); }

console.log("| server | load | conns | req/s | p50 ms | p99 ms | non-2xx | peak RSS MiB |\n|---|---|---|---|---|---|---|---|");
for (const row of rows) console.log(row);
