// Rows for the deployments that outgrow one machine: our server alone on PostgreSQL, then two instances sharing one
// PostgreSQL and one Redis (sessions in Redis as secondary storage), driven as a load balancer would.
// The reference only runs on SQLite here, so these rows are compared with its SQLite figures.
import { execFileSync } from "node:child_process";
import { startOurs } from "../e2e/lib/servers.mjs";
import { CONCURRENCY, PASSWORD, measure, measureSpread, pidOf, signUp, wrk } from "./load.mjs";

function psql(url, sql) {
  return execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-tAc", sql], { encoding: "utf8" }).trim();
}

function freshDatabase(serverUrl, name) {
  psql(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  psql(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

const serverEnv = { ASPNETCORE_ENVIRONMENT: "Production", BETTER_AUTH_RATE_LIMIT: "0" };

/** A fresh process JITs its hot paths during its first seconds of load; the SQLite pair warms up on /ok first. */
function warmUp(server, cookie) {
  wrk(`${server.apiURL}/get-session`, "get.lua", 16, { COOKIE: cookie }, 3);
}

const cases = (email, cookie) => [
  ["GET /get-session", "/get-session", "get.lua", { COOKIE: cookie }],
  ["POST /sign-in/email", "/sign-in/email", "sign-in.lua", { EMAIL: email, PASSWORD }],
];

async function benchOnePostgres(serverUrl, only) {
  const databaseUrl = freshDatabase(serverUrl, `ba_bench_pg_${process.pid}`);
  const server = await startOurs({ env: { ...serverEnv, DATABASE_URL: databaseUrl } });
  const results = {};
  try {
    const pid = pidOf(server.port);
    const email = `bench-pg-${Date.now()}@example.com`;
    const cookie = await signUp(server, email);
    warmUp(server, cookie);
    for (const [label, path, script, env] of cases(email, cookie)) {
      if (only && !only.test(label)) continue;
      for (const c of CONCURRENCY) {
        console.error(`[bench] ours on PostgreSQL: ${label} c=${c}`);
        results[`${label}|${c}`] = measure(pid, `${server.apiURL}${path}`, script, c, env);
      }
    }
  } finally {
    await server.stop();
  }
  return results;
}

async function benchTwoInstances(serverUrl, redis, only) {
  const databaseUrl = freshDatabase(serverUrl, `ba_bench_two_${process.pid}`);
  const env = { ...serverEnv, DATABASE_URL: databaseUrl, REDIS_URL: `redis://${redis}`, BetterAuth__SecondaryStorage__KeyPrefix: `bench-${Date.now()}:` };
  // One after the other: both would otherwise race to create the schema (which is safe, but slower to start).
  const a = await startOurs({ env });
  const b = await startOurs({ env }).catch(async (e) => { await a.stop(); throw e; });
  const results = {};
  try {
    const targets = [a, b].map((server) => ({ server, pid: pidOf(server.port) }));
    const email = `bench-two-${Date.now()}@example.com`;
    const cookie = await signUp(a, email);
    warmUp(a, cookie);
    warmUp(b, cookie);
    for (const [label, path, script, env] of cases(email, cookie)) {
      if (only && !only.test(label)) continue;
      for (const c of CONCURRENCY) {
        console.error(`[bench] two instances: ${label} c=${c}`);
        results[`${label}|${c}`] = await measureSpread(targets, path, script, c, env);
      }
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
  return results;
}

/** Both row sets, or null when no PostgreSQL/Redis is configured (bench/run.sh starts them). */
export async function benchScaleOut(only) {
  const serverUrl = process.env.BETTER_AUTH_TEST_POSTGRES_URL;
  const redis = process.env.BETTER_AUTH_TEST_REDIS;
  if (!serverUrl || !redis) return null;
  return {
    postgres: await benchOnePostgres(serverUrl, only),
    twoInstances: await benchTwoInstances(serverUrl, redis, only),
  };
}
