// The jwt and apiKey plugins end to end: the official jwtClient and apiKeyClient (better-auth 1.2.12) against our
// server, tokens checked with jose against our /jwks, keys used through the x-api-key header; then the reference and
// our server on one SQLite file with one secret: a JWT either one issues validates against the other's /jwks (and not
// against a server with another database), and an API key either one creates works on the other.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { createAuthClient } from "better-auth/client";
import { apiKeyClient, jwtClient } from "better-auth/client/plugins";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { startOurs, startReference, tempDir } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

const PASSWORD = "jwt-api-key-password-1";
const PLUGINS_ON = { Plugins__Jwt__Enabled: "true", Plugins__ApiKey__Enabled: "true" };
const REFERENCE_PLUGINS = { REF_EXTRA_PLUGINS: "jwt,apiKey" };

let counter = 0;
const email = (label) => `${label}-${++counter}-${Date.now()}@keys.test`;

/** A browser on `server`: a cookie jar and the official client with the jwt and apiKey plugins. */
function browser(server, headers) {
  const jar = new CookieJar(server.baseURL);
  const client = createAuthClient({
    baseURL: server.baseURL,
    plugins: [jwtClient(), apiKeyClient()],
    fetchOptions: { customFetchImpl: jar.fetch, ...(headers ? { headers } : {}) },
  });
  return { jar, client };
}

async function signedUp(server, label) {
  const b = browser(server);
  const address = email(label);
  const { data, error } = await b.client.signUp.email({ email: address, password: PASSWORD, name: `Keys ${label}` });
  assert.equal(error, null, JSON.stringify(error));
  return { ...b, email: address, user: data.user };
}

const jwksOf = (server) => createRemoteJWKSet(new URL(`${server.apiURL}/jwks`));

async function tokenFrom(server, cookie) {
  const res = await fetch(`${server.apiURL}/token`, { headers: { cookie } });
  assert.equal(res.status, 200, `${server.baseURL}/token`);
  return (await res.json()).token;
}

const sqlite = (file, sql) => execFileSync("sqlite3", ["-cmd", ".timeout 10000", file, sql], { encoding: "utf8" }).trim();

describe("jwt with the official client against our server", () => {
  let server;
  before(async () => { server = await startOurs({ env: PLUGINS_ON }); });
  after(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  test("token() gives an EdDSA JWT of the user that validates against /jwks with Better Auth's claims", async () => {
    const u = await signedUp(server, "jwt");
    const { data, error } = await u.client.token();
    assert.equal(error, null);
    const { payload, protectedHeader } = await jwtVerify(data.token, jwksOf(server), { issuer: server.baseURL, audience: server.baseURL });
    assert.deepEqual(Object.keys(protectedHeader).sort(), ["alg", "kid"]);
    assert.equal(protectedHeader.alg, "EdDSA");
    assert.equal(payload.sub, u.user.id);
    assert.equal(payload.id, u.user.id);
    assert.equal(payload.email, u.email);
    assert.equal(payload.emailVerified, false);
    assert.equal(payload.exp - payload.iat, 900, "15 minutes by default");
    assert.ok(Math.abs(payload.iat - Date.now() / 1000) < 60);
  });

  test("getSession carries a JWT in set-auth-jwt, exposed to browsers; a signed-out client gets none", async () => {
    const u = await signedUp(server, "jwt-header");
    let header;
    const { data } = await u.client.getSession({ fetchOptions: { onSuccess: (ctx) => { header = ctx.response.headers.get("set-auth-jwt"); } } });
    assert.equal(data.user.id, u.user.id);
    assert.ok(header, "set-auth-jwt");
    assert.match(u.jar.lastHeaders.get("access-control-expose-headers"), /set-auth-jwt/);
    const { payload } = await jwtVerify(header, jwksOf(server));
    assert.equal(payload.sub, u.user.id);

    await u.client.signOut();
    const again = await u.client.getSession();
    assert.equal(again.data, null);
    assert.equal(u.jar.lastHeaders.get("set-auth-jwt"), null);
    const denied = await u.client.token();
    assert.equal(denied.error?.status, 401);
  });

  test("/jwks lists the signing key with its kid; a tampered token does not validate", async () => {
    const u = await signedUp(server, "jwt-jwks");
    const token = (await u.client.token()).data.token;
    const { data } = await u.client.jwks();
    const kid = decodeProtectedHeader(token).kid;
    const key = data.keys.find((k) => k.kid === kid);
    assert.ok(key, "the token's key is listed");
    // A key made by /token is stored without "alg" (as Better Auth stores it), one made by /jwks with it.
    assert.deepEqual(Object.keys(key).filter((k) => k !== "alg").sort(), ["crv", "kid", "kty", "x"]);
    assert.equal(key.kty, "OKP");
    assert.equal(key.crv, "Ed25519");
    const [h, p, s] = token.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url"));
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: "someone-else" })).toString("base64url")}.${s}`;
    await assert.rejects(jwtVerify(forged, jwksOf(server)), /signature verification failed/);
  });

  test("the private key is stored encrypted, never as a JWK", async () => {
    const rows = sqlite(server.dbPath, 'SELECT "privateKey" FROM jwks').split("\n");
    assert.ok(rows.length >= 1);
    for (const row of rows) {
      assert.match(row, /^"[0-9a-f]+"$/, "a JSON string of hex, as Better Auth's symmetricEncrypt writes it");
      assert.doesNotMatch(row, /"d"/);
    }
  });
});

describe("api keys with the official client against our server", () => {
  let server;
  before(async () => { server = await startOurs({ env: PLUGINS_ON }); });
  after(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  test("create, list, get, update and delete; only the hash is stored", async () => {
    const u = await signedUp(server, "ak");
    const created = await u.client.apiKey.create({ name: "ci", prefix: "ci_", expiresIn: 60 * 60 * 24 * 7 });
    assert.equal(created.error, null, JSON.stringify(created.error));
    const key = created.data;
    assert.match(key.key, /^ci_[A-Za-z]{64}$/);
    assert.equal(key.start, key.key.slice(0, 6));
    assert.equal(key.prefix, "ci_");
    assert.equal(key.userId, u.user.id);
    assert.equal(key.rateLimitMax, 10);
    assert.ok(Math.abs(new Date(key.expiresAt) - Date.now() - 7 * 86400_000) < 60_000);

    const stored = sqlite(server.dbPath, `SELECT "key" FROM apikey WHERE id = '${key.id}'`);
    assert.equal(stored, crypto.createHash("sha256").update(key.key).digest("base64url"));
    for (const file of [server.dbPath, `${server.dbPath}-wal`].filter((f) => fs.existsSync(f)))
      assert.ok(!fs.readFileSync(file).includes(Buffer.from(key.key)), `the key itself is nowhere in ${path.basename(file)}`);

    const list = await u.client.apiKey.list();
    assert.deepEqual(list.data.map((k) => k.id), [key.id]);
    assert.equal("key" in list.data[0], false, "no key or hash in a list");
    const got = await u.client.apiKey.get({ query: { id: key.id } });
    assert.equal(got.data.name, "ci");
    assert.equal("key" in got.data, false);

    const updated = await u.client.apiKey.update({ keyId: key.id, name: "renamed", enabled: false });
    assert.equal(updated.error, null);
    assert.equal(updated.data.name, "renamed");
    assert.equal(updated.data.enabled, false);

    const deleted = await u.client.apiKey.delete({ keyId: key.id });
    assert.deepEqual(deleted.data, { success: true });
    assert.equal((await u.client.apiKey.list()).data.length, 0);
  });

  test("a client cannot name a user or set server-only fields", async () => {
    const u = await signedUp(server, "ak-server-only");
    const other = await signedUp(server, "ak-victim");
    const forUser = await u.client.apiKey.create({ name: "x", userId: other.user.id });
    assert.equal(forUser.error?.status, 401);
    const remaining = await u.client.apiKey.create({ name: "x", remaining: 1000 });
    assert.equal(remaining.error?.status, 400);
    assert.equal(remaining.error?.code, "THE_PROPERTY_YOURE_TRYING_TO_SET_CAN_ONLY_BE_SET_FROM_THE_SERVER_AUTH_INSTANCE_ONLY");
    const anonymous = browser(server);
    const noSession = await anonymous.client.apiKey.create({ name: "x", userId: other.user.id });
    assert.equal(noSession.error?.status, 401);
    assert.equal((await other.client.apiKey.list()).data.length, 0, "nothing was minted for the other user");
  });

  test("the x-api-key header signs a client in as the key's user, without a cookie", async () => {
    const u = await signedUp(server, "ak-header");
    const { key } = (await u.client.apiKey.create({ name: "header" })).data;
    const keyed = browser(server, { "x-api-key": key });
    const session = await keyed.client.getSession();
    assert.equal(session.data.user.id, u.user.id);
    assert.notEqual(session.data.session.token, key, "the key is never echoed as a session token");
    const renamed = await keyed.client.updateUser({ name: "Keyed Name" });
    assert.equal(renamed.error, null);
    assert.equal(keyed.jar.cookies.size, 0, "no session cookie for a key");
    assert.equal((await u.client.getSession()).data.user.name, "Keyed Name");

    const wrong = browser(server, { "x-api-key": "Z".repeat(64) });
    const refused = await wrong.client.getSession();
    assert.equal(refused.error?.status, 401);
    assert.equal(refused.error?.code, "INVALID_API_KEY");
  });
});

describe("reference and our server on one SQLite file and secret: JWTs and API keys", () => {
  let dir, refA, oursA, oursB, refB;
  before(async () => {
    dir = tempDir("ba-keys-compat-");
    // Pair A: the reference makes the tables (and the first key); pair B: ours does.
    const dbA = path.join(dir, "a.sqlite");
    refA = await startReference({ dbPath: dbA, outbox: path.join(dir, "ref-a.jsonl"), env: REFERENCE_PLUGINS });
    oursA = await startOurs({ dbPath: dbA, outbox: path.join(dir, "ours-a.jsonl"), env: PLUGINS_ON });
    const dbB = path.join(dir, "b.sqlite");
    oursB = await startOurs({ dbPath: dbB, outbox: path.join(dir, "ours-b.jsonl"), env: PLUGINS_ON });
    refB = await startReference({ dbPath: dbB, outbox: path.join(dir, "ref-b.jsonl"), env: REFERENCE_PLUGINS });
  });
  after(async () => {
    await Promise.all([refA, oursA, oursB, refB].map((s) => s?.stop()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const cookieOf = (b) => b.jar.header();

  test("a JWT the reference issues validates against our /jwks on the same database, not on another", async () => {
    const u = await signedUp(refA, "ref-jwt");
    const token = await tokenFrom(refA, cookieOf(u));
    const { payload } = await jwtVerify(token, jwksOf(oursA));
    assert.equal(payload.sub, u.user.id);
    await assert.rejects(jwtVerify(token, jwksOf(oursB)), (e) => e.code === "ERR_JWKS_NO_MATCHING_KEY");
  });

  test("our JWT is signed with the key the reference made (its private key decrypted) and validates against its /jwks", async () => {
    const fromRef = await tokenFrom(refA, cookieOf(await signedUp(refA, "ref-kid")));
    const u = await signedUp(oursA, "ours-jwt");
    const token = await tokenFrom(oursA, cookieOf(u));
    assert.equal(decodeProtectedHeader(token).kid, decodeProtectedHeader(fromRef).kid, "one key, shared through the jwks table");
    const { payload } = await jwtVerify(token, jwksOf(refA));
    assert.equal(payload.sub, u.user.id);
    await assert.rejects(jwtVerify(token, jwksOf(refB)), (e) => e.code === "ERR_JWKS_NO_MATCHING_KEY");
  });

  test("the other way round: the reference signs with the key we made and encrypted", async () => {
    const ours = await signedUp(oursB, "ours-first");
    const ourToken = await tokenFrom(oursB, cookieOf(ours));
    const u = await signedUp(refB, "ref-on-ours");
    const token = await tokenFrom(refB, cookieOf(u));
    assert.equal(decodeProtectedHeader(token).kid, decodeProtectedHeader(ourToken).kid);
    assert.equal((await jwtVerify(token, jwksOf(oursB))).payload.sub, u.user.id);
    assert.equal((await jwtVerify(ourToken, jwksOf(refB))).payload.sub, ours.user.id);
    await assert.rejects(jwtVerify(ourToken, jwksOf(refA)), (e) => e.code === "ERR_JWKS_NO_MATCHING_KEY");
  });

  test("an API key the reference created authenticates here, and its use is counted in the shared row", async () => {
    const u = await signedUp(refA, "ref-key");
    const created = await u.client.apiKey.create({ name: "from-reference", prefix: "ref_" });
    assert.equal(created.error, null);
    const key = created.data.key;
    const keyed = browser(oursA, { "x-api-key": key });
    const session = await keyed.client.getSession();
    assert.equal(session.data.user.id, u.user.id);
    const sessions = await fetch(`${oursA.apiURL}/list-sessions`, { headers: { "x-api-key": key } });
    assert.equal(sessions.status, 200);
    const onReference = await u.client.apiKey.get({ query: { id: created.data.id } });
    assert.equal(onReference.data.requestCount, 2, "two uses on our server, counted in the row the reference reads");
    const listedHere = await fetch(`${oursA.apiURL}/api-key/list`, { headers: { cookie: cookieOf(await signIn(oursA, u.email)) } });
    assert.deepEqual((await listedHere.json()).map((k) => k.name), ["from-reference"]);
  });

  test("an API key we created authenticates on the reference", async () => {
    const u = await signedUp(oursB, "ours-key");
    const { key } = (await u.client.apiKey.create({ name: "from-ours" })).data;
    // get-session with a key crashes the reference (reference-defects.md); list-sessions shows the key's user instead.
    const res = await fetch(`${refB.apiURL}/list-sessions`, { headers: { "x-api-key": key } });
    assert.equal(res.status, 200);
    assert.ok((await res.json()).every((s) => s.userId === u.user.id));
  });
});

async function signIn(server, address) {
  const b = browser(server);
  const { error } = await b.client.signIn.email({ email: address, password: PASSWORD });
  assert.equal(error, null);
  return b;
}
