// A host app that keeps Better Auth's tables in its own EF Core DbContext and its own migration
// (tests/HostDbContextApp: AppDbContext : AuthDbContext, Migrations/ made with `dotnet ef migrations add`), driven by
// the official client (better-auth 1.2.12) with the two-factor and username plugins: the library serves the API from
// the host's context, the host's own rows reference Better Auth's users, and the host's migration made every table.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createAuthClient } from "better-auth/client";
import { twoFactorClient, usernameClient } from "better-auth/client/plugins";
import { freePort, repoRoot, tempDir, TEST_SECRET } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

const PASSWORD = "password1234";
let app;

function appDll() {
  for (const config of ["Release", "Debug"]) {
    const dll = path.join(repoRoot, "tests/HostDbContextApp/bin", config, "net10.0/HostDbContextApp.dll");
    if (fs.existsSync(dll)) return dll;
  }
  throw new Error("HostDbContextApp.dll not found: run `dotnet build -c Release` first");
}

before(async () => {
  const port = await freePort();
  const dir = tempDir("ba-hostdb-");
  const baseURL = `http://127.0.0.1:${port}`;
  const dbPath = path.join(dir, "app.db");
  const child = spawn("dotnet", [appDll()], {
    cwd: dir,
    env: {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: "Production",
      ASPNETCORE_URLS: baseURL,
      ConnectionStrings__App: `Data Source=${dbPath}`,
      BetterAuth__BaseUrl: baseURL,
      BetterAuth__Secret: TEST_SECRET,
      BetterAuth__RateLimit__Enabled: "false",
      BetterAuth__Plugins__TwoFactor__Issuer: "Host App",
      Logging__LogLevel__Default: "Warning",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs = [];
  child.stdout.on("data", (d) => logs.push(d.toString()));
  child.stderr.on("data", (d) => logs.push(d.toString()));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`host app exited with ${child.exitCode}:\n${logs.join("")}`);
    try { if ((await fetch(`${baseURL}/api/auth/ok`)).ok) break; } catch {}
    if (Date.now() > deadline) throw new Error(`host app did not start:\n${logs.join("")}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  app = { child, dir, dbPath, baseURL, logs };
});

after(async () => {
  if (!app) return;
  const exited = new Promise((r) => app.child.once("exit", r));
  app.child.kill("SIGTERM");
  await exited;
  fs.rmSync(app.dir, { recursive: true, force: true });
});

function browser() {
  const jar = new CookieJar(app.baseURL);
  const client = createAuthClient({
    baseURL: app.baseURL,
    plugins: [twoFactorClient(), usernameClient()],
    fetchOptions: { customFetchImpl: jar.fetch },
  });
  return { jar, client };
}

describe("host DbContext with its own EF Core migration", () => {
  test("the host's migration created Better Auth's tables (core + enabled plugins) next to its own", async () => {
    const applied = await (await fetch(`${app.baseURL}/api/migrations`)).json();
    // The first migration, then the one the host added when a Better Auth release added a column (session.maxExpiresAt).
    assert.equal(applied.length, 2);
    assert.match(applied[0], /_Initial$/);
    assert.match(applied[1], /_SessionExpiryCap$/);
    const tables = execFileSync("sqlite3", [app.dbPath, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"], { encoding: "utf8" })
      .trim().split("\n");
    for (const t of ["__EFMigrationsHistory", "account", "notes", "session", "twoFactor", "user", "verification"]) assert.ok(tables.includes(t), t);
    const userColumns = execFileSync("sqlite3", [app.dbPath, "SELECT name FROM pragma_table_info('user')"], { encoding: "utf8" });
    for (const c of ["twoFactorEnabled", "username", "displayUsername"]) assert.match(userColumns, new RegExp(`^${c}$`, "m"));
    const sessionColumns = execFileSync("sqlite3", [app.dbPath, "SELECT name FROM pragma_table_info('session')"], { encoding: "utf8" });
    assert.match(sessionColumns, /^maxExpiresAt$/m);
  });

  test("sign-up, sign-in by username, session, two-factor enrolment and the host's own endpoints", async () => {
    const { jar, client } = browser();
    const email = `host-${Date.now()}@example.com`;
    const username = `host${Date.now()}`;
    const signUp = await client.signUp.email({ email, password: PASSWORD, name: "Host User", username });
    assert.equal(signUp.error, null, JSON.stringify(signUp.error));

    const { client: other, jar: otherJar } = browser();
    const signIn = await other.signIn.username({ username, password: PASSWORD });
    assert.equal(signIn.error, null, JSON.stringify(signIn.error));
    const session = await other.getSession();
    assert.equal(session.data.user.email, email);
    assert.ok(!session.data.user.twoFactorEnabled); // null until enrolment, as Better Auth answers

    const enable = await other.twoFactor.enable({ password: PASSWORD });
    assert.equal(enable.error, null, JSON.stringify(enable.error));
    assert.match(enable.data.totpURI, /^otpauth:\/\/totp\/Host%20App:/);
    assert.equal(enable.data.backupCodes.length, 10);
    const rows = execFileSync("sqlite3", [app.dbPath, `SELECT count(*) FROM "twoFactor" t JOIN "user" u ON u.id = t.userId WHERE u.email = '${email}'`], { encoding: "utf8" });
    assert.equal(rows.trim(), "1");

    // The host's own table, with a foreign key to Better Auth's user, behind Better Auth's session.
    assert.equal((await fetch(`${app.baseURL}/api/notes`)).status, 401);
    const created = await otherJar.fetch(`${app.baseURL}/api/notes`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "hello" }),
    });
    assert.equal(created.status, 200);
    const notes = await (await otherJar.fetch(`${app.baseURL}/api/notes`)).json();
    assert.deepEqual(notes.map((n) => [n.text, n.author]), [["hello", email]]);

    // Sign-out ends the session stored through the host's context.
    const signOut = await client.signOut();
    assert.equal(signOut.error, null);
    assert.equal(jar.get("better-auth.session_token") ?? "", "");
  });
});
