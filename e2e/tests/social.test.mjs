// Social sign-in end to end: a real OpenID Connect provider (oauth2-mock-server) on loopback, our server configured
// through its environment with a generic OIDC provider pointing at the provider's discovery document, and the
// official client driving signIn.social / linkSocial. The browser's part (following redirects to the provider and
// back) is done with fetch and manual redirects; the provider consents at once, like a user clicking "Allow".
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { chromium } from "playwright-core";
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

  test("the state cookie binds the flow to the browser that began it; a foreign or forged state is refused", async () => {
    // The official client begins the flow; its answer sets the signed state cookie for exactly this state.
    const b = browser();
    const user = nextUser("bound");
    const { data } = await b.client.signIn.social({ provider: PROVIDER, callbackURL: "/dashboard", errorCallbackURL: "/login" });
    const state = new URL(data.url).searchParams.get("state");
    assert.ok(decodeURIComponent(b.jar.get("better-auth.state")).startsWith(`${state}.`));
    const callback = (await fetch(data.url, { redirect: "manual" })).headers.get("location");

    // Opened in another browser (a login-CSRF link), with or without a flow of its own there: refused, no session.
    const victim = browser();
    const refused = await victim.jar.fetch(callback, { redirect: "manual" });
    assert.equal(refused.headers.get("location"), "/login?error=state_mismatch");
    await victim.client.signIn.social({ provider: PROVIDER });
    assert.equal((await victim.jar.fetch(callback, { redirect: "manual" })).headers.get("location"), "/login?error=state_mismatch");
    assert.equal((await victim.client.getSession()).data, null);

    // A state nobody issued is refused as before.
    const forged = `${server.apiURL}/callback/${PROVIDER}?code=x&state=${"f".repeat(32)}`;
    assert.equal((await victim.jar.fetch(forged, { redirect: "manual" })).headers.get("location"), `${server.apiURL}/error?error=please_restart_the_process`);

    // The browser that began the flow still finishes it, and its state cookie is spent.
    const done = await b.jar.fetch(callback, { redirect: "manual" });
    assert.equal(done.headers.get("location"), "/dashboard");
    assert.equal((await b.client.getSession()).data.user.email, user.email);
    assert.equal(b.jar.get("better-auth.state"), undefined);
  });

  test("linkSocial: the link flow finishes only in the linking browser", async () => {
    const attacker = browser();
    counter += 1;
    await attacker.client.signUp.email({ email: `attacker-${counter}-${Date.now()}@social.test`, password: PASSWORD, name: "Attacker" });
    const { data } = await attacker.client.linkSocial({ provider: PROVIDER, callbackURL: "/settings", errorCallbackURL: "/settings/error" });
    // A victim is lured to the attacker's authorization URL and consents with their own provider account.
    nextUser("lured");
    const victim = browser();
    const r = await throughProvider(victim.jar, data.url);
    assert.equal(r.headers.get("location"), "/settings/error?error=state_mismatch");
    assert.deepEqual((await attacker.client.listAccounts()).data.map((a) => a.provider), ["credential"]);
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

describe("social sign-in in a real browser (Chromium)", () => {
  let chromiumBrowser;

  before(async () => {
    chromiumBrowser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"],
    });
  });

  after(async () => {
    await chromiumBrowser?.close();
  });

  // Apple answers with response_mode=form_post: a page on its own site POSTs the code and state to our callback. That
  // cross-site POST carries no SameSite=Lax cookie, so ours answers it with a 302 to the same callback as a GET, which
  // the browser sends with the state cookie. The mock provider only redirects, so its answer is turned into such a page.
  test("a cross-site form_post answer finishes the flow: the POST has no state cookie, the GET it becomes has", async () => {
    const user = nextUser("formpost");
    const context = await chromiumBrowser.newContext();
    try {
      // The provider's page (on "localhost", another site than ours on 127.0.0.1) posts its answer instead of redirecting.
      assert.notEqual(new URL(idp.issuer.url).hostname, new URL(server.baseURL).hostname);
      await context.route(`${idp.issuer.url}/authorize**`, async (route) => {
        const atProvider = await route.fetch({ maxRedirects: 0 });
        const callback = new URL(atProvider.headers().location);
        const fields = [...callback.searchParams]
          .map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/"/g, "&quot;")}">`).join("");
        await route.fulfill({
          contentType: "text/html",
          body: `<form method="post" action="${callback.origin + callback.pathname}">${fields}</form><script>document.forms[0].submit()</script>`,
        });
      });
      const callbacks = [];
      const page = await context.newPage();
      page.on("request", (request) => {
        if (request.url().startsWith(`${server.apiURL}/callback/`)) {
          callbacks.push({ method: request.method(), cookie: request.allHeaders().then((h) => h.cookie ?? "") });
        }
      });

      // The page on our origin starts the flow as the official client does (a same-origin fetch, then navigating).
      await page.goto(`${server.apiURL}/ok`);
      const landed = page.waitForURL(`${server.apiURL}/ok?signed-in=1`, { timeout: 20_000 });
      await page.evaluate(async (provider) => {
        const r = await fetch("/api/auth/sign-in/social", {
          method: "POST", headers: { "content-type": "application/json" },
          body: JSON.stringify({ provider, callbackURL: "/api/auth/ok?signed-in=1" }),
        });
        window.location.href = (await r.json()).url;
      }, PROVIDER);
      await landed;

      assert.deepEqual(callbacks.map((c) => c.method), ["POST", "GET"]);
      assert.ok(!(await callbacks[0].cookie).includes("better-auth.state"), "the cross-site POST carries no SameSite=Lax cookie");
      assert.ok((await callbacks[1].cookie).includes("better-auth.state="), "the GET it was turned into does");
      const cookies = await context.cookies(server.baseURL);
      assert.ok(cookies.some((c) => c.name === "better-auth.session_token"));
      assert.ok(!cookies.some((c) => c.name === "better-auth.state"));
      const session = await page.evaluate(async () => (await fetch("/api/auth/get-session")).json());
      assert.equal(session.user.email, user.email);
    } finally {
      await context.close();
    }
  });
});
