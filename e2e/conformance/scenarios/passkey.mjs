// Scenario groups for the passkey plugin (an extra run: the reference needs REF_EXTRA_PLUGINS=passkey, see
// ../extra-runs.mjs). The ceremonies use the software authenticator in ../../lib/soft-authenticator.mjs, built from the
// same seed on both sides, so credential ids and public keys are the same bytes on both servers. Both servers run with
// RP ID "localhost" and accept the origin http://localhost:<port>, as a browser on that address would report it.
import { execFileSync } from "node:child_process";
import { SoftAuthenticator } from "../../lib/soft-authenticator.mjs";
import { PW } from "./email-password.mjs";

/** The origin a browser on http://localhost:<port> reports (both servers' relying party is "localhost"). */
const origin = (t) => t.base.replace("127.0.0.1", "localhost");
const signUp = (t, step, label, jar = "main") => t.post(step, "/sign-up/email", { name: "Passkey User", email: t.email(label), password: PW }, { jar });
const authenticator = (t, label, options) => new SoftAuthenticator(`${t.runId}:${label}`, options);

/** Registration options then verify-registration, as two steps; returns the verify answer. */
async function register(t, step, key, { jar = "main", name, body } = {}) {
  const options = await t.get(`${step}: options`, "/passkey/generate-register-options", { jar });
  return t.post(step, "/passkey/verify-registration", body ?? { response: key.register(options.body ?? {}, origin(t)), name }, { jar });
}

/** Authentication options then verify-authentication (jar without a session unless given); returns both answers. */
async function signIn(t, step, key, { jar = "anon", assertion } = {}) {
  const options = await t.post(`${step}: options`, "/passkey/generate-authenticate-options", {}, { jar });
  const response = assertion?.(options.body) ?? key.authenticate(options.body ?? {}, origin(t));
  return { options, response, answer: await t.post(step, "/passkey/verify-authentication", { response }, { jar }) };
}

/** Sets a boolean column of a user straight in the server's SQLite database (as the admin scenarios make admins). */
function setUserFlag(t, label, column) {
  execFileSync("sqlite3", [t.server.dbPath, `UPDATE "user" SET "${column}" = 1 WHERE email = '${t.email(label)}';`]);
}

export const passkeyGroups = [
  {
    name: "passkey-options",
    async run(t) {
      await t.get("register options without session", "/passkey/generate-register-options", { jar: null });
      await signUp(t, "sign-up", "pk-options");
      await t.get("register options", "/passkey/generate-register-options");
      await t.get("register options for a platform authenticator", "/passkey/generate-register-options?authenticatorAttachment=platform");
      await t.get("register options for a cross-platform authenticator", "/passkey/generate-register-options?authenticatorAttachment=cross-platform");
      await t.get("register options with an unknown attachment", "/passkey/generate-register-options?authenticatorAttachment=usb");
      await t.post("authenticate options without session", "/passkey/generate-authenticate-options", {}, { jar: "anon" });
      await t.post("authenticate options without body", "/passkey/generate-authenticate-options", undefined, { jar: "anon" });
      await t.post("authenticate options with an email", "/passkey/generate-authenticate-options", { email: t.email("pk-options") }, { jar: "anon" });
      await t.post("authenticate options with an email not a string", "/passkey/generate-authenticate-options", { email: 5 }, { jar: "anon" });
      await t.post("authenticate options with an array body", "/passkey/generate-authenticate-options", [], { jar: "anon" });
      await t.post("authenticate options with a session and no passkey", "/passkey/generate-authenticate-options", {});
    },
  },
  {
    name: "passkey-register",
    async run(t) {
      await signUp(t, "sign-up", "pk-register");
      await t.post("verify without a challenge", "/passkey/verify-registration", { response: {} });
      await t.post("verify with a name not a string", "/passkey/verify-registration", { response: {}, name: 5 });
      const laptop = authenticator(t, "laptop");
      const created = await register(t, "verify a passkey", laptop, { name: "Laptop" });
      await t.get("list", "/passkey/list-user-passkeys");
      await t.get("register options exclude the passkey", "/passkey/generate-register-options");
      await t.post("authenticate options with a session list it", "/passkey/generate-authenticate-options", {});
      await register(t, "verify a synced passkey without a name", authenticator(t, "phone", { backupEligible: true, transports: ["hybrid", "internal"] }));
      await t.get("list of two", "/passkey/list-user-passkeys");
      const id = created.body?.id;
      await t.post("rename", "/passkey/update-passkey", { id, name: "Work laptop" });
      await t.post("rename an unknown passkey", "/passkey/update-passkey", { id: "unknown-passkey-id", name: "x" });
      await t.post("rename without a name", "/passkey/update-passkey", { id });
      await t.post("rename with a name not a string", "/passkey/update-passkey", { id, name: 7 });
      await t.post("rename without session", "/passkey/update-passkey", { id, name: "x" }, { jar: null });
      await t.get("list after rename", "/passkey/list-user-passkeys");
      await t.post("delete an unknown passkey", "/passkey/delete-passkey", { id: "unknown-passkey-id" });
      await t.post("delete without an id", "/passkey/delete-passkey", {});
      await t.post("delete without session", "/passkey/delete-passkey", { id }, { jar: null });
      await t.post("delete", "/passkey/delete-passkey", { id });
      await t.get("list after delete", "/passkey/list-user-passkeys");
      await t.get("list without session", "/passkey/list-user-passkeys", { jar: null });
    },
  },
  {
    name: "passkey-sign-in",
    async run(t) {
      await signUp(t, "sign-up", "pk-signin");
      const key = authenticator(t, "signin");
      await register(t, "register", key);
      const first = await signIn(t, "sign in", key);
      await t.get("get-session after the passkey sign-in", "/get-session", { jar: "anon" });
      await t.post("verify without a response", "/passkey/verify-authentication", {}, { jar: "anon" });
      await t.post("verify with a response not an object", "/passkey/verify-authentication", { response: "x" }, { jar: "anon" });
      await t.post("verify without a challenge", "/passkey/verify-authentication", { response: first.response }, { jar: "fresh" });
      await signIn(t, "an unknown credential", authenticator(t, "stranger"), { jar: "stranger" });
      await signIn(t, "a wrong origin", key, { jar: "wrong-origin", assertion: (o) => key.authenticate(o, "http://localhost:1") });
      await signIn(t, "a wrong RP ID", key, { jar: "wrong-rp", assertion: (o) => key.authenticate(o, origin(t), { rpId: "example.com" }) });
      await signIn(t, "a registration response", key, { jar: "wrong-type", assertion: (o) => key.authenticate(o, origin(t), { type: "webauthn.create" }) });
      await signIn(t, "a replayed assertion with a new challenge", key, { jar: "replay", assertion: () => first.response });
      await signIn(t, "a counter that went back", key, { jar: "clone", assertion: (o) => key.authenticate(o, origin(t), { counter: 1 }) });
      await signIn(t, "sign in again", key, { jar: "again" });
      await t.get("list shows the counter", "/passkey/list-user-passkeys");
      await t.post("sign-out of the passkey session", "/sign-out", {}, { jar: "anon" });
      await t.get("get-session after sign-out", "/get-session", { jar: "anon" });
    },
  },
  {
    name: "passkey-primary-sign-in",
    async run(t) {
      // A user with two-factor on: the password sign-in asks for the second factor, the passkey sign-in does not.
      await signUp(t, "two-factor user signs up", "pk-2fa", "tf");
      const tfKey = authenticator(t, "two-factor");
      await register(t, "two-factor user registers a passkey", tfKey, { jar: "tf" });
      setUserFlag(t, "pk-2fa", "twoFactorEnabled");
      await t.post("password sign-in of the two-factor user", "/sign-in/email", { email: t.email("pk-2fa"), password: PW }, { jar: "tf-password" });
      await signIn(t, "passkey sign-in of the two-factor user", tfKey, { jar: "tf-passkey" });
      await t.get("get-session after the passkey sign-in", "/get-session", { jar: "tf-passkey" });
      // A banned user: the ban refuses the passkey sign-in, as every sign-in (answers differ, allow-listed).
      await signUp(t, "user to ban signs up", "pk-banned", "banned");
      const bannedKey = authenticator(t, "banned");
      await register(t, "user to ban registers a passkey", bannedKey, { jar: "banned" });
      setUserFlag(t, "pk-banned", "banned");
      await signIn(t, "passkey sign-in of a banned user", bannedKey, { jar: "banned-passkey" });
    },
  },
  {
    name: "passkey-owners",
    async run(t) {
      await signUp(t, "alice signs up", "pk-alice", "alice");
      const alice = await register(t, "alice registers", authenticator(t, "alice"), { jar: "alice" });
      await signUp(t, "bob signs up", "pk-bob", "bob");
      await t.get("bob lists", "/passkey/list-user-passkeys", { jar: "bob" });
      await t.post("bob renames alice's passkey", "/passkey/update-passkey", { id: alice.body?.id, name: "mine now" }, { jar: "bob" });
      // Better Auth 1.2.12 deletes any user's passkey by id; ours refuses (allow-listed).
      await t.post("bob deletes alice's passkey", "/passkey/delete-passkey", { id: alice.body?.id }, { jar: "bob" });
      await t.get("alice lists after bob's attempts", "/passkey/list-user-passkeys", { jar: "alice" });
    },
  },
  {
    name: "passkey-defects",
    async run(t) {
      // Each step here meets a defect of the reference (reference-defects.md); the differences are allow-listed.
      await signUp(t, "sign-up", "pk-defects");
      await register(t, "verify a malformed response", null, { body: { response: { id: "abc" } } });
      await register(t, "verify without a response", null, { body: {} });
      const key = authenticator(t, "defects");
      const options = await t.get("options for a registration sent twice", "/passkey/generate-register-options");
      const response = key.register(options.body ?? {}, origin(t));
      await t.post("registration", "/passkey/verify-registration", { response });
      await t.post("the same registration again", "/passkey/verify-registration", { response });
      await register(t, "the same credential with a new challenge", key);
      await register(t, "a response without transports", authenticator(t, "no-transports", { transports: null }));
      const counterless = authenticator(t, "counterless", { counterStep: 0 });
      await register(t, "a passkey without a signature counter", counterless);
      const first = await signIn(t, "counterless sign in", counterless, { jar: "first" });
      const replayJar = t.cookieHeader("first");
      await t.post("the counterless assertion again with its challenge cookie", "/passkey/verify-authentication", { response: first.response },
        { jar: "replayed", cookie: replayJar.split("; ").filter((c) => c.startsWith("better-auth.better-auth-passkey=")).join("; ") });
    },
  },
];
