// Less common inputs: other body encodings, wrong types, query-string callbackURLs, odd Origin values.
import { PW, EVIL } from "./email-password.mjs";

export const edgeGroups = [
  {
    name: "edge",
    async run(t) {
      const email = t.email("edge");
      await t.post("sign-up", "/sign-up/email", { name: "Edge", email, password: PW }, { jar: null });
      await t.request("sign-in form-urlencoded", "POST", "/sign-in/email",
        { raw: new URLSearchParams({ email, password: PW }).toString(), contentType: "application/x-www-form-urlencoded", jar: "form" });
      await t.post("sign-in rememberMe as string", "/sign-in/email", { email, password: PW, rememberMe: "false" }, { jar: null });
      await t.post("sign-in password not a string", "/sign-in/email", { email, password: 12345678 }, { jar: null });
      await t.post("sign-up extra unknown field", "/sign-up/email", { name: "Extra", email: t.email("extra"), password: PW, foo: "bar" }, { jar: null });
      await t.post("sign-up empty name", "/sign-up/email", { name: "", email: t.email("emptyname"), password: PW }, { jar: null });
      await t.post("sign-up name not a string", "/sign-up/email", { name: 42, email: t.email("numname"), password: PW }, { jar: null });
      await t.post("sign-up email with spaces", "/sign-up/email", { name: "Sp", email: ` ${t.email("spaces")} `, password: PW }, { jar: null });
      await t.post("sign-in callbackURL in query", `/sign-in/email?callbackURL=${encodeURIComponent(EVIL + "/x")}`, { email, password: PW }, { jar: null });
      await t.post("sign-in", "/sign-in/email", { email, password: PW });
      await t.post("Origin null with cookie", "/update-user", { name: "Null" }, { origin: "null" });
      await t.post("trusted Referer with cookie", "/update-user", { name: "Ref" }, { referer: `${t.base}/settings` });
      await t.post("revoke-session token not a string", "/revoke-session", { token: 42 });
      await t.post("change-password revokeOtherSessions as string", "/change-password", { currentPassword: PW, newPassword: PW, revokeOtherSessions: "yes" });
      await t.get("GET /ok with query", "/ok?x=1", { jar: null });
      await t.get("get-session disableCookieCache=yes", "/get-session?disableCookieCache=yes");
      // The reference stores a number given as name (it answers "42.0" afterwards); ours refuses it (allow-listed).
      await t.post("sign-up another user", "/sign-up/email", { name: "Typed", email: t.email("typed"), password: PW }, { jar: "typed" });
      await t.post("update-user name not a string", "/update-user", { name: 42 }, { jar: "typed" });
      await t.get("get-session after a non-string name", "/get-session", { jar: "typed" });
    },
  },
];
