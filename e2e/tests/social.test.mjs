// Social sign-in end to end: a real OpenID Connect provider (oauth2-mock-server) on loopback, our server configured
// through its environment with a generic OIDC provider pointing at the provider's discovery document, and the
// official client driving signIn.social / linkSocial. The browser's part (following redirects to the provider and
// back) is done with fetch and manual redirects; the provider consents at once, like a user clicking "Allow".
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createAuthClient } from "better-auth/client";
import { startOurs } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";
import { startMockOidc } from "../lib/mock-oidc.mjs";

const PROVIDER = "mock-idp";
const CLIENT_ID = "e2e-client";
const PASSWORD = "password1234";

let oidc;
let idp;
let server;
let counter = 0;

before(async () => {
  oidc = await startMockOidc();
  idp = oidc.idp;
  server = await startOurs({ env: oidc.serverEnv(PROVIDER, CLIENT_ID) });
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  await oidc?.stop();
});

function browser() {
  const jar = new CookieJar(server.baseURL);
  const client = createAuthClient({ baseURL: server.baseURL, fetchOptions: { customFetchImpl: jar.fetch } });
  return { jar, client };
}

function nextUser(label, extra = {}) {
  counter += 1;
  return oidc.signsInNext({ sub: `${label}-${counter}-${Date.now()}`, email: `${label}-${counter}-${Date.now()}@social.test`, name: `User ${label}`, ...extra });
}

/** The browser's round trip through the provider to our callback (a 302). */
function throughProvider(jar, authorizationURL) {
  return oidc.throughProvider(jar, authorizationURL, `${server.apiURL}/callback/${PROVIDER}?`);
}

describe("social sign-in with a real OpenID Connect provider", () => {
  test("signIn.social → provider → callback → session, then the user comes back", async () => {
    const b = browser();
    const user = nextUser("flow");
    const { data, error } = await b.client.signIn.social({ provider: PROVIDER, callbackURL: "/dashboard", newUserCallbackURL: "/welcome", disableRedirect: true });
    assert.equal(error, null);
    assert.equal(data.redirect, false);
    const url = new URL(data.url);
    assert.equal(url.origin + url.pathname, `${idp.issuer.url}/authorize`);
    assert.equal(url.searchParams.get("code_challenge_method"), "S256");
    assert.equal(url.searchParams.get("redirect_uri"), `${server.apiURL}/callback/${PROVIDER}`);

    const done = await throughProvider(b.jar, data.url);
    assert.equal(done.status, 302);
    assert.equal(done.headers.get("location"), "/welcome");
    const session = await b.client.getSession();
    assert.equal(session.data.user.email, user.email);
    assert.equal(session.data.user.name, user.name);
    assert.equal(session.data.user.emailVerified, true);
    const accounts = await b.client.listAccounts();
    assert.deepEqual(accounts.data.map((a) => [a.provider, a.accountId]), [[PROVIDER, user.sub]]);

    const again = browser();
    const second = await again.client.signIn.social({ provider: PROVIDER, callbackURL: "/dashboard", newUserCallbackURL: "/welcome" });
    assert.equal(second.data.redirect, true);
    const back = await throughProvider(again.jar, second.data.url);
    assert.equal(back.headers.get("location"), "/dashboard");
    assert.equal((await again.client.getSession()).data.user.id, session.data.user.id);
  });

  test("a callback replayed with the same state is refused", async () => {
    const b = browser();
    nextUser("replay");
    const { data } = await b.client.signIn.social({ provider: PROVIDER });
    const atProvider = await fetch(data.url, { redirect: "manual" });
    const callback = atProvider.headers.get("location");
    assert.equal((await b.jar.fetch(callback, { redirect: "manual" })).status, 302);
    const replay = await fetch(callback, { redirect: "manual" });
    assert.equal(replay.headers.get("location"), `${server.apiURL}/error?error=please_restart_the_process`);
  });

  test("denied consent comes back as an error redirect, no session", async () => {
    const b = browser();
    nextUser("denied");
    idp.service.once("beforeAuthorizeRedirect", ({ url }) => {
      url.searchParams.delete("code");
      url.searchParams.set("error", "access_denied");
    });
    const { data } = await b.client.signIn.social({ provider: PROVIDER, errorCallbackURL: "/login" });
    const done = await throughProvider(b.jar, data.url);
    assert.equal(done.headers.get("location"), `${server.apiURL}/error?error=access_denied&error_description=undefined`);
    assert.equal((await b.client.getSession()).data, null);
  });

  test("idToken sign-in: a token signed by the provider signs in; a wrong audience is refused", async () => {
    const user = nextUser("idtoken");
    const claims = (aud) => (_header, payload) => Object.assign(payload, { aud, sub: user.sub, email: user.email, email_verified: true, name: "Id Token" });
    const b = browser();
    const good = await b.client.signIn.social({ provider: PROVIDER, idToken: { token: await idp.issuer.buildToken({ scopesOrTransform: claims(CLIENT_ID) }) } });
    assert.equal(good.error, null);
    assert.equal(good.data.redirect, false);
    assert.equal(good.data.user.email, user.email);
    assert.equal((await b.client.getSession()).data.user.email, user.email);

    const bad = await browser().client.signIn.social({ provider: PROVIDER, idToken: { token: await idp.issuer.buildToken({ scopesOrTransform: claims("another-client") }) } });
    assert.equal(bad.error.status, 401);
    assert.equal(bad.error.code, "INVALID_TOKEN");
  });

  test("linkSocial links the provider to an email user; tokens can be refreshed; unlink", async () => {
    const b = browser();
    counter += 1;
    const address = `linker-${counter}-${Date.now()}@social.test`;
    await b.client.signUp.email({ email: address, password: PASSWORD, name: "Linker" });
    const user = nextUser("linked", { email: address });
    const { data, error } = await b.client.linkSocial({ provider: PROVIDER, callbackURL: "/settings" });
    assert.equal(error, null);
    assert.equal(data.redirect, true);
    const done = await throughProvider(b.jar, data.url);
    assert.equal(done.headers.get("location"), "/settings");
    const accounts = await b.client.listAccounts();
    assert.deepEqual(accounts.data.map((a) => a.provider).sort(), ["credential", PROVIDER]);

    const access = await b.client.getAccessToken({ providerId: PROVIDER });
    assert.equal(access.error, null);
    assert.ok(access.data.accessToken);
    const refreshed = await b.client.refreshToken({ providerId: PROVIDER });
    assert.equal(refreshed.error, null);
    assert.equal(refreshed.data.tokenType, "Bearer");
    assert.ok(refreshed.data.accessToken && refreshed.data.refreshToken);

    const info = await b.client.accountInfo({ accountId: user.sub });
    assert.equal(info.data.user.id, user.sub);
    assert.equal(info.data.user.email, address);

    const unlinked = await b.client.unlinkAccount({ providerId: PROVIDER });
    assert.deepEqual(unlinked.data, { status: true });
    const last = await b.client.unlinkAccount({ providerId: "credential" });
    assert.equal(last.error.code, "YOU_CANT_UNLINK_YOUR_LAST_ACCOUNT");
  });

  test("a provider that is not configured is 404; the server keeps serving when the provider is down", async () => {
    const b = browser();
    const missing = await b.client.signIn.social({ provider: "github" });
    assert.equal(missing.error.status, 404);
    assert.equal(missing.error.code, "PROVIDER_NOT_FOUND");

    nextUser("down");
    const { data } = await b.client.signIn.social({ provider: PROVIDER });
    const callback = (await fetch(data.url, { redirect: "manual" })).headers.get("location");
    const port = Number(new URL(idp.issuer.url).port);
    await idp.stop();
    try {
      const started = Date.now();
      const r = await b.jar.fetch(callback, { redirect: "manual" });
      assert.equal(r.status, 302);
      assert.equal(r.headers.get("location"), `${server.apiURL}/error?error=invalid_code`);
      assert.ok(Date.now() - started < 15_000);
      assert.equal((await fetch(`${server.apiURL}/ok`)).status, 200);
    } finally {
      await idp.start(port, "127.0.0.1");
    }
  });
});
