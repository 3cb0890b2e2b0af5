// Scenario groups for the mailed flows: send-verification-email / verify-email, password reset (request, the
// GET link, POST /reset-password), change-email and delete-user. Links and tokens come from each server's own
// outbox (t.message); a verification token is a JWT on both sides but differs by nature, and it only travels in
// the request path, which is not compared.
import { PW, NEW_PW, EVIL } from "./email-password.mjs";

/** The newest outbox message of a kind for an address that differs from `previous` (our sender may be a queue). */
async function nextMessage(t, kind, to, previous) {
  const seen = JSON.stringify(previous);
  for (let i = 0; i < 40; i++) {
    const m = t.message(kind, to);
    if (m && JSON.stringify(m) !== seen) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

/** Sends one step that should mail `kind` to `to`; returns the new message (or undefined when none came). */
async function mailed(t, kind, to, send) {
  const before = t.message(kind, to);
  await send();
  const message = await nextMessage(t, kind, to, before);
  // The mailed token is a token: numbered like one, it reads the same in a later redirect on both servers.
  if (message?.token) t.normaliser.placeholder(message.token, "token");
  return message;
}

const signUp = (t, step, email, opts = {}) =>
  t.post(step, "/sign-up/email", { name: "Mail User", email, password: PW }, opts);

/** The path and query of a mailed link, relative to the API base (both servers mail absolute /api/auth links). */
function apiPath(t, url) {
  if (!url) return "/verify-email?token=missing";
  const u = new URL(url);
  const prefix = new URL(t.server.apiURL).pathname;
  return u.pathname.slice(prefix.length) + u.search;
}

export const emailFlowGroups = [
  {
    name: "verification-email",
    async run(t) {
      const email = t.email("verify");
      await signUp(t, "sign-up", email);
      const send = (step, body, opts) => t.post(step, "/send-verification-email", body, opts);
      await send("unknown email without session", { email: t.email("nobody") }, { jar: null });
      const first = await mailed(t, "verify-email", email, () => send("known email without session", { email }, { jar: null }));
      await send("invalid email", { email: "not-an-email" }, { jar: null });
      await send("missing email", {}, { jar: null });
      await send("untrusted callbackURL", { email, callbackURL: `${EVIL}/done` }, { jar: null });
      const withSession = await mailed(t, "verify-email", email, () => send("with session", { email }));
      await send("with session for another email", { email: t.email("other") });
      await t.get("verify-email invalid token", "/verify-email?token=not-a-token", { jar: null });
      await t.get("verify-email invalid token with callbackURL", `/verify-email?token=not-a-token&callbackURL=${encodeURIComponent("/done")}`, { jar: null });
      await t.get("verify-email missing token", "/verify-email", { jar: null });
      await t.get("verify-email valid token", `/verify-email?token=${first?.token ?? "missing"}`, { jar: "verified" });
      await t.get("get-session shows emailVerified", "/get-session");
      await t.get("verify-email second token with callbackURL", `/verify-email?token=${withSession?.token ?? "missing"}&callbackURL=${encodeURIComponent("/done")}`, { jar: "again" });
      await send("send again once verified (with session)", { email });
    },
  },
  {
    name: "password-reset",
    async run(t) {
      const email = t.email("reset");
      await signUp(t, "sign-up", email);
      const request = (step, path, body) => t.post(step, path, body, { jar: null });
      const redirectTo = "/reset";
      await request("request-password-reset unknown email", "/request-password-reset", { email: t.email("nobody"), redirectTo });
      await request("forget-password unknown email", "/forget-password", { email: t.email("nobody2"), redirectTo });
      await mailed(t, "reset-password", email, () => request("forget-password known email", "/forget-password", { email, redirectTo }));
      const mail = await mailed(t, "reset-password", email,
        () => request("request-password-reset known email", "/request-password-reset", { email, redirectTo }));
      await request("request-password-reset invalid email", "/request-password-reset", { email: "not-an-email", redirectTo });
      await request("request-password-reset untrusted redirectTo", "/request-password-reset", { email, redirectTo: `${EVIL}/reset` });
      const token = mail?.token ?? "missing";
      const cb = encodeURIComponent("/reset");
      await t.get("GET reset link valid", `/reset-password/${token}?callbackURL=${cb}`, { jar: null });
      await t.get("GET reset link invalid token", `/reset-password/not-a-token?callbackURL=${cb}`, { jar: null });
      await t.get("GET reset link without callbackURL", `/reset-password/${token}`, { jar: null });
      await t.post("reset-password too short", "/reset-password", { newPassword: "1234567", token }, { jar: null });
      await t.post("reset-password invalid token", "/reset-password", { newPassword: NEW_PW, token: "not-a-token" }, { jar: null });
      await t.post("reset-password missing token", "/reset-password", { newPassword: NEW_PW }, { jar: null });
      await t.post("reset-password ok", "/reset-password", { newPassword: NEW_PW, token }, { jar: null });
      await t.post("reset-password reuse", "/reset-password", { newPassword: PW, token }, { jar: null });
      await t.get("session of before the reset", "/get-session");
      await t.post("sign-in with the old password", "/sign-in/email", { email, password: PW }, { jar: null });
      await t.post("sign-in with the new password", "/sign-in/email", { email, password: NEW_PW }, { jar: null });
    },
  },
  {
    name: "change-email",
    async run(t) {
      const email = t.email("chmail");
      await signUp(t, "sign-up", email);
      const change = (step, body, opts) => t.post(step, "/change-email", body, opts);
      await change("without session", { newEmail: t.email("chmail-x") }, { jar: null });
      await change("invalid new email", { newEmail: "not-an-email" });
      await change("same email", { newEmail: email });
      await signUp(t, "sign-up of a second user", t.email("taken"), { jar: "taken" });
      await change("taken email", { newEmail: t.email("taken") });
      const changed = t.email("chmail-new");
      await change("unverified user changes at once", { newEmail: changed });
      await t.get("get-session shows the new email", "/get-session");
      await t.post("sign-in with the new email", "/sign-in/email", { email: changed, password: PW }, { jar: null });

      // A verified user: the change goes by a link mailed to the current address.
      const verified = t.email("chmail-verified");
      await signUp(t, "sign-up of a verified user", verified, { jar: "v" });
      const link = await mailed(t, "verify-email", verified,
        () => t.post("send verification", "/send-verification-email", { email: verified }, { jar: "v" }));
      await t.get("verify", `/verify-email?token=${link?.token ?? "missing"}`, { jar: "v" });
      const target = t.email("chmail-target");
      const mail = await mailed(t, "change-email", verified,
        () => change("verified user gets a link", { newEmail: target, callbackURL: "/changed" }, { jar: "v" }));
      await t.get("get-session before following the link", "/get-session", { jar: "v" });
      await t.get("follow the change-email link", apiPath(t, mail?.url), { jar: "v" });
      await t.get("get-session after following the link", "/get-session", { jar: "v" });
    },
  },
  {
    name: "delete-user",
    async run(t) {
      const email = t.email("delete");
      await signUp(t, "sign-up", email);
      await t.post("without session", "/delete-user", { password: PW }, { jar: null });
      await t.post("wrong password", "/delete-user", { password: "wrong-password" });
      await t.get("still signed in", "/get-session");
      await t.post("with password", "/delete-user", { password: PW });
      await t.get("get-session after deletion", "/get-session");
      await t.post("sign-in after deletion", "/sign-in/email", { email, password: PW }, { jar: null });
      await t.get("callback with a bogus token", "/delete-user/callback?token=not-a-token", { jar: null });
    },
  },
];
