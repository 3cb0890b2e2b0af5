// Social sign-in and linked accounts, as far as they can be compared without a live provider: both servers have a
// google provider with the reference's dummy credentials, so the authorization URL, the stored state's effects at
// the callback, and every error path are compared; nothing here reaches Google.
import { PW, EVIL } from "./email-password.mjs";

/** The state parameter of an authorization URL answered by /sign-in/social or /link-social. */
const stateOf = (answer) => {
  try { return new URL(answer.body.url).searchParams.get("state") ?? "missing"; } catch { return "missing"; }
};

export const socialGroups = [
  {
    name: "sign-in-social",
    async run(t) {
      await t.post("google", "/sign-in/social", { provider: "google" }, { jar: null });
      await t.post("google with every option", "/sign-in/social", {
        provider: "google", callbackURL: "/dashboard", newUserCallbackURL: "/welcome", errorCallbackURL: "/oops",
        disableRedirect: true, scopes: ["https://www.googleapis.com/auth/drive.readonly"], loginHint: "someone@example.com", requestSignUp: true,
      }, { jar: null });
      await t.post("absolute trusted callbackURL", "/sign-in/social", { provider: "google", callbackURL: `${t.base}/home` }, { jar: null });
      await t.post("provider not configured", "/sign-in/social", { provider: "github" }, { jar: null });
      await t.post("unknown provider id", "/sign-in/social", { provider: "not-a-provider" }, { jar: null });
      await t.post("missing provider", "/sign-in/social", {}, { jar: null });
      await t.post("provider not a string", "/sign-in/social", { provider: 7 }, { jar: null });
      await t.post("scopes not an array", "/sign-in/social", { provider: "google", scopes: "email" }, { jar: null });
      await t.post("disableRedirect as string", "/sign-in/social", { provider: "google", disableRedirect: "true" }, { jar: null });
      await t.post("untrusted callbackURL", "/sign-in/social", { provider: "google", callbackURL: `${EVIL}/x` }, { jar: null });
      await t.post("untrusted errorCallbackURL", "/sign-in/social", { provider: "google", errorCallbackURL: `${EVIL}/x` }, { jar: null });
      await t.post("untrusted newUserCallbackURL", "/sign-in/social", { provider: "google", newUserCallbackURL: `${EVIL}/x` }, { jar: null });
      await t.post("idToken without token", "/sign-in/social", { provider: "google", idToken: {} }, { jar: null });
      await t.post("idToken for a provider without id tokens", "/sign-in/social", { provider: "github", idToken: { token: "x" } }, { jar: null });
      // The reference sends the token to Google's tokeninfo endpoint and answers 500 when that fails; ours refuses a
      // string that is not a JWT before any call.
      await t.post("idToken not a JWT", "/sign-in/social", { provider: "google", idToken: { token: "not-a-jwt" } },
        { jar: null, only: "ours", expect: { status: 401, code: "INVALID_TOKEN" } });
    },
  },
  {
    name: "oauth-callback",
    async run(t) {
      await t.get("no parameters", "/callback/google", { jar: null });
      await t.get("access denied", "/callback/google?error=access_denied", { jar: null });
      await t.get("access denied with description", "/callback/google?error=access_denied&error_description=denied", { jar: null });
      // The reference writes both values into the Location raw (here with spaces); ours percent-encodes them.
      await t.get("access denied with a spaced description", "/callback/google?error=access_denied&error_description=User%20said%20no", { jar: null });
      await t.get("unknown state", `/callback/google?state=${"s".repeat(32)}&code=abc`, { jar: null });
      await t.get("repeated state", "/callback/google?state=a&state=b", { jar: null });

      // Each flow is finished in the browser (jar) that began it: ours binds the state to it with a state cookie.
      const first = await t.post("start with errorCallbackURL", "/sign-in/social", { provider: "google", errorCallbackURL: "/oops" }, { jar: "flow" });
      await t.get("state without code", `/callback/google?state=${stateOf(first)}`, { jar: "flow" });
      await t.get("same state again", `/callback/google?state=${stateOf(first)}&code=abc`, { jar: "flow" });

      const second = await t.post("start", "/sign-in/social", { provider: "google" }, { jar: "flow2" });
      await t.get("state with code for another provider", `/callback/github?state=${stateOf(second)}&code=abc`, { jar: "flow2" });

      // A state opened in another browser than the one that began the flow (login CSRF): ours refuses it and leaves
      // the flow to its browser; the reference uses it up.
      const owned = await t.post("start in the owner's browser", "/sign-in/social", { provider: "google", errorCallbackURL: "/oops" }, { jar: "owner" });
      await t.get("state from another browser", `/callback/google?state=${stateOf(owned)}`, { jar: null });
      await t.get("the same state in the owner's browser", `/callback/google?state=${stateOf(owned)}`, { jar: "owner" });

      await t.request("form_post error", "POST", "/callback/google",
        { raw: "error=access_denied", contentType: "application/x-www-form-urlencoded", jar: null });
      await t.request("form_post without body", "POST", "/callback/google", { jar: null });
      await t.post("form_post state not a string", "/callback/google", { state: 5 }, { jar: null });
    },
  },
  {
    name: "link-social",
    async run(t) {
      await t.post("without session", "/link-social", { provider: "google" }, { jar: null });
      await t.post("without session, bad body", "/link-social", {}, { jar: null });
      await t.post("sign-up", "/sign-up/email", { name: "Linker", email: t.email("linker"), password: PW });
      await t.post("google", "/link-social", { provider: "google", callbackURL: "/settings", scopes: ["openid"] }, { origin: t.base });
      await t.post("provider not configured", "/link-social", { provider: "github" }, { origin: t.base });
      await t.post("idToken for a provider without id tokens", "/link-social", { provider: "github", idToken: { token: "x" } }, { origin: t.base });
      await t.post("untrusted callbackURL", "/link-social", { provider: "google", callbackURL: `${EVIL}/x` }, { origin: t.base });
      await t.post("foreign origin", "/link-social", { provider: "google" }, { origin: EVIL });
    },
  },
  {
    name: "social-accounts",
    async run(t) {
      await t.post("get-access-token without session", "/get-access-token", { providerId: "google" }, { jar: null });
      await t.post("get-access-token bad body", "/get-access-token", {}, { jar: null });
      await t.post("refresh-token without session", "/refresh-token", { providerId: "google" }, { jar: null });
      await t.post("account-info without session", "/account-info", { accountId: "x" }, { jar: null });
      await t.post("unlink-account without session", "/unlink-account", { providerId: "google" }, { jar: null });
      await t.post("sign-up", "/sign-up/email", { name: "Accounts", email: t.email("accounts"), password: PW });
      const o = { origin: t.base };
      await t.get("list-accounts", "/list-accounts");
      await t.post("get-access-token no google account", "/get-access-token", { providerId: "google" }, o);
      await t.post("get-access-token provider not configured", "/get-access-token", { providerId: "github" }, o);
      await t.post("get-access-token credential", "/get-access-token", { providerId: "credential" }, o);
      await t.post("refresh-token no google account", "/refresh-token", { providerId: "google" }, o);
      await t.post("refresh-token provider not configured", "/refresh-token", { providerId: "github" }, o);
      await t.post("account-info unknown account", "/account-info", { accountId: "nope" }, o);
      await t.post("account-info bad body", "/account-info", {}, o);
      await t.post("unlink-account the only account", "/unlink-account", { providerId: "credential" }, o);
      await t.post("unlink-account unknown provider, one account", "/unlink-account", { providerId: "google" }, o);
      await t.post("unlink-account bad body", "/unlink-account", { providerId: 3 }, o);
    },
  },
];
