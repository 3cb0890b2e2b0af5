// Scenario groups for sessions and transport: get-session, sign-out, list/revoke sessions, origin checks,
// routing, and bodies the reference cannot survive (run against ours only).
import crypto from "node:crypto";
import { TEST_SECRET } from "../../lib/servers.mjs";
import { PW, EVIL } from "./email-password.mjs";

const SESSION = "better-auth.session_token";
/** A session_token cookie value signed like better-call does (HMAC-SHA256, base64, URL-encoded). */
const hmac = (token) => crypto.createHmac("sha256", TEST_SECRET).update(token).digest("base64");
const signed = (token) => encodeURIComponent(`${token}.${hmac(token)}`);
/** The right shape (44-char signature) but one character changed. */
const tampered = (token) => encodeURIComponent(`${token}.${hmac(token).replace(/^./, (c) => (c === "A" ? "B" : "A"))}`);

const signUp = (t, step, email, opts = {}) => t.post(step, "/sign-up/email", { name: "Ada Lovelace", email, password: PW }, opts);
const signIn = (t, step, email, opts = {}) => t.post(step, "/sign-in/email", { email, password: PW }, opts);

export const sessionGroups = [
  {
    name: "get-session",
    async run(t) {
      await t.get("no cookie", "/get-session", { jar: null });
      const { body } = await signUp(t, "sign-up", t.email("getsession"));
      await t.get("with session cookie", "/get-session");
      await t.get("disableCookieCache=true", "/get-session?disableCookieCache=true");
      await t.get("disableRefresh=true", "/get-session?disableRefresh=true");
      await t.get("unsigned token cookie", "/get-session", { jar: "x", cookie: `${SESSION}=${body?.token}` });
      await t.get("tampered signature", "/get-session", { jar: "x", cookie: `${SESSION}=${tampered(body?.token)}` });
      await t.get("validly signed unknown token", "/get-session", { jar: "x", cookie: `${SESSION}=${signed("u".repeat(32))}` });
      const before = t.cookieHeader();
      await t.post("sign-out", "/sign-out", {});
      await t.get("after sign-out", "/get-session");
      await t.get("replayed signed-out cookie", "/get-session", { jar: "x", cookie: before });
    },
  },
  {
    name: "sign-out",
    async run(t) {
      await t.post("without session", "/sign-out", {}, { jar: null });
      await signUp(t, "sign-up", t.email("signout"));
      const before = t.cookieHeader();
      await t.post("sign-out ok", "/sign-out", {});
      await t.get("get-session after sign-out", "/get-session");
      await t.post("again with the stale cookie", "/sign-out", {}, { jar: "x", cookie: before });
    },
  },
  {
    name: "sessions",
    async run(t) {
      const email = t.email("sessions");
      await signUp(t, "sign-up", email);
      const second = await signIn(t, "sign-in second device", email, { jar: "second" });
      await signIn(t, "sign-in third device", email, { jar: "third" });
      await t.get("list-sessions", "/list-sessions");
      await t.get("list-sessions without session", "/list-sessions", { jar: null });
      await t.post("revoke-session unknown token", "/revoke-session", { token: "u".repeat(32) });
      await t.post("revoke-session missing token", "/revoke-session", {});
      const other = await signUp(t, "sign-up other user", t.email("sessions-other"), { jar: "other" });
      await t.post("revoke-session of another user", "/revoke-session", { token: other.body?.token });
      await t.get("other user still signed in", "/get-session", { jar: "other" });
      await t.post("revoke-session own second device", "/revoke-session", { token: second.body?.token });
      await t.get("second device after revoke-session", "/get-session", { jar: "second" });
      await t.get("list-sessions after revoke-session", "/list-sessions");
      await t.post("revoke-other-sessions", "/revoke-other-sessions", {});
      await t.get("third device after revoke-other-sessions", "/get-session", { jar: "third" });
      await t.get("current device after revoke-other-sessions", "/get-session");
      await t.get("list-sessions after revoke-other-sessions", "/list-sessions");
      await t.post("revoke-sessions", "/revoke-sessions", {});
      await t.get("get-session after revoke-sessions", "/get-session");
      await t.post("revoke-sessions without session", "/revoke-sessions", {}, { jar: null });
      await t.post("revoke-other-sessions without session", "/revoke-other-sessions", {}, { jar: null });
    },
  },
  {
    name: "origin",
    async run(t) {
      await signUp(t, "sign-up", t.email("origin"));
      await t.post("foreign Origin with cookie", "/sign-out", {}, { origin: EVIL });
      await t.get("session survives the refused sign-out", "/get-session");
      await t.post("foreign Referer with cookie", "/update-user", { name: "Mallory" }, { referer: `${EVIL}/page` });
      await t.post("foreign Origin with an unrelated cookie", "/sign-in/email", { email: t.email("origin"), password: PW },
        { jar: "x", cookie: "unrelated=1", origin: EVIL });
      await t.post("trusted Origin with cookie", "/update-user", { name: "Trusted" }, { origin: t.base });
      await t.post("localhost Origin with cookie", "/update-user", { name: "Local" }, { origin: `http://localhost:${new URL(t.base).port}` });
      await t.post("other port Origin with cookie", "/update-user", { name: "Port" }, { origin: "http://127.0.0.1:1" });
      await t.get("foreign Origin on GET passes", "/get-session", { origin: EVIL });
      const cb = (step, callbackURL) => t.post(step, "/sign-in/email", { email: t.email("origin"), password: PW, callbackURL }, { jar: "cb" });
      await cb("callbackURL on a foreign host", `${EVIL}/cb`);
      await cb("callbackURL on another port", "http://127.0.0.1:1/cb");
      await cb("protocol-relative callbackURL", "//evil.example/cb");
      await cb("relative callbackURL", "/dashboard?tab=1");
    },
  },
  {
    name: "routing",
    async run(t) {
      await t.get("GET /ok", "/ok", { jar: null });
      await t.get("unknown path", "/does-not-exist", { jar: null });
      await t.post("unknown path POST", "/does-not-exist", {}, { jar: null });
      await t.get("wrong method GET /sign-in/email", "/sign-in/email", { jar: null });
      await t.post("wrong method POST /get-session", "/get-session", {}, { jar: null });
      await t.post("wrong method POST /ok", "/ok", {}, { jar: null });
    },
  },
  {
    name: "robustness",
    async run(t) {
      // These crash the whole reference process (reference-defects.md), so they run against ours only.
      const bad = { jar: null, only: "ours", expect: { status: 400 } };
      await t.request("malformed JSON body", "POST", "/sign-in/email", { ...bad, raw: "{\"email\":", contentType: "application/json" });
      await t.request("empty JSON body", "POST", "/sign-up/email", { ...bad, raw: "", contentType: "application/json" });
      await t.get("GET /ok afterwards", "/ok", { jar: null });
    },
  },
];
