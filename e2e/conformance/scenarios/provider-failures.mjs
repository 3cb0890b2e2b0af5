// A linked Google account whose token call fails: the account row is written straight into each server's SQLite file
// (both use Better Auth's columns), and Google cannot be reached from the test machine, so both servers see the
// provider fail. The failure's body carries Better Auth's `cause` member ({} when no answer came).
import { execFileSync } from "node:child_process";
import { PW } from "./email-password.mjs";

/** Links a Google account with an expired access token (and optionally a refresh token) to the user, in the database. */
function linkGoogleInDatabase(t, userId, refreshToken) {
  const now = new Date().toISOString();
  const refresh = refreshToken ? `'${refreshToken}'` : "NULL";
  execFileSync("sqlite3", [t.server.dbPath, `INSERT INTO "account" (id, accountId, providerId, userId, accessToken, refreshToken, ` +
    `accessTokenExpiresAt, scope, createdAt, updatedAt) VALUES ('${userId}-g', 'g-${userId}', 'google', '${userId}', 'old-access-token', ` +
    `${refresh}, '2000-01-01T00:00:00.000Z', 'openid,email', '${now}', '${now}');`]);
}

export const providerFailureGroups = [
  {
    name: "provider-token-failures",
    async run(t) {
      const o = { origin: t.base };
      const user = await t.post("sign-up", "/sign-up/email", { name: "Linked", email: t.email("linked"), password: PW });
      linkGoogleInDatabase(t, user?.body?.user?.id ?? "missing", "stored-refresh-token");
      await t.post("refresh-token, provider unreachable", "/refresh-token", { providerId: "google" }, o);
      await t.post("get-access-token, expired and provider unreachable", "/get-access-token", { providerId: "google" }, o);

      const other = await t.post("sign-up without refresh token", "/sign-up/email", { name: "No Refresh", email: t.email("linked-nort"), password: PW }, { jar: "nort" });
      linkGoogleInDatabase(t, other?.body?.user?.id ?? "missing", null);
      await t.post("refresh-token, no refresh token stored", "/refresh-token", { providerId: "google" }, { ...o, jar: "nort" });
      await t.post("get-access-token, no refresh token stored", "/get-access-token", { providerId: "google" }, { ...o, jar: "nort" });
    },
  },
];
