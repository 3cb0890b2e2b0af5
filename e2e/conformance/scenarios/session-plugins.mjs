// Scenario groups for the magic-link, multi-session and one-time-token plugins (the extra run "session-plugins",
// extra-runs.mjs): links mailed and used (new, known and unverified users, errors, callbacks), the device-session
// cookies of several accounts in one browser, and one-time tokens. Rows are aged straight in each server's SQLite file
// (both use Better Auth's tables and ISO dates), since neither server's clock can be moved from here.
import { execFileSync } from "node:child_process";
import { PW } from "./email-password.mjs";

const MULTI = "better-auth.session_token_multi-";
const PAST = "2000-01-01T00:00:00.000Z";

function sql(t, statement) {
  execFileSync("sqlite3", ["-cmd", ".timeout 10000", t.server.dbPath, statement]);
}

/** Asks for a link (one step) and returns the mailed message (undefined when none was sent). */
async function sendLink(t, step, body, opts = { jar: null }) {
  await t.post(step, "/sign-in/magic-link", body, opts);
  return t.message("magic-link", body.email);
}

/** The link's path under the API, as a mail client would open it. */
const pathOf = (t, message) => (message?.url ?? "").slice(t.server.apiURL.length) || "/magic-link/verify?token=missing";

/** list-device-sessions answers in token order, which differs between the servers: compare it by email. */
const byEmail = (list) => (Array.isArray(list) ? list.sort((a, b) => String(a?.user?.email).localeCompare(String(b?.user?.email))) : list);

const signUp = (t, step, label, jar = "main") => t.post(step, "/sign-up/email", { name: label, email: t.email(label), password: PW }, { jar });

export const sessionPluginGroups = [
  {
    name: "magic-link",
    async run(t) {
      const email = t.email("ml-new");
      await t.post("send without email", "/sign-in/magic-link", {}, { jar: null });
      await t.post("send with an invalid email", "/sign-in/magic-link", { email: "not-an-email" }, { jar: null });
      await t.post("send with a numeric name", "/sign-in/magic-link", { email, name: 42 }, { jar: null });
      await t.post("send with an untrusted callbackURL", "/sign-in/magic-link", { email, callbackURL: "https://evil.example/" }, { jar: null });
      const link = await sendLink(t, "send to a new email", { email, name: "Magic New", callbackURL: "/done?step=2" });
      await t.get("verify signs up and redirects", pathOf(t, link));
      await t.get("get-session of the new user", "/get-session");
      await t.get("the same link again", pathOf(t, link), { jar: null });
      await t.get("an unknown token without callbackURL", "/magic-link/verify?token=NoSuchTokenAnywhereAtAllXyzAbcd", { jar: null });
      await t.get("an unknown token with a plain callbackURL", `/magic-link/verify?token=NoSuchTokenAnywhereAtAllXyzAbcd&callbackURL=${encodeURIComponent("/done")}`, { jar: null });
      await t.get("verify without token", "/magic-link/verify?callbackURL=%2F", { jar: null });

      const json = await sendLink(t, "send again without callbackURL", { email });
      await t.get("verify untrusted callbackURL", `/magic-link/verify?token=${json?.token}&callbackURL=${encodeURIComponent("https://evil.example/")}`, { jar: null });
      await t.get("verify double-encoded callbackURL", `/magic-link/verify?token=${json?.token}&callbackURL=${encodeURIComponent(encodeURIComponent("//evil.example"))}`, { jar: null });
      await t.get("verify undecodable callbackURL", `/magic-link/verify?token=${json?.token}&callbackURL=%25E0%25A4%25A`, { jar: null });
      await t.get("verify without callbackURL answers JSON", `/magic-link/verify?token=${json?.token}`, { jar: "second" });
      await t.get("get-session of the second browser", "/get-session", { jar: "second" });

      const upper = `UP-${t.email("ml-case")}`;
      const mixed = await sendLink(t, "send to an address in upper case", { email: upper });
      await t.get("verify the upper-case address", `/magic-link/verify?token=${mixed?.token}`, { jar: "case" });

      const late = await sendLink(t, "send a link that will expire", { email, callbackURL: "/late" });
      sql(t, `UPDATE verification SET expiresAt = '${PAST}' WHERE identifier = '${late?.token}';`);
      await t.get("an expired link", pathOf(t, late), { jar: null });
      await t.get("the expired link again", pathOf(t, late), { jar: null });
    },
  },
  {
    name: "magic-link-accounts",
    async run(t) {
      // Someone registers an address with a password; the mailbox owner then signs in with a link.
      const email = t.email("ml-squat");
      await t.post("sign-up with a password", "/sign-up/email", { name: "Squatter", email, password: PW }, { jar: "squatter" });
      const link = await sendLink(t, "send to the unverified account", { email });
      await t.get("the owner verifies the link", `/magic-link/verify?token=${link?.token}`, { jar: "owner" });
      await t.get("get-session of the owner", "/get-session", { jar: "owner" });
      // Now verified: another link signs in as before.
      const again = await sendLink(t, "send to the verified account", { email, callbackURL: "/again" });
      await t.get("verify on the verified account", pathOf(t, again), { jar: "owner" });
      // Last, since the answers differ from here on (the reference keeps what the first registrant set up).
      await t.get("get-session of the squatter", "/get-session", { jar: "squatter" });
      await t.post("sign-in with the squatter's password", "/sign-in/email", { email, password: PW }, { jar: null });
    },
  },
  {
    name: "multi-session",
    async run(t) {
      const a = (await signUp(t, "sign-up a", "ms-a"))?.body?.token;
      const bToken = (await signUp(t, "sign-up b", "ms-b"))?.body?.token;
      const c = (await signUp(t, "sign-up c", "ms-c"))?.body?.token;
      await t.get("list-device-sessions", "/multi-session/list-device-sessions", { reorder: byEmail });
      await t.get("get-session is the last account", "/get-session");

      await t.post("set-active a", "/multi-session/set-active", { sessionToken: a });
      await t.get("get-session after set-active", "/get-session");
      await t.post("set-active an unknown token", "/multi-session/set-active", { sessionToken: "NoSuchSessionTokenAnywhereAtAll0" });
      await t.post("set-active without body field", "/multi-session/set-active", {});
      await t.post("set-active without session", "/multi-session/set-active", { sessionToken: a }, { jar: null });
      const foreign = (await signUp(t, "sign-up in another browser", "ms-other", "other"))?.body?.token;
      await t.post("set-active another browser's session", "/multi-session/set-active", { sessionToken: foreign });
      await t.post("revoke another browser's session", "/multi-session/revoke", { sessionToken: foreign });

      await t.post("revoke b (not active)", "/multi-session/revoke", { sessionToken: bToken });
      await t.get("list after revoking b", "/multi-session/list-device-sessions", { reorder: byEmail });
      await t.post("revoke a (active) switches to c", "/multi-session/revoke", { sessionToken: a });
      await t.get("get-session after the switch", "/get-session");
      await t.post("revoke c (active, the last)", "/multi-session/revoke", { sessionToken: c });
      await t.get("get-session after the last revoke", "/get-session");
      await t.get("list without cookies", "/multi-session/list-device-sessions", { jar: null });
    },
  },
  {
    name: "multi-session-cookies",
    async run(t) {
      await signUp(t, "sign-up a", "msc-a");
      await signUp(t, "sign-up b elsewhere", "msc-b", "b");
      await t.post("sign-in b not remembered", "/sign-in/email", { email: t.email("msc-b"), password: PW, rememberMe: false });
      const header = t.cookieHeader();
      await t.get("list with an unsigned device cookie", "/multi-session/list-device-sessions",
        { cookie: `${header}; ${MULTI}unsignedxyz=not-signed`, reorder: byEmail });
      await t.get("list with a badly signed device cookie", "/multi-session/list-device-sessions",
        { cookie: `${header}; ${MULTI}badsigxyz=abc.${encodeURIComponent("A".repeat(43) + "=")}`, reorder: byEmail });

      // Sign-out ends every account of the browser; a forged cookie names a session of another browser.
      await signUp(t, "sign-up elsewhere", "msc-else", "elsewhere");
      const elsewhere = t.jar("elsewhere").cookies.get("better-auth.session_token")?.split(".")[0];
      await t.post("sign-out with a forged device cookie", "/sign-out", undefined, { cookie: `${t.cookieHeader()}; ${MULTI}forged=${elsewhere}.forged` });
      await t.get("get-session of the other browser", "/get-session", { jar: "elsewhere" });
      await t.post("sign-out again", "/sign-out", undefined, { jar: "main" });
    },
  },
  {
    name: "multi-session-two-factor",
    async run(t) {
      const email = t.email("mstf");
      await signUp(t, "sign-up", "mstf", null);
      sql(t, `UPDATE "user" SET twoFactorEnabled = 1 WHERE email = '${email}';`);
      await t.post("sign-in of a two-factor user is challenged", "/sign-in/email", { email, password: PW });
      await t.get("list-device-sessions after the challenge", "/multi-session/list-device-sessions");
    },
  },
  {
    name: "multi-session-maximum",
    async run(t) {
      for (let i = 1; i <= 6; i++) await signUp(t, `sign-up account ${i}`, `msm-${i}`);
      await t.get("list-device-sessions", "/multi-session/list-device-sessions", { reorder: byEmail });
    },
  },
  {
    name: "one-time-token",
    async run(t) {
      await signUp(t, "sign-up", "ott");
      await t.get("generate without session", "/one-time-token/generate", { jar: null });
      const made = await t.get("generate", "/one-time-token/generate");
      await t.post("verify", "/one-time-token/verify", { token: made?.body?.token }, { jar: null });
      await t.post("verify again", "/one-time-token/verify", { token: made?.body?.token }, { jar: null });
      await t.post("verify an unknown token", "/one-time-token/verify", { token: "NoSuchOneTimeTokenAnywhereAtAll0" }, { jar: null });
      await t.post("verify without token", "/one-time-token/verify", {}, { jar: null });
      await t.post("verify a numeric token", "/one-time-token/verify", { token: 5 }, { jar: null });

      const expiring = await t.get("generate one to expire", "/one-time-token/generate");
      sql(t, `UPDATE verification SET expiresAt = '${PAST}' WHERE identifier = 'one-time-token:${expiring?.body?.token}';`);
      await t.post("verify an expired token", "/one-time-token/verify", { token: expiring?.body?.token }, { jar: null });
      await t.post("verify the expired token again", "/one-time-token/verify", { token: expiring?.body?.token }, { jar: null });

      const stale = await t.get("generate for a session that will expire", "/one-time-token/generate");
      const session = t.jar("main").cookies.get("better-auth.session_token")?.split(".")[0];
      sql(t, `UPDATE session SET expiresAt = '${PAST}' WHERE token = '${session}';`);
      await t.post("verify for an expired session", "/one-time-token/verify", { token: stale?.body?.token }, { jar: null });

      await signUp(t, "sign-up again", "ott-2", "second");
      const ended = await t.get("generate before sign-out", "/one-time-token/generate", { jar: "second" });
      await t.post("sign-out", "/sign-out", undefined, { jar: "second" });
      await t.post("verify for an ended session", "/one-time-token/verify", { token: ended?.body?.token }, { jar: null });
    },
  },
];
