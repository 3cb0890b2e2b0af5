// Scenario groups for the email-OTP plugin: codes of each type, verify-email, sign-in (sign-up on first
// sign-in), the forget-password / reset-password pair, wrong codes and too many attempts.
import { PW } from "./email-password.mjs";
import { stepWithCode, wrongCode } from "./otp-messages.mjs";

const NEW_PW = "new-password-456";

const sendOtp = (t, step, email, type, opts = { jar: null }) =>
  stepWithCode(t, `email-otp:${type}`, email, () => t.post(step, "/email-otp/send-verification-otp", { email, type }, opts));

export const emailOtpGroups = [
  {
    name: "email-otp-verify-email",
    async run(t) {
      const email = t.email("eo-verify");
      await t.post("sign-up", "/sign-up/email", { name: "Otp User", email, password: PW });
      await t.post("send-otp missing type", "/email-otp/send-verification-otp", { email }, { jar: null });
      await t.post("send-otp unknown type", "/email-otp/send-verification-otp", { email, type: "other" }, { jar: null });
      await t.post("send-otp invalid email", "/email-otp/send-verification-otp", { email: "not-an-email", type: "email-verification" }, { jar: null });
      const code = await sendOtp(t, "send email-verification otp", email, "email-verification");
      await t.post("verify-email wrong code", "/email-otp/verify-email", { email, otp: wrongCode(code) }, { jar: null });
      await t.post("verify-email ok", "/email-otp/verify-email", { email, otp: code }, { jar: "verified" });
      await t.get("get-session shows emailVerified", "/get-session");
      await t.post("verify-email same code again", "/email-otp/verify-email", { email, otp: code }, { jar: null });
      const upper = t.email("eo-case");
      await t.post("sign-up another user", "/sign-up/email", { name: "Otp Case", email: upper, password: PW }, { jar: "case" });
      const caseCode = await sendOtp(t, "send email-verification otp in lower case", upper, "email-verification");
      await t.post("verify-email with the address in upper case", "/email-otp/verify-email", { email: upper.toUpperCase(), otp: caseCode }, { jar: null });
      await t.get("get-session after the upper-case verification", "/get-session", { jar: "case" });
      await sendOtp(t, "send email-verification otp to an unknown email", t.email("eo-nobody"), "email-verification");
      await t.post("verify-email unknown email", "/email-otp/verify-email", { email: t.email("eo-nobody"), otp: "123456" }, { jar: null });
    },
  },
  {
    name: "email-otp-sign-in",
    async run(t) {
      const email = t.email("eo-signin");
      const code = await sendOtp(t, "send sign-in otp to a new email", email, "sign-in");
      await t.post("sign-in wrong code", "/sign-in/email-otp", { email, otp: wrongCode(code) }, { jar: null });
      await t.post("sign-in signs up a new email", "/sign-in/email-otp", { email, otp: code });
      await t.get("get-session of the new user", "/get-session");
      await t.post("sign-in same code again", "/sign-in/email-otp", { email, otp: code }, { jar: null });
      const again = await sendOtp(t, "send sign-in otp to the known email", email, "sign-in");
      await t.post("sign-in as the known user", "/sign-in/email-otp", { email, otp: again }, { jar: "second" });
      await t.get("get-session of the second sign-in", "/get-session", { jar: "second" });
      await t.post("sign-in missing otp", "/sign-in/email-otp", { email }, { jar: null });
    },
  },
  {
    name: "email-otp-attempts",
    async run(t) {
      const email = t.email("eo-attempts");
      await t.post("sign-up", "/sign-up/email", { name: "Otp Attempts", email, password: PW }, { jar: null });
      const code = await sendOtp(t, "send sign-in otp", email, "sign-in");
      for (let i = 1; i <= 3; i++) await t.post(`wrong code ${i}`, "/sign-in/email-otp", { email, otp: wrongCode(code) }, { jar: null });
      await t.post("right code after too many attempts", "/sign-in/email-otp", { email, otp: code }, { jar: null });
      const fresh = await sendOtp(t, "send sign-in otp again", email, "sign-in");
      await t.post("a new code works", "/sign-in/email-otp", { email, otp: fresh }, { jar: null });
    },
  },
  {
    name: "email-otp-reset-password",
    async run(t) {
      const email = t.email("eo-reset");
      await t.post("sign-up", "/sign-up/email", { name: "Otp Reset", email, password: PW }, { jar: null });
      const code = await stepWithCode(t, "email-otp:forget-password", email,
        () => t.post("forget-password/email-otp", "/forget-password/email-otp", { email }, { jar: null }));
      await t.post("forget-password/email-otp unknown email", "/forget-password/email-otp", { email: t.email("eo-unknown") }, { jar: null });
      await t.post("reset-password wrong code", "/email-otp/reset-password", { email, otp: wrongCode(code), password: NEW_PW }, { jar: null });
      await t.post("reset-password ok", "/email-otp/reset-password", { email, otp: code, password: NEW_PW }, { jar: null });
      await t.post("sign-in with the new password", "/sign-in/email", { email, password: NEW_PW }, { jar: null });
      await t.post("sign-in with the old password", "/sign-in/email", { email, password: PW }, { jar: null });
      await t.post("reset-password same code again", "/email-otp/reset-password", { email, otp: code, password: "third-password-789" }, { jar: null });
      const typed = await sendOtp(t, "send forget-password otp", email, "forget-password");
      await t.post("reset-password with the sent code", "/email-otp/reset-password", { email, otp: typed, password: "fourth-password-012" }, { jar: null });
      await t.post("sign-in after the second reset", "/sign-in/email", { email, password: "fourth-password-012" }, { jar: null });
      const last = await sendOtp(t, "send another forget-password otp", email, "forget-password");
      // The reference applies no length rule on this reset; ours the sign-up rules (allow-listed).
      await t.post("reset-password with a too short password", "/email-otp/reset-password", { email, otp: last, password: "short" }, { jar: null });
    },
  },
];
