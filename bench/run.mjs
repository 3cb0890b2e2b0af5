// Benchmarks our server against the reference Better Auth, side by side, on this machine.
// Usage: node bench/run.mjs [--quick]   (bench/run.sh builds first, installs wrk and starts PostgreSQL + Redis)
// Writes bench/RESULTS.md and prints the same table.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startOurs, startReference, freePort, tempDir, repoRoot } from "../e2e/lib/servers.mjs";
import {
  CONCURRENCY, DURATION, PASSWORD, REPEATS, fmt, measure, peakRss, pidOf, quick, resetPeak, seedOrganizations, signUp, wrkAsync,
} from "./load.mjs";
import { benchScaleOut } from "./scale-out.mjs";

const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;

async function benchServer(name, server, pid) {
  console.error(`[bench] ${name}: seeding`);
  const email = `bench-user-${Date.now()}@example.com`;
  const cookie = await signUp(server, email);
  for (let i = 0; i < 4; i++) await signUp(server, `bench-extra-${i}-${Date.now()}@example.com`);
  const results = {};
  const orgId = await seedOrganizations(server, cookie, 50);
  const cases = [
    ["GET /ok", `${server.apiURL}/ok`, "get.lua", {}],
    ["GET /organization/list (50 orgs)", `${server.apiURL}/organization/list`, "get.lua", { COOKIE: cookie }],
    ["GET /organization/get-full-organization", `${server.apiURL}/organization/get-full-organization?organizationId=${orgId}`, "get.lua", { COOKIE: cookie }],
    ["GET /get-session", `${server.apiURL}/get-session`, "get.lua", { COOKIE: cookie }],
    ["GET /list-sessions", `${server.apiURL}/list-sessions`, "get.lua", { COOKIE: cookie }],
    ["POST /sign-in/email", `${server.apiURL}/sign-in/email`, "sign-in.lua", { EMAIL: email, PASSWORD }],
    ["POST /sign-up/email", `${server.apiURL}/sign-up/email`, "sign-up.lua", {}],
  ];
  for (const [label, url, script, env] of cases) {
    if (only && !only.test(label)) continue;
    for (const c of CONCURRENCY) {
      console.error(`[bench] ${name}: ${label} c=${c}`);
      results[`${label}|${c}`] = measure(pid, url, script, c, env);
    }
  }
  // Isolation: sign-in saturated at 16 connections while one client reads its session.
  console.error(`[bench] ${name}: isolation`);
  resetPeak(pid);
  const storm = wrkAsync(`${server.apiURL}/sign-in/email`, "sign-in.lua", 16, { EMAIL: email, PASSWORD }, DURATION + 2);
  await new Promise((r) => setTimeout(r, 1000));
  const probe = await wrkAsync(`${server.apiURL}/get-session`, "get.lua", 1, { COOKIE: cookie }, DURATION);
  const stormResult = await storm;
  results["isolation"] = { probe, storm: stormResult, rss: peakRss(pid) };
  return results;
}

async function benchCeiling(dbPath) {
  const port = await freePort();
  const dll = path.join(repoRoot, "bench/Ceiling/bin/Release/net10.0/Ceiling.dll");
  const child = spawn("dotnet", [dll], { env: { ...process.env, PORT: String(port), DATABASE_PATH: dbPath }, stdio: "ignore" });
  const token = execFileSync("sqlite3", [dbPath, 'SELECT token FROM "session" LIMIT 1'], { encoding: "utf8" }).trim();
  const url = `http://127.0.0.1:${port}/two-lookups?token=${token}`;
  for (let i = 0; i < 100; i++) { try { if ((await fetch(url)).ok) break; } catch {} await new Promise((r) => setTimeout(r, 100)); }
  const results = {};
  for (const c of CONCURRENCY) results[c] = measure(child.pid, url, "get.lua", c, {});
  child.kill("SIGTERM");
  return results;
}

/** The PostgreSQL rows (one and two instances, with and without a network round trip), with the reference's SQLite figure where it has one. */
function scaleOutTable(scaleOut, ref) {
  if (!scaleOut) return ["PostgreSQL and two-instance rows: skipped (no BETTER_AUTH_TEST_POSTGRES_URL / BETTER_AUTH_TEST_REDIS; bench/run.sh starts both)."];
  const rows = [];
  for (const { label, results } of scaleOut) {
    for (const [key, o] of Object.entries(results)) {
      const [endpoint, c] = key.split("|");
      const r = ref[key];
      rows.push(`| ${label} | ${endpoint} | ${c} | ${fmt(o.rps)} | ${fmt(o.p50, 2)} | ${fmt(o.p99, 2)} | ${o.non2xx} | ${o.rss} | ${r ? `**${fmt(o.rps / r.rps, 1)}x**` : ""} |`);
    }
  }
  const rtts = scaleOut.map(({ label, rtt }) => `${label}: ${fmt(rtt, 3)} ms`).join("; ");
  return [
    "PostgreSQL, one and two instances (the reference runs on SQLite only here; the ratio is against its SQLite figure above,",
    "where it has one; two instances: one wrk per instance with half the connections each, req/s summed, the worse",
    "instance's latencies, RSS of both). \"RTT\" rows reach PostgreSQL (and Redis) through bench/delay-proxy.mjs, which",
    `holds every chunk ${process.env.BENCH_NET_ONE_WAY_MS ?? 1} ms each way (this kernel has no netem); median \`SELECT 1\` round trip as psql sees it: ${rtts}.`,
    "",
    "| setup | endpoint | conns | req/s | p50 ms | p99 ms | non-2xx | peak RSS MiB | ours / reference (SQLite) |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ];
}

async function main() {
  const dir = tempDir("ba-bench-");
  const oursServer = await startOurs({ dir, env: { ASPNETCORE_ENVIRONMENT: "Production", BETTER_AUTH_RATE_LIMIT: "0" } });
  const refServer = await startReference({ dir: path.join(dir, "ref"), env: { REF_RATE_LIMIT: "0" } }).catch(async (e) => { await oursServer.stop(); throw e; });
  let ours, ref, ceiling;
  try {
    ours = await benchServer("ours", oursServer, pidOf(oursServer.port));
    ref = await benchServer("reference", refServer, pidOf(refServer.port));
    ceiling = await benchCeiling(oursServer.dbPath);
  } finally {
    await oursServer.stop();
    await refServer.stop();
  }
  const scaleOut = await benchScaleOut(only);

  const rows = [];
  for (const key of Object.keys(ours).filter((k) => k !== "isolation" && ref[k])) {
    const [label, c] = key.split("|");
    const o = ours[key], r = ref[key];
    rows.push(`| ${label} | ${c} | ${fmt(o.rps)} | ${fmt(o.p50, 2)} | ${fmt(o.p99, 2)} | ${o.non2xx} | ${o.rss} | ${fmt(r.rps, 1)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.non2xx} | ${r.rss} | **${fmt(o.rps / r.rps, 1)}x** |`);
  }
  for (const c of CONCURRENCY) {
    const g = ours[`GET /get-session|${c}`], k = ceiling[c];
    if (!g) continue;
    rows.push(`| ceiling: Kestrel + 2 SQLite lookups | ${c} | ${fmt(k.rps)} | ${fmt(k.p50, 2)} | ${fmt(k.p99, 2)} | ${k.non2xx} | ${k.rss} | | | | | | get-session = ${fmt((100 * g.rps) / k.rps)}% of it |`);
  }
  const iso = (x) => `get-session at 1 connection: ${fmt(x.probe.rps)} req/s, p50 ${fmt(x.probe.p50, 2)} ms, p99 ${fmt(x.probe.p99, 2)} ms, max ${fmt(x.probe.max, 1)} ms (sign-in meanwhile: ${fmt(x.storm.rps, 1)}/s, ${x.storm.non2xx + x.storm.socketErrors} errors; peak RSS ${x.rss} MiB)`;
  const md = [
    "# Benchmark results",
    "",
    `Made by \`${process.env.BENCH_ONLY ? `BENCH_ONLY='${process.env.BENCH_ONLY}' BENCH_OUT=${process.env.BENCH_OUT} ` : ""}bash bench/run.sh${quick ? " --quick" : ""}\` on ${new Date().toISOString()} (${process.env.BENCH_MACHINE ?? "2 vCPU, load generator on the same box"}).`,
    `wrk -t1, ${DURATION} s per run, median of ${REPEATS}; SQLite files, rate limiting off, same plugins as configured; figures drift between runs on a shared machine, compare ratios.`,
    "",
    "| endpoint | conns | ours req/s | p50 ms | p99 ms | non-2xx | peak RSS MiB | reference req/s | p50 ms | p99 ms | non-2xx | peak RSS MiB | ours / reference |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
    "Isolation (sign-in saturated at 16 connections):",
    `- ours: ${iso(ours.isolation)}`,
    `- reference: ${iso(ref.isolation)}`,
    "",
    ...scaleOutTable(scaleOut, ref),
    "",
  ].join("\n");
  const notes = path.join(repoRoot, "bench/NOTES.md");
  const out = md + (fs.existsSync(notes) ? "\n" + fs.readFileSync(notes, "utf8") : "");
  // A partial run (BENCH_ONLY) goes to its own file so it never replaces the full table.
  fs.writeFileSync(path.resolve(repoRoot, process.env.BENCH_OUT ?? "bench/RESULTS.md"), out);
  console.log(out);
}

main().catch((e) => { console.error(e); process.exit(1); });
