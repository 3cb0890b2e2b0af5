// samples/JwtResourceApi: a separate ASP.NET Core service that knows nothing of Better Auth validates the JWTs our
// server issues with the standard JwtBearer handler pointed at our /jwks. Both run as their own processes; the
// server signs with ES256 (Microsoft.IdentityModel has no EdDSA, Better Auth's default algorithm).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createAuthClient } from "better-auth/client";
import { jwtClient } from "better-auth/client/plugins";
import { freePort, repoRoot, startOurs } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

function sampleDll() {
  for (const config of ["Release", "Debug"]) {
    const dll = path.join(repoRoot, "samples/JwtResourceApi/bin", config, "net10.0/JwtResourceApi.dll");
    if (fs.existsSync(dll)) return dll;
  }
  throw new Error("JwtResourceApi.dll not found: run `dotnet build -c Release` first");
}

/** The sample on a free port, trusting `issuer`'s tokens (`env` may name another JWKS URL or audience). */
async function startSample(issuer, env = {}) {
  const port = await freePort();
  const logs = [];
  const child = spawn("dotnet", [sampleDll()], {
    env: { ...process.env, PORT: String(port), Auth__Issuer: issuer, Logging__LogLevel__Default: "Warning", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => logs.push(String(d)));
  child.stderr.on("data", (d) => logs.push(String(d)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`sample exited:\n${logs.join("")}`);
    try { if ((await fetch(`${url}/health`)).ok) break; } catch {}
    if (i > 400) throw new Error(`sample did not start:\n${logs.join("")}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

const call = (sample, route, token) =>
  fetch(`${sample.url}${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("a JwtBearer service validates our server's JWTs against /jwks", () => {
  let server, sample;
  before(async () => {
    server = await startOurs({ env: { Plugins__Jwt__Enabled: "true", Plugins__Jwt__Jwks__KeyPairConfig__Alg: "ES256" } });
    sample = await startSample(server.baseURL);
  });
  after(async () => {
    await sample?.stop();
    await server?.stop();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  test("a token from /token (and from set-auth-jwt) is accepted and says who the caller is", async () => {
    const jar = new CookieJar(server.baseURL);
    const client = createAuthClient({ baseURL: server.baseURL, plugins: [jwtClient()], fetchOptions: { customFetchImpl: jar.fetch } });
    const address = `sample-${Date.now()}@jwt.test`;
    const { data: signUp } = await client.signUp.email({ email: address, password: "sample-password-1", name: "Sample User" });
    const { data } = await client.token();
    const me = await call(sample, "/me", data.token);
    assert.equal(me.status, 200);
    assert.deepEqual(await me.json(), { sub: signUp.user.id, email: address, name: "Sample User", role: "user" });

    await client.getSession();
    const fromHeader = jar.lastHeaders.get("set-auth-jwt");
    assert.equal((await call(sample, "/me", fromHeader)).status, 200);
    assert.equal((await call(sample, "/admin", fromHeader)).status, 403, "the token's role claim is not admin");
  });

  test("no token, a forged token, or one for another audience is refused", async () => {
    assert.equal((await call(sample, "/me")).status, 401);
    const jar = new CookieJar(server.baseURL);
    const client = createAuthClient({ baseURL: server.baseURL, plugins: [jwtClient()], fetchOptions: { customFetchImpl: jar.fetch } });
    await client.signUp.email({ email: `forged-${Date.now()}@jwt.test`, password: "sample-password-1", name: "Forged" });
    const token = (await client.token()).data.token;
    const [h, p, s] = token.split(".");
    const claims = JSON.parse(Buffer.from(p, "base64url"));
    const withRole = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: "admin" })).toString("base64url")}.${s}`;
    assert.equal((await call(sample, "/admin", withRole)).status, 401);

    // Our keys, but another issuer and audience: the token is not meant for that service.
    const other = await startSample("https://another-issuer.example", { Auth__JwksUrl: `${server.apiURL}/jwks` });
    try {
      assert.equal((await call(other, "/me", token)).status, 401);
    } finally {
      await other.stop();
    }
  });
});
