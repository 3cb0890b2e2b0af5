// Passkeys end to end in Chromium with a virtual authenticator (DevTools WebAuthn domain) and the official client's
// passkeyClient: register, sign out, sign in with the passkey, rename, delete; an assertion from another origin and a
// replayed one are refused; and passkeys cross between the reference and our server sharing one database.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startOurs, startReference, tempDir } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";
import { CHROMIUM, launchChromium, localhostOrigin, openClient, passkeyPage, screenshotDir, withClient } from "../lib/webauthn-browser.mjs";
import http from "node:http";

const PASSWORD = "passkey-password-1";
let counter = 0;
const email = (label) => `${label}-${++counter}-${Date.now()}@passkey.test`;

/** Signs up through the official client in the page (the browser then holds the session cookie). */
const signUp = (page, base, address) =>
  withClient(page, base, (c, a) => c.signUp.email({ email: a.email, password: a.password, name: "Passkey Person" }).then((r) => r.error ?? r.data.user),
    { email: address, password: PASSWORD });

const addPasskey = (page, base, name) => withClient(page, base, (c, n) => c.passkey.addPasskey({ name: n }).then((r) => r?.error ?? null), name);
const signInWithPasskey = (page, base) => withClient(page, base, (c) => c.signIn.passkey().then((r) => r?.error ?? null));
const session = (page, base) => withClient(page, base, (c) => c.getSession().then((r) => r.data));
const list = (page, base) => withClient(page, base, (c) => c.passkey.listUserPasskeys().then((r) => r.data));
const signOut = (page, base) => withClient(page, base, (c) => c.signOut().then((r) => r.error ?? null));

describe("passkeys in Chromium with the official client", () => {
  let ours;
  let browser;
  const dir = tempDir("ba-passkey-");

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup.sh (apt-get install chromium)`);
    ours = await startOurs({ dir });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await ours?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("register, sign out, sign in with the passkey, rename and delete", async () => {
    const { context, page, authenticator } = await passkeyPage(browser);
    const base = localhostOrigin(ours);
    await openClient(page, base, "/api/auth/ok");
    const address = email("flow");
    const user = await signUp(page, base, address);
    assert.equal(user.email, address);

    assert.equal(await addPasskey(page, base, "Virtual key"), null);
    assert.equal((await authenticator.credentials()).length, 1);
    const [passkey] = await list(page, base);
    assert.equal(passkey.name, "Virtual key");
    assert.equal(passkey.userId, user.id);
    assert.equal(passkey.credentialID, Buffer.from((await authenticator.credentials())[0].credentialId, "base64").toString("base64url"));

    assert.equal(await signOut(page, base), null);
    assert.equal(await session(page, base), null);
    assert.equal(await signInWithPasskey(page, base), null);
    const signedIn = await session(page, base);
    assert.equal(signedIn.user.id, user.id);

    const renamed = await withClient(page, base, (c, id) => c.passkey.updatePasskey({ id, name: "Renamed" }).then((r) => r.data), passkey.id);
    assert.equal(renamed.passkey.name, "Renamed");
    const [afterSignIn] = await list(page, base);
    assert.ok(afterSignIn.counter >= passkey.counter, "the counter is kept");
    assert.equal(await withClient(page, base, (c, id) => c.passkey.deletePasskey({ id }).then((r) => r.error ?? r.data), passkey.id), null);
    assert.deepEqual(await list(page, base), []);

    // The passkey is gone on the server: the authenticator's credential no longer signs in.
    await signOut(page, base);
    const refused = await signInWithPasskey(page, base);
    assert.equal(refused?.status, 401);
    assert.equal(await session(page, base), null);
    await context.close();
  });

  test("an assertion made for another origin and a replayed assertion are refused", async () => {
    const { context, page } = await passkeyPage(browser);
    const base = localhostOrigin(ours);
    await openClient(page, base, "/api/auth/ok");
    await signUp(page, base, email("attacks"));
    assert.equal(await addPasskey(page, base, "Target"), null);
    await signOut(page, base);

    // A genuine sign-in, with the request body the browser sent kept aside.
    let sent;
    page.on("request", (r) => { if (r.url().endsWith("/passkey/verify-authentication")) sent = r.postData(); });
    assert.equal(await signInWithPasskey(page, base), null);
    const challengeCookie = (await context.cookies(base)).find((c) => c.name === "better-auth.better-auth-passkey");
    assert.ok(sent && challengeCookie, "the sign-in went through the browser");

    const post = (jar, route, body) => jar.fetch(ours.apiURL + route, { method: "POST", headers: { "content-type": "application/json", origin: base }, body });
    // Replayed with the cookie of the challenge it answered: that challenge was used up.
    const sameChallenge = await fetch(ours.apiURL + "/passkey/verify-authentication", {
      method: "POST", body: sent,
      headers: { "content-type": "application/json", origin: base, cookie: `better-auth.better-auth-passkey=${challengeCookie.value}` },
    });
    assert.equal(sameChallenge.status, 400);
    assert.equal((await sameChallenge.json()).code, "CHALLENGE_NOT_FOUND");
    // Replayed against a new challenge: the signature covers the old one.
    const attacker = new CookieJar(ours.baseURL);
    assert.equal((await post(attacker, "/passkey/generate-authenticate-options", "{}")).status, 200);
    const newChallenge = await post(attacker, "/passkey/verify-authentication", sent);
    assert.equal(newChallenge.status, 400);
    assert.equal((await newChallenge.json()).code, "AUTHENTICATION_FAILED");
    assert.equal(newChallenge.headers.getSetCookie().some((c) => c.startsWith("better-auth.session_token=") && !c.startsWith("better-auth.session_token=;")), false);

    // A page of another origin (same site: localhost on another port) gets a real assertion for RP ID "localhost"
    // and hands it to an attacker, who sends it with a challenge of ours: its clientDataJSON names the wrong origin.
    const foreign = http.createServer((_, res) => { res.writeHead(200, { "content-type": "text/html" }); res.end("<!doctype html><title>elsewhere</title>"); });
    await new Promise((r) => foreign.listen(0, "127.0.0.1", r));
    try {
      const options = await (await post(attacker, "/passkey/generate-authenticate-options", "{}")).json();
      await page.goto(`http://localhost:${foreign.address().port}/`);
      const assertion = await page.evaluate(async (o) => {
        const decode = (s) => Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
        const credential = await navigator.credentials.get({ publicKey: { challenge: decode(o.challenge), rpId: o.rpId, userVerification: "preferred" } });
        return credential.toJSON();
      }, options);
      const wrongOrigin = await post(attacker, "/passkey/verify-authentication", JSON.stringify({ response: assertion }));
      assert.equal(wrongOrigin.status, 400);
      assert.equal((await wrongOrigin.json()).code, "AUTHENTICATION_FAILED");
    } finally {
      foreign.close();
    }
    await context.close();
  });
});

describe("passkeys across the reference and our server on one database", () => {
  let ref;
  let ours;
  let browser;
  const dir = tempDir("ba-passkey-compat-");

  before(async () => {
    const dbPath = path.join(dir, "shared.sqlite");
    ref = await startReference({ dbPath, outbox: path.join(dir, "ref-outbox.jsonl"), env: { REF_EXTRA_PLUGINS: "passkey" } });
    ours = await startOurs({ dbPath, outbox: path.join(dir, "ours-outbox.jsonl") });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await ours?.stop();
    await ref?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("a passkey registered on the reference signs in here, and one registered here signs in on the reference", async () => {
    const { context, page, authenticator } = await passkeyPage(browser);
    const refBase = localhostOrigin(ref);
    const ourBase = localhostOrigin(ours);

    // Registered on the reference.
    await openClient(page, refBase, "/health");
    const user = await signUp(page, refBase, email("compat"));
    assert.equal(await addPasskey(page, refBase, "Made by Better Auth"), null);
    // Cookies are per host, not per port: sign out on the reference so the sign-in here starts without a session.
    await signOut(page, refBase);
    await openClient(page, ourBase, "/api/auth/ok");
    assert.equal(await session(page, ourBase), null);
    assert.equal(await signInWithPasskey(page, ourBase), null);
    assert.equal((await session(page, ourBase)).user.id, user.id);
    const [row] = await list(page, ourBase);
    assert.equal(row.name, "Made by Better Auth");

    // Registered here, with a new authenticator holding only that passkey, then used on the reference.
    await authenticator.replace();
    assert.equal(await addPasskey(page, ourBase, "Made by .NET"), null);
    assert.equal((await list(page, ourBase)).length, 2);
    await signOut(page, ourBase);
    await openClient(page, refBase, "/health");
    assert.equal(await session(page, refBase), null);
    assert.equal(await signInWithPasskey(page, refBase), null);
    assert.equal((await session(page, refBase)).user.id, user.id);
    await context.close();
  });
});

describe("passkeys through the hosted pages and the console", () => {
  let server;
  let browser;
  let admin;
  const dir = tempDir("ba-passkey-pages-");

  before(async () => {
    // The first admin: sign up, then restart the server with that user id in the admin plugin's adminUserIds.
    const first = await startOurs({ dir });
    const jar = new CookieJar(first.baseURL);
    admin = { email: email("admin") };
    const r = await jar.fetch(first.apiURL + "/sign-up/email", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: admin.email, password: PASSWORD, name: "Ada Admin" }),
    });
    admin.id = (await r.json()).user.id;
    await first.stop();
    server = await startOurs({ dir, env: { Plugins__Admin__AdminUserIds__0: admin.id } });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("add, rename and remove a passkey on /passkeys, sign in with it on /sign-in; an admin removes one in the console", async () => {
    const { context, page, authenticator } = await passkeyPage(browser);
    const base = localhostOrigin(server);
    const address = email("pages");
    await page.goto(`${base}/sign-up`);
    await page.getByLabel("Name", { exact: true }).fill("Pat Passkey");
    await page.getByLabel("Email").fill(address);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("link", { name: "Manage passkeys" }).click();
    await page.waitForURL(`${base}/passkeys`);
    await page.getByTestId("no-passkeys").waitFor();

    await page.getByLabel("Name for a new passkey (optional)").fill("Desk");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByRole("status").filter({ hasText: "The passkey was added" }).waitFor();
    assert.equal((await authenticator.credentials()).length, 1);
    await page.getByRole("button", { name: "Rename Desk" }).click();
    await page.getByLabel("New name for Desk").fill("Office desk");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("passkey").filter({ hasText: "Office desk" }).waitFor();
    await page.screenshot({ path: path.join(screenshotDir(), "passkeys.png"), fullPage: true });

    // Sign out, then sign in with the passkey alone.
    await page.goto(`${base}/sign-in`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
    await page.screenshot({ path: path.join(screenshotDir(), "sign-in-passkey.png"), fullPage: true });
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByTestId("signed-in-as").getByText(address).waitFor();

    // A second passkey, which the admin removes from the console; the first is removed by the user.
    await authenticator.replace();
    await page.goto(`${base}/passkeys`);
    await page.getByLabel("Name for a new passkey (optional)").fill("Lost phone");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByTestId("passkey").filter({ hasText: "Lost phone" }).waitFor();
    await page.getByRole("button", { name: "Remove Office desk" }).click();
    await page.getByRole("status").filter({ hasText: "Office desk was removed" }).waitFor();
    assert.equal(await page.getByTestId("passkey").count(), 1);

    const userId = (await (await page.request.get(`${base}/api/auth/get-session`)).json()).user.id;
    const adminContext = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    const adminPage = await adminContext.newPage();
    await adminPage.goto(`${base}/sign-in`);
    await adminPage.getByRole("textbox", { name: "Email", exact: true }).fill(admin.email);
    await adminPage.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await adminPage.getByRole("button", { name: "Sign in", exact: true }).click();
    await adminPage.getByTestId("signed-in-as").waitFor();
    await adminPage.goto(`${base}/console/users/${userId}`);
    await adminPage.getByTestId("console-passkey").filter({ hasText: "Lost phone" }).waitFor();
    await adminPage.screenshot({ path: path.join(screenshotDir(), "console-passkeys.png"), fullPage: true });
    await adminPage.getByRole("button", { name: "Remove passkey Lost phone" }).click();
    await adminPage.getByRole("status").filter({ hasText: "The passkey was removed" }).waitFor();
    assert.equal(await adminPage.getByTestId("console-passkey").count(), 0);

    // The removed passkey no longer signs in on the page.
    await page.goto(`${base}/sign-in`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.getByRole("alert").filter({ hasText: "not registered here" }).waitFor();
    await adminContext.close();
    await context.close();
  });
});
