// The standalone server as its container image runs it, without a container engine: scripts/container.sh publishes it
// with the Dockerfile's command and starts the image's ENTRYPOINT with the image's user (uid 1654), environment and
// working directory, the root filesystem read-only and only the /data volume writable. Bound in each way an operator
// binds it (ASPNETCORE_HTTP_PORTS as the image does, ASPNETCORE_URLS, Kestrel endpoints from configuration, with and
// without a certificate, HOST/PORT), it must answer /health/live and /health/ready, pass the image's HEALTHCHECK
// command, and serve the official client's sign-up and sign-in. Without BETTER_AUTH_SECRET it must refuse to start.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { createAuthClient } from "better-auth/client";
import { freePort, repoRoot, tempDir } from "../lib/servers.mjs";
import { CookieJar } from "../lib/cookie-jar.mjs";

const script = path.join(repoRoot, "scripts/container.sh");
const SECRET = "container-test-secret-0123456789abcdef0123456789";
const IMAGE_UID = 1654;
const asRoot = process.getuid?.() === 0;
let dir;
let app;

before(() => {
  dir = tempDir("ba-container-");
  fs.chmodSync(dir, 0o755); // the image's user must reach the app and data folders inside it
  app = path.join(dir, "app");
  const publish = spawnSync("bash", [script, "publish", app, "--no-build"], { encoding: "utf8", timeout: 600_000 });
  assert.equal(publish.status, 0, `publish failed:\n${publish.stdout}\n${publish.stderr}`);
});

after(() => {
  if (!dir) return;
  spawnSync("chmod", ["-R", "u+w", dir]); // without root, container.sh made the app folder read-only
  fs.rmSync(dir, { recursive: true, force: true });
});

/** GET over http or https (trusting the test's own certificate); resolves {status, text}. */
function get(url, ca) {
  if (url.startsWith("http:")) return fetch(url).then(async (r) => ({ status: r.status, text: await r.text() }));
  return new Promise((resolve, reject) => {
    https.get(url, { ca }, (res) => {
      let text = "";
      res.on("data", (d) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode, text }));
    }).on("error", reject);
  });
}

/** Starts the image's entrypoint with the given environment (what `docker run -e` adds) on a data volume of its own. */
async function startImage(env, { url, ca, data } = {}) {
  data ??= fs.mkdtempSync(path.join(dir, "data-"));
  fs.chmodSync(data, 0o755);
  const args = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const child = spawn("bash", [script, "run", app, data, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  const logs = [];
  child.stdout.on("data", (d) => logs.push(d.toString()));
  child.stderr.on("data", (d) => logs.push(d.toString()));
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  const server = {
    child, data, url, env, logs: () => logs.join(""), exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  if (!url) return server;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${server.logs()}`);
    try {
      if ((await get(`${url}/health/live`, ca)).status === 200) return server;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  await server.stop();
  throw new Error(`server did not answer at ${url}:\n${server.logs()}`);
}

/** The image's HEALTHCHECK command, run as the image runs it, with the server's environment; its exit code. */
function healthcheck(server) {
  const args = Object.entries(server.env).map(([k, v]) => `${k}=${v}`);
  const r = spawnSync("bash", [script, "healthcheck", app, server.data, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, output: r.stdout + r.stderr };
}

/** What the running process is: its user, and how / and the data volume are mounted for it. */
function processFacts(server) {
  const status = fs.readFileSync(`/proc/${server.child.pid}/status`, "utf8");
  const uid = Number(/^Uid:\s+(\d+)/m.exec(status)[1]);
  const mounts = fs.readFileSync(`/proc/${server.child.pid}/mountinfo`, "utf8").split("\n").map((l) => l.split(" "));
  const options = (mountPoint) => mounts.filter((m) => m[4] === mountPoint).at(-1)?.[5] ?? "";
  return { uid, root: options("/"), data: options(server.data) };
}

/** The official client's flow: sign up, then sign in from another browser, then read the session. */
async function officialClientSignIn(baseURL) {
  const email = `container-${Date.now()}@example.com`;
  const first = new CookieJar(baseURL);
  const signUp = await createAuthClient({ baseURL, fetchOptions: { customFetchImpl: first.fetch } })
    .signUp.email({ email, password: "container-password-1", name: "Container" });
  assert.equal(signUp.error, null, JSON.stringify(signUp.error));
  const jar = new CookieJar(baseURL);
  const client = createAuthClient({ baseURL, fetchOptions: { customFetchImpl: jar.fetch } });
  const signIn = await client.signIn.email({ email, password: "container-password-1" });
  assert.equal(signIn.error, null, JSON.stringify(signIn.error));
  const session = await client.getSession();
  assert.equal(session.data?.user.email, email);
  return signIn.data.user.id;
}

/** Everything a bound server must show; stops it at the end and checks the health command then fails. */
async function checkServer(server, { ca, client = true } = {}) {
  try {
    assert.equal((await get(`${server.url}/health/live`, ca)).status, 200);
    const ready = await get(`${server.url}/health/ready`, ca);
    assert.equal(ready.status, 200, ready.text);
    assert.deepEqual(JSON.parse(ready.text), { status: "Healthy", checks: { "better_auth.database": "Healthy" } });
    const probe = healthcheck(server);
    assert.equal(probe.code, 0, probe.output);
    assert.match(probe.output, new RegExp(`${server.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/health/ready: 200`));

    if (asRoot) {
      const facts = processFacts(server);
      assert.equal(facts.uid, IMAGE_UID, "the image's user");
      assert.match(facts.root, /(^|,)ro(,|$)/, `/ must be read-only: ${facts.root}`);
      assert.match(facts.data, /(^|,)rw(,|$)/, `the data volume must be writable: ${facts.data}`);
    } else {
      assert.match(server.logs(), /not root/);
    }
    if (client) await officialClientSignIn(server.url);
    // The database is on the volume, written by the image's user.
    const db = fs.statSync(path.join(server.data, "better-auth.db"));
    if (asRoot) assert.equal(db.uid, IMAGE_UID);
    // The JSON console logs of the image: one object per line, with event ids.
    const lines = server.logs().split("\n").filter((l) => l.startsWith("{"));
    assert.ok(lines.length > 0, server.logs());
    assert.ok(lines.map((l) => JSON.parse(l)).some((l) => l.EventId === 1004 && l.Category.startsWith("BetterAuth")));
  } finally {
    await server.stop();
  }
  assert.equal(healthcheck(server).code, 1, "the health command fails once the server is gone");
}

describe("the container image's entrypoint", () => {
  test("refuses to start without BETTER_AUTH_SECRET (the image holds no secret)", async () => {
    const port = await freePort();
    const server = await startImage({ ASPNETCORE_HTTP_PORTS: port });
    const code = await server.exited;
    assert.notEqual(code, 0);
    assert.match(server.logs(), /BETTER_AUTH_SECRET is not set/);
  });

  test("ASPNETCORE_HTTP_PORTS (the image's own binding, on every interface)", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await checkServer(await startImage({ BETTER_AUTH_SECRET: SECRET, BETTER_AUTH_URL: url, ASPNETCORE_HTTP_PORTS: port }, { url }));
  });

  test("ASPNETCORE_URLS wins over the image's ASPNETCORE_HTTP_PORTS", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await checkServer(await startImage({ BETTER_AUTH_SECRET: SECRET, ASPNETCORE_URLS: url }, { url }));
  });

  test("a Kestrel endpoint from configuration wins over both", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await checkServer(await startImage({ BETTER_AUTH_SECRET: SECRET, ASPNETCORE_URLS: "http://127.0.0.1:1", Kestrel__Endpoints__Main__Url: url }, { url }));
  });

  test("a Kestrel HTTPS endpoint with its certificate from configuration (on the volume)", async () => {
    const port = await freePort();
    const url = `https://127.0.0.1:${port}`;
    const data = fs.mkdtempSync(path.join(dir, "data-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", path.join(data, "key.pem"), "-out", path.join(data, "cert.pem")], { stdio: "ignore" });
    const ca = fs.readFileSync(path.join(data, "cert.pem"));
    const server = await startImage({
      BETTER_AUTH_SECRET: SECRET,
      Kestrel__Endpoints__Https__Url: url,
      Kestrel__Endpoints__Https__Certificate__Path: "/data/cert.pem",
      Kestrel__Endpoints__Https__Certificate__KeyPath: "/data/key.pem",
    }, { url, ca, data });
    // Node's fetch cannot be given a certificate authority here: the client flow runs over HTTP in the other tests.
    await checkServer(server, { ca, client: false });
  });

  test("HOST/PORT win over the image's binding", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await checkServer(await startImage({ BETTER_AUTH_SECRET: SECRET, HOST: "0.0.0.0", PORT: port }, { url }));
  });

  test("exports traces, metrics and logs over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, with no email, password or token in them", async () => {
    // An OTLP/HTTP collector: keeps each export's raw protobuf body (names and string attributes are plain UTF-8 in it).
    const received = { "/v1/traces": [], "/v1/metrics": [], "/v1/logs": [] };
    const sink = http.createServer((req, res) => {
      const chunks = [];
      req.on("data", (d) => chunks.push(d));
      req.on("end", () => {
        (received[req.url] ??= []).push(Buffer.concat(chunks));
        res.writeHead(200, { "content-type": "application/x-protobuf" });
        res.end();
      });
    });
    const sinkPort = await freePort();
    await new Promise((r) => sink.listen(sinkPort, "127.0.0.1", r));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await startImage({
      BETTER_AUTH_SECRET: SECRET, ASPNETCORE_HTTP_PORTS: port, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf", OTEL_SERVICE_NAME: "auth-under-test", OTEL_METRIC_EXPORT_INTERVAL: "500",
      OTEL_BSP_SCHEDULE_DELAY: "200", OTEL_BLRP_SCHEDULE_DELAY: "200",
    }, { url });
    const email = `otlp-${Date.now()}@example.com`;
    const password = "otlp-password-12345";
    const secrets = [email, password];
    try {
      const jar = new CookieJar(url);
      const client = createAuthClient({ baseURL: url, fetchOptions: { customFetchImpl: jar.fetch } });
      assert.equal((await client.signUp.email({ email, password, name: "Otlp" })).error, null);
      const signIn = await client.signIn.email({ email, password });
      assert.equal(signIn.error, null);
      secrets.push(signIn.data.token);
      assert.equal((await client.signIn.email({ email, password: "wrong-password-123" })).error?.status, 401);
      const text = (path) => Buffer.concat(received[path]).toString("latin1");
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !(text("/v1/traces").includes("better_auth.signInEmail") &&
        text("/v1/metrics").includes("better_auth.sign_in.attempts") && text("/v1/logs").includes("Sign-in failed"))) {
        await new Promise((r) => setTimeout(r, 250));
      }
      const traces = text("/v1/traces");
      for (const expected of ["auth-under-test", "better_auth.signInEmail", "better_auth.signUpWithEmailAndPassword", "/api/auth/sign-in/email", "INVALID_EMAIL_OR_PASSWORD", "SELECT user"])
        assert.ok(traces.includes(expected), `traces lack ${expected}`);
      for (const expected of ["better_auth.sign_in.attempts", "better_auth.operation.duration", "http.server.request.duration"])
        assert.ok(text("/v1/metrics").includes(expected), `metrics lack ${expected}`);
      assert.ok(text("/v1/logs").includes("BetterAuth.Security"), "the security event is exported");
    } finally {
      await server.stop();
      sink.close();
    }
    for (const [path, bodies] of Object.entries(received)) {
      const all = Buffer.concat(bodies).toString("latin1");
      for (const secret of secrets) assert.ok(!all.includes(secret), `${path} contains ${secret.slice(0, 4)}…`);
    }
  });
});
