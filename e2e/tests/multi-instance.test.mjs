// Two server processes behind one PostgreSQL database and one Redis, as behind a load balancer: a session made
// on one works on the other, a revocation on one is refused by the other at once, the sign-in rate limit counts
// requests to both, and concurrent sign-ups of one email across both make one user. The official client drives
// each instance through its own cookie jar; the jars share the session cookie, as one browser would.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createAuthClient } from "better-auth/client";
import { repoRoot, startOurs } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

const SESSION_COOKIE = "better-auth.session_token";
const PASSWORD = "password1234";

let services; // { postgresUrl, redis, startedHere }
let databaseUrl;
const servers = [];

/** PostgreSQL and Redis from scripts/test.sh's environment, else started here (and stopped after). */
function ensureServices() {
  if (process.env.BETTER_AUTH_TEST_POSTGRES_URL && process.env.BETTER_AUTH_TEST_REDIS) {
    return { postgresUrl: process.env.BETTER_AUTH_TEST_POSTGRES_URL, redis: process.env.BETTER_AUTH_TEST_REDIS, startedHere: null };
  }
  const dir = path.join(process.env.TMPDIR ?? "/tmp", `ba-e2e-services-${process.pid}`);
  const out = execFileSync("bash", [path.join(repoRoot, "scripts/services.sh"), "start", dir], { encoding: "utf8" });
  const value = (name) => out.match(new RegExp(`${name}='([^']*)'`))[1];
  return { postgresUrl: value("BETTER_AUTH_TEST_POSTGRES_URL"), redis: value("BETTER_AUTH_TEST_REDIS"), startedHere: dir };
}

function psql(sql, url = services.postgresUrl) {
  return execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-tAc", sql], { encoding: "utf8" }).trim();
}

/** Starts instances sharing the database and the Redis key space; they migrate the empty database at the same time. */
async function startInstances(count, env = {}) {
  const prefix = `e2e-${process.pid}-${servers.length}:`;
  const started = await Promise.all(Array.from({ length: count }, () => startOurs({
    env: { DATABASE_URL: databaseUrl, REDIS_URL: `redis://${services.redis}`, BetterAuth__SecondaryStorage__KeyPrefix: prefix, ...env },
  })));
  servers.push(...started);
  return started;
}

function browser(server, cookiesFrom) {
  const jar = new CookieJar(server.baseURL);
  if (cookiesFrom) for (const [name, value] of cookiesFrom.cookies) jar.set(name, value);
  const client = createAuthClient({ baseURL: server.baseURL, fetchOptions: { customFetchImpl: jar.fetch } });
  return { jar, client };
}

before(async () => {
  services = ensureServices();
  const name = `ba_e2e_${process.pid}_${Date.now()}`;
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(services.postgresUrl);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
});

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const s of servers) fs.rmSync(s.dir, { recursive: true, force: true });
  if (databaseUrl) psql(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
  if (services?.startedHere) execFileSync("bash", [path.join(repoRoot, "scripts/services.sh"), "stop", services.startedHere]);
});

describe("two instances on one PostgreSQL and one Redis", () => {
  let a;
  let b;

  before(async () => {
    [a, b] = await startInstances(2);
  });

  test("both created the schema once, in PostgreSQL's types", () => {
    const types = psql(`SELECT column_name || ':' || data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = 'session' AND column_name IN ('expiresAt', 'token') ORDER BY 1`, databaseUrl);
    assert.equal(types, "expiresAt:timestamp without time zone\ntoken:text");
  });

  test("a session made on A works on B; revoked on B, A refuses it at once", async () => {
    const onA = browser(a);
    const email = `multi-${Date.now()}@instances.test`;
    const signUp = await onA.client.signUp.email({ email, password: PASSWORD, name: "Multi" });
    assert.equal(signUp.error, null);
    assert.equal((await onA.client.getSession()).data.user.email, email); // cached in Redis by A

    const onB = browser(b, onA.jar);
    const seen = await onB.client.getSession();
    assert.equal(seen.data.user.email, email);
    assert.equal(seen.data.session.token, signUp.data.token);

    const revoked = await onB.client.revokeSession({ token: signUp.data.token });
    assert.equal(revoked.data.status, true);
    assert.equal((await onA.client.getSession()).data, null);
    assert.equal((await browser(b, onA.jar).client.getSession()).data, null);
  });

  test("sign-out on B ends the session on A", async () => {
    const onA = browser(a);
    const email = `out-${Date.now()}@instances.test`;
    await onA.client.signUp.email({ email, password: PASSWORD, name: "Out" });
    const onB = browser(b, onA.jar);
    assert.equal((await onB.client.signOut()).data.success, true);
    assert.equal((await onA.client.getSession()).data, null);
    assert.equal(onA.jar.get(SESSION_COOKIE), undefined, "A cleared the dead session's cookie");
  });

  test("concurrent sign-ups of one email across both instances make one user", async () => {
    const email = `race-${Date.now()}@instances.test`;
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      browser(i % 2 ? b : a).client.signUp.email({ email, password: PASSWORD, name: `Racer ${i}` })));
    assert.equal(results.filter((r) => r.error === null).length, 1);
    for (const r of results.filter((r) => r.error !== null)) {
      assert.equal(r.error.status, 422);
      assert.equal(r.error.code, "USER_ALREADY_EXISTS");
    }
    assert.equal(psql(`SELECT count(*) FROM "user" WHERE email = '${email}'`, databaseUrl), "1");
  });
});

describe("rate limits shared through Redis", () => {
  // A window far longer than the test (the built-in sign-in rule's 10 s can pass between four requests on a loaded
  // machine, and the test then proved nothing), so the fourth request is limited only if both instances counted.
  test("a limit (3 per 600 s) counts requests to both instances", async () => {
    const [c, d] = await startInstances(2, { BETTER_AUTH_RATE_LIMIT: "600:3" });
    const statuses = [];
    for (const server of [c, d, c, d]) {
      const res = await fetch(`${server.apiURL}/get-session`);
      statuses.push(res.status);
      if (res.status === 429) assert.match(res.headers.get("x-retry-after"), /^\d+$/);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });
});
