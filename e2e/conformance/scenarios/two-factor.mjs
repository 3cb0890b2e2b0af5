// Scenario groups for the two-factor plugin: enrolment (enable, get-totp-uri, the first TOTP code), the sign-in
// challenge completed by TOTP, backup code or mailed code, trusted devices, new backup codes and disabling.
// TOTP codes are computed here from the secret in each server's own totpURI, as an authenticator app would.
import { generate } from "otplib";
import { PW } from "./email-password.mjs";

const PERIOD = 30;

/**
 * An authenticator app for one enrolment. Each code it hands out is for a later time step than the one before:
 * our server accepts a step once (a deliberate difference, allow-listed where a scenario replays a code on
 * purpose), so taking the earliest step still accepted (now − 1) and moving forward keeps every other step
 * valid on both servers even when a step boundary passes mid-scenario.
 */
class Authenticator {
  constructor(totpURI) {
    this.secret = totpURI ? new URL(totpURI).searchParams.get("secret") : null;
    this.lastStep = -Infinity;
  }

  /** A valid code not used before (waits for the clock when the next unused step is still two steps ahead). */
  async next() {
    if (!this.secret) return "000000";
    let now = Math.floor(Date.now() / 1000 / PERIOD);
    const step = Math.max(now - 1, this.lastStep + 1);
    while (step > now + 1) {
      await new Promise((r) => setTimeout(r, 250));
      now = Math.floor(Date.now() / 1000 / PERIOD);
    }
    this.lastStep = step;
    return generate({ secret: this.secret, epoch: step * PERIOD });
  }

  /** A code that is wrong for every accepted step (each digit of the current code shifted by one). */
  async wrong() {
    if (!this.secret) return "000000";
    const code = await generate({ secret: this.secret, epoch: Math.floor(Date.now() / 1000) });
    return code.replace(/\d/g, (d) => String((Number(d) + 5) % 10));
  }
}

/** The newest outbox message of a kind for an address that differs from `previous` (our sender may be a queue). */
async function nextMessage(t, kind, to, previous) {
  const seen = JSON.stringify(previous);
  for (let i = 0; i < 40; i++) {
    const m = t.message(kind, to);
    if (m && JSON.stringify(m) !== seen) return m;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

/** Sends a two-factor OTP as one step and returns the mailed code. */
async function sendOtp(t, step, email, opts) {
  const before = t.message("two-factor-otp", email);
  await t.post(step, "/two-factor/send-otp", {}, opts);
  return (await nextMessage(t, "two-factor-otp", email, before))?.otp ?? "000000";
}

const signUp = (t, step, email, extra = {}) => t.post(step, "/sign-up/email", { name: "Two Factor", email, password: PW, ...extra });
const signIn = (t, step, email, jar, extra = {}) => t.post(step, "/sign-in/email", { email, password: PW, ...extra }, { jar });

/** Signs up (jar "main"), enables two-factor and verifies a first code; returns the authenticator and backup codes. */
async function enrolled(t, email, extra) {
  await signUp(t, "sign-up", email, extra);
  const enable = await t.post("enable", "/two-factor/enable", { password: PW });
  const app = new Authenticator(enable.body?.totpURI);
  await t.post("enrol with a first code", "/two-factor/verify-totp", { code: await app.next() });
  return { app, backupCodes: enable.body?.backupCodes ?? [] };
}

export const twoFactorGroups = [
  {
    name: "two-factor",
    async run(t) {
      const email = t.email("tf-enrol");
      await signUp(t, "sign-up", email);
      await t.post("enable without session", "/two-factor/enable", { password: PW }, { jar: null });
      await t.post("enable wrong password", "/two-factor/enable", { password: "wrong-password" });
      await t.post("enable missing password", "/two-factor/enable", {});
      await t.post("enable password not a string", "/two-factor/enable", { password: 12345678 });
      const enable = await t.post("enable ok", "/two-factor/enable", { password: PW });
      const app = new Authenticator(enable.body?.totpURI);
      await t.get("get-session after enable", "/get-session");
      await t.post("get-totp-uri before the first code", "/two-factor/get-totp-uri", { password: PW });
      await t.post("generate-backup-codes before the first code", "/two-factor/generate-backup-codes", { password: PW });
      await t.post("verify-totp wrong code while enrolling", "/two-factor/verify-totp", { code: await app.wrong() });
      await t.post("verify-totp code of five digits", "/two-factor/verify-totp", { code: "12345" });
      await t.post("verify-totp code not a string", "/two-factor/verify-totp", { code: 123456 });
      const before = t.cookieHeader();
      // Better Auth answers the deleted pre-enrolment session's token here; ours the new one (allow-listed).
      await t.post("verify-totp enrols", "/two-factor/verify-totp", { code: await app.next() });
      await t.get("get-session after enrolment", "/get-session");
      await t.get("session from before enrolment", "/get-session", { jar: "old", cookie: before });
      await t.post("get-totp-uri without session", "/two-factor/get-totp-uri", { password: PW }, { jar: null });
      await t.post("get-totp-uri wrong password", "/two-factor/get-totp-uri", { password: "wrong-password" });
      await t.post("get-totp-uri ok", "/two-factor/get-totp-uri", { password: PW });
      await t.post("verify-totp while signed in", "/two-factor/verify-totp", { code: await app.next() });
      await t.post("verify-totp wrong code while signed in", "/two-factor/verify-totp", { code: await app.wrong() });
      const otp = await sendOtp(t, "send-otp while signed in", email);
      await t.post("verify-otp wrong code while signed in", "/two-factor/verify-otp", { code: otp === "000000" ? "111111" : "000000" });
      await t.post("verify-otp while signed in", "/two-factor/verify-otp", { code: otp });
      await t.post("verify-backup-code while signed in", "/two-factor/verify-backup-code", { code: enable.body?.backupCodes?.[0] });
      await t.post("get-totp-uri missing password", "/two-factor/get-totp-uri", {});
      await t.post("enable again while enrolled", "/two-factor/enable", { password: PW });
      await t.get("get-session after enabling again", "/get-session");
      await t.post("get-totp-uri after enabling again", "/two-factor/get-totp-uri", { password: PW });
      await t.post("enable with a custom issuer", "/two-factor/enable", { password: PW, issuer: "My App & Co" });
      await t.post("get-totp-uri uses the app name", "/two-factor/get-totp-uri", { password: PW });
      // Server-only endpoints of the plugin are not served over HTTP.
      await t.post("POST /totp/generate is not exposed", "/totp/generate", { secret: "x".repeat(32) });
      await t.get("GET /two-factor/view-backup-codes is not exposed", "/two-factor/view-backup-codes");
    },
  },
  {
    name: "two-factor-sign-in",
    async run(t) {
      const email = t.email("tf-signin");
      const { app, backupCodes } = await enrolled(t, email, { username: "tf_signin" });
      await signIn(t, "wrong password is not intercepted", email, null, { password: "wrong-password" });
      await signIn(t, "sign-in is intercepted", email, "a");
      await t.get("get-session while the code is pending", "/get-session", { jar: "a" });
      await t.post("verify-totp without the two_factor cookie", "/two-factor/verify-totp", { code: "123456" }, { jar: null });
      await t.post("verify-totp with an unsigned two_factor cookie", "/two-factor/verify-totp", { code: "123456" },
        { jar: "x", cookie: "better-auth.two_factor=2fa-unsignedunsignedunsi" });
      await t.post("verify-totp wrong code", "/two-factor/verify-totp", { code: await app.wrong() }, { jar: "a" });
      await t.post("verify-totp missing code", "/two-factor/verify-totp", {}, { jar: "a" });
      const pending = t.cookieHeader("a");
      const code = await app.next();
      await t.post("verify-totp completes sign-in", "/two-factor/verify-totp", { code }, { jar: "a" });
      await t.get("get-session after verify-totp", "/get-session", { jar: "a" });
      // Better Auth accepts the same code again within its window; ours refuses a used step (allow-listed).
      await t.post("same TOTP code again", "/two-factor/verify-totp", { code }, { jar: "replay", cookie: pending });

      await t.post("sign-in/username is intercepted", "/sign-in/username", { username: "tf_signin", password: PW }, { jar: "b" });
      await t.post("verify-backup-code wrong code", "/two-factor/verify-backup-code", { code: "aaaaa-bbbbb" }, { jar: "b" });
      await t.post("verify-backup-code missing code", "/two-factor/verify-backup-code", {}, { jar: "b" });
      await t.post("verify-backup-code ok", "/two-factor/verify-backup-code", { code: backupCodes[0] }, { jar: "b" });
      await t.get("get-session after verify-backup-code", "/get-session", { jar: "b" });
      await signIn(t, "sign-in for a used backup code", email, "b2");
      await t.post("used backup code again", "/two-factor/verify-backup-code", { code: backupCodes[0] }, { jar: "b2" });
      await t.post("verify-backup-code with disableSession", "/two-factor/verify-backup-code",
        { code: backupCodes[1], disableSession: true }, { jar: "b2" });
      await t.get("get-session after disableSession", "/get-session", { jar: "b2" });

      await signIn(t, "sign-in for a mailed code", email, "c");
      await t.post("send-otp without the two_factor cookie", "/two-factor/send-otp", {}, { jar: null });
      await t.post("verify-otp before a code was sent", "/two-factor/verify-otp", { code: "123456" }, { jar: "c" });
      const otp = await sendOtp(t, "send-otp", email, { jar: "c" });
      await t.post("verify-otp wrong code", "/two-factor/verify-otp", { code: otp === "000000" ? "111111" : "000000" }, { jar: "c" });
      await t.post("verify-otp missing code", "/two-factor/verify-otp", {}, { jar: "c" });
      const pendingOtp = t.cookieHeader("c");
      await t.post("verify-otp completes sign-in", "/two-factor/verify-otp", { code: otp }, { jar: "c" });
      await t.get("get-session after verify-otp", "/get-session", { jar: "c" });
      // Better Auth keeps a mailed code after it was used; ours makes it single use (allow-listed).
      await t.post("same mailed code again", "/two-factor/verify-otp", { code: otp }, { jar: "c2", cookie: pendingOtp });

      await signIn(t, "sign-in with rememberMe false for a backup code", email, "h", { rememberMe: false });
      await t.post("verify-backup-code trustDevice not a boolean", "/two-factor/verify-backup-code",
        { code: backupCodes[2], trustDevice: "yes" }, { jar: "h" });
      await t.post("verify-backup-code after rememberMe false", "/two-factor/verify-backup-code", { code: backupCodes[2] }, { jar: "h" });
      await t.get("get-session after a rememberMe=false second factor", "/get-session", { jar: "h" });

      await signIn(t, "sign-in for a replaced code", email, "g");
      await t.request("send-otp without a body", "POST", "/two-factor/send-otp", { jar: "g" });
      const replaced = await sendOtp(t, "send-otp first code", email, { jar: "g" });
      const newest = await sendOtp(t, "send-otp second code", email, { jar: "g" });
      await t.post("verify-otp with the replaced code", "/two-factor/verify-otp", { code: replaced }, { jar: "g" });
      await t.post("verify-otp with the newest code", "/two-factor/verify-otp", { code: newest }, { jar: "g" });

      await signIn(t, "sign-in for too many attempts", email, "d");
      const lockedOtp = await sendOtp(t, "send-otp for too many attempts", email, { jar: "d" });
      const wrongOtp = lockedOtp === "000000" ? "111111" : "000000";
      for (let i = 1; i <= 5; i++) await t.post(`verify-otp wrong code ${i}/5`, "/two-factor/verify-otp", { code: wrongOtp }, { jar: "d" });
      await t.post("verify-otp right code after five wrong ones", "/two-factor/verify-otp", { code: lockedOtp }, { jar: "d" });
      await t.post("verify-otp after the code was withdrawn", "/two-factor/verify-otp", { code: lockedOtp }, { jar: "d" });

      await signIn(t, "sign-in with rememberMe false is intercepted", email, "e", { rememberMe: false });
      await t.post("verify-totp with trustDevice", "/two-factor/verify-totp", { code: await app.next(), trustDevice: true }, { jar: "e" });
      await t.get("get-session on the trusted device", "/get-session", { jar: "e" });
      await signIn(t, "sign-in on the trusted device", email, "e");
      // At 1.2.12 the renewed trust cookie signs the previous token, so the next sign-in is challenged again.
      await signIn(t, "sign-in on the trusted device again", email, "e");
      await signIn(t, "sign-in on another device is intercepted", email, "f");
    },
  },
  {
    name: "two-factor-manage",
    async run(t) {
      const email = t.email("tf-manage");
      const { app, backupCodes } = await enrolled(t, email);
      await t.post("generate-backup-codes without session", "/two-factor/generate-backup-codes", { password: PW }, { jar: null });
      await t.post("generate-backup-codes wrong password", "/two-factor/generate-backup-codes", { password: "wrong-password" });
      await t.post("generate-backup-codes missing password", "/two-factor/generate-backup-codes", {});
      const fresh = await t.post("generate-backup-codes ok", "/two-factor/generate-backup-codes", { password: PW });
      await signIn(t, "sign-in to try the backup codes", email, "old");
      await t.post("backup code from before regeneration", "/two-factor/verify-backup-code", { code: backupCodes[0] }, { jar: "old" });
      await t.post("backup code from the new set", "/two-factor/verify-backup-code", { code: fresh.body?.backupCodes?.[0] }, { jar: "old" });

      await t.post("disable without session", "/two-factor/disable", { password: PW }, { jar: null });
      await t.post("disable wrong password", "/two-factor/disable", { password: "wrong-password" });
      await t.post("disable missing password", "/two-factor/disable", {});
      const before = t.cookieHeader();
      await t.post("disable ok", "/two-factor/disable", { password: PW });
      await t.get("get-session after disable", "/get-session");
      await t.get("session from before disable", "/get-session", { jar: "stale", cookie: before });
      await signIn(t, "sign-in after disable is not intercepted", email, "new");
      await t.post("get-totp-uri after disable", "/two-factor/get-totp-uri", { password: PW });
      await t.post("generate-backup-codes after disable", "/two-factor/generate-backup-codes", { password: PW });
      await t.post("verify-totp after disable", "/two-factor/verify-totp", { code: await app.next() });
      await t.post("send-otp after disable", "/two-factor/send-otp", {});
      await t.post("verify-backup-code after disable", "/two-factor/verify-backup-code", { code: backupCodes[1] });
      await t.post("disable again", "/two-factor/disable", { password: PW });
      await t.get("get-session after disabling again", "/get-session");
    },
  },
];
