// Scenario groups for the username plugin: usernames on sign-up and update-user (validation, uniqueness,
// displayUsername) and POST /sign-in/username. Usernames are fixed: each run starts both servers on fresh databases.
import { PW } from "./email-password.mjs";

const signUp = (t, step, label, extra, opts = { jar: null }) =>
  t.post(step, "/sign-up/email", { name: "User Name", email: t.email(label), password: PW, ...extra }, opts);
const signIn = (t, step, body, jar = null) => t.post(step, "/sign-in/username", { password: PW, ...body }, { jar });

export const usernameGroups = [
  {
    name: "username-sign-up",
    async run(t) {
      await signUp(t, "sign-up with username", "un-ada", { username: "Ada_Lovelace" }, {});
      await t.get("get-session shows username and displayUsername", "/get-session");
      await signUp(t, "sign-up with displayUsername", "un-grace", { username: "grace.h", displayUsername: "Grace H." }, { jar: "grace" });
      await t.get("get-session of the displayUsername user", "/get-session", { jar: "grace" });
      await signUp(t, "sign-up without username", "un-none", {}, { jar: "none" });
      await t.get("get-session of a user without username", "/get-session", { jar: "none" });
      await signUp(t, "taken username in another case", "un-taken", { username: "ADA_LOVELACE" });
      await signUp(t, "username too short", "un-short", { username: "ab" });
      await signUp(t, "username of three accepted", "un-three", { username: "abc" });
      await signUp(t, "username too long", "un-long", { username: "u".repeat(31) });
      await signUp(t, "username of thirty accepted", "un-thirty", { username: "u".repeat(30) });
      await signUp(t, "username with invalid characters", "un-invalid", { username: "ada lovelace!" });
      await signUp(t, "empty username", "un-empty", { username: "" });
      await signUp(t, "username null", "un-null", { username: null });
      // Better Auth skips its checks for a non-string and stores the number as text; ours refuses it (allow-listed).
      await signUp(t, "username not a string", "un-number", { username: 4242 });
      await signUp(t, "displayUsername without username", "un-display", { displayUsername: "Just Display" }, { jar: "display" });
      await t.get("get-session of the displayUsername-only user", "/get-session", { jar: "display" });
    },
  },
  {
    name: "username-sign-in",
    async run(t) {
      await signUp(t, "sign-up", "un-signin", { username: "Sign_In_User" });
      await signIn(t, "sign-in ok", { username: "Sign_In_User" }, "main");
      await t.get("get-session after sign-in", "/get-session");
      await signIn(t, "username in lower case", { username: "sign_in_user" }, "lower");
      await signIn(t, "wrong password", { username: "sign_in_user", password: "wrong-password" });
      await signIn(t, "unknown username", { username: "nobody_here" });
      await signIn(t, "invalid username", { username: "bad name!" });
      await signIn(t, "username too short", { username: "ab" });
      await signIn(t, "username too long", { username: "u".repeat(31) });
      await signIn(t, "missing password", { username: "sign_in_user", password: undefined });
      await signIn(t, "missing username", {});
      await signIn(t, "username not a string", { username: 4242 });
      await signIn(t, "empty password", { username: "sign_in_user", password: "" });
      await signIn(t, "rememberMe false", { username: "sign_in_user", rememberMe: false }, "short");
      await t.get("get-session of a rememberMe=false session", "/get-session", { jar: "short" });
      await signIn(t, "callbackURL is ignored", { username: "sign_in_user", callbackURL: "http://evil.example/x" });
      await t.post("sign-in/email still works", "/sign-in/email", { email: t.email("un-signin"), password: PW }, { jar: null });
    },
  },
  {
    name: "username-update",
    async run(t) {
      await signUp(t, "sign-up", "un-update", { username: "Ada_Update" }, {});
      await signUp(t, "sign-up other user", "un-other", { username: "other_user" }, { jar: "other" });
      await t.post("update username", "/update-user", { username: "Ada_Byron" });
      await t.get("get-session after the username update", "/get-session");
      await t.post("update to a taken username", "/update-user", { username: "OTHER_USER" });
      // Better Auth refuses your own current username as taken; ours accepts it (allow-listed).
      await t.post("update to the own current username", "/update-user", { username: "ada_byron" });
      await t.post("update to an invalid username", "/update-user", { username: "no spaces!" });
      await t.post("update to a short username", "/update-user", { username: "ab" });
      await t.post("update displayUsername only", "/update-user", { displayUsername: "Lady Ada" });
      await t.get("get-session after the displayUsername update", "/get-session");
      await t.post("update username and name", "/update-user", { username: "countess_ada", name: "Countess" });
      await t.get("get-session after username and name", "/get-session");
      await signIn(t, "sign-in with the new username", { username: "countess_ada" }, "new");
      await signIn(t, "sign-in with the old username", { username: "ada_byron" });
      await signIn(t, "sign-in with the first username", { username: "ada_update" });
      await t.post("update username without session", "/update-user", { username: "nobody_else" }, { jar: null });
      await t.post("update username not a string", "/update-user", { username: 4242 }, { jar: "other" });
    },
  },
];
