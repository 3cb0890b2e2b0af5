// Mistyped fields where the reference answers the field's own error rather than VALIDATION_ERROR or a crash: its
// untyped bodies (sign-up) read values as JavaScript does, and the admin plugin coerces userId with z.coerce.string().
// Found by sending every POST body field a number, boolean, object, array and null to both servers (cases where the
// reference crashes stay our 400 VALIDATION_ERROR: reference-defects.md).
import { PW } from "./email-password.mjs";
import { setRoleInDatabase } from "./admin.mjs";

export const mistypedFieldGroups = [
  {
    name: "mistyped-sign-up",
    async run(t) {
      const signUp = (step, body) => t.post(step, "/sign-up/email", { name: "Typed", password: PW, ...body }, { jar: null });
      for (const [label, email] of [["a number", 42], ["a boolean", true], ["an object", { a: 1 }], ["an array", [t.email("ty-arr")]]])
        await signUp(`email is ${label}`, { email });
      await signUp("password is an empty array", { email: t.email("ty-pw0"), password: [] });
      await signUp("password is a short array", { email: t.email("ty-pw1"), password: ["password-in-an-array"] });

      const taken = t.email("ty-taken");
      await signUp("sign-up", { email: taken });
      await signUp("taken email, password a number", { email: taken, password: 12345678 });
      await signUp("taken email, password a long array", { email: taken, password: [1, 2, 3, 4, 5, 6, 7, 8, 9] });
      await t.post("taken email, no name", "/sign-up/email", { email: taken, password: PW }, { jar: null });
    },
  },
  {
    name: "mistyped-admin-user-id",
    async run(t) {
      const adminEmail = t.email("tyadm-root");
      await t.post("sign-up of the admin", "/sign-up/email", { name: "Typed Admin", email: adminEmail, password: PW });
      const target = await t.post("sign-up of the target", "/sign-up/email", { name: "Target", email: t.email("tyadm-target"), password: PW }, { jar: "target" });
      setRoleInDatabase(t, adminEmail, "admin");
      await t.post("sign-in as the admin", "/sign-in/email", { email: adminEmail, password: PW });
      const targetId = target?.body?.user?.id ?? "missing";

      await t.post("impersonate-user, userId an object", "/admin/impersonate-user", { userId: { a: 1 } });
      await t.post("impersonate-user, userId an empty array", "/admin/impersonate-user", { userId: [] });
      await t.post("list-user-sessions, userId an array of the id", "/admin/list-user-sessions", { userId: [targetId] });
      await t.post("set-role, userId an object", "/admin/set-role", { userId: { a: 1 }, role: "user" });
      await t.post("ban-user, userId an array", "/admin/ban-user", { userId: ["nobody"] });
    },
  },
];
