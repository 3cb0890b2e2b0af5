// The official Better Auth client with its phoneNumberClient and emailOTPClient plugins (1.2.12)
// against our server: phone sign-up by code, phone sign-in, number change, phone and email-OTP
// password resets, email-OTP sign-in and verification. Codes are read from the server's outbox.
// E2E_CLIENT_TARGET=reference runs the suite against the reference; the few checks of our deliberate
// improvements (the strict E.164 option, single-use reset codes, password length on resets) are skipped there.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createAuthClient } from "better-auth/client";
import { emailOTPClient, phoneNumberClient } from "better-auth/client/plugins";
import { startOurs, startReference } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

const PASSWORD = "password1234";
const onReference = process.env.E2E_CLIENT_TARGET === "reference";
const ours = (name, fn) => test(name, { skip: onReference && "a deliberate difference from the reference" }, fn);

let server;
let counter = 0;
const phoneBase = Math.floor(Math.random() * 8000);

before(async () => {
  server = onReference ? await startReference() : await startOurs();
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
});

function browser() {
  const jar = new CookieJar(server.baseURL);
  const client = createAuthClient({
    baseURL: server.baseURL,
    plugins: [phoneNumberClient(), emailOTPClient()],
    fetchOptions: { customFetchImpl: jar.fetch },
  });
  return { jar, client };
}

/** A fresh valid E.164 number per call (San Francisco 415-555-2xxx … 9xxx: libphonenumber accepts them, so the strict option does too). */
function phone() {
  counter += 1;
  return `+1415555${2000 + ((phoneBase + counter) % 8000)}`;
}

function email(label) {
  counter += 1;
  return `${label}-${counter}-${Date.now()}@otp-e2e.test`;
}

function code(kind, to) {
  const message = server.lastMessage(kind, to);
  assert.ok(message, `no ${kind} message to ${to}`);
  return message.otp;
}

function wrong(otp) {
  return otp === "000000" ? "111111" : "000000";
}

/**
 * An email/password user who then proves `number` by code. Sign-up does not take a number on our server (it is not
 * client input there: a number is set only by a verification), so both servers get it the same way.
 */
async function signedUpWithNumber(label, number) {
  const b = browser();
  const address = email(label);
  assert.equal((await b.client.signUp.email({ email: address, password: PASSWORD, name: label })).error, null);
  await b.client.phoneNumber.sendOtp({ phoneNumber: number });
  const { error } = await b.client.phoneNumber.verify({ phoneNumber: number, code: code("phone-otp", number), updatePhoneNumber: true });
  assert.equal(error, null);
  return address;
}

describe("phone number plugin with the official client", () => {
  test("an unknown number verified by code is signed up and signed in", async () => {
    const b = browser();
    const number = phone();
    const sent = await b.client.phoneNumber.sendOtp({ phoneNumber: number });
    assert.equal(sent.error, null);
    assert.deepEqual(sent.data, { message: "code sent" });
    assert.match(code("phone-otp", number), /^\d{6}$/);

    const { data, error } = await b.client.phoneNumber.verify({ phoneNumber: number, code: code("phone-otp", number) });
    assert.equal(error, null);
    assert.equal(data.status, true);
    assert.equal(data.user.phoneNumber, number);
    assert.equal(data.user.phoneNumberVerified, true);
    assert.equal(data.user.email, `${number.slice(1)}@phone.reference.test`);
    assert.equal(data.user.name, number);

    const session = await b.client.getSession();
    assert.equal(session.data.session.token, data.token);
    assert.equal(session.data.user.phoneNumber, number);
  });

  test("wrong codes count: three tries, then the code is discarded", async () => {
    const b = browser();
    const number = phone();
    await b.client.phoneNumber.sendOtp({ phoneNumber: number });
    const otp = code("phone-otp", number);
    for (let i = 0; i < 3; i++) {
      const { error } = await b.client.phoneNumber.verify({ phoneNumber: number, code: wrong(otp) });
      assert.equal(error.status, 400);
      assert.equal(error.code, "INVALID_OTP");
    }
    const blocked = await b.client.phoneNumber.verify({ phoneNumber: number, code: otp });
    assert.equal(blocked.error.status, 403);
    assert.equal(blocked.error.code, "TOO_MANY_ATTEMPTS");
    const gone = await b.client.phoneNumber.verify({ phoneNumber: number, code: otp });
    assert.equal(gone.error.code, "OTP_NOT_FOUND");
  });

  test("sign in with phone number and password", async () => {
    const number = phone();
    const address = await signedUpWithNumber("phone-signin", number);

    const b = browser();
    const { data, error } = await b.client.signIn.phoneNumber({ phoneNumber: number, password: PASSWORD });
    assert.equal(error, null);
    assert.equal(data.user.email, address);
    assert.equal(data.user.phoneNumber, number);
    assert.equal((await b.client.getSession()).data.session.token, data.token);

    const bad = await browser().client.signIn.phoneNumber({ phoneNumber: number, password: "wrong-password" });
    assert.equal(bad.error.status, 401);
    assert.equal(bad.error.code, "INVALID_PHONE_NUMBER_OR_PASSWORD");
  });

  test("a signed-in user takes a verified number with updatePhoneNumber", async () => {
    const b = browser();
    await b.client.signUp.email({ email: email("phone-update"), password: PASSWORD, name: "Updater" });
    const number = phone();
    await b.client.phoneNumber.sendOtp({ phoneNumber: number });
    const { data, error } = await b.client.phoneNumber.verify({ phoneNumber: number, code: code("phone-otp", number), updatePhoneNumber: true });
    assert.equal(error, null);
    assert.equal(data.user.phoneNumber, number);
    const session = await b.client.getSession({ query: { disableCookieCache: true } });
    assert.equal(session.data.user.phoneNumber, number);
    assert.equal(session.data.user.phoneNumberVerified, true);
  });

  test("password reset by texted code", async () => {
    const number = phone();
    await signedUpWithNumber("phone-reset", number);
    const b = browser();
    const requested = await b.client.phoneNumber.requestPasswordReset({ phoneNumber: number });
    assert.deepEqual(requested.data, { status: true });
    const otp = code("phone-reset-password-otp", number);
    const reset = await b.client.phoneNumber.resetPassword({ phoneNumber: number, otp, newPassword: "a-brand-new-password" });
    assert.equal(reset.error, null);
    assert.deepEqual(reset.data, { status: true });
    const signIn = await browser().client.signIn.phoneNumber({ phoneNumber: number, password: "a-brand-new-password" });
    assert.equal(signIn.error, null);

    const unknown = await b.client.phoneNumber.requestPasswordReset({ phoneNumber: phone() });
    assert.equal(unknown.error.code, "PHONE_NUMBER_ISNT_REGISTERED");
  });

  ours("reset codes are single-use and new passwords follow the length rules", async () => {
    const number = phone();
    await signedUpWithNumber("phone-once", number);
    const b = browser();
    await b.client.phoneNumber.forgetPassword({ phoneNumber: number });
    const otp = code("phone-reset-password-otp", number);
    const short = await b.client.phoneNumber.resetPassword({ phoneNumber: number, otp, newPassword: "short" });
    assert.equal(short.error.code, "PASSWORD_TOO_SHORT");
    assert.equal((await b.client.phoneNumber.resetPassword({ phoneNumber: number, otp, newPassword: "first-new-password" })).error, null);
    const replay = await b.client.phoneNumber.resetPassword({ phoneNumber: number, otp, newPassword: "second-new-password" });
    assert.equal(replay.error.code, "OTP_NOT_FOUND");
  });

  test("by default any string is a number, as in Better Auth (fictional and national spellings)", async () => {
    for (const loose of ["+1 555 0142", "(555) 010-0142", "0612345642"]) {
      const { data, error } = await browser().client.phoneNumber.sendOtp({ phoneNumber: loose });
      assert.equal(error, null);
      assert.deepEqual(data, { message: "code sent" });
      assert.ok(code("phone-otp", loose));
    }
  });

  ours("with the strict option, numbers that are not valid E.164 are refused", async () => {
    const strict = await startOurs({ env: { Plugins__PhoneNumber__ValidateE164: "true" } });
    try {
      const client = createAuthClient({ baseURL: strict.baseURL, plugins: [phoneNumberClient()] });
      for (const bad of ["abc", "4155552671", "+1 415 555 2671", "+1 555 0142"]) {
        const { error } = await client.phoneNumber.sendOtp({ phoneNumber: bad });
        assert.equal(error.status, 400);
        assert.equal(error.code, "INVALID_PHONE_NUMBER");
      }
      assert.equal((await client.phoneNumber.sendOtp({ phoneNumber: phone() })).error, null);
    } finally {
      await strict.stop();
      fs.rmSync(strict.dir, { recursive: true, force: true });
    }
  });
});

describe("email OTP plugin with the official client", () => {
  test("sign-in by code signs up an unknown email", async () => {
    const b = browser();
    const address = email("otp-signin");
    const sent = await b.client.emailOtp.sendVerificationOtp({ email: address, type: "sign-in" });
    assert.deepEqual(sent.data, { success: true });
    const message = server.lastMessage("email-otp:sign-in", address);
    assert.equal(message.type, "sign-in");

    const { data, error } = await b.client.signIn.emailOtp({ email: address, otp: message.otp });
    assert.equal(error, null);
    assert.equal(data.user.email, address);
    assert.equal(data.user.emailVerified, true);
    assert.equal(data.user.name, "");
    assert.equal((await b.client.getSession()).data.session.token, data.token);

    const replay = await browser().client.signIn.emailOtp({ email: address, otp: message.otp });
    assert.equal(replay.error.code, "INVALID_OTP");
  });

  test("email verification by code", async () => {
    const b = browser();
    const address = email("otp-verify");
    await b.client.signUp.email({ email: address, password: PASSWORD, name: "Verify" });
    await b.client.emailOtp.sendVerificationOtp({ email: address, type: "email-verification" });
    const bad = await b.client.emailOtp.verifyEmail({ email: address, otp: wrong(code("email-otp:email-verification", address)) });
    assert.equal(bad.error.code, "INVALID_OTP");
    const { data, error } = await b.client.emailOtp.verifyEmail({ email: address, otp: code("email-otp:email-verification", address) });
    assert.equal(error, null);
    assert.equal(data.status, true);
    assert.equal(data.token, null);
    assert.equal(data.user.emailVerified, true);
  });

  test("password reset by emailed code", async () => {
    const address = email("otp-reset");
    await browser().client.signUp.email({ email: address, password: PASSWORD, name: "Reset" });
    const b = browser();
    const requested = await b.client.forgetPassword.emailOtp({ email: address });
    assert.deepEqual(requested.data, { success: true });
    const otp = code("email-otp:forget-password", address);
    const reset = await b.client.emailOtp.resetPassword({ email: address, otp, password: "another-new-password" });
    assert.deepEqual(reset.data, { success: true });
    const signIn = await browser().client.signIn.email({ email: address, password: "another-new-password" });
    assert.equal(signIn.error, null);
    assert.equal(signIn.data.user.emailVerified, true);
    const replay = await b.client.emailOtp.resetPassword({ email: address, otp, password: "third-new-password" });
    assert.equal(replay.error.code, "INVALID_OTP");
  });

  test("a forget-password code for an unknown email is answered the same and not sent", async () => {
    const address = email("otp-ghost");
    const { data } = await browser().client.emailOtp.sendVerificationOtp({ email: address, type: "forget-password" });
    assert.deepEqual(data, { success: true });
    assert.equal(server.lastMessage("email-otp:forget-password", address), undefined);
    const invalid = await browser().client.emailOtp.sendVerificationOtp({ email: "not-an-email", type: "sign-in" });
    assert.equal(invalid.error.code, "INVALID_EMAIL");
  });

  ours("reset passwords follow the length rules without costing an attempt", async () => {
    const address = email("otp-length");
    await browser().client.signUp.email({ email: address, password: PASSWORD, name: "Length" });
    const b = browser();
    await b.client.forgetPassword.emailOtp({ email: address });
    const otp = code("email-otp:forget-password", address);
    for (let i = 0; i < 4; i++) {
      const { error } = await b.client.emailOtp.resetPassword({ email: address, otp, password: "short" });
      assert.equal(error.code, "PASSWORD_TOO_SHORT");
    }
    assert.equal((await b.client.emailOtp.resetPassword({ email: address, otp, password: "long-enough-password" })).error, null);
  });
});
