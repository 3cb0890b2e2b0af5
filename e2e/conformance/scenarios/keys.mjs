// Scenario groups for the jwt and apiKey plugins (REF_EXTRA_PLUGINS=jwt,apiKey on the reference, the two plugins on
// ours): GET /jwks, GET /token, the set-auth-jwt header, and the five /api-key/* operations with the x-api-key header.
// Run by tests/conformance-keys.test.mjs, apart from the base run (these plugins change get-session's answers).
// JWTs are compared by their decoded header and claims (normalise.mjs); API keys by relation ("the key created above").
import { PW } from "./email-password.mjs";

const signUp = (t, step, label, opts = {}) =>
  t.post(step, "/sign-up/email", { name: "Key User", email: t.email(label), password: PW }, opts);
const create = (t, step, body, opts = {}) => t.post(step, "/api-key/create", body, opts);
const update = (t, step, body, opts = {}) => t.post(step, "/api-key/update", body, opts);
const withKey = (key, extra = {}) => ({ jar: null, headers: { "x-api-key": key }, ...extra });

export const keyGroups = [
  {
    name: "jwt",
    async run(t) {
      await signUp(t, "sign-up", "jwt-user");
      // The first /jwks on an empty table makes the key; the reference lists it without kid (allow-listed).
      await t.get("jwks on an empty key table", "/jwks", { jar: null });
      await t.get("jwks again", "/jwks", { jar: null });
      await t.get("token without a session", "/token", { jar: null });
      await t.get("token", "/token");
      await t.get("get-session carries set-auth-jwt", "/get-session", { recordHeaders: ["set-auth-jwt", "access-control-expose-headers"] });
      await t.get("get-session without a session has no set-auth-jwt", "/get-session",
        { jar: null, recordHeaders: ["set-auth-jwt"] });
      await t.post("update-user", "/update-user", { name: "Renamed Key User" });
      await t.get("token after update-user carries the new name", "/token");
      await t.get("jwks still lists one key", "/jwks", { jar: null });
      await t.post("token is GET only", "/token", {});
      await t.post("sign-out", "/sign-out", {});
      await t.get("token after sign-out", "/token");
    },
  },
  {
    name: "jwt-keys-from-token",
    async run(t) {
      // A key made by /token (not /jwks) is stored without "alg", and /jwks then lists it without alg (copied quirk).
      await signUp(t, "sign-up", "jwt-first-token");
      await t.get("token makes the first key", "/token");
      await t.get("jwks lists it", "/jwks", { jar: null });
    },
  },
  {
    name: "api-key",
    async run(t) {
      await signUp(t, "sign-up", "ak-owner");
      await create(t, "create without a session", { name: "nope" }, { jar: null });
      await create(t, "create without a body", undefined);
      await create(t, "create", { name: "first" });
      const first = (await create(t, "create with prefix and expiresIn", { name: "second", prefix: "my_", expiresIn: 86400 })).body;
      await create(t, "create with an empty name", { name: "" });
      await create(t, "create with a fractional expiresIn", { name: "frac", expiresIn: 86400.5 });
      await create(t, "create with falsy metadata", { name: "m0", metadata: 0 });
      await create(t, "invalid prefix", { prefix: "my prefix" });
      await create(t, "name too long", { name: "n".repeat(33) });
      await create(t, "name not a string", { name: 5 });
      await create(t, "expiresIn below a day", { expiresIn: 100 });
      await create(t, "expiresIn below 1", { expiresIn: 0.5 });
      await create(t, "expiresIn over a year", { expiresIn: 999999999 });
      await create(t, "metadata while disabled", { metadata: { plan: "pro" } });
      await create(t, "remaining is server-only", { remaining: 5 });
      await create(t, "remaining null is allowed", { name: "rn", remaining: null });
      await create(t, "negative remaining", { remaining: -1 });
      await create(t, "permissions are server-only", { permissions: { files: ["read"] } });
      await create(t, "malformed permissions", { permissions: { files: "read" } });
      await create(t, "rateLimitMax is server-only", { rateLimitMax: 100 });
      await create(t, "refillAmount null", { refillAmount: null });

      await t.get("list", "/api-key/list");
      await t.get("list without a session", "/api-key/list", { jar: null });
      await t.get("get", `/api-key/get?id=${first.id}`);
      await t.get("get without id", "/api-key/get");
      await t.get("get without id or session", "/api-key/get", { jar: null });
      await t.get("get unknown", "/api-key/get?id=nope");
      await t.get("get without a session", `/api-key/get?id=${first.id}`, { jar: null });

      await update(t, "update name", { keyId: first.id, name: "renamed" });
      await update(t, "update nothing", { keyId: first.id });
      await update(t, "update without keyId", { name: "x" });
      await update(t, "update without a body", undefined);
      await update(t, "update unknown key", { keyId: "nope", name: "x" });
      await update(t, "update without a session", { keyId: first.id, name: "x" }, { jar: null });
      await update(t, "update empty name", { keyId: first.id, name: "" });
      await update(t, "update remaining is server-only", { keyId: first.id, remaining: 3 });
      await update(t, "update remaining null", { keyId: first.id, remaining: null });
      await update(t, "update metadata not an object", { keyId: first.id, metadata: 5 });
      await update(t, "update metadata null", { keyId: first.id, metadata: null });
      await update(t, "update expiresIn null", { keyId: first.id, expiresIn: null });
      await update(t, "update expiresIn", { keyId: first.id, expiresIn: 172800 });
      await update(t, "update expiresIn too small", { keyId: first.id, expiresIn: 60 });
      await update(t, "update disable", { keyId: first.id, enabled: false });
      await t.get("get after updates", `/api-key/get?id=${first.id}`);

      await t.post("delete without a body", "/api-key/delete", undefined);
      await t.post("delete without a session", "/api-key/delete", { keyId: first.id }, { jar: null });
      await t.post("delete unknown", "/api-key/delete", { keyId: "nope" });
      await t.post("delete", "/api-key/delete", { keyId: first.id });
      await t.post("delete again", "/api-key/delete", { keyId: first.id });
      await t.get("list after delete", "/api-key/list");

      await signUp(t, "sign-up another user", "ak-other", { jar: "other" });
      await t.get("another user's get", `/api-key/get?id=${first.id}`, { jar: "other" });
      await t.get("another user's list is empty", "/api-key/list", { jar: "other" });
    },
  },
  {
    name: "api-key-header",
    async run(t) {
      await signUp(t, "sign-up", "ak-header");
      const key = (await create(t, "create", { name: "header" })).body;
      await t.get("short key", "/ok", withKey("abc"));
      await t.get("unknown key", "/ok", withKey("A".repeat(64)));
      await t.get("list-sessions with the key", "/list-sessions", withKey(key.key));
      await t.get("list keys with the key", "/api-key/list", withKey(key.key));
      await t.get("get with the key", `/api-key/get?id=${key.id}`, withKey(key.key));
      await t.get("the key's counters", `/api-key/get?id=${key.id}`);
      // The reference crashes its whole process here (reference-defects.md); ours answers the key's session.
      await t.get("get-session with the key", "/get-session", withKey(key.key, { only: "ours", expect: { status: 200 } }));
      // The reference answers with a session cookie whose token is the key itself; ours sets no cookie.
      await t.post("update-user with the key", "/update-user", { name: "Keyed" }, withKey(key.key));
      // A key may not mint another key (that would escape its own limits); the reference lets it.
      await create(t, "create with the key", { name: "minted" }, withKey(key.key));
      await update(t, "disable", { keyId: key.id, enabled: false });
      await t.get("disabled key", "/ok", withKey(key.key));
      await t.post("delete", "/api-key/delete", { keyId: key.id });
      await t.get("deleted key", "/ok", withKey(key.key));
    },
  },
  {
    name: "api-key-rate-limit",
    async run(t) {
      await signUp(t, "sign-up", "ak-rate");
      const key = (await create(t, "create", { name: "rate" })).body;
      // Default per-key limit: 10 requests per day.
      for (let i = 1; i <= 9; i++) await t.get(`use ${i}`, "/ok", withKey(key.key, { record: false }));
      await t.get("tenth use", "/ok", withKey(key.key));
      await t.get("eleventh use is rate limited", "/ok", withKey(key.key));
      await t.get("the key's counters", `/api-key/get?id=${key.id}`);
    },
  },
  {
    name: "api-key-user-id",
    async run(t) {
      // Better Auth 1.2.12 lets a request name any user in userId, with or without a session, and that also unlocks
      // the server-only fields (reference-defects.md). Ours: only server calls (BetterAuthApi) may; all allow-listed.
      const owner = (await signUp(t, "sign-up", "ak-uid")).body;
      await create(t, "create for another user without a session", { name: "minted", userId: owner.user.id, remaining: 5 }, { jar: null });
      await create(t, "create naming the own user with server-only fields", { userId: owner.user.id, remaining: 3 });
      await create(t, "create for an unknown user", { name: "x", userId: "no-such-user" }, { jar: null });
      const own = (await create(t, "create", { name: "own" })).body;
      await update(t, "update another user's key without a session", { keyId: own.id, userId: owner.user.id, remaining: 100 }, { jar: null });
    },
  },
];
