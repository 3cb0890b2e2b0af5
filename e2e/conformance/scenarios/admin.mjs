// Scenario group for the admin plugin. An admin is made on each server by setting the role column in its own
// SQLite file (both use Better Auth's table and column names), then signing in again. Every list-users call
// searches for this group's "admx" addresses so users made by other groups never show.
import { execFileSync } from "node:child_process";
import { PW, NEW_PW } from "./email-password.mjs";

/** Sets a user's role straight in the server's database (how a first admin is made on both servers). */
export function setRoleInDatabase(t, email, role) {
  execFileSync("sqlite3", [t.server.dbPath, `UPDATE "user" SET role = '${role}' WHERE email = '${email}';`]);
}

const signUp = (t, step, email, jar) => t.post(step, "/sign-up/email", { name: `Admx ${jar}`, email, password: PW }, { jar });

export const adminGroups = [
  {
    name: "admin",
    async run(t) {
      const adminEmail = t.email("admx-root");
      await signUp(t, "sign-up of the future admin", adminEmail, "main");
      const alice = (await signUp(t, "sign-up alice", t.email("admx-alice"), "alice"))?.body?.user?.id ?? "missing";
      const bob = (await signUp(t, "sign-up bob", t.email("admx-bob"), "bob"))?.body?.user?.id ?? "missing";

      // Forbidden for a non-admin.
      await t.get("list-users as a non-admin", "/admin/list-users", { jar: "alice" });
      await t.post("set-role as a non-admin", "/admin/set-role", { userId: alice, role: "admin" }, { jar: "alice" });
      await t.post("ban-user as a non-admin", "/admin/ban-user", { userId: bob }, { jar: "alice" });
      await t.post("create-user as a non-admin", "/admin/create-user", { email: t.email("admx-x"), password: PW, name: "X" }, { jar: "alice" });
      await t.post("impersonate-user as a non-admin", "/admin/impersonate-user", { userId: bob }, { jar: "alice" });
      await t.post("remove-user as a non-admin", "/admin/remove-user", { userId: bob }, { jar: "alice" });
      await t.get("list-users without session", "/admin/list-users", { jar: null });

      setRoleInDatabase(t, adminEmail, "admin");
      await t.post("sign-in as the admin", "/sign-in/email", { email: adminEmail, password: PW });
      const adminId = (await t.get("get-session of the admin", "/get-session"))?.body?.user?.id ?? "missing";

      // list-users: search, filter, sort, limit.
      const q = (params) => `/admin/list-users?${new URLSearchParams({ searchValue: "admx", searchField: "email", searchOperator: "contains", ...params })}`;
      await t.get("list-users search", q({ sortBy: "email", sortDirection: "asc" }));
      await t.get("list-users sort by name desc", q({ sortBy: "name", sortDirection: "desc" }));
      await t.get("list-users limit and offset", q({ sortBy: "email", sortDirection: "asc", limit: "1", offset: "1" }));
      await t.get("list-users search by name starts_with", `/admin/list-users?${new URLSearchParams({ searchValue: "Admx a", searchField: "name", searchOperator: "starts_with" })}`);
      await t.get("list-users filter role eq admin", q({ filterField: "role", filterValue: "admin", filterOperator: "eq" }));
      await t.get("list-users no match", q({ searchValue: "no-such-admx-user" }));

      // set-role
      await t.post("set-role alice to admin", "/admin/set-role", { userId: alice, role: "admin" });
      await t.get("alice may now list users", q({ sortBy: "email" }), { jar: "alice" });
      await t.post("set-role alice back to user", "/admin/set-role", { userId: alice, role: "user" });
      await t.get("alice may no longer list users", q({}), { jar: "alice" });

      // create-user
      const carolEmail = t.email("admx-carol");
      const carol = (await t.post("create-user", "/admin/create-user", { email: carolEmail, password: PW, name: "Admx carol", role: "user" }))?.body?.user?.id ?? "missing";
      await t.post("create-user with an existing email", "/admin/create-user", { email: carolEmail, password: PW, name: "Again" });
      await t.post("sign-in as the created user", "/sign-in/email", { email: carolEmail, password: PW }, { jar: "carol" });

      // ban / unban
      await t.post("ban-user bob", "/admin/ban-user", { userId: bob, banReason: "spam" });
      await t.get("banned bob's old session", "/get-session", { jar: "bob" });
      await t.post("banned bob signs in", "/sign-in/email", { email: t.email("admx-bob"), password: PW }, { jar: "bob" });
      await t.get("list-users shows the ban", q({ searchValue: "admx-bob" }));
      await t.post("unban-user bob", "/admin/unban-user", { userId: bob });
      await t.post("unbanned bob signs in", "/sign-in/email", { email: t.email("admx-bob"), password: PW }, { jar: "bob" });

      // sessions
      await t.post("alice signs in on a second device", "/sign-in/email", { email: t.email("admx-alice"), password: PW }, { jar: "alice2" });
      const sessions = await t.post("list-user-sessions alice", "/admin/list-user-sessions", { userId: alice });
      const first = sessions?.body?.sessions?.[0]?.token ?? "missing";
      await t.post("revoke-user-session", "/admin/revoke-user-session", { sessionToken: first });
      await t.post("list-user-sessions after revoking one", "/admin/list-user-sessions", { userId: alice });
      await t.post("revoke-user-sessions alice", "/admin/revoke-user-sessions", { userId: alice });
      await t.post("list-user-sessions after revoking all", "/admin/list-user-sessions", { userId: alice });
      await t.get("alice's second device signed out", "/get-session", { jar: "alice2" });

      // impersonation
      await t.post("impersonate-user carol", "/admin/impersonate-user", { userId: carol }, { jar: "imp", cookie: t.cookieHeader() });
      await t.get("get-session while impersonating", "/get-session", { jar: "imp" });
      await t.post("stop-impersonating", "/admin/stop-impersonating", {}, { jar: "imp" });
      await t.get("get-session after stop-impersonating", "/get-session", { jar: "imp" });

      // passwords, permissions, removal
      await t.post("set-user-password carol", "/admin/set-user-password", { userId: carol, newPassword: NEW_PW });
      await t.post("carol signs in with the old password", "/sign-in/email", { email: carolEmail, password: PW }, { jar: null });
      await t.post("carol signs in with the new password", "/sign-in/email", { email: carolEmail, password: NEW_PW }, { jar: null });
      await t.post("has-permission as admin", "/admin/has-permission", { permissions: { user: ["create", "ban"] } });
      await t.post("has-permission as a user", "/admin/has-permission", { permissions: { user: ["create"] } }, { jar: "carol" });
      await t.post("has-permission for a userId", "/admin/has-permission", { userId: bob, permissions: { session: ["list"] } });
      await t.post("remove-user carol", "/admin/remove-user", { userId: carol });
      await t.post("removed carol signs in", "/sign-in/email", { email: carolEmail, password: NEW_PW }, { jar: null });
      await t.get("list-users after removal", q({ sortBy: "email", sortDirection: "asc" }));

      // Bans with an expiry, and refusals.
      await t.post("ban-user yourself", "/admin/ban-user", { userId: adminId });
      await t.post("ban-user bob for an hour", "/admin/ban-user", { userId: bob, banReason: "again", banExpiresIn: 3600 });
      await t.post("bob banned for an hour signs in", "/sign-in/email", { email: t.email("admx-bob"), password: PW }, { jar: null });
      await t.post("unban-user bob again", "/admin/unban-user", { userId: bob });
      await t.post("ban-user unknown user", "/admin/ban-user", { userId: "no-such-user" });
      await t.post("set-role unknown user", "/admin/set-role", { userId: "no-such-user", role: "admin" });
      await t.post("list-user-sessions unknown user", "/admin/list-user-sessions", { userId: "no-such-user" });
      await t.post("impersonate-user unknown user", "/admin/impersonate-user", { userId: "no-such-user" }, { jar: null, cookie: t.cookieHeader() });
      await t.post("create-user missing password", "/admin/create-user", { email: t.email("admx-nopw"), name: "No Password" });
      // Deliberate differences (allow-listed): ours validates what 1.2.12 takes as it comes.
      await t.get("list-users unknown sortBy", q({ sortBy: "favouriteColour" }));
      await t.post("stop-impersonating when not impersonating", "/admin/stop-impersonating", {});
      await t.post("set-user-password too short", "/admin/set-user-password", { userId: bob, newPassword: "short" });
      await t.post("create-user invalid email", "/admin/create-user", { email: "not-an-email", password: PW, name: "Invalid" });
      await t.post("set-role bob to admin", "/admin/set-role", { userId: bob, role: "admin" });
      await t.post("impersonate-user an admin", "/admin/impersonate-user", { userId: bob }, { jar: "imp-admin", cookie: t.cookieHeader() });
    },
  },
];
