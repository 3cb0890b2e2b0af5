// Scenario groups for the anonymous plugin: POST /sign-in/anonymous, the refusal of a second anonymous sign-in,
// and linking: a later real sign-up or sign-in from the same browser deletes the anonymous user.
// The temporary email temp-<id>@<origin> is normalised to temp-<id:N>@<base>.
import { PW } from "./email-password.mjs";

export const anonymousGroups = [
  {
    name: "anonymous",
    async run(t) {
      await t.post("sign-in/anonymous", "/sign-in/anonymous", {});
      await t.get("get-session of the anonymous user", "/get-session");
      const anonymous = t.cookieHeader();
      // Better Auth refuses with 400 but still creates another anonymous user and sets its cookie; ours creates
      // nothing (allow-listed). A separate jar keeps the main one on the first anonymous user either way.
      await t.post("sign-in/anonymous again as an anonymous user", "/sign-in/anonymous", {}, { jar: "again", cookie: anonymous });
      await t.get("anonymous session still valid", "/get-session");
      await t.post("update-user as the anonymous user", "/update-user", { name: "Anonymous Renamed" });
      await t.get("list-sessions of the anonymous user", "/list-sessions");
      await t.get("list-accounts of the anonymous user", "/list-accounts");
      await t.post("change-password as the anonymous user", "/change-password", { currentPassword: PW, newPassword: PW });
      await t.post("two-factor enable as the anonymous user", "/two-factor/enable", { password: PW });
      await t.request("sign-in/anonymous without a body", "POST", "/sign-in/anonymous", { jar: "nobody" });
      await t.get("wrong method GET /sign-in/anonymous", "/sign-in/anonymous", { jar: null });
    },
  },
  {
    name: "anonymous-linking",
    async run(t) {
      const email = t.email("anon-link");
      await t.post("sign-in/anonymous", "/sign-in/anonymous", {});
      const first = t.cookieHeader();
      await t.post("sign-up from the anonymous session", "/sign-up/email", { name: "Linked", email, password: PW, username: "linked_user" });
      await t.get("get-session after linking by sign-up", "/get-session");
      await t.get("anonymous cookie after linking", "/get-session", { jar: "stale", cookie: first });

      await t.post("second anonymous user", "/sign-in/anonymous", {}, { jar: "b" });
      const second = t.cookieHeader("b");
      await t.post("sign-in/email from the anonymous session", "/sign-in/email", { email, password: PW }, { jar: "b" });
      await t.get("get-session after linking by sign-in", "/get-session", { jar: "b" });
      await t.get("second anonymous cookie after linking", "/get-session", { jar: "stale2", cookie: second });

      await t.post("anonymous user before sign-in/username", "/sign-in/anonymous", {}, { jar: "u" });
      const beforeUsername = t.cookieHeader("u");
      await t.post("sign-in/username from the anonymous session", "/sign-in/username", { username: "linked_user", password: PW }, { jar: "u" });
      await t.get("anonymous cookie after linking by sign-in/username", "/get-session", { jar: "stale3", cookie: beforeUsername });

      await t.post("third anonymous user", "/sign-in/anonymous", {}, { jar: "c" });
      const third = t.cookieHeader("c");
      await t.post("failed sign-in from the anonymous session", "/sign-in/email", { email, password: "wrong-password" }, { jar: "c" });
      await t.get("anonymous user survives a failed sign-in", "/get-session", { jar: "x", cookie: third });
      await t.post("duplicate sign-up from the anonymous session", "/sign-up/email", { name: "Dup", email, password: PW }, { jar: "c" });
      await t.get("anonymous user survives a failed sign-up", "/get-session", { jar: "x2", cookie: third });

      await t.post("sign-in/anonymous while signed in as a regular user", "/sign-in/anonymous", {});
      await t.get("get-session after switching to anonymous", "/get-session");
    },
  },
  {
    name: "anonymous-flag",
    async run(t) {
      // Better Auth lets a client set isAnonymous on sign-up and update-user; ours does not (allow-listed).
      await t.post("sign-up with isAnonymous true", "/sign-up/email",
        { name: "Flagged", email: t.email("anon-flag"), password: PW, isAnonymous: true });
      await t.get("get-session of the user who sent isAnonymous", "/get-session");
      await t.post("sign-up a regular user", "/sign-up/email", { name: "Plain", email: t.email("anon-plain"), password: PW }, { jar: "plain" });
      await t.post("update-user with isAnonymous and a name", "/update-user", { name: "Plain Again", isAnonymous: true }, { jar: "plain" });
      await t.get("get-session after update-user with isAnonymous", "/get-session", { jar: "plain" });
      await t.post("update-user with only isAnonymous", "/update-user", { isAnonymous: false }, { jar: "plain" });
      await t.get("get-session after update-user with only isAnonymous", "/get-session", { jar: "plain" });
    },
  },
];
