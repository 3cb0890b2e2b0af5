// The hosted sign-in pages and the admin console in a real browser: Debian's Chromium driven by playwright-core
// against the standalone server, reading mailed links and codes from its outbox. Each page is saved as a
// screenshot under .artifacts/screenshots/ for a person to look at.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { generate } from "otplib";
import { repoRoot, startOurs, tempDir } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const SCREENSHOTS = path.join(repoRoot, ".artifacts/screenshots");
const PASSWORD = "browser-password-1";

let counter = 0;
const email = (label) => `${label}-${++counter}-${Date.now()}@pages.test`;

/** JSON call to the auth API as a separate (non-browser) client with its own cookies. */
async function api(server, jar, route, body) {
  const res = await jar.fetch(server.apiURL + route, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, data: text ? JSON.parse(text) : null };
}

async function signUpByApi(server, address, name = "Page Tester") {
  const jar = new CookieJar(server.baseURL);
  const r = await api(server, jar, "/sign-up/email", { email: address, password: PASSWORD, name });
  assert.equal(r.status, 200, JSON.stringify(r.data));
  return { jar, user: r.data.user };
}

/** The code an authenticator app shows for the URI's secret, `steps` periods from now (otplib 13 is async). */
async function totp(totpURI, steps = 0) {
  const secret = new URL(totpURI).searchParams.get("secret");
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 * steps });
}

async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Every form control has an accessible name from a <label>, and the page has one h1. */
async function assertAccessibleForm(page) {
  const unlabelled = await page.$$eval("input, select", (els) =>
    els.filter((el) => el.type !== "hidden" && el.labels.length === 0 && !el.getAttribute("aria-label")).map((el) => el.outerHTML));
  assert.deepEqual(unlabelled, [], "every input has a label");
  assert.equal(await page.locator("h1").count(), 1);
}

async function signInThroughPage(page, server, address, password, callbackURL) {
  const query = callbackURL ? `?callbackURL=${encodeURIComponent(callbackURL)}` : "";
  await page.goto(`${server.baseURL}/sign-in${query}`);
  await page.getByRole("textbox", { name: "Email", exact: true }).fill(address);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

describe("hosted pages in Chromium", () => {
  let server;
  let browser;
  let admin;
  const dir = tempDir("ba-pages-");

  before(async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup.sh (apt-get install chromium)`);
    // The first admin: sign up, then restart the server with that user id in the admin plugin's adminUserIds.
    const first = await startOurs({ dir });
    const address = email("admin");
    const { user } = await signUpByApi(first, address, "Ada Admin");
    await first.stop();
    server = await startOurs({ dir, env: { Plugins__Admin__AdminUserIds__0: user.id } });
    admin = { email: address, id: user.id };
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const newPage = async (viewport = { width: 1100, height: 800 }) => (await browser.newContext({ viewport })).newPage();

  test("sign up through the page signs the new user in", async () => {
    const page = await newPage();
    const address = email("signup");
    await page.goto(`${server.baseURL}/sign-up`);
    await assertAccessibleForm(page);
    await page.getByLabel("Name", { exact: true }).fill("Sam Signup");
    await page.getByLabel("Email").fill(address);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Confirm password").fill(PASSWORD);
    await screenshot(page, "sign-up");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${server.baseURL}/sign-in`);
    await assert.doesNotReject(page.getByTestId("signed-in-as").getByText(address).waitFor());
    await screenshot(page, "signed-in");
    const session = await api(server, new CookieJar(server.baseURL), "/sign-in/email", { email: address, password: PASSWORD });
    assert.equal(session.status, 200, "the account exists with the chosen password");
    await page.context().close();
  });

  test("sign in honours a trusted callbackURL, refuses an untrusted one, and announces errors", async () => {
    const address = email("signin");
    await signUpByApi(server, address);
    const page = await newPage();
    await page.goto(`${server.baseURL}/sign-in?callbackURL=${encodeURIComponent("/health")}`);
    await assertAccessibleForm(page);
    // The methods of the enabled plugins are tabs, operable from the keyboard.
    const tabs = page.getByRole("tab");
    assert.deepEqual(await tabs.allTextContents(), ["Email", "Username", "Email code", "Email link", "Phone"]);
    await page.getByRole("tab", { name: "Email", exact: true }).focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.getByRole("tab", { name: "Username", exact: true }).getAttribute("aria-selected"), "true");
    await page.keyboard.press("ArrowLeft");
    await screenshot(page, "sign-in");

    await page.getByRole("textbox", { name: "Email", exact: true }).fill(address);
    await page.getByLabel("Password", { exact: true }).fill("wrong-password-1");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "Invalid email or password" }).waitFor();
    await screenshot(page, "sign-in-error");

    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${server.baseURL}/health`);
    assert.equal(await page.textContent("body"), "ok");

    // Another browser, sent with a foreign callbackURL: told so, and kept on this origin after signing in.
    const other = await newPage({ width: 390, height: 844 });
    await other.goto(`${server.baseURL}/sign-in?callbackURL=${encodeURIComponent("https://evil.example/steal")}`);
    await other.getByTestId("callback-error").waitFor();
    await screenshot(other, "sign-in-mobile-untrusted-callback");
    await other.getByRole("textbox", { name: "Email", exact: true }).fill(address);
    await other.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await other.getByRole("button", { name: "Sign in", exact: true }).click();
    await other.getByTestId("signed-in-as").waitFor();
    assert.equal(new URL(other.url()).origin, server.baseURL);
    await page.context().close();
    await other.context().close();
  });

  test("sign in with a code mailed by the email-otp plugin", async () => {
    const address = email("otp");
    await signUpByApi(server, address);
    const page = await newPage();
    await page.goto(`${server.baseURL}/sign-in?callbackURL=${encodeURIComponent("/health")}`);
    await page.getByRole("tab", { name: "Email code" }).click();
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(address);
    await page.getByRole("button", { name: "Send a code" }).click();
    await page.getByRole("status").filter({ hasText: `We sent a code to ${address}` }).waitFor();
    const mail = server.lastMessage("email-otp:sign-in", address);
    assert.match(mail?.otp ?? "", /^\d{6}$/);
    await page.getByRole("textbox", { name: "Code", exact: true }).fill(mail.otp);
    await screenshot(page, "sign-in-email-code");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${server.baseURL}/health`);
    await page.context().close();
  });

  test("sign in with a link mailed by the magic-link plugin; a used link comes back with its error", async () => {
    const address = email("link");
    const page = await newPage();
    await page.goto(`${server.baseURL}/sign-in?callbackURL=${encodeURIComponent("/health")}`);
    await page.getByRole("tab", { name: "Email link" }).click();
    await assertAccessibleForm(page);
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(address);
    await page.getByRole("button", { name: "Email me a sign-in link" }).click();
    await page.getByRole("status").filter({ hasText: `We sent a sign-in link to ${address}` }).waitFor();
    await screenshot(page, "sign-in-email-link");
    const mail = server.lastMessage("magic-link", address);
    assert.ok(mail?.url.startsWith(`${server.apiURL}/magic-link/verify?token=${mail.token}&callbackURL=%2Fhealth`), mail?.url);
    await page.goto(mail.url);
    await page.waitForURL(`${server.baseURL}/health`);
    assert.ok((await page.context().cookies()).some((c) => c.name === "better-auth.session_token"), "signed in by the link");

    // Without a callbackURL the link returns to the sign-in page; used a second time, it says so there.
    const second = email("link-again");
    const other = await newPage();
    await other.goto(`${server.baseURL}/sign-in`);
    await other.getByRole("tab", { name: "Email link" }).click();
    await other.getByRole("textbox", { name: "Email", exact: true }).fill(second);
    await other.getByRole("button", { name: "Email me a sign-in link" }).click();
    await other.getByRole("status").filter({ hasText: second }).waitFor();
    const link = server.lastMessage("magic-link", second).url;
    await other.goto(link);
    await other.getByTestId("signed-in-as").getByText(second).waitFor();
    const stranger = await newPage();
    await stranger.goto(link);
    await stranger.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("error") === "INVALID_TOKEN");
    await stranger.getByTestId("callback-error").filter({ hasText: "not valid or was already used" }).waitFor();
    await screenshot(stranger, "sign-in-email-link-used");
    for (const p of [page, other, stranger]) await p.context().close();
  });

  test("two-factor challenge: password on /sign-in, then a TOTP code on /two-factor", async () => {
    const address = email("totp");
    const { jar } = await signUpByApi(server, address);
    const enable = await api(server, jar, "/two-factor/enable", { password: PASSWORD });
    assert.equal(enable.status, 200, JSON.stringify(enable.data));
    const verify = await api(server, jar, "/two-factor/verify-totp", { code: await totp(enable.data.totpURI) });
    assert.equal(verify.status, 200, JSON.stringify(verify.data));

    const page = await newPage();
    await signInThroughPage(page, server, address, PASSWORD, "/health");
    await page.waitForURL((url) => url.pathname === "/two-factor");
    assert.equal(new URL(page.url()).searchParams.get("callbackURL"), "/health");
    await assertAccessibleForm(page);
    await screenshot(page, "two-factor");

    await page.getByLabel("Code from your authenticator app").fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("alert").filter({ hasText: /invalid/i }).waitFor();

    // The next period's code: the enrolment above used this period's, and a code is accepted once.
    await page.getByLabel("Code from your authenticator app").fill(await totp(enable.data.totpURI, 1));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(`${server.baseURL}/health`);
    const cookies = await page.context().cookies();
    assert.ok(cookies.some((c) => c.name === "better-auth.session_token"), "signed in after the second factor");
    await page.context().close();
  });

  test("reset password through the mailed link", async () => {
    const address = email("reset");
    await signUpByApi(server, address);
    const page = await newPage();
    await page.goto(`${server.baseURL}/forgot-password`);
    await assertAccessibleForm(page);
    await page.getByLabel("Email").fill(address);
    await page.getByRole("button", { name: "Send the link" }).click();
    await page.getByRole("status").filter({ hasText: "we sent it a link" }).waitFor();
    await screenshot(page, "forgot-password");

    const mail = server.lastMessage("reset-password", address);
    assert.ok(mail?.url, "a reset link was mailed");
    await page.goto(mail.url); // the API checks the token and redirects to the page
    await page.waitForURL((url) => url.pathname === "/reset-password" && url.searchParams.has("token"));
    await assertAccessibleForm(page);
    await page.getByLabel("New password", { exact: true }).fill("a-brand-new-password");
    await page.getByLabel("Confirm new password").fill("a-brand-new-password");
    await screenshot(page, "reset-password");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByRole("status").filter({ hasText: "Your password has been changed" }).waitFor();

    await page.getByRole("link", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(address);
    await page.getByLabel("Password", { exact: true }).fill("a-brand-new-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByTestId("signed-in-as").getByText(address).waitFor();

    // The link is single use: opening it again lands on the page's "invalid link" state.
    await page.goto(mail.url);
    await page.getByText("This reset link is invalid or has expired.").waitFor();
    await page.context().close();
  });

  test("an admin bans a user in the console, who is then refused at sign-in", async () => {
    const victim = email("victim");
    await signUpByApi(server, victim, "Vic Victim");
    const page = await newPage({ width: 1280, height: 900 });
    await signInThroughPage(page, server, admin.email, PASSWORD, "/console");
    await page.waitForURL(`${server.baseURL}/console`);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    const users = Number(await page.getByTestId("stat-users").textContent());
    assert.ok(users >= 2, `the dashboard counts users (${users})`);
    assert.ok(await page.locator("svg[role=img] rect.bar").count() >= 7, "the sign-ups chart has a bar per day");
    await screenshot(page, "console-dashboard");

    await page.getByRole("link", { name: "Users" }).click();
    await page.getByRole("heading", { name: "Users" }).waitFor();
    await page.getByLabel("Search").fill(victim);
    const row = page.locator(`tr[data-email="${victim}"]`);
    await row.waitFor();
    assert.equal(await page.locator("tbody tr").count(), 1, "the search narrows the table to the one user");
    await screenshot(page, "console-users");

    await row.getByRole("link").click();
    await page.getByRole("heading", { name: "Vic Victim" }).waitFor();
    await page.getByLabel("Reason (optional)").fill("Spamming the forum");
    await page.getByRole("button", { name: "Ban user" }).click();
    await page.getByRole("status").filter({ hasText: "banned" }).waitFor();
    await page.getByTestId("user-status").getByText("Spamming the forum").waitFor();
    await screenshot(page, "console-user-banned");

    const refused = await newPage();
    await signInThroughPage(refused, server, victim, PASSWORD);
    await refused.getByRole("alert").filter({ hasText: /banned/i }).waitFor();
    assert.equal(new URL(refused.url()).pathname, "/sign-in", "no redirect for a banned user");
    await screenshot(refused, "sign-in-banned");

    // Unbanned from the console, the user gets in again.
    await page.getByRole("button", { name: "Unban user" }).click();
    await page.getByTestId("user-status").getByText("Active").waitFor();
    await refused.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await refused.getByRole("button", { name: "Sign in", exact: true }).click();
    await refused.getByTestId("signed-in-as").getByText(victim).waitFor();

    // A non-admin who opens the console is told it is for administrators.
    const plain = await newPage();
    const plainUser = email("plain");
    await signUpByApi(server, plainUser);
    await signInThroughPage(plain, server, plainUser, PASSWORD, "/console");
    await plain.getByText("The admin console is for administrators.", { exact: false }).waitFor();
    await page.context().close();
    await refused.context().close();
    await plain.context().close();
  });

  test("an admin sets a role, impersonates a user from the console and comes back", async () => {
    const target = email("target");
    const { user } = await signUpByApi(server, target, "Tess Target");
    const page = await newPage({ width: 1280, height: 900 });
    await signInThroughPage(page, server, admin.email, PASSWORD, `/console/users/${user.id}`);
    await page.getByRole("heading", { name: "Tess Target" }).waitFor();
    await page.getByLabel("Role", { exact: true }).fill("user,editor");
    await page.getByRole("button", { name: "Set role" }).click();
    await page.getByTestId("user-role").getByText("user,editor").waitFor();

    await page.getByRole("button", { name: "Impersonate" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await page.getByTestId("signed-in-as").getByText("Tess Target").waitFor();
    await screenshot(page, "impersonating");
    await page.getByRole("button", { name: "Stop impersonating" }).click();
    await page.waitForURL((url) => url.pathname === "/console/users");
    await page.getByRole("heading", { name: "Users" }).waitFor();
    const session = await page.evaluate(async () => (await fetch("/api/auth/get-session")).json());
    assert.equal(session.user.email, admin.email, "back in the admin's own session");
    await page.context().close();
  });

  test("organization invitation accepted through /accept-invitation, seen in the console", async () => {
    const adminJar = new CookieJar(server.baseURL);
    assert.equal((await api(server, adminJar, "/sign-in/email", { email: admin.email, password: PASSWORD })).status, 200);
    const org = await api(server, adminJar, "/organization/create", { name: "Page Testers", slug: `page-testers-${Date.now()}` });
    assert.equal(org.status, 200, JSON.stringify(org.data));
    const invitee = email("invitee");
    await signUpByApi(server, invitee, "Ivy Invitee");
    const invite = await api(server, adminJar, "/organization/invite-member", { email: invitee, role: "member", organizationId: org.data.id });
    assert.equal(invite.status, 200, JSON.stringify(invite.data));
    const mail = server.lastMessage("organization-invitation", invitee);
    assert.ok(mail?.url?.endsWith(`/accept-invitation/${invite.data.id}`), JSON.stringify(mail));

    const page = await newPage();
    await page.goto(mail.url);
    await page.getByRole("link", { name: "Sign in" }).click();
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(invitee);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL((url) => url.pathname === `/accept-invitation/${invite.data.id}`);
    await page.getByTestId("invitation-summary").getByText("Page Testers").waitFor();
    await screenshot(page, "accept-invitation");
    await page.getByRole("button", { name: "Accept invitation" }).click();
    await page.getByText("You joined Page Testers.").waitFor();

    const consolePage = await newPage({ width: 1280, height: 900 });
    await signInThroughPage(consolePage, server, admin.email, PASSWORD, `/console/organizations/${org.data.id}`);
    await consolePage.getByRole("heading", { name: "Page Testers" }).waitFor();
    await consolePage.getByRole("cell", { name: invitee }).first().waitFor();
    await screenshot(consolePage, "console-organization");
    await page.context().close();
    await consolePage.context().close();
  });

  test("verify-email landing verifies a mailed link", async () => {
    const address = email("verify");
    const { jar } = await signUpByApi(server, address);
    const sent = await api(server, jar, "/send-verification-email", { email: address, callbackURL: "/verify-email" });
    assert.equal(sent.status, 200, JSON.stringify(sent.data));
    const mail = server.lastMessage("verify-email", address);
    assert.ok(mail?.url);
    const page = await newPage();
    await page.goto(mail.url);
    await page.waitForURL((url) => url.pathname === "/verify-email");
    // No session in this browser, so the page cannot know more than the API's success redirect tells it.
    await page.getByText("If you followed the link from your email, your address is now verified.").waitFor();
    await screenshot(page, "verify-email");
    const signIn = await api(server, new CookieJar(server.baseURL), "/sign-in/email", { email: address, password: PASSWORD });
    assert.equal(signIn.data.user.emailVerified, true);

    await page.goto(`${server.baseURL}/verify-email?error=token_expired`);
    await page.getByRole("alert").filter({ hasText: "expired" }).waitFor();
    await assertAccessibleForm(page);
    await screenshot(page, "verify-email-expired");
    await page.context().close();
  });
});
