// Races against the real server process: many requests fired at once where exactly one may win (or no more than a
// limit) — sign-ups of one email or username, creates of one organization slug, creates and invitations past the
// organization and invitation limits, accepting (or rejecting) one invitation, spending one email OTP, phone OTP,
// two-factor OTP, backup code or reset token — a burst of wrong OTP guesses, each of which must count against the
// attempt limit, and get-session refreshing one session from many tabs at once. Each is checked in the answers and
// in the tables. Runs on SQLite, and on PostgreSQL when the environment has one (the session races also with Redis).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { generate } from "otplib";
import { startOurs, tempDir } from "../lib/servers.mjs";
import { createDatabase, postgresSkipReason } from "../lib/databases.mjs";
import { PASSWORD, SESSION_COOKIE, api, burst, cookieHeader, signUp, statusCounts, uniqueEmail } from "../lib/api.mjs";

const TWO_FACTOR_COOKIE = "better-auth.two_factor";
const SIGN_UPS = 100;
const ATTEMPTS = 24;
// A session is due for refresh one second after it was last extended (production default: a day).
const UPDATE_AGE_SECONDS = 1;
// Small organization limits, so a burst can be seen to overrun them or not (each other test stays under them).
const ORGANIZATION_LIMIT = 2;
const INVITATION_LIMIT = 3;
const phoneBase = 2000 + Math.floor(Math.random() * 7000);
let phoneCounter = 0;

/** The 200s among the results, with a readable failure message. */
function assertOneWinner(results, what) {
  const winners = results.filter((r) => r.status === 200);
  assert.equal(winners.length, 1, `${what}: expected exactly one 200, got ${JSON.stringify(statusCounts(results))}`);
  for (const loser of results.filter((r) => r.status !== 200)) {
    assert.ok(loser.status >= 400 && loser.status < 500, `${what}: a losing request answered ${loser.status}, not a 4xx`);
  }
  return winners[0];
}

const redisURL = process.env.BETTER_AUTH_TEST_REDIS ? `redis://${process.env.BETTER_AUTH_TEST_REDIS}` : undefined;
const configurations = [
  { name: "sqlite", kind: "sqlite" },
  { name: "postgres", kind: "postgres" },
  // Redis caches sessions (not the rows the other races are about), so with it only the session races run.
  { name: "postgres+redis", kind: "postgres", redis: true },
];

for (const { name, kind, redis } of configurations) {
  const skip = (kind === "postgres" && postgresSkipReason()) || (redis && !redisURL && "BETTER_AUTH_TEST_REDIS is not set");
  describe(`races on ${name}`, { skip, timeout: 600_000 }, () => {
    let server;
    let db;
    const report = (line) => console.log(`races[${name}]: ${line}`);
    const dataRace = redis ? () => {} : test;

    before(async () => {
      const dir = tempDir("ba-races-");
      db = createDatabase(kind, dir);
      server = await startOurs({
        dir,
        env: {
          ...db.env,
          BetterAuth__Session__UpdateAge: String(UPDATE_AGE_SECONDS),
          Plugins__Organization__OrganizationLimit: String(ORGANIZATION_LIMIT),
          Plugins__Organization__InvitationLimit: String(INVITATION_LIMIT),
          ...(redis ? { REDIS_URL: redisURL, BetterAuth__SecondaryStorage__KeyPrefix: `races-${process.pid}:` } : {}),
        },
      });
    });

    after(async () => {
      await server?.stop();
      db?.drop();
      if (server) fs.rmSync(server.dir, { recursive: true, force: true });
    });

    dataRace(`${SIGN_UPS} concurrent sign-ups of one email make one user`, async () => {
      const email = uniqueEmail("signup-race");
      const results = await burst(SIGN_UPS, (i) =>
        api(server, "/sign-up/email", { body: { email, password: PASSWORD, name: `Racer ${i}` } }));
      assertOneWinner(results, "sign-up");
      for (const r of results.filter((r) => r.status !== 200)) assert.equal(r.data.code, "USER_ALREADY_EXISTS");
      assert.equal(db.scalar(`SELECT count(*) FROM "user" WHERE email = '${email}'`), "1");
      assert.equal(db.scalar(`SELECT count(*) FROM account a JOIN "user" u ON u.id = a."userId" WHERE u.email = '${email}'`), "1");
      report(`${SIGN_UPS} sign-ups of one email → 1× 200, ${SIGN_UPS - 1}× 422, 1 user row, 1 account row`);
    });

    dataRace("concurrent accepts of one invitation make one member", async () => {
      const owner = await signUp(server, "inviter");
      const created = await api(server, "/organization/create", {
        cookie: owner.cookie, body: { name: "Race Org", slug: `race-${Date.now()}-${kind}` },
      });
      assert.equal(created.status, 200, JSON.stringify(created.data));
      const organizationId = created.data.id;
      const guest = await signUp(server, "invitee");
      const invited = await api(server, "/organization/invite-member", {
        cookie: owner.cookie, body: { email: guest.email, role: "member", organizationId },
      });
      assert.equal(invited.status, 200, JSON.stringify(invited.data));

      const results = await burst(ATTEMPTS, () => api(server, "/organization/accept-invitation", {
        cookie: guest.cookie, body: { invitationId: invited.data.id },
      }));
      assertOneWinner(results, "accept-invitation");
      assert.equal(db.scalar(`SELECT count(*) FROM member WHERE "organizationId" = '${organizationId}' AND "userId" = '${guest.userId}'`), "1");
      report(`${ATTEMPTS} accepts of one invitation → 1× 200, 1 member row`);
    });

    dataRace("unique values claimed at once: one username, one organization slug", async () => {
      const username = `racer_${process.pid}_${Date.now() % 1_000_000}`;
      const signUps = await burst(ATTEMPTS, (i) => api(server, "/sign-up/email", {
        body: { email: uniqueEmail(`username-race-${i}`), password: PASSWORD, name: "Racer", username },
      }));
      assertOneWinner(signUps, "sign-up with one username");
      assert.equal(db.scalar(`SELECT count(*) FROM "user" WHERE username = '${username}'`), "1");

      const owner = await signUp(server, "slug-racer");
      const slug = `slug-race-${process.pid}-${Date.now()}`;
      const creates = await burst(ATTEMPTS, () => api(server, "/organization/create", { cookie: owner.cookie, body: { name: "Slug", slug } }));
      assertOneWinner(creates, "organization/create with one slug");
      assert.equal(db.scalar(`SELECT count(*) FROM organization WHERE slug = '${slug}'`), "1");
      report(`${ATTEMPTS} sign-ups claiming one username → 1 user; ${ATTEMPTS} creates of one slug → 1 organization`);
    });

    dataRace("organization and invitation limits hold against a burst", async () => {
      const owner = await signUp(server, "limit-racer");
      const creates = await burst(ATTEMPTS, (i) => api(server, "/organization/create", {
        cookie: owner.cookie, body: { name: "Limited", slug: `limited-${process.pid}-${Date.now()}-${i}` },
      }));
      assert.equal(creates.filter((r) => r.status === 200).length, ORGANIZATION_LIMIT, JSON.stringify(statusCounts(creates)));
      assert.equal(db.scalar(`SELECT count(*) FROM member WHERE "userId" = '${owner.userId}'`), String(ORGANIZATION_LIMIT));

      const organizationId = creates.find((r) => r.status === 200).data.id;
      const invites = await burst(ATTEMPTS, (i) => api(server, "/organization/invite-member", {
        cookie: owner.cookie, body: { email: uniqueEmail(`limit-guest-${i}`), role: "member", organizationId },
      }));
      assert.equal(invites.filter((r) => r.status === 200).length, INVITATION_LIMIT, JSON.stringify(statusCounts(invites)));
      assert.equal(db.scalar(`SELECT count(*) FROM invitation WHERE "organizationId" = '${organizationId}'`), String(INVITATION_LIMIT));
      report(`${ATTEMPTS} creates by one user (limit ${ORGANIZATION_LIMIT}) → ${ORGANIZATION_LIMIT} organizations; ` +
        `${ATTEMPTS} invitations (limit ${INVITATION_LIMIT}) → ${INVITATION_LIMIT} pending`);
    });

    dataRace("accepting and rejecting one invitation at once has one outcome", async () => {
      const owner = await signUp(server, "decider-owner");
      const created = await api(server, "/organization/create", { cookie: owner.cookie, body: { name: "Decide", slug: `decide-${process.pid}-${Date.now()}` } });
      const guest = await signUp(server, "decider");
      const invited = await api(server, "/organization/invite-member", {
        cookie: owner.cookie, body: { email: guest.email, role: "member", organizationId: created.data.id },
      });
      const routes = ["/organization/accept-invitation", "/organization/reject-invitation"];
      const results = await burst(ATTEMPTS, (i) => api(server, routes[i % 2], { cookie: guest.cookie, body: { invitationId: invited.data.id } }));
      const winner = assertOneWinner(results, "accept/reject");
      const status = db.scalar(`SELECT status FROM invitation WHERE id = '${invited.data.id}'`);
      const members = db.scalar(`SELECT count(*) FROM member WHERE "userId" = '${guest.userId}'`);
      assert.equal(status, results.indexOf(winner) % 2 === 0 ? "accepted" : "rejected");
      assert.equal(members, status === "accepted" ? "1" : "0");
      report(`${ATTEMPTS} accepts and rejects of one invitation → 1× 200, invitation ${status}, ${members} member row${members === "1" ? "" : "s"}`);
    });

    dataRace("one email OTP signs in once, and makes one user", async () => {
      const email = uniqueEmail("email-otp-race");
      const sent = await api(server, "/email-otp/send-verification-otp", { body: { email, type: "sign-in" } });
      assert.equal(sent.status, 200, JSON.stringify(sent.data));
      const { otp } = server.lastMessage("email-otp:sign-in", email);

      const results = await burst(ATTEMPTS, () => api(server, "/sign-in/email-otp", { body: { email, otp } }));
      const winner = assertOneWinner(results, "sign-in/email-otp");
      assert.ok(winner.cookie(SESSION_COOKIE), "the winner got a session");
      assert.equal(db.scalar(`SELECT count(*) FROM "user" WHERE email = '${email}'`), "1");
      assert.equal(db.scalar(`SELECT count(*) FROM session s JOIN "user" u ON u.id = s."userId" WHERE u.email = '${email}'`), "1");
      report(`${ATTEMPTS} sign-ins with one email OTP → 1× 200, 1 user, 1 session`);
    });

    dataRace("one phone OTP verifies once, and makes one user", async () => {
      phoneCounter += 1;
      const phoneNumber = `+1415555${phoneBase + phoneCounter}`;
      const sent = await api(server, "/phone-number/send-otp", { body: { phoneNumber } });
      assert.equal(sent.status, 200, JSON.stringify(sent.data));
      const { otp } = server.lastMessage("phone-otp", phoneNumber);

      const results = await burst(ATTEMPTS, () => api(server, "/phone-number/verify", { body: { phoneNumber, code: otp } }));
      assertOneWinner(results, "phone-number/verify");
      assert.equal(db.scalar(`SELECT count(*) FROM "user" WHERE "phoneNumber" = '${phoneNumber}'`), "1");
      report(`${ATTEMPTS} verifications with one phone OTP → 1× 200, 1 user`);
    });

    dataRace("a burst of wrong guesses at one phone OTP is counted guess by guess", async () => {
      phoneCounter += 1;
      const phoneNumber = `+1415555${phoneBase + phoneCounter}`;
      assert.equal((await api(server, "/phone-number/send-otp", { body: { phoneNumber } })).status, 200);
      const { otp } = server.lastMessage("phone-otp", phoneNumber);
      const guess = (i) => String((Number(otp) + 1 + i) % 1_000_000).padStart(6, "0"); // never the code

      const results = await burst(ATTEMPTS, (i) => api(server, "/phone-number/verify", { body: { phoneNumber, code: guess(i) } }));
      const codes = results.map((r) => r.data?.code);
      // Three wrong answers (the allowed attempts); every other guess found the code spent or already gone.
      assert.equal(codes.filter((c) => c === "INVALID_OTP").length, 3, JSON.stringify(codes));
      assert.ok(codes.every((c) => ["INVALID_OTP", "TOO_MANY_ATTEMPTS", "OTP_NOT_FOUND"].includes(c)), JSON.stringify(codes));
      const right = await api(server, "/phone-number/verify", { body: { phoneNumber, code: otp } });
      assert.notEqual(right.status, 200, "the right code no longer works after the allowed wrong guesses");
      report(`${ATTEMPTS} concurrent wrong guesses at one phone OTP → 3× INVALID_OTP (the limit), the rest refused unchecked; the code is then dead`);
    });

    /** A user with two-factor on: returns their email, backup codes and TOTP URI. */
    async function enrolledInTwoFactor() {
      const user = await signUp(server, "two-factor-race");
      const enabled = await api(server, "/two-factor/enable", { cookie: user.cookie, body: { password: PASSWORD } });
      assert.equal(enabled.status, 200, JSON.stringify(enabled.data));
      const secret = new URL(enabled.data.totpURI).searchParams.get("secret");
      const code = await generate({ secret });
      const verified = await api(server, "/two-factor/verify-totp", { cookie: user.cookie, body: { code } });
      assert.equal(verified.status, 200, JSON.stringify(verified.data));
      return { ...user, backupCodes: enabled.data.backupCodes };
    }

    /** A password sign-in stopped at the second factor: the Cookie header carrying its two_factor cookie. */
    async function challenge(email) {
      const signIn = await api(server, "/sign-in/email", { body: { email, password: PASSWORD } });
      assert.equal(signIn.status, 200, JSON.stringify(signIn.data));
      assert.deepEqual(signIn.data, { twoFactorRedirect: true });
      return cookieHeader(signIn, TWO_FACTOR_COOKIE);
    }

    dataRace("one two-factor backup code completes one sign-in", async () => {
      const user = await enrolledInTwoFactor();
      // Separate sign-ins (as from separate browsers), each holding the stolen code.
      const challenges = [];
      for (let i = 0; i < ATTEMPTS; i++) challenges.push(await challenge(user.email));
      const code = user.backupCodes[3];

      const results = await burst(ATTEMPTS, (i) => api(server, "/two-factor/verify-backup-code", { cookie: challenges[i], body: { code } }));
      const winner = assertOneWinner(results, "verify-backup-code");
      assert.ok(winner.cookie(SESSION_COOKIE));
      // The sign-up session and the one the winning challenge created.
      assert.equal(db.scalar(`SELECT count(*) FROM session WHERE "userId" = '${user.userId}'`), "2");
      report(`${ATTEMPTS} sign-ins with one backup code → 1× 200, 1 new session`);
    });

    dataRace("one two-factor OTP completes one sign-in", async () => {
      const user = await enrolledInTwoFactor();
      const pending = await challenge(user.email);
      const sent = await api(server, "/two-factor/send-otp", { cookie: pending, body: {} });
      assert.equal(sent.status, 200, JSON.stringify(sent.data));
      const { otp } = server.lastMessage("two-factor-otp", user.email);

      const results = await burst(ATTEMPTS, () => api(server, "/two-factor/verify-otp", { cookie: pending, body: { code: otp } }));
      assertOneWinner(results, "two-factor/verify-otp");
      assert.equal(db.scalar(`SELECT count(*) FROM session WHERE "userId" = '${user.userId}'`), "2");
      report(`${ATTEMPTS} verifications of one two-factor OTP → 1× 200, 1 new session`);
    });

    dataRace("one reset-password token sets one password", async () => {
      const user = await signUp(server, "reset-race");
      const requested = await api(server, "/request-password-reset", { body: { email: user.email, redirectTo: "/reset" } });
      assert.equal(requested.status, 200, JSON.stringify(requested.data));
      const { token } = server.lastMessage("reset-password", user.email);
      const newPassword = (i) => `new-password-${i}-of-the-race`;

      const results = await burst(ATTEMPTS, (i) => api(server, "/reset-password", { body: { token, newPassword: newPassword(i) } }));
      const winner = assertOneWinner(results, "reset-password");
      // Exactly the winner's password is the one stored.
      const chosen = results.indexOf(winner);
      const signIn = (password) => api(server, "/sign-in/email", { body: { email: user.email, password } });
      assert.equal((await signIn(newPassword(chosen))).status, 200);
      assert.equal((await signIn(newPassword((chosen + 1) % ATTEMPTS))).status, 401);
      report(`${ATTEMPTS} resets with one token → 1× 200, the winner's password is the one that signs in`);
    });

    test("concurrent get-session refreshes keep one valid session with its token", async () => {
      const user = await signUp(server, "refresh-race");
      const before = db.scalar(`SELECT "expiresAt" FROM session WHERE token = '${user.token}'`);
      // Past updateAge (and past the stored timestamps' millisecond precision), so every request below is due to refresh.
      await new Promise((r) => setTimeout(r, (UPDATE_AGE_SECONDS + 1) * 1000));

      const results = await burst(ATTEMPTS, () => api(server, "/get-session", { cookie: user.cookie }));
      assert.deepEqual(statusCounts(results), { 200: ATTEMPTS });
      for (const r of results) {
        assert.equal(r.data?.session?.token, user.token, "every tab sees the same session");
        const renewed = r.cookie(SESSION_COOKIE);
        if (renewed !== undefined) assert.equal(`${SESSION_COOKIE}=${renewed}`, user.cookie, "a refresh re-sends the same token");
      }
      const refreshed = results.filter((r) => r.cookie(SESSION_COOKIE) !== undefined).length;
      assert.ok(refreshed >= 1, "at least one request refreshed the session");

      assert.equal(db.scalar(`SELECT count(*) FROM session WHERE "userId" = '${user.userId}'`), "1");
      const afterwards = db.scalar(`SELECT "expiresAt" FROM session WHERE token = '${user.token}'`);
      assert.ok(new Date(afterwards) > new Date(before), `expiry moved forward (${before} → ${afterwards})`);
      const later = await api(server, "/get-session", { cookie: user.cookie });
      assert.equal(later.data?.session?.token, user.token, "the token is still valid afterwards");
      report(`${ATTEMPTS} get-sessions due for refresh → ${ATTEMPTS}× 200, ${refreshed} refreshed, 1 session row, same token`);
    });

    test("a session revoked while tabs refresh it stays revoked", async () => {
      const rounds = 3;
      for (let round = 0; round < rounds; round++) {
        const user = await signUp(server, "revoke-race");
        await new Promise((r) => setTimeout(r, (UPDATE_AGE_SECONDS + 1) * 1000));
        // The revocation lands in the middle of refreshing reads, each of which may extend and re-send the session.
        const revokeAt = ATTEMPTS / 2;
        const results = await burst(ATTEMPTS, (i) => (i === revokeAt
          ? api(server, "/revoke-session", { cookie: user.cookie, body: { token: user.token } })
          : api(server, "/get-session", { cookie: user.cookie })));
        assert.equal(results[revokeAt].status, 200, JSON.stringify(results[revokeAt].data));
        assert.equal((await api(server, "/get-session", { cookie: user.cookie })).data, null, "the revoked session is gone");
        assert.equal(db.scalar(`SELECT count(*) FROM session WHERE "userId" = '${user.userId}'`), "0");
      }
      report(`${rounds}× a revoke-session among ${ATTEMPTS - 1} refreshing get-sessions → the session stays revoked, no row left`);
    });
  });
}
