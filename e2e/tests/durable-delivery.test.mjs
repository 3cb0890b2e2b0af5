// Durable delivery end to end, with a real SMTP server on loopback (`smtp-server`, e2e/lib/smtp.mjs): a mail is stored
// in the authOutbox table with the token that causes it (a password reset, a magic link) and sent by the dispatcher, so
//  - a server killed with SIGKILL while its sends hang delivers every pending mail after the restart;
//  - an SMTP server that is down is retried with backoff and gets every mail once it is back;
//  - two instances on one PostgreSQL database send every mail exactly once.
// Each mail's link is followed: the token it carries is the one stored with it. Retries and polls are set short
// (1-2 s) so the suite takes seconds; E2E_SMTP_DOWN_MS sets how long SMTP stays down (default 6000; 60000 for a minute).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { createDatabase } from "../lib/databases.mjs";
import { freePort, repoRoot, startOurs } from "../lib/servers.mjs";
import { startSmtp, textLinks } from "../lib/smtp.mjs";

const PASSWORD = "password1234";
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Our server delivering over SMTP only (no outbox file), with a quick dispatcher: polls every second, retries after 1 s, then 2 s. */
function env(smtpPort, extra = {}) {
  return {
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(smtpPort),
    SMTP_SECURITY: "none",
    SMTP_FROM: "Durable E2E <no-reply@durable.test>",
    BETTER_AUTH_OUTBOX: "",
    BetterAuth__Messages__PollInterval: "1",
    BetterAuth__Messages__RetryDelay: "1",
    BetterAuth__Messages__MaxRetryDelay: "2",
    ...extra,
  };
}

let counter = 0;
function addresses(label, n) {
  return Array.from({ length: n }, () => `${label}-${++counter}-${Date.now()}@durable.test`);
}

async function post(server, route, body) {
  const res = await fetch(`${server.apiURL}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.baseURL },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

async function signUp(server, email) {
  const r = await post(server, "/sign-up/email", { email, password: PASSWORD, name: "Durable" });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

async function requestReset(server, email) {
  const r = await post(server, "/request-password-reset", { email, redirectTo: "/reset" });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** Asks for a magic link (no password hashing: cheap, so the suites can send many). */
async function requestMagicLink(server, email) {
  const r = await post(server, "/sign-in/magic-link", { email, callbackURL: "/welcome" });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** The mail's magic link signs its address in: the token it carries is the one stored with it. */
async function followMagicLink(server, mail) {
  const link = textLinks(mail).find((l) => l.includes("/magic-link/verify"));
  assert.ok(link, `no magic link in ${mail.text}`);
  const res = await fetch(link.replace(/^http:\/\/[^/]+/, server.baseURL), { redirect: "manual" });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/welcome");
  assert.match(res.headers.get("set-cookie") ?? "", /better-auth\.session_token=/);
}

/** The mail's reset link works: its token sets a new password. */
async function followResetLink(server, mail, email) {
  const link = textLinks(mail).find((l) => l.includes("/reset-password/"));
  assert.ok(link, `no reset link in ${mail.text}`);
  const token = new URL(link).pathname.split("/").pop();
  const r = await post(server, "/reset-password", { token, newPassword: "new-password-5678" });
  assert.equal(r.status, 200, `${email}: ${JSON.stringify(r.body)}`);
}

/** Every address got exactly one mail, and no more arrive for a while. */
async function assertExactlyOnce(smtp, list, settleMs = 2_000) {
  for (const a of list) await smtp.waitFor(a, { timeoutMs: 30_000 });
  await sleep(settleMs);
  for (const a of list) assert.equal(smtp.mailsTo(a).length, 1, `${a} got ${smtp.mailsTo(a).length} mails`);
}

function sqlite(server, sql) {
  return execFileSync("sqlite3", ["-cmd", ".timeout 10000", server.dbPath, sql], { encoding: "utf8" }).trim();
}

/** A TCP server that accepts connections and never says a word: an SMTP send to it hangs until its timeout. */
async function silentServer() {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    sockets,
    close: () => { for (const s of sockets) s.destroy(); return new Promise((r) => server.close(r)); },
  };
}

async function waitUntil(condition, what, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("a server killed with SIGKILL while mails are pending", () => {
  const cleanup = [];
  after(async () => { for (const c of cleanup.reverse()) await c(); });

  test("delivers every pending mail after the restart, once, with working links", async () => {
    const silent = await silentServer();
    cleanup.push(() => silent.close());
    // Sends hang on the silent server; a claim lapses after 3 s, so the restarted server takes the claimed mails.
    const first = await startOurs({ env: env(silent.port, { Smtp__TimeoutSeconds: "120", BetterAuth__Messages__ClaimTimeout: "3" }) });
    cleanup.push(async () => { await first.stop(); fs.rmSync(first.dir, { recursive: true, force: true }); });
    const resets = addresses("killed-reset", 1);
    const links = addresses("killed-link", 3);
    const list = [...resets, ...links];
    for (const a of resets) await signUp(first, a);
    for (const a of resets) await requestReset(first, a);
    for (const a of links) await requestMagicLink(first, a);

    // The dispatcher is talking to the silent server; all four mails are in the table, claimed.
    await waitUntil(() => silent.sockets.size >= 1, "a send under way");
    assert.equal(sqlite(first, `SELECT count(*) FROM "authOutbox" WHERE "kind" IN ('reset-password', 'magic-link')`), "4");
    assert.ok(Number(sqlite(first, `SELECT count(*) FROM "authOutbox" WHERE "claimedBy" IS NOT NULL`)) >= 1);
    await first.kill();
    await silent.close();

    const smtp = await startSmtp();
    cleanup.push(() => smtp.close());
    const second = await startOurs({ dir: first.dir, dbPath: first.dbPath, env: env(smtp.port, { BetterAuth__Messages__ClaimTimeout: "3" }) });
    cleanup.push(async () => { await second.stop(); });
    await assertExactlyOnce(smtp, list);
    for (const a of resets) await followResetLink(second, smtp.mailsTo(a)[0], a);
    for (const a of links) await followMagicLink(second, smtp.mailsTo(a)[0]);
    assert.equal(sqlite(second, `SELECT count(*) FROM "authOutbox"`), "0");
  });
});

describe("an SMTP server that is down for a while", () => {
  const cleanup = [];
  after(async () => { for (const c of cleanup.reverse()) await c(); });

  test("mails are retried with backoff while it is down and delivered once when it returns", async (t) => {
    const downMs = Number(process.env.E2E_SMTP_DOWN_MS ?? 6_000);
    const port = await freePort(); // nothing listens here until the SMTP server "returns"
    const server = await startOurs({ env: env(port, { BetterAuth__Messages__MaxAttempts: "1000" }) });
    cleanup.push(async () => { await server.stop(); fs.rmSync(server.dir, { recursive: true, force: true }); });
    const list = addresses("down", 3);
    const queuedAt = Date.now();
    for (const a of list) await requestMagicLink(server, a);

    await sleep(Math.max(0, downMs - (Date.now() - queuedAt)));
    const rows = sqlite(server, `SELECT "status", "attempts", "lastError" FROM "authOutbox" WHERE "kind" = 'magic-link'`)
      .split("\n").map((l) => l.split("|"));
    assert.equal(rows.length, 3);
    const seconds = downMs / 1000;
    for (const [status, attempts, lastError] of rows) {
      assert.equal(status, "pending");
      // Backoff, not a busy loop: 1 s, then 2 s between attempts (plus up to a 1 s poll).
      assert.ok(Number(attempts) >= 2 && Number(attempts) <= Math.ceil(seconds / 1) + 1, `attempts ${attempts} in ${seconds} s`);
      assert.match(lastError, /Socket|Connect|refused/i);
    }
    assert.match(server.logs(), /failed on attempt 2 of 1000 \([^)]+\); next attempt at/);
    t.diagnostic(`SMTP down ${seconds} s: attempts per mail ${rows.map((r) => r[1]).join(", ")}`);

    const smtp = await startSmtp({ port });
    cleanup.push(() => smtp.close());
    await assertExactlyOnce(smtp, list);
    for (const a of list) await followMagicLink(server, smtp.mailsTo(a)[0]);
    assert.equal(sqlite(server, `SELECT count(*) FROM "authOutbox"`), "0");
  });
});

describe("two instances on one PostgreSQL database", () => {
  let services; // a directory when this suite started PostgreSQL itself
  let db;
  const cleanup = [];

  before(() => {
    if (!process.env.BETTER_AUTH_TEST_POSTGRES_URL) {
      services = path.join(process.env.TMPDIR ?? "/tmp", `ba-e2e-durable-${process.pid}`);
      const out = execFileSync("bash", [path.join(repoRoot, "scripts/services.sh"), "start", services], { encoding: "utf8" });
      process.env.BETTER_AUTH_TEST_POSTGRES_URL = out.match(/BETTER_AUTH_TEST_POSTGRES_URL='([^']*)'/)[1];
    }
    db = createDatabase("postgres");
  });

  after(async () => {
    for (const c of cleanup.reverse()) await c();
    db?.drop();
    if (services) execFileSync("bash", [path.join(repoRoot, "scripts/services.sh"), "stop", services]);
  });

  test("every mail is sent exactly once, the instances sharing the work", async (t) => {
    const port = await freePort();
    // Small batches, one send at a time, a slightly slow SMTP server: both dispatchers are claiming at once.
    const instanceEnv = env(port, {
      ...db.env,
      BetterAuth__Messages__BatchSize: "2",
      BetterAuth__Messages__Concurrency: "1",
      "Logging__LogLevel__BetterAuth.Core.Messaging.MessageDispatcher": "Information",
    });
    const instances = await Promise.all([startOurs({ env: instanceEnv, keepAllLogs: true }), startOurs({ env: instanceEnv, keepAllLogs: true })]);
    cleanup.push(async () => { for (const s of instances) { await s.stop(); fs.rmSync(s.dir, { recursive: true, force: true }); } });

    // While SMTP is down, 20 magic links are queued through both instances; their first attempts fail.
    const list = addresses("twice", 20);
    await Promise.all(list.map((a, i) => requestMagicLink(instances[i % 2], a)));
    await sleep(1_500);

    const smtp = await startSmtp({ port, ackDelayMs: 50 });
    cleanup.push(() => smtp.close());
    await assertExactlyOnce(smtp, list, 2_000);
    assert.equal(smtp.messages.length, list.length);
    assert.equal(db.scalar(`SELECT count(*) FROM "authOutbox"`), "0");

    // Each instance logged the deliveries it made, by outbox row id (never the address): together all of them, no
    // message twice.
    const delivered = instances.map((s) => [...s.logs().matchAll(/Auth message (\S+) \(magic-link\) delivered/g)].map((m) => m[1]));
    assert.equal(delivered[0].length + delivered[1].length, list.length);
    assert.equal(new Set([...delivered[0], ...delivered[1]]).size, list.length);
    // Which instance sends which mail is up to whose poll comes first (usually both take part; on a loaded machine one
    // may take all): exactly once is what is asserted, the split is reported.
    t.diagnostic(`deliveries per instance: ${delivered[0].length}, ${delivered[1].length}`);
    for (const [i, s] of instances.entries()) for (const a of list) assert.ok(!s.logs().includes(a), `instance ${i} logged an address`);

    for (const [i, a] of list.slice(0, 4).entries()) await followMagicLink(instances[i % 2], smtp.mailsTo(a)[0]);
  });
});
