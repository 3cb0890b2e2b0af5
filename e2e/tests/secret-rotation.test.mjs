// Secret rotation on a live database, as later Better Auth does it (BETTER_AUTH_SECRETS="2:new,1:old", 1.5+): our
// server runs with one secret, then restarts with the new secret current and the old one listed, then runs its
// `rotate-secrets` command beside the live server, then restarts with the old secret gone. The official client drives
// it like browsers: a session, a verification link, a trusted device, a sign-in waiting for its second factor and a
// JWT signing key made under the old secret keep working during the rotation; after re-encryption two-factor sign-ins
// and JWTs work without the old secret. The stored values are checked with Better Auth 1.7's own crypto
// (better-auth-latest/crypto): its symmetricDecrypt opens what we wrote, and what its symmetricEncrypt writes signs in here.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createAuthClient } from "better-auth/client";
import { twoFactorClient } from "better-auth/client/plugins";
import { symmetricDecrypt, symmetricEncrypt } from "better-auth-latest/crypto";
import { serverDll, startOurs } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";
import { totpCode } from "../lib/totp.mjs";

const OLD = "rotation-old-secret-0123456789abcdef0123456789abcdef";
const NEW = "rotation-new-secret-fedcba9876543210fedcba9876543210";
const PASSWORD = "rotation-password-1";
const TRUST_COOKIE = "better-auth.trust_device";
const SESSION_COOKIE = "better-auth.session_token";

const before = { BETTER_AUTH_SECRET: OLD, Plugins__Jwt__Enabled: "true" };
const during = { BETTER_AUTH_SECRET: OLD, BETTER_AUTH_SECRETS: `2:${NEW}, 1:${OLD}`, Plugins__Jwt__Enabled: "true" };
const afterwards = { BETTER_AUTH_SECRET: "", BETTER_AUTH_SECRETS: `2:${NEW}`, Plugins__Jwt__Enabled: "true" };
/** Better Auth 1.7's SecretConfig for the same secrets. */
const newOnly = { keys: new Map([[2, NEW]]), currentVersion: 2 };

let counter = 0;
const email = (label) => `${label}-${++counter}-${Date.now()}@rotation.test`;

function browser(server) {
  const jar = new CookieJar(server.baseURL);
  const client = createAuthClient({
    baseURL: server.baseURL,
    plugins: [twoFactorClient({ onTwoFactorRedirect: () => {} })],
    fetchOptions: { customFetchImpl: jar.fetch },
  });
  return { jar, client };
}

async function signedUp(server, label) {
  const b = browser(server);
  const address = email(label);
  assert.equal((await b.client.signUp.email({ email: address, password: PASSWORD, name: "Rotation" })).error, null);
  return { ...b, email: address };
}

async function enrolled(server, label) {
  const b = await signedUp(server, label);
  const enable = await b.client.twoFactor.enable({ password: PASSWORD });
  assert.equal(enable.error, null, JSON.stringify(enable.error));
  assert.equal((await b.client.twoFactor.verifyTotp({ code: await totpCode(enable.data.totpURI) })).error, null);
  return { ...b, totpURI: enable.data.totpURI, backupCodes: enable.data.backupCodes };
}

/** A new browser past the password step, waiting for its second factor. */
async function challenged(server, address) {
  const b = browser(server);
  const { data, error } = await b.client.signIn.email({ email: address, password: PASSWORD });
  assert.equal(error, null);
  assert.deepEqual(data, { twoFactorRedirect: true });
  return b;
}

async function sessionEmail(b) {
  const { data } = await b.client.getSession();
  return data?.user?.email ?? null;
}

async function jwtKid(server, b) {
  const res = await b.jar.fetch(`${server.apiURL}/token`);
  assert.equal(res.status, 200, await res.clone().text());
  const token = (await res.json()).token;
  return JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString()).kid;
}

/** RFC 4648 base32 without padding: how the otpauth URI carries the stored TOTP secret (its UTF-8 bytes). */
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const byte of Buffer.from(text, "utf8")) bits += byte.toString(2).padStart(8, "0");
  return (bits.match(/.{1,5}/g) ?? []).map((b) => alphabet[parseInt(b.padEnd(5, "0"), 2)]).join("");
}

function sqlite(server, sql) {
  return execFileSync("sqlite3", ["-cmd", ".timeout 10000", server.dbPath, sql], { encoding: "utf8" }).trim();
}

describe("rotating BETTER_AUTH_SECRET on a live database", () => {
  let server;
  after(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  /** Restarts our server on the same port, directory and database with other secrets. */
  async function restart(env) {
    const { port, dir, dbPath, outbox } = server;
    await server.stop();
    server = await startOurs({ port, dir, dbPath, outbox, env });
    return server;
  }

  test("what the old secret made keeps working during the rotation; after rotate-secrets the old secret can go", async () => {
    server = await startOurs({ env: before });

    // Made under the old secret.
    const session = await signedUp(server, "session");
    const kid = await jwtKid(server, session);
    const unverified = await signedUp(server, "verify");
    assert.equal((await unverified.client.sendVerificationEmail({ email: unverified.email })).error, null);
    const verifyUrl = server.lastMessage("verify-email", unverified.email).url;
    // Three enrolled users (each TOTP step is accepted once per enrolment): one trusts this device, one stops at the
    // second factor, one signs in only after the rotation.
    const mfa = await enrolled(server, "mfa-trusted");
    const trusted = await challenged(server, mfa.email);
    assert.equal((await trusted.client.twoFactor.verifyTotp({ code: await totpCode(mfa.totpURI, 1), trustDevice: true })).error, null);
    assert.ok(trusted.jar.get(TRUST_COOKIE));
    assert.equal((await trusted.client.signOut()).error, null);
    const pending = await enrolled(server, "mfa-waiting");
    const waiting = await challenged(server, pending.email);
    const later = await enrolled(server, "mfa-later");
    assert.match(sqlite(server, `SELECT "secret" FROM "twoFactor" LIMIT 1`), /^[0-9a-f]+$/, "bare hex, as Better Auth 1.2.12 writes it");

    // During: the new secret current, the old one listed.
    await restart(during);
    assert.equal(await sessionEmail(session), session.email);
    const verified = await fetch(verifyUrl, { redirect: "manual" });
    assert.ok(verified.status === 200 || verified.status === 302, `verify-email answered ${verified.status}`);
    assert.equal(sqlite(server, `SELECT "emailVerified" FROM "user" WHERE "email" = '${unverified.email}'`), "1");
    const again = await trusted.client.signIn.email({ email: mfa.email, password: PASSWORD });
    assert.equal(again.error, null);
    assert.equal(again.data.user?.email, mfa.email, "the trusted device skips the second factor");
    assert.equal((await waiting.client.twoFactor.verifyTotp({ code: await totpCode(pending.totpURI, 1) })).error, null);
    assert.equal(await sessionEmail(waiting), pending.email);
    assert.equal(await jwtKid(server, session), kid, "the JWT key made under the old secret still signs");

    // rotate-secrets, beside the running server.
    const out = execFileSync("dotnet", [serverDll(), "rotate-secrets"], {
      cwd: server.dir, encoding: "utf8",
      env: { ...process.env, ASPNETCORE_ENVIRONMENT: "Development", DATABASE_URL: server.dbPath, Logging__LogLevel__Default: "Warning", ...during },
    });
    assert.match(out, /twoFactor\.secret: 3 re-encrypted to version 2/);
    assert.match(out, /twoFactor\.backupCodes: 3 re-encrypted to version 2/);
    assert.match(out, /jwks\.privateKey: 1 re-encrypted to version 2/);
    assert.match(out, /older secrets are no longer needed/);

    // Better Auth 1.7 reads what was written: its envelope, opened by version 2's secret alone.
    const row = (column) => sqlite(server, `SELECT "${column}" FROM "twoFactor" WHERE "userId" = (SELECT "id" FROM "user" WHERE "email" = '${later.email}')`);
    assert.match(row("secret"), /^\$ba\$2\$[0-9a-f]+$/);
    assert.equal(base32(await symmetricDecrypt({ key: newOnly, data: row("secret") })), new URL(later.totpURI).searchParams.get("secret"));
    assert.deepEqual(JSON.parse(await symmetricDecrypt({ key: newOnly, data: row("backupCodes") })), later.backupCodes);
    const privateKey = JSON.parse(sqlite(server, `SELECT "privateKey" FROM "jwks"`));
    assert.equal(JSON.parse(await symmetricDecrypt({ key: newOnly, data: privateKey })).kty, "OKP");

    // After: the old secret removed.
    await restart(afterwards);
    const signIn = await challenged(server, later.email);
    assert.equal((await signIn.client.twoFactor.verifyTotp({ code: await totpCode(later.totpURI, 1) })).error, null);
    assert.equal(await sessionEmail(signIn), later.email);
    const withBackup = await challenged(server, mfa.email);
    assert.equal((await withBackup.client.twoFactor.verifyBackupCode({ code: mfa.backupCodes[3] })).error, null);
    assert.equal(await sessionEmail(withBackup), mfa.email);
    const fresh = browser(server);
    assert.equal((await fresh.client.signIn.email({ email: session.email, password: PASSWORD })).error, null);
    assert.equal(await jwtKid(server, fresh), kid, "the same JWT key, now under the new secret");
    // What only the old secret signed is void once it is gone: that is what removing it means.
    assert.equal(await sessionEmail(session), null);

    // A two-factor secret written by Better Auth 1.7 (symmetricEncrypt with version 2 current) signs in here.
    const other = await enrolled(server, "written-by-1.7");
    const raw = "written-by-better-auth-1.7-totp!";
    const envelope = await symmetricEncrypt({ key: newOnly, data: raw });
    sqlite(server, `UPDATE "twoFactor" SET "secret" = '${envelope}' WHERE "userId" = (SELECT "id" FROM "user" WHERE "email" = '${other.email}')`);
    const byBetterAuth = await challenged(server, other.email);
    assert.equal((await byBetterAuth.client.twoFactor.verifyTotp({ code: await totpCode(`otpauth://totp/x?secret=${base32(raw)}`, 1) })).error, null);
    assert.ok(byBetterAuth.jar.get(SESSION_COOKIE));
  });
});
