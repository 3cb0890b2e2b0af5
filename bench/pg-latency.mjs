// Single-instance PostgreSQL latency, run by run: get-session (and optionally other cases) at 16 and 64 connections,
// every run listed rather than only the median, with the number of busy PostgreSQL backends sampled during the run.
// Variants compare server settings back to back on the same database, e.g. the Npgsql pool size:
//   BENCH_PG_VARIANTS='[{"label":"pool 100","query":""},{"label":"pool 16","query":"Maximum Pool Size=16"}]'
// Usage: node bench/pg-latency.mjs   (needs BETTER_AUTH_TEST_POSTGRES_URL; `eval "$(bash scripts/services.sh start DIR)"`)
import { execFileSync, spawn } from "node:child_process";
import { startOurs } from "../e2e/lib/servers.mjs";
import { CONCURRENCY, DURATION, REPEATS, fmt, median, signUp, wrk, wrkAsync } from "./load.mjs";

const serverUrl = process.env.BETTER_AUTH_TEST_POSTGRES_URL;
if (!serverUrl) throw new Error("BETTER_AUTH_TEST_POSTGRES_URL is not set (scripts/services.sh start prints it)");
const variants = JSON.parse(process.env.BENCH_PG_VARIANTS ?? '[{"label":"default","query":""}]');
const rounds = Number(process.env.BENCH_PG_ROUNDS ?? 1);

const psql = (url, sql) => execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-tAc", sql], { encoding: "utf8" }).trim();

function freshDatabase(name) {
  psql(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  psql(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Samples the active backends of a database every 250 ms until stopped; returns [max, mean]. */
function sampleBackends(databaseUrl, database) {
  const counts = [];
  const timer = setInterval(() => {
    try {
      counts.push(Number(psql(databaseUrl, `SELECT count(*) FROM pg_stat_activity WHERE datname = '${database}' AND state = 'active' AND pid <> pg_backend_pid()`)));
    } catch {}
  }, 250);
  return () => {
    clearInterval(timer);
    return counts.length ? [Math.max(...counts), counts.reduce((a, b) => a + b, 0) / counts.length] : [NaN, NaN];
  };
}

async function runVariant(variant, round) {
  const database = `ba_bench_lat_${process.pid}`;
  const databaseUrl = freshDatabase(database);
  const url = new URL(databaseUrl);
  for (const part of (variant.query ?? "").split(";").filter(Boolean)) {
    const [k, v] = part.split("=");
    url.searchParams.set(k.trim(), v.trim());
  }
  const server = await startOurs({ env: { ASPNETCORE_ENVIRONMENT: "Production", BETTER_AUTH_RATE_LIMIT: "0", DATABASE_URL: url.toString(), ...(variant.env ?? {}) } });
  const rows = [];
  try {
    const cookie = await signUp(server, `lat-${Date.now()}@example.com`);
    wrk(`${server.apiURL}/get-session`, "get.lua", 16, { COOKIE: cookie }, 3); // JIT warm-up
    for (const c of CONCURRENCY) {
      for (let i = 0; i < REPEATS; i++) {
        const stop = sampleBackends(databaseUrl, database);
        const r = await wrkAsync(`${server.apiURL}/get-session`, "get.lua", c, { COOKIE: cookie });
        const [maxBackends, meanBackends] = stop();
        rows.push({ variant: variant.label, round, c, ...r, maxBackends, meanBackends });
        console.error(`[pg-latency] ${variant.label} c=${c} run ${i + 1}: ${fmt(r.rps)} req/s p50 ${fmt(r.p50, 2)} p99 ${fmt(r.p99, 2)} max ${fmt(r.max, 1)} ms, backends max ${maxBackends} mean ${fmt(meanBackends, 1)}`);
      }
    }
  } finally {
    await server.stop();
  }
  return rows;
}

const all = [];
for (let round = 1; round <= rounds; round++)
  for (const variant of variants) all.push(...(await runVariant(variant, round)));

const lines = [
  `get-session on PostgreSQL, one instance: ${DURATION} s runs, ${REPEATS} per setting and round, ${rounds} round(s), variants interleaved.`,
  "",
  "| variant | conns | runs | req/s (median) | p50 ms (median) | p99 ms (median) | p99 ms (worst run) | max ms (worst run) | busy backends (max) |",
  "|---|---|---|---|---|---|---|---|---|",
];
for (const variant of variants) {
  for (const c of CONCURRENCY) {
    const rs = all.filter((r) => r.variant === variant.label && r.c === c);
    lines.push(`| ${variant.label} | ${c} | ${rs.length} | ${fmt(median(rs.map((r) => r.rps)))} | ${fmt(median(rs.map((r) => r.p50)), 2)} | ${fmt(median(rs.map((r) => r.p99)), 2)} | ${fmt(Math.max(...rs.map((r) => r.p99)), 2)} | ${fmt(Math.max(...rs.map((r) => r.max)), 1)} | ${Math.max(...rs.map((r) => r.maxBackends))} |`);
  }
}
console.log(lines.join("\n"));
