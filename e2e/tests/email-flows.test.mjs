// Email flows end to end with REAL mail: our server delivers over SMTP (MailKit) to a real SMTP server
// (`smtp-server` on a loopback port, plain SMTP), and the tests drive the official Better Auth client
// (better-auth/client 1.2.12) like a browser, reading every link out of the delivered mail as a user would.
// No outbox is configured on our server: the mail is the only way to get a token.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import net from "node:net";
import { createAuthClient } from "better-auth/client";
import { freePort, startOurs } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";
import { htmlLinks, startSmtp, textLinks } from "../lib/smtp.mjs";

const SESSION_COOKIE = "better-auth.session_token";
const PASSWORD = "password1234";
const FROM_NAME = "Better Auth E2E";
const FROM_ADDRESS = "no-reply@e2e.test";

let counter = 0;

/** A unique address per call, so tests never collide on a shared database or mailbox. */
function email(label) {
  counter += 1;
  return `${label}-${counter}-${Date.now()}@email-flows.test`;
}

/** Env for our server: SMTP delivery only (the empty BETTER_AUTH_OUTBOX turns the outbox off). */
function smtpEnv(smtp, extra = {}) {
  return {
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(smtp.port),
    SMTP_SECURITY: "none",
    SMTP_FROM: `${FROM_NAME} <${FROM_ADDRESS}>`,
    BETTER_AUTH_OUTBOX: "",
    ...extra,
  };
}

/** A fresh browser on a server: its own cookie jar, and a client whose every request goes through it. */
function browser(server) {
  const jar = new CookieJar(server.baseURL);
  const client = createAuthClient({ baseURL: server.baseURL, fetchOptions: { customFetchImpl: jar.fetch } });
  return { jar, client };
}

async function signedUp(server, label) {
  const b = browser(server);
  const address = email(label);
  const { data, error } = await b.client.signUp.email({ email: address, password: PASSWORD, name: `Mail ${label}` });
  assert.equal(error, null, `sign-up failed: ${JSON.stringify(error)}`);
  assert.equal(data.user.emailVerified, false);
  return { ...b, email: address, user: data.user };
}

/** The claims of a JWT (not checked here: the server checks the signature when the link is opened). */
function jwt(token) {
  const parts = token.split(".");
  assert.equal(parts.length, 3, `not a JWT: ${token}`);
  const [header, payload] = parts.slice(0, 2).map((p) => JSON.parse(Buffer.from(p, "base64url").toString("utf8")));
  return { header, payload };
}

/**
 * Checks what every mail of ours must be (envelope, From, a text and an HTML alternative, Date and Message-ID,
 * one link, the same in both parts) and returns that link.
 */
function linkIn(mail, { to, subject }) {
  assert.deepEqual(mail.envelope.rcptTo, [to], "envelope recipient");
  assert.equal(mail.envelope.mailFrom, FROM_ADDRESS, "envelope sender");
  assert.equal(mail.from?.address, FROM_ADDRESS, "From address");
  assert.equal(mail.from?.name, FROM_NAME, "From name");
  assert.deepEqual(mail.parsed.to.value.map((v) => v.address), [to], "To header");
  assert.match(mail.subject ?? "", subject);
  assert.equal(mail.parsed.headers.get("content-type")?.value, "multipart/alternative", "a text and an HTML alternative");
  assert.ok(mail.text && mail.text.trim().length > 0, "the mail has a text part");
  assert.ok(mail.html && /<html[\s>]/i.test(mail.html), "the mail has an HTML part");
  assert.match(mail.raw, /Content-Type: text\/plain/i);
  assert.match(mail.raw, /Content-Type: text\/html/i);
  assert.ok(mail.parsed.messageId, "Message-ID header");
  assert.ok(mail.parsed.date instanceof Date && Math.abs(mail.parsed.date - Date.now()) < 5 * 60_000, "Date header");

  const inText = textLinks(mail);
  assert.equal(inText.length, 1, `exactly one link in the text part: ${mail.text}`);
  const inHtml = [...new Set(htmlLinks(mail))];
  assert.deepEqual(inHtml, inText, "the HTML part links to the same URL as the text part");
  // The HTML also shows the link as text, escaped.
  assert.ok(mail.html.includes(inText[0].replaceAll("&", "&amp;")), "the HTML shows the link");
  return inText[0];
}

async function sessionOf(b) {
  const { data, error } = await b.client.getSession();
  assert.equal(error, null, `get-session failed: ${JSON.stringify(error)}`);
  return data;
}

async function signIn(server, address, password) {
  return browser(server).client.signIn.email({ email: address, password });
}

describe("our server mails over SMTP; the official client follows the mailed links", () => {
  let smtp;
  let server;

  before(async () => {
    smtp = await startSmtp();
    server = await startOurs({ env: smtpEnv(smtp) });
  });

  after(async () => {
    await server?.stop();
    await smtp?.close();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  /** Sends, reads and opens a verification mail for a signed-up browser; returns the link. */
  async function verifyByMail(b, callbackURL = `${server.baseURL}/welcome`) {
    const { data, error } = await b.client.sendVerificationEmail({ email: b.email, callbackURL });
    assert.equal(error, null);
    assert.deepEqual(data, { status: true });
    const link = linkIn(await smtp.waitFor(b.email), { to: b.email, subject: /verify/i });
    const res = await fetch(link, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), callbackURL);
    return link;
  }

  test("sign-up mails nothing; sendVerificationEmail mails a link that verifies the address", async () => {
    const b = await signedUp(server, "verify");
    assert.equal(smtp.mailsTo(b.email).length, 0, "sendOnSignUp is off: no mail at sign-up");

    const callbackURL = `${server.baseURL}/welcome`;
    const { data, error } = await b.client.sendVerificationEmail({ email: b.email, callbackURL });
    assert.equal(error, null);
    assert.deepEqual(data, { status: true });

    const mail = await smtp.waitFor(b.email);
    assert.equal(mail.subject, "Verify your email for Better Auth");
    const link = linkIn(mail, { to: b.email, subject: /verify/i });
    const url = new URL(link);
    assert.equal(`${url.origin}${url.pathname}`, `${server.apiURL}/verify-email`);
    assert.equal(url.searchParams.get("callbackURL"), callbackURL);
    const { header, payload } = jwt(url.searchParams.get("token"));
    assert.equal(header.alg, "HS256");
    assert.equal(payload.email, b.email.toLowerCase());
    assert.equal(payload.updateTo, undefined);
    assert.equal(payload.exp - payload.iat, 3600);

    assert.equal((await sessionOf(b)).user.emailVerified, false, "not verified before the link is opened");

    // Opened from the mail client: no cookies. A 302 to the callback, and no session (autoSignInAfterVerification off).
    const res = await fetch(link, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), callbackURL);
    assert.equal(res.headers.getSetCookie().filter((c) => c.startsWith(`${SESSION_COOKIE}=`)).length, 0);

    const session = await sessionOf(b);
    assert.equal(session.user.id, b.user.id);
    assert.equal(session.user.emailVerified, true);

    // Verified now: a second request from the signed-in user is refused and mails nothing.
    const again = await b.client.sendVerificationEmail({ email: b.email, callbackURL });
    assert.equal(again.error?.status, 400);
    assert.equal(again.error?.message, "You can only send a verification email to an unverified email");
    assert.equal(smtp.mailsTo(b.email).length, 1);
  });

  test("without a session, sendVerificationEmail mails known addresses only, and a forged link fails", async () => {
    const b = await signedUp(server, "anon-verify");
    const stranger = browser(server);
    const callbackURL = "/verified";

    const unknown = email("nobody");
    const none = await stranger.client.sendVerificationEmail({ email: unknown, callbackURL });
    assert.equal(none.error, null);
    assert.deepEqual(none.data, { status: true }, "same answer for an unknown address");

    const known = await stranger.client.sendVerificationEmail({ email: b.email, callbackURL });
    assert.equal(known.error, null);
    assert.deepEqual(known.data, { status: true });
    const link = linkIn(await smtp.waitFor(b.email), { to: b.email, subject: /verify/i });
    // Our sender finishes the SMTP transaction before the request returns, so a mail would be here by now.
    assert.equal(smtp.mailsTo(unknown).length, 0, "no mail to an unknown address");
    assert.equal(new URL(link).searchParams.get("callbackURL"), callbackURL);

    // A token whose signature was tampered with: redirected to the callback with error=invalid_token.
    const url = new URL(link);
    const token = url.searchParams.get("token");
    const [h, , s] = token.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ ...jwt(token).payload, email: "someone-else@email-flows.test" })).toString("base64url");
    url.searchParams.set("token", `${h}.${forgedPayload}.${s}`);
    const forged = await fetch(url, { redirect: "manual" });
    assert.equal(forged.status, 302);
    assert.equal(forged.headers.get("location"), `${callbackURL}?error=invalid_token`);
    assert.equal((await sessionOf(b)).user.emailVerified, false);

    const res = await fetch(link, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), callbackURL);
    assert.equal((await sessionOf(b)).user.emailVerified, true);
  });

  test("requestPasswordReset mails a reset link; resetPassword with its token changes the password once", async () => {
    const b = await signedUp(server, "reset");
    const redirectTo = `${server.baseURL}/reset-page`;
    const { data, error } = await browser(server).client.requestPasswordReset({ email: b.email, redirectTo });
    assert.equal(error, null);
    assert.equal(data.status, true);

    const mail = await smtp.waitFor(b.email);
    const link = linkIn(mail, { to: b.email, subject: /reset/i });
    const match = link.match(/^(.*)\/reset-password\/([A-Za-z0-9]+)\?callbackURL=(.*)$/);
    assert.ok(match, `reset link shape: ${link}`);
    const [, base, token, callbackParam] = match;
    assert.equal(base, server.apiURL);
    assert.match(token, /^[A-Za-z0-9]{24}$/);
    assert.equal(callbackParam, encodeURIComponent(redirectTo), "the callback is URL-encoded in the link");

    // The link redirects to the app's page with the token.
    const res = await fetch(link, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), `${redirectTo}?token=${token}`);

    const newPassword = "new-password-5678";
    const reset = await browser(server).client.resetPassword({ newPassword, token });
    assert.equal(reset.error, null, JSON.stringify(reset.error));
    assert.deepEqual(reset.data, { status: true });

    const withNew = await signIn(server, b.email, newPassword);
    assert.equal(withNew.error, null);
    assert.equal(withNew.data.user.id, b.user.id);
    const withOld = await signIn(server, b.email, PASSWORD);
    assert.equal(withOld.error?.status, 401);
    assert.equal(withOld.error?.message, "Invalid email or password");

    // The token works once.
    const reuse = await browser(server).client.resetPassword({ newPassword: "third-password-9", token });
    assert.equal(reuse.error?.status, 400);
    assert.equal(reuse.error?.message, "invalid token");
    assert.equal((await signIn(server, b.email, "third-password-9")).error?.status, 401);
    assert.equal((await signIn(server, b.email, newPassword)).error, null);
    // And the mailed link now sends the browser to the app with an error.
    const spent = await fetch(link, { redirect: "manual" });
    assert.equal(spent.status, 302);
    assert.equal(spent.headers.get("location"), `${redirectTo}?error=INVALID_TOKEN`);
  });

  test("forgetPassword (the old route) mails a working link too; unknown addresses get no mail", async () => {
    const b = await signedUp(server, "forget");
    const unknown = email("ghost");
    const ghost = await browser(server).client.forgetPassword({ email: unknown, redirectTo: "/reset" });
    assert.equal(ghost.error, null);
    assert.equal(ghost.data.status, true);

    const { data, error } = await browser(server).client.forgetPassword({ email: b.email, redirectTo: "/reset" });
    assert.equal(error, null);
    assert.equal(data.status, true);
    const link = linkIn(await smtp.waitFor(b.email), { to: b.email, subject: /reset/i });
    assert.equal(smtp.mailsTo(unknown).length, 0, "no mail to an unknown address");

    // A relative callback is resolved against the base URL.
    const res = await fetch(link, { redirect: "manual" });
    assert.equal(res.status, 302);
    const location = new URL(res.headers.get("location"));
    assert.equal(`${location.origin}${location.pathname}`, `${server.baseURL}/reset`);
    const token = location.searchParams.get("token");
    assert.match(token, /^[A-Za-z0-9]{24}$/);
    assert.ok(link.includes(`/reset-password/${token}?`), "the token in the redirect is the one in the mail");

    const reset = await browser(server).client.resetPassword({ newPassword: "forgot-it-2024", token });
    assert.equal(reset.error, null);
    assert.equal((await signIn(server, b.email, "forgot-it-2024")).error, null);
    assert.equal((await signIn(server, b.email, PASSWORD)).error?.status, 401);
  });

  test("changeEmail of an unverified user moves it at once and mails a verification link to the new address", async () => {
    const b = await signedUp(server, "change-unverified");
    const oldAddress = b.email;
    const newAddress = email("changed");
    const callbackURL = `${server.baseURL}/changed`;
    const { data, error } = await b.client.changeEmail({ newEmail: newAddress, callbackURL });
    assert.equal(error, null, JSON.stringify(error));
    assert.deepEqual(data, { status: true });

    const session = await sessionOf(b);
    assert.equal(session.user.id, b.user.id);
    assert.equal(session.user.email, newAddress);
    assert.equal(session.user.emailVerified, false);

    const link = linkIn(await smtp.waitFor(newAddress), { to: newAddress, subject: /verify/i });
    assert.equal(smtp.mailsTo(oldAddress).length, 0, "nothing goes to the old, unverified address");
    const url = new URL(link);
    assert.equal(`${url.origin}${url.pathname}`, `${server.apiURL}/verify-email`);
    assert.equal(url.searchParams.get("callbackURL"), callbackURL);
    const { payload } = jwt(url.searchParams.get("token"));
    assert.equal(payload.email, newAddress);
    assert.equal(payload.updateTo, undefined);

    const res = await fetch(link, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), callbackURL);
    assert.equal((await sessionOf(b)).user.emailVerified, true);

    assert.equal((await signIn(server, newAddress, PASSWORD)).error, null);
    assert.equal((await signIn(server, oldAddress, PASSWORD)).error?.status, 401);
  });

  test("changeEmail of a verified user mails a confirmation to the current address; opening it needs the session", async () => {
    const b = await signedUp(server, "change-verified");
    const oldAddress = b.email;
    await verifyByMail(b);
    assert.equal((await sessionOf(b)).user.emailVerified, true);

    const newAddress = email("moved");
    const callbackURL = "/moved";
    const { data, error } = await b.client.changeEmail({ newEmail: newAddress, callbackURL });
    assert.equal(error, null, JSON.stringify(error));
    assert.deepEqual(data, { status: true });
    assert.equal((await sessionOf(b)).user.email, oldAddress, "nothing changes before the confirmation");

    const confirm = await smtp.waitFor(oldAddress, { nth: 2 });
    const link = linkIn(confirm, { to: oldAddress, subject: /confirm/i });
    assert.ok(confirm.text.includes(newAddress), "the confirmation names the new address");
    assert.equal(smtp.mailsTo(newAddress).length, 0);
    const url = new URL(link);
    assert.equal(`${url.origin}${url.pathname}`, `${server.apiURL}/verify-email`);
    const { payload } = jwt(url.searchParams.get("token"));
    assert.equal(payload.email, oldAddress);
    assert.equal(payload.updateTo, newAddress);

    // Opened in another browser (no session): refused, nothing moves.
    const stranger = await fetch(link, { redirect: "manual" });
    assert.equal(stranger.status, 302);
    assert.equal(stranger.headers.get("location"), `${callbackURL}?error=unauthorized`);
    assert.equal((await sessionOf(b)).user.email, oldAddress);

    // Opened in the user's browser: the account moves, unverified, and the new address gets a verification link.
    const res = await b.jar.fetch(link, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), callbackURL);
    const session = await sessionOf(b);
    assert.equal(session.user.email, newAddress);
    assert.equal(session.user.emailVerified, false);

    const verifyNew = linkIn(await smtp.waitFor(newAddress), { to: newAddress, subject: /verify/i });
    assert.equal(jwt(new URL(verifyNew).searchParams.get("token")).payload.email, newAddress);
    const opened = await fetch(verifyNew, { redirect: "manual" });
    assert.equal(opened.status, 302);
    assert.equal((await sessionOf(b)).user.emailVerified, true);
    assert.equal((await signIn(server, newAddress, PASSWORD)).error, null);
    assert.equal((await signIn(server, oldAddress, PASSWORD)).error?.status, 401);
  });

  test("deleteUser with the password deletes the account; a wrong password deletes nothing", async () => {
    const b = await signedUp(server, "delete");
    const wrong = await b.client.deleteUser({ password: "not-my-password" });
    assert.equal(wrong.error?.status, 400);
    assert.equal(wrong.error?.message, "Invalid password");
    assert.equal((await sessionOf(b)).user.id, b.user.id, "still there after a wrong password");

    const { data, error } = await b.client.deleteUser({ password: PASSWORD });
    assert.equal(error, null, JSON.stringify(error));
    assert.deepEqual(data, { success: true, message: "User deleted" });
    assert.equal(b.jar.get(SESSION_COOKIE), undefined, "the session cookie is cleared");
    assert.equal(await sessionOf(b), null);
    assert.equal((await signIn(server, b.email, PASSWORD)).error?.status, 401);
    assert.equal(smtp.mailsTo(b.email).length, 0, "deleting with a password mails nothing");

    // The address is free again.
    const again = await browser(server).client.signUp.email({ email: b.email, password: PASSWORD, name: "Back" });
    assert.equal(again.error, null);
    assert.notEqual(again.data.user.id, b.user.id);
  });

  test("no outbox was written: every link above came by mail", () => {
    assert.equal(fs.existsSync(server.outbox), false, `unexpected outbox ${server.outbox}`);
    assert.ok(smtp.messages.length >= 8, `mails received: ${smtp.messages.length}`);
    assert.ok(smtp.messages.every((m) => m.secure === false && m.user === undefined), "plain SMTP, no AUTH");
  });
});

describe("SMTP with AUTH, and deletion confirmed by a mailed link", () => {
  const SMTP_USER = "mailer";
  const SMTP_PASSWORD = "smtp-pass-123";
  let smtp;
  let server;

  before(async () => {
    smtp = await startSmtp({ users: { [SMTP_USER]: SMTP_PASSWORD } });
    server = await startOurs({
      env: smtpEnv(smtp, {
        SMTP_USER,
        SMTP_PASSWORD,
        BetterAuth__User__DeleteUser__SendDeleteAccountVerification: "true",
      }),
    });
  });

  after(async () => {
    await server?.stop();
    await smtp?.close();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  test("our server logs in to the SMTP server with SMTP_USER/SMTP_PASSWORD", async () => {
    const b = await signedUp(server, "auth");
    const { error } = await b.client.sendVerificationEmail({ email: b.email });
    assert.equal(error, null);
    const mail = await smtp.waitFor(b.email);
    assert.equal(mail.user, SMTP_USER, "the message came in an authenticated session");
    assert.ok(smtp.authAttempts.length >= 1 && smtp.authAttempts.every((a) => a.ok && a.username === SMTP_USER));
    // Without a callbackURL the link carries callbackURL=/ and opening it redirects there.
    const link = linkIn(mail, { to: b.email, subject: /verify/i });
    assert.equal(new URL(link).searchParams.get("callbackURL"), "/");
    const res = await fetch(link, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), "/");
  });

  test("deleteUser mails a confirmation link; /delete-user/callback deletes only in the user's browser", async () => {
    const b = await signedUp(server, "delete-link");
    const callbackURL = `${server.baseURL}/goodbye`;
    const { data, error } = await b.client.deleteUser({ callbackURL });
    assert.equal(error, null, JSON.stringify(error));
    assert.deepEqual(data, { success: true, message: "Verification email sent" });
    assert.equal((await sessionOf(b)).user.id, b.user.id, "nothing is deleted yet");

    const link = linkIn(await smtp.waitFor(b.email), { to: b.email, subject: /delet/i });
    const url = new URL(link);
    assert.equal(`${url.origin}${url.pathname}`, `${server.apiURL}/delete-user/callback`);
    assert.match(url.searchParams.get("token"), /^[0-9a-z]{32}$/);
    assert.equal(url.searchParams.get("callbackURL"), callbackURL);

    const stranger = await fetch(link, { redirect: "manual" });
    assert.equal(stranger.status, 404);
    assert.equal((await stranger.json()).message, "Failed to get user info");
    assert.equal((await sessionOf(b)).user.id, b.user.id);

    const res = await b.jar.fetch(link, { redirect: "manual" });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get("location"), callbackURL);
    assert.equal(await sessionOf(b), null);
    assert.equal((await signIn(server, b.email, PASSWORD)).error?.status, 401);
  });
});

describe("an SMTP server that is down", () => {
  let server;
  let closedPort;

  before(async () => {
    closedPort = await freePort(); // nothing listens there
    server = await startOurs({ env: smtpEnv({ port: closedPort }) });
  });

  after(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  test("request-password-reset still answers 200 quickly, and the failure is logged", async () => {
    const b = await signedUp(server, "smtp-down");
    const started = Date.now();
    const res = await fetch(`${server.apiURL}/request-password-reset`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.baseURL },
      body: JSON.stringify({ email: b.email, redirectTo: "/reset" }),
      signal: AbortSignal.timeout(20_000),
    });
    const elapsed = Date.now() - started;
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).status, true);
    assert.ok(elapsed < 10_000, `answered in ${elapsed} ms`);

    // The same through the client's other mail route.
    const verify = await b.client.sendVerificationEmail({ email: b.email });
    assert.equal(verify.error, null, JSON.stringify(verify.error));
    assert.deepEqual(verify.data, { status: true });

    // Give the log lines a moment to reach stderr. They name the kind and the sender (event 4003), never the address.
    const failed = (kind) => `Sending a ${kind} message through SmtpMessageSender failed`;
    const deadline = Date.now() + 5_000;
    while (!(server.logs().includes(failed("reset-password")) && server.logs().includes(failed("verify-email"))) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok(server.logs().includes(failed("reset-password")), server.logs().slice(-2000));
    assert.ok(server.logs().includes(failed("verify-email")), server.logs().slice(-2000));
    assert.match(server.logs(), /AuthMessenger\[4003\]/);
    assert.ok(!server.logs().includes(b.email), "the recipient's address is not logged");

    // The account is unharmed: the old password still signs in.
    assert.equal((await signIn(server, b.email, PASSWORD)).error, null);
  });
});

describe("an SMTP server that accepts connections but never answers", () => {
  let server;
  let silent;
  const sockets = new Set();

  before(async () => {
    silent = net.createServer((socket) => {
      sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise((resolve) => silent.listen(0, "127.0.0.1", resolve));
    // Smtp:TimeoutSeconds (default 15) bounds each SMTP step; kept short here.
    server = await startOurs({ env: smtpEnv({ port: silent.address().port }, { Smtp__TimeoutSeconds: "2" }) });
  });

  after(async () => {
    await server?.stop();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent?.close(resolve));
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  test("request-password-reset answers at once while a silent SMTP server times out in the background", async () => {
    const b = await signedUp(server, "smtp-silent");
    const started = Date.now();
    const { data, error } = await browser(server).client.requestPasswordReset({
      email: b.email,
      redirectTo: "/reset",
      fetchOptions: { signal: AbortSignal.timeout(20_000) },
    });
    const elapsed = Date.now() - started;
    assert.equal(error, null, JSON.stringify(error));
    assert.equal(data.status, true);
    // Delivery runs from a background queue: the answer neither waits for SMTP nor reveals (by its timing) that
    // the address has an account.
    assert.ok(elapsed < 1_500, `did not wait for the SMTP server (took ${elapsed} ms)`);
    const deadline = Date.now() + 8_000; // Smtp:TimeoutSeconds=2 bounds the background attempt
    const failed = "Sending a reset-password message through SmtpMessageSender failed";
    while (!server.logs().includes(failed) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.ok(server.logs().includes(failed), server.logs().slice(-2000));
    assert.ok(!server.logs().includes(b.email), "the recipient's address is not logged");
  });
});
