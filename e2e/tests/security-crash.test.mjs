// Crash safety: a write load from many concurrent clients (sign-ups with unique emails; organization creates, which
// write the organization and its owner's membership), the server killed with SIGKILL in the middle of it, then
// restarted on the same database. Every write that was answered 200 must be there, nothing may be half-written (a
// user without its credential account, an organization without its owner), and the restarted server must serve.
// The kill comes at three moments (just after the first answers, mid-load, deep into the load), on one database
// that carries the survivors of the earlier kills. Runs on SQLite, and on PostgreSQL when the environment has one.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { startOurs, tempDir } from "../lib/servers.mjs";
import { createDatabase, postgresSkipReason } from "../lib/databases.mjs";
import { PASSWORD, SESSION_COOKIE, api, cookieHeader, uniqueEmail } from "../lib/api.mjs";

const CLIENTS = 16;
/** Kill once this many writes of the round have been answered 200, then after a few more milliseconds (so the
 * kill falls at varied points of the requests in flight: waiting, mid-transaction, answering). */
const KILL_AFTER_ACKNOWLEDGED = [1, 60, 250];
const KILL_DELAY_MS = [0, 3, 11];
/** Every how many requests a client signs up again (the others create organizations: no password hashing, so the
 * load is mostly database writes and the kill most likely lands inside one). */
const SIGN_UP_EVERY = 4;

/**
 * Starts CLIENTS loops of writes against `server`, each recording what was answered 200 into `acknowledged`.
 * A loop ends at its first failed connection (the server is gone); what it was writing then goes to `cutOff`.
 * Returns { reached(n), done, unexpected, cutOff, answered() }.
 */
function startWriteLoad(server, acknowledged, round) {
  let answered = 0;
  const waiting = [];
  const unexpected = [];
  const cutOff = { emails: [], slugs: [] };
  const acknowledge = () => {
    answered += 1;
    for (const w of waiting.filter((w) => answered >= w.count)) w.resolve();
  };

  async function client(clientIndex) {
    let session;
    for (let i = 0; ; i++) {
      const signingUp = !session || i % SIGN_UP_EVERY === 0;
      const email = uniqueEmail(`crash-${round}-${clientIndex}`);
      const slug = `crash-${round}-${clientIndex}-${i}-${Date.now()}`;
      try {
        if (signingUp) {
          const res = await api(server, "/sign-up/email", { body: { email, password: PASSWORD, name: "Crash" } });
          if (res.status !== 200) { unexpected.push(`sign-up ${res.status} ${JSON.stringify(res.data)}`); continue; }
          acknowledged.emails.push(email);
          session = cookieHeader(res);
        } else {
          const res = await api(server, "/organization/create", { cookie: session, body: { name: `Crash ${slug}`, slug } });
          if (res.status !== 200) { unexpected.push(`organization/create ${res.status} ${JSON.stringify(res.data)}`); continue; }
          acknowledged.organizations.push(res.data.id);
        }
        acknowledge();
      } catch {
        // The connection failed: the server was killed while this write was on its way, in progress or answering.
        if (signingUp) cutOff.emails.push(email); else cutOff.slugs.push(slug);
        return;
      }
    }
  }

  const done = Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
  return {
    reached: (count) => (answered >= count ? Promise.resolve() : new Promise((resolve) => waiting.push({ count, resolve }))),
    done,
    unexpected,
    cutOff,
    answered: () => answered,
  };
}

const sqlList = (values) => values.map((v) => `'${v.replaceAll("'", "''")}'`).join(",");

/** Asserts the database holds every acknowledged write and nothing half-written. */
function assertConsistent(db, acknowledged) {
  const storedEmails = new Set(db.column(`SELECT email FROM "user" WHERE email IN (${sqlList(acknowledged.emails)})`));
  const lostEmails = acknowledged.emails.filter((e) => !storedEmails.has(e));
  assert.deepEqual(lostEmails, [], "every sign-up answered 200 is stored");

  if (acknowledged.organizations.length > 0) {
    const storedOrganizations = new Set(db.column(`SELECT id FROM organization WHERE id IN (${sqlList(acknowledged.organizations)})`));
    const lostOrganizations = acknowledged.organizations.filter((id) => !storedOrganizations.has(id));
    assert.deepEqual(lostOrganizations, [], "every organization answered 200 is stored");
  }

  const usersWithoutPassword = db.column(`SELECT u.email FROM "user" u WHERE NOT EXISTS
    (SELECT 1 FROM account a WHERE a."userId" = u.id AND a."providerId" = 'credential' AND a.password IS NOT NULL)`);
  assert.deepEqual(usersWithoutPassword, [], "every user has its credential account");
  const organizationsWithoutOwner = db.column(`SELECT o.slug FROM organization o WHERE NOT EXISTS
    (SELECT 1 FROM member m WHERE m."organizationId" = o.id AND m.role = 'owner')`);
  assert.deepEqual(organizationsWithoutOwner, [], "every organization has its owner member");
  const orphanRows = db.scalar(`SELECT
    (SELECT count(*) FROM account a WHERE NOT EXISTS (SELECT 1 FROM "user" u WHERE u.id = a."userId")) +
    (SELECT count(*) FROM session s WHERE NOT EXISTS (SELECT 1 FROM "user" u WHERE u.id = s."userId")) +
    (SELECT count(*) FROM member m WHERE NOT EXISTS (SELECT 1 FROM organization o WHERE o.id = m."organizationId"))`);
  assert.equal(orphanRows, "0", "no account, session or member row points at a missing parent");
  if (db.kind === "sqlite") assert.equal(db.scalar("PRAGMA integrity_check"), "ok");
}

/** How many of the writes cut off by the kill were committed anyway (whole, as assertConsistent shows). */
function committedOf(db, cutOff) {
  const users = cutOff.emails.length ? Number(db.scalar(`SELECT count(*) FROM "user" WHERE email IN (${sqlList(cutOff.emails)})`)) : 0;
  const organizations = cutOff.slugs.length ? Number(db.scalar(`SELECT count(*) FROM organization WHERE slug IN (${sqlList(cutOff.slugs)})`)) : 0;
  return users + organizations;
}

/** The restarted server answers: a known user signs in, a new one signs up and holds a session. */
async function assertServes(server, knownEmail) {
  const signIn = await api(server, "/sign-in/email", { body: { email: knownEmail, password: PASSWORD } });
  assert.equal(signIn.status, 200, `a user stored before the crash signs in: ${JSON.stringify(signIn.data)}`);
  const email = uniqueEmail("after-crash");
  const signUp = await api(server, "/sign-up/email", { body: { email, password: PASSWORD, name: "After" } });
  assert.equal(signUp.status, 200, JSON.stringify(signUp.data));
  const session = await api(server, "/get-session", { cookie: `${SESSION_COOKIE}=${signUp.cookie(SESSION_COOKIE)}` });
  assert.equal(session.data?.user?.email, email);
  assert.doesNotMatch(server.logs(), /\b(fail|crit)[:|]/i, "the restarted server logged no errors");
}

for (const kind of ["sqlite", "postgres"]) {
  describe(`crash safety on ${kind}`, { skip: kind === "postgres" && postgresSkipReason() }, () => {
    test(`SIGKILL at ${KILL_AFTER_ACKNOWLEDGED.length} moments of a write load loses no answered write`, { timeout: 600_000 }, async () => {
      const dir = tempDir("ba-crash-");
      const db = createDatabase(kind, dir);
      const acknowledged = { emails: [], organizations: [] };
      let server = await startOurs({ dir, env: db.env });
      const killedAt = [];
      let cutOff = 0;
      let committedUnanswered = 0;
      try {
        for (const [round, killAfter] of KILL_AFTER_ACKNOWLEDGED.entries()) {
          const load = startWriteLoad(server, acknowledged, round);
          await load.reached(killAfter);
          await new Promise((r) => setTimeout(r, KILL_DELAY_MS[round]));
          await server.kill();
          await load.done;
          assert.deepEqual(load.unexpected, [], "no write was refused before the kill");
          killedAt.push(load.answered());

          server = await server.restart();
          assertConsistent(db, acknowledged);
          cutOff += load.cutOff.emails.length + load.cutOff.slugs.length;
          committedUnanswered += committedOf(db, load.cutOff);
          await assertServes(server, acknowledged.emails[0]);
        }
      } finally {
        await server.stop();
        db.drop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
      console.log(`crash[${kind}]: ${CLIENTS} clients, SIGKILL after ${killedAt.join("/")} answered writes → ` +
        `all ${acknowledged.emails.length} sign-ups and ${acknowledged.organizations.length} organizations stored, ` +
        `none half-written (${cutOff} writes cut off: ${committedUnanswered} committed whole, the rest not at all), restarted server serves`);
    });
  });
}
