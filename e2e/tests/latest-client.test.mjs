// Today's Better Auth client (better-auth-latest: the newest 1.x, an npm alias next to 1.2.12) against our server:
// the flows an app written against the current docs drives, with the request shapes and route names later versions
// use — rememberMe and image on sign-up, request-password-reset, GET /account-info?accountId=…, and the
// organization, two-factor and phone-number plugin clients of that version.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createAuthClient } from "better-auth-latest/client";
import { organizationClient, phoneNumberClient, twoFactorClient } from "better-auth-latest/client/plugins";
import { startOurs } from "../lib/servers.mjs";
import { clientBrowser } from "../lib/browser.mjs";
import { startMockOidc } from "../lib/mock-oidc.mjs";
import { totpCode } from "../lib/totp.mjs";

const PASSWORD = "latest-client-password-1";
const PROVIDER = "mock-idp";
const SESSION_COOKIE = "better-auth.session_token";
const DONT_REMEMBER_COOKIE = "better-auth.dont_remember";

let server;
let oidc;
let counter = 0;

before(async () => {
  oidc = await startMockOidc();
  server = await startOurs({ env: oidc.serverEnv(PROVIDER, "latest-client") });
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  await oidc?.stop();
});

function unique(label) {
  counter += 1;
  return `${label}-${counter}-${Date.now().toString(36)}`;
}

/** A browser with the latest client and its plugins; `redirects` counts onTwoFactorRedirect calls. */
function browser() {
  const redirects = [];
  const b = clientBrowser(createAuthClient, server.baseURL, {
    plugins: [
      organizationClient(),
      twoFactorClient({ onTwoFactorRedirect: (context) => { redirects.push(context); } }),
      phoneNumberClient(),
    ],
  });
  return { ...b, redirects };
}

async function signedUp(label, extra = {}) {
  const b = browser();
  const email = `${unique(label)}@latest-client.test`;
  const { data, error } = await b.client.signUp.email({ email, password: PASSWORD, name: label, ...extra });
  assert.equal(error, null, `sign-up failed: ${JSON.stringify(error)}`);
  return { ...b, email, user: data.user };
}

/** The Set-Cookie line for a cookie in the jar's last response. */
function setCookieLine(jar, name) {
  return jar.lastHeaders.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

describe("today's Better Auth client against our server", () => {
  test("the alias resolves to a later 1.x client than the 1.2.12 one", () => {
    // The package's exports hide package.json, so it is read from where npm put it.
    const latest = JSON.parse(fs.readFileSync(new URL("../node_modules/better-auth-latest/package.json", import.meta.url), "utf8")).version;
    const pinned = JSON.parse(fs.readFileSync(new URL("../package.json", import.meta.url), "utf8")).dependencies["better-auth-latest"];
    assert.equal(`npm:better-auth@${latest}`, pinned);
    assert.match(latest, /^1\.(\d+)\./);
    assert.ok(Number(latest.split(".")[1]) > 2, `expected a version after 1.2, got ${latest}`);
  });

  test("sign-up with rememberMe: false and an image: browser-session cookie, image stored", async () => {
    const image = "https://images.example/avatar.png";
    const b = await signedUp("forgetful", { rememberMe: false, image });
    assert.equal(b.user.image, image);
    const session = setCookieLine(b.jar, SESSION_COOKIE);
    assert.ok(session, "the session cookie is set");
    assert.doesNotMatch(session, /max-age/i, "a not-remembered session cookie ends with the browser");
    assert.ok(setCookieLine(b.jar, DONT_REMEMBER_COOKIE), "dont_remember marks the session");

    const { data } = await b.client.getSession({ query: { disableCookieCache: true } });
    assert.equal(data.user.email, b.email);
    assert.equal(data.user.image, image);

    const remembered = await signedUp("remembered", { rememberMe: true });
    assert.match(setCookieLine(remembered.jar, SESSION_COOKIE), /Max-Age=604800/);
    assert.equal(setCookieLine(remembered.jar, DONT_REMEMBER_COOKIE), undefined);
  });

  test("sign-in, getSession, listSessions, sign-out", async () => {
    const first = await signedUp("sessions");
    const second = browser();
    const signIn = await second.client.signIn.email({ email: first.email, password: PASSWORD, rememberMe: true });
    assert.equal(signIn.error, null, JSON.stringify(signIn.error));
    assert.equal(signIn.data.user.id, first.user.id);
    assert.equal(typeof signIn.data.token, "string");

    const session = await second.client.getSession();
    assert.equal(session.data.user.id, first.user.id);
    const sessions = await second.client.listSessions();
    assert.equal(sessions.error, null);
    assert.equal(sessions.data.length, 2, "the sign-up's and the sign-in's sessions");

    const out = await second.client.signOut();
    assert.deepEqual(out.data, { success: true });
    assert.equal((await second.client.getSession()).data, null);
    assert.equal((await first.client.getSession()).data.user.id, first.user.id, "the other browser stays signed in");
  });

  test("organization: create, list, set active, invite and accept, full organization", async () => {
    const owner = await signedUp("org-owner");
    const invitee = await signedUp("org-invitee");
    const slug = unique("latest-org");
    const created = await owner.client.organization.create({ name: "Latest Org", slug, keepCurrentActiveOrganization: false });
    assert.equal(created.error, null, JSON.stringify(created.error));
    assert.equal(created.data.slug, slug);

    const list = await owner.client.organization.list();
    assert.deepEqual(list.data.map((o) => o.id), [created.data.id]);
    const active = await owner.client.organization.setActive({ organizationId: created.data.id });
    assert.equal(active.error, null, JSON.stringify(active.error));
    assert.equal((await owner.client.getSession()).data.session.activeOrganizationId, created.data.id);

    const invitation = await owner.client.organization.inviteMember({ email: invitee.email, role: "member" });
    assert.equal(invitation.error, null, JSON.stringify(invitation.error));
    const mail = server.lastMessage("organization-invitation", invitee.email);
    assert.equal(mail.token, invitation.data.id);
    const accepted = await invitee.client.organization.acceptInvitation({ invitationId: mail.token });
    assert.equal(accepted.error, null, JSON.stringify(accepted.error));
    assert.equal(accepted.data.member.userId, invitee.user.id);

    const full = await owner.client.organization.getFullOrganization({ query: { organizationId: created.data.id } });
    assert.equal(full.error, null, JSON.stringify(full.error));
    assert.deepEqual(full.data.members.map((m) => [m.user.email, m.role]).sort(), [[invitee.email, "member"], [owner.email, "owner"]].sort());
  });

  test("two-factor: enable, verify a TOTP code, then sign-in is intercepted until a code is given", async () => {
    const b = await signedUp("two-factor");
    const enable = await b.client.twoFactor.enable({ password: PASSWORD });
    assert.equal(enable.error, null, JSON.stringify(enable.error));
    assert.match(enable.data.totpURI, /^otpauth:\/\/totp\//);
    assert.equal(enable.data.backupCodes.length, 10);
    const verified = await b.client.twoFactor.verifyTotp({ code: await totpCode(enable.data.totpURI) });
    assert.equal(verified.error, null, JSON.stringify(verified.error));
    assert.equal((await b.client.getSession({ query: { disableCookieCache: true } })).data.user.twoFactorEnabled, true);

    const later = browser();
    const signIn = await later.client.signIn.email({ email: b.email, password: PASSWORD });
    assert.equal(signIn.error, null);
    assert.equal(signIn.data.twoFactorRedirect, true);
    assert.equal(later.redirects.length, 1, "onTwoFactorRedirect is called");
    assert.equal((await later.client.getSession()).data, null, "no session before the second factor");
    // The next step's code: the enrolment's own code is spent (each TOTP code is accepted once).
    const second = await later.client.twoFactor.verifyTotp({ code: await totpCode(enable.data.totpURI, 1) });
    assert.equal(second.error, null, JSON.stringify(second.error));
    assert.equal((await later.client.getSession()).data.user.id, b.user.id);
  });

  test("requestPasswordReset (the later name) mails a token that resets the password", async () => {
    const b = await signedUp("reset");
    const requested = await browser().client.requestPasswordReset({ email: b.email, redirectTo: "/reset" });
    assert.equal(requested.error, null, JSON.stringify(requested.error));
    assert.equal(requested.data.status, true);
    const mail = server.lastMessage("reset-password", b.email);
    assert.ok(mail?.token, "a reset mail with a token");
    const reset = await browser().client.resetPassword({ newPassword: "latest-new-password", token: mail.token });
    assert.deepEqual(reset.data, { status: true });
    assert.equal((await browser().client.signIn.email({ email: b.email, password: "latest-new-password" })).error, null);
    assert.equal((await browser().client.signIn.email({ email: b.email, password: PASSWORD })).error.status, 401);
  });

  test("phoneNumber.requestPasswordReset texts a code that resets the password", async () => {
    const number = `+1415555${String(1000 + (Date.now() % 1000)).padStart(4, "0")}`;
    // Sign-up does not take a number (it is not client input): the user proves it by code first.
    const b = await signedUp("phone-reset");
    assert.equal((await b.client.phoneNumber.sendOtp({ phoneNumber: number })).error, null);
    const code = server.lastMessage("phone-otp", number)?.otp;
    assert.equal((await b.client.phoneNumber.verify({ phoneNumber: number, code, updatePhoneNumber: true })).error, null);
    const requested = await b.client.phoneNumber.requestPasswordReset({ phoneNumber: number });
    assert.equal(requested.error, null, JSON.stringify(requested.error));
    assert.deepEqual(requested.data, { status: true });
    const otp = server.lastMessage("phone-reset-password-otp", number)?.otp;
    assert.match(otp ?? "", /^\d{6}$/);
    const reset = await browser().client.phoneNumber.resetPassword({ phoneNumber: number, otp, newPassword: "phone-new-password" });
    assert.equal(reset.error, null, JSON.stringify(reset.error));
    const signIn = await browser().client.signIn.phoneNumber({ phoneNumber: number, password: "phone-new-password" });
    assert.equal(signIn.error, null, JSON.stringify(signIn.error));
    assert.equal(signIn.data.user.id, b.user.id);
  });

  test("accountInfo is GET /account-info?accountId=<account id> and names the account", async () => {
    const b = browser();
    const user = oidc.signsInNext({ sub: unique("sub"), email: `${unique("social")}@latest-client.test`, name: "Social User" });
    const { data, error } = await b.client.signIn.social({ provider: PROVIDER, callbackURL: "/home", disableRedirect: true });
    assert.equal(error, null, JSON.stringify(error));
    const done = await oidc.throughProvider(b.jar, data.url, `${server.apiURL}/callback/${PROVIDER}?`);
    assert.equal(done.status, 302);
    const accounts = await b.client.listAccounts();
    const account = accounts.data.find((a) => a.accountId === user.sub);
    assert.ok(account, JSON.stringify(accounts.data));

    const info = await b.client.accountInfo({ query: { accountId: account.id } });
    assert.equal(info.error, null, JSON.stringify(info.error));
    assert.equal(info.data.user.id, user.sub);
    assert.equal(info.data.user.email, user.email);
    assert.deepEqual(info.data.account, { id: account.id, providerId: PROVIDER, accountId: user.sub });

    const unknown = await b.client.accountInfo({ query: { accountId: "no-such-account" } });
    assert.equal(unknown.error.status, 400);
    assert.equal(unknown.error.code, "ACCOUNT_NOT_FOUND");
    const signedOut = await browser().client.accountInfo({ query: { accountId: account.id } });
    assert.equal(signedOut.error.status, 401);
  });
});
