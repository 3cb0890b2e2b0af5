// Rows for the deployments that outgrow one machine: our server alone on PostgreSQL, then two instances sharing one
// PostgreSQL and one Redis (sessions in Redis as secondary storage), driven as a load balancer would; each with the
// database reached directly (loopback) and through a simulated network round trip (bench/delay-proxy.mjs).
// The reference only runs on SQLite here, so these rows are compared with its SQLite figures where it has them.
import { execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { repoRoot, startOurs } from "../e2e/lib/servers.mjs";
import { CONCURRENCY, PASSWORD, measure, measureSpread, pidOf, signUp, wrk } from "./load.mjs";

/** One-way delay (ms) of the simulated network; the round trip it adds is measured and printed with the rows. */
export const ONE_WAY_MS = Number(process.env.BENCH_NET_ONE_WAY_MS ?? 1);

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

/** A delay proxy in its own process (the bench's own loop blocks while wrk runs). Resolves to { port, stop() }. */
function startProxy(targetHost, targetPort) {
  const child = spawn("node", [path.join(repoRoot, "bench/delay-proxy.mjs"), "0", targetHost, String(targetPort), String(ONE_WAY_MS)],
    { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    child.stdout.once("data", (d) => {
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(String(d))?.[1]);
      if (!port) return reject(new Error(`delay proxy: ${d}`));
      resolve({ port, stop: () => child.kill("SIGTERM") });
    });
    child.once("exit", (code) => reject(new Error(`delay proxy exited (${code})`)));
  });
}

/** Median round trip of `SELECT 1` over a connection (ms), to report what the proxy adds. */
function roundTripMs(databaseUrl) {
  const out = psql(databaseUrl, `SELECT 1`); // connection check
  const timing = execFileSync("bash", ["-c", `for i in $(seq 1 50); do echo 'SELECT 1;'; done | psql '${databaseUrl}' -At -c '\\timing on' -f - 2>&1 | grep -o 'Time: [0-9.]*' | cut -d' ' -f2 | sort -n | sed -n 25p`], { encoding: "utf8" }).trim();
  return out === "1" ? Number(timing) : NaN;
}

const serverEnv = { ASPNETCORE_ENVIRONMENT: "Production", BETTER_AUTH_RATE_LIMIT: "0" };

/** A fresh process JITs its hot paths during its first seconds of load. */
function warmUp(server, cookie) {
  wrk(`${server.apiURL}/get-session`, "get.lua", 16, { COOKIE: cookie }, 3);
}

/** Users the write cases spread over (request n is user n mod USERS's), so they measure writes, not one row's lock. */
export const USERS = Number(process.env.BENCH_WRITE_USERS ?? 64);

/** A user signed up with an organization of their own: { cookie, userId, organizationId }. */
async function seedUser(server, email) {
  const cookie = await signUp(server, email);
  const headers = { "content-type": "application/json", origin: server.baseURL, cookie };
  const userId = (await (await fetch(`${server.apiURL}/get-session`, { headers })).json()).user.id;
  const org = await fetch(`${server.apiURL}/organization/create`, { method: "POST", headers, body: JSON.stringify({ name: "Bench", slug: `bench-${userId}` }) });
  if (!org.ok) throw new Error(`organization/create failed ${org.status} ${await org.text()}`);
  return { cookie, userId, organizationId: (await org.json()).id };
}

/**
 * Everything the cases need: USERS users (cookies, ids, an organization each to switch to) and, for each
 * revoke-session run, sessions of those users to revoke.
 */
async function seed(server, databaseUrl) {
  const stamp = Date.now();
  const email = `bench-scale-${stamp}@example.com`;
  const users = [];
  // A few sign-ups at a time: each is a scrypt hash.
  for (let i = 0; i < USERS; i += 8)
    users.push(...await Promise.all(Array.from({ length: Math.min(8, USERS - i) }, (_, j) =>
      seedUser(server, i + j === 0 ? email : `bench-scale-${stamp}-${i + j}@example.com`))));
  const cookie = users[0].cookie;
  const userIds = `ARRAY[${users.map((u) => `'${u.userId}'`).join(",")}]`;
  // Each revoke-session run consumes its own sessions, inserted before the clock starts: token n is user n mod USERS's,
  // the user whose cookie request n carries (bench/wrk/post-json.lua).
  const seedSessions = (runId, parts) => {
    for (let k = 0; k < parts; k++) {
      psql(databaseUrl, `INSERT INTO "session" ("id", "expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId")
        SELECT 'seed-${runId}-${k}-' || g, now() + interval '7 days', 'revoke-${runId}-${k}-' || g, now(), now(), '', '', (${userIds})[g % ${USERS} + 1]
        FROM generate_series(1, 60000) g`);
    }
  };
  const cookies = users.map((u) => u.cookie).join("|");
  // Each instance accepts its own origin only (as behind a load balancer, all would share one public origin).
  const post = (body, values = "") => (target) => ({ COOKIES: cookies, VALUES: values, ORIGIN: target.baseURL, BODY: body });
  return {
    cases: [
      ["GET /get-session", "/get-session", "get.lua", { COOKIE: cookie }],
      ["POST /sign-in/email", "/sign-in/email", "sign-in.lua", { EMAIL: email, PASSWORD }, { hashing: true }],
      ["POST /update-user", "/update-user", "post-json.lua", post('{"name":"Bench {run} {part} {n}"}')],
      ["POST /organization/set-active", "/organization/set-active", "post-json.lua",
        post('{"organizationId":"{v}"}', users.map((u) => u.organizationId).join("|"))],
      ["POST /revoke-session", "/revoke-session", "post-json.lua", post('{"token":"revoke-{run}-{part}-{n}"}'), { beforeRun: seedSessions }],
    ],
    cookie,
  };
}

/** A setup's database (and Redis) URLs, through delay proxies when `delayed`; `stop()` ends the proxies. */
async function network(databaseUrl, redis, delayed) {
  if (!delayed) return { databaseUrl, redis, stop: () => {} };
  const db = new URL(databaseUrl);
  const pg = await startProxy(db.hostname, Number(db.port || 5432));
  db.hostname = "127.0.0.1";
  db.port = String(pg.port);
  let redisProxy = null, redisAddress = redis;
  if (redis) {
    const [host, port] = redis.split(":");
    redisProxy = await startProxy(host, Number(port));
    redisAddress = `127.0.0.1:${redisProxy.port}`;
  }
  return { databaseUrl: db.toString(), redis: redisAddress, stop: () => { pg.stop(); redisProxy?.stop(); } };
}

async function benchSetup({ serverUrl, redis, instances, delayed, only }) {
  const label = `${instances === 1 ? "one instance, PostgreSQL" : "2 instances, PostgreSQL + Redis"}${delayed ? `, +${ONE_WAY_MS * 2} ms RTT` : ""}`;
  const databaseUrl = freshDatabase(serverUrl, `ba_bench_${instances}_${delayed ? "d" : "l"}_${process.pid}`);
  const net = await network(databaseUrl, instances > 1 ? redis : null, delayed);
  const env = { ...serverEnv, DATABASE_URL: net.databaseUrl };
  if (instances > 1) Object.assign(env, { REDIS_URL: `redis://${net.redis}`, BetterAuth__SecondaryStorage__KeyPrefix: `bench-${Date.now()}:` });
  const servers = [];
  const results = {};
  try {
    // One after the other: both would otherwise race to create the schema (which is safe, but slower to start).
    for (let i = 0; i < instances; i++) servers.push(await startOurs({ env }));
    const rtt = roundTripMs(net.databaseUrl);
    const targets = servers.map((server) => ({ server, pid: pidOf(server.port) }));
    const { cases, cookie } = await seed(servers[0], databaseUrl);
    for (const s of servers) warmUp(s, cookie);
    for (const [name, route, script, env, extra = {}] of cases) {
      if (only && !only.test(name)) continue;
      if (extra.hashing && delayed) continue; // scrypt-bound either way
      for (const c of CONCURRENCY) {
        console.error(`[bench] ${label}: ${name} c=${c}`);
        results[`${name}|${c}`] = instances === 1
          ? measure(targets[0].pid, `${servers[0].apiURL}${route}`, script, c, typeof env === "function" ? env(servers[0]) : env, extra.beforeRun)
          : await measureSpread(targets, route, script, c, env, extra.beforeRun);
      }
    }
    return { label, rtt, results };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    net.stop();
  }
}

/** Every setup's rows, or null when no PostgreSQL/Redis is configured (bench/run.sh starts them). */
export async function benchScaleOut(only) {
  const serverUrl = process.env.BETTER_AUTH_TEST_POSTGRES_URL;
  const redis = process.env.BETTER_AUTH_TEST_REDIS;
  if (!serverUrl || !redis) return null;
  const setups = [];
  for (const delayed of [false, true])
    for (const instances of [1, 2]) setups.push(await benchSetup({ serverUrl, redis, instances, delayed, only }));
  return setups;
}
