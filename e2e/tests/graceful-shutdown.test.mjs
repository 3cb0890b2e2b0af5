// Graceful shutdown under load: SIGTERM while clients keep signing up (scrypt hashing) and asking for magic links
// (mails over a slow real SMTP server). The server stops accepting connections, finishes the requests it accepted
// and the hashing they wait for, lets the dispatcher finish the sends under way, and exits 0 within the host's
// shutdown timeout (shutdownTimeoutSeconds). Proof that no accepted request failed: every answer a client got is a
// 200, the server's own request log lists exactly the requests that were answered, every user row belongs to a
// sign-up that got its answer, and every mail of an answered magic-link request is delivered (before the exit, or
// after the restart from the outbox table), once.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import { startOurs } from "../lib/servers.mjs";
import { startSmtp } from "../lib/smtp.mjs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SHUTDOWN_TIMEOUT_SECONDS = 20;

/** One POST on its own connection (no keep-alive), so a request is either accepted with its connection or refused. */
function post(server, route, body) {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const startedAt = Date.now();
    const req = http.request({
      host: "127.0.0.1", port: server.port, path: `/api/auth${route}`, method: "POST", agent: false,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data), origin: server.baseURL, connection: "close" },
    }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => { text += c; });
      res.on("end", () => resolve({ route, body, startedAt, endedAt: Date.now(), status: res.statusCode, text }));
      res.on("error", (e) => resolve({ route, body, startedAt, endedAt: Date.now(), error: e.code ?? e.message, midResponse: true }));
    });
    req.on("error", (e) => resolve({ route, body, startedAt, endedAt: Date.now(), error: e.code ?? e.message }));
    req.end(data);
  });
}

function sqlite(server, sql) {
  return execFileSync("sqlite3", ["-cmd", ".timeout 10000", server.dbPath, sql], { encoding: "utf8" }).trim();
}

describe("SIGTERM under load", () => {
  const cleanup = [];
  after(async () => { for (const c of cleanup.reverse()) await c(); });

  test("stops accepting, answers every accepted request, flushes the sends under way, exits 0 in time", async () => {
    const smtp = await startSmtp({ ackDelayMs: 800 }); // each mail takes 0.8 s: sends are under way at any moment
    cleanup.push(() => smtp.close());
    const env = {
      SMTP_HOST: "127.0.0.1", SMTP_PORT: String(smtp.port), SMTP_SECURITY: "none", SMTP_FROM: "Shutdown E2E <no-reply@shutdown.test>",
      BETTER_AUTH_OUTBOX: "",
      shutdownTimeoutSeconds: String(SHUTDOWN_TIMEOUT_SECONDS),
      BetterAuth__Messages__PollInterval: "1",
      "Logging__LogLevel__BetterAuth.Server.Requests": "Information",
    };
    const server = await startOurs({ env, keepAllLogs: true });
    cleanup.push(async () => { await server.stop(); fs.rmSync(server.dir, { recursive: true, force: true }); });

    // Six clients: two sign-ups (a password hash each) for every magic link, until the server has exited.
    const results = [];
    let stopAt = Infinity;
    let n = 0;
    async function client(id) {
      while (Date.now() < stopAt) {
        n += 1;
        const email = `load-${id}-${n}-${Date.now()}@shutdown.test`;
        const r = n % 3 === 0
          ? await post(server, "/sign-in/magic-link", { email, callbackURL: "/" })
          : await post(server, "/sign-up/email", { email, password: "password1234", name: "Load" });
        results.push(r);
        if (r.error) await sleep(50); // refused: the server is going away
      }
    }
    const clients = Array.from({ length: 6 }, (_, i) => client(i));
    // Load first: wait until answers flow (the first requests also warm the server up).
    while (results.filter((r) => r.status === 200).length < 12) await sleep(50);

    const sigtermAt = Date.now();
    const exit = server.terminate().then((e) => { stopAt = Date.now(); return e; });
    await Promise.all(clients);
    const { code, signal, ms } = await exit;

    // Exits by itself, cleanly, within the shutdown timeout.
    assert.equal(signal, null);
    assert.equal(code, 0, server.logs().slice(-3000));
    assert.ok(ms < SHUTDOWN_TIMEOUT_SECONDS * 1000, `exited ${ms} ms after SIGTERM`);

    // Every answer is a success; requests failed only by being refused, never in the middle of an answer.
    const answered = results.filter((r) => r.status !== undefined);
    const failed = results.filter((r) => r.error);
    assert.deepEqual(answered.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.text}`), []);
    assert.deepEqual(failed.filter((r) => r.midResponse), []);
    assert.deepEqual([...new Set(failed.map((r) => r.error))].filter((e) => !["ECONNREFUSED", "ECONNRESET", "EPIPE"].includes(e)), []);
    // It stopped accepting: requests after SIGTERM were refused.
    assert.ok(failed.some((r) => r.error === "ECONNREFUSED" && r.startedAt > sigtermAt), "no request was refused after SIGTERM");
    // Requests in flight at SIGTERM (hashing queued behind other hashes) were finished, not dropped.
    const inFlight = answered.filter((r) => r.startedAt < sigtermAt && r.endedAt > sigtermAt);
    assert.ok(inFlight.length >= 1, "no request was in flight at SIGTERM");

    // The server's own log lists exactly the requests that were answered (none it began went unanswered)...
    const logged = (route) => [...server.logs().matchAll(new RegExp(`POST /api/auth${route} responded (\\d+)`, "g"))].map((m) => m[1]);
    for (const route of ["/sign-up/email", "/sign-in/magic-link"]) {
      const mine = answered.filter((r) => r.route === route);
      assert.deepEqual(logged(route), mine.map(() => "200"), `${route}: the server answered ${logged(route).length}, clients got ${mine.length}`);
    }
    // ...and every user row belongs to a sign-up whose answer arrived.
    const signedUp = answered.filter((r) => r.route === "/sign-up/email").map((r) => r.body.email).sort();
    assert.deepEqual(sqlite(server, `SELECT "email" FROM "user" ORDER BY "email"`).split("\n").filter(Boolean), signedUp);

    // Mails: the sends under way at SIGTERM finished; what was still queued waits in the table, unclaimed.
    const links = answered.filter((r) => r.route === "/sign-in/magic-link").map((r) => r.body.email);
    assert.ok(links.length >= 1);
    const pending = Number(sqlite(server, `SELECT count(*) FROM "authOutbox"`));
    assert.equal(sqlite(server, `SELECT count(*) FROM "authOutbox" WHERE "claimedBy" IS NOT NULL OR "status" <> 'pending'`), "0");
    assert.equal(smtp.messages.length + pending, links.length);
    assert.ok(smtp.messages.some((m) => m.receivedAt > sigtermAt), "no send was under way at SIGTERM");

    // After a restart the queued mails go out: every answered magic-link request got its mail, once.
    const restarted = await startOurs({ dir: server.dir, dbPath: server.dbPath, env });
    cleanup.push(() => restarted.stop());
    for (const address of links) await smtp.waitFor(address, { timeoutMs: 30_000 });
    await sleep(1_000);
    for (const address of links) assert.equal(smtp.mailsTo(address).length, 1, address);
    assert.equal(smtp.messages.length, links.length);
  });
});
