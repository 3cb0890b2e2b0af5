// Starts our server and the reference Better Auth as child processes on free loopback ports,
// each with its own SQLite file and outbox, for end-to-end, compatibility and conformance tests.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const referenceDir = process.env.REFERENCE_DIR ?? path.resolve(repoRoot, "../shared/reference");
export const TEST_SECRET = "e2e-test-secret-0123456789abcdef0123456789abcdef";

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function tempDir(prefix = "ba-e2e-") {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The built standalone server (for running its commands: `dotnet <dll> migrate`, `rotate-secrets`...). */
export function serverDll() {
  if (process.env.BETTER_AUTH_SERVER_DLL) return process.env.BETTER_AUTH_SERVER_DLL;
  for (const config of ["Release", "Debug"]) {
    const dll = path.join(repoRoot, "src/BetterAuth.Server/bin", config, "net10.0/BetterAuth.Server.dll");
    if (fs.existsSync(dll)) return dll;
  }
  throw new Error("BetterAuth.Server.dll not found: run `dotnet build -c Release` first");
}

async function waitFor(url, child, logs, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${logs.join("")}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`server at ${url} did not start in time:\n${logs.join("")}`);
}

function handle(child, port, dir, dbPath, outbox, logs) {
  const baseURL = `http://127.0.0.1:${port}`;
  return {
    port,
    dir,
    dbPath,
    outbox,
    baseURL,
    apiURL: `${baseURL}/api/auth`,
    logs: () => logs.join(""),
    /** The newest outbox entry of a kind for an address (or any address). */
    lastMessage(kind, to) {
      if (!fs.existsSync(outbox)) return undefined;
      const entries = fs.readFileSync(outbox, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
      return entries.reverse().find((e) => e.kind === kind && (to === undefined || e.to === to));
    },
    /** Ends the process at once with SIGKILL, as a crash or the OOM killer would: no shutdown, no flush. */
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
    },
    /** Sends SIGTERM and waits, however long it takes, for the exit: { code, signal, ms } (ms from the signal to the exit). */
    async terminate() {
      const started = Date.now();
      const exited = new Promise((r) => child.once("exit", (code, signal) => r({ code, signal, ms: Date.now() - started })));
      child.kill("SIGTERM");
      return exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The child's output: the last 400 chunks, or all of it with keepAllLogs (for suites that scan the whole log). */
function collect(child, keepAllLogs = false) {
  const logs = [];
  const push = (d) => { logs.push(d.toString()); if (!keepAllLogs && logs.length > 400) logs.shift(); };
  child.stdout.on("data", push);
  child.stderr.on("data", push);
  return logs;
}

/** Our standalone server (the built BetterAuth.Server.dll). Options: port, dir, dbPath, outbox, env, keepAllLogs. */
export async function startOurs(options = {}) {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? tempDir("ba-ours-");
  fs.mkdirSync(dir, { recursive: true });
  const dbPath = options.dbPath ?? path.join(dir, "ours.sqlite");
  const outbox = options.outbox ?? path.join(dir, "outbox.jsonl");
  const child = spawn("dotnet", [serverDll()], {
    cwd: dir,
    env: {
      ...process.env,
      ASPNETCORE_ENVIRONMENT: "Development",
      PORT: String(port),
      DATABASE_URL: dbPath,
      BETTER_AUTH_OUTBOX: outbox,
      BETTER_AUTH_SECRET: TEST_SECRET,
      BETTER_AUTH_RATE_LIMIT: "0",
      Logging__LogLevel__Default: "Warning",
      // scripts/test.sh measures which operations the suites reach (e2e/coverage.mjs).
      ...(process.env.BETTER_AUTH_COVERAGE_DIR ? { BETTER_AUTH_OPERATION_LOG_DIR: process.env.BETTER_AUTH_COVERAGE_DIR } : {}),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs = collect(child, options.keepAllLogs);
  await waitFor(`http://127.0.0.1:${port}/api/auth/ok`, child, logs);
  const server = handle(child, port, dir, dbPath, outbox, logs);
  /** A new process on the same directory, database, outbox and env (on a new port unless options.port was given). */
  server.restart = () => startOurs({ ...options, dir, dbPath, outbox });
  return server;
}

/** The reference Better Auth 1.2.12 (../shared/reference/run.sh). Options: port, dir, dbPath, outbox, env. */
export async function startReference(options = {}) {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? tempDir("ba-ref-");
  fs.mkdirSync(dir, { recursive: true });
  const dbPath = options.dbPath ?? path.join(dir, "ref.sqlite");
  const outbox = options.outbox ?? path.join(dir, "outbox.jsonl");
  const child = spawn("bash", [path.join(referenceDir, "run.sh")], {
    cwd: dir,
    env: {
      ...process.env,
      PORT: String(port),
      REF_DB: dbPath,
      REF_OUTBOX: outbox,
      BETTER_AUTH_SECRET: TEST_SECRET,
      REF_RATE_LIMIT: "0",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs = collect(child);
  await waitFor(`http://127.0.0.1:${port}/health`, child, logs, 300_000);
  return handle(child, port, dir, dbPath, outbox, logs);
}
