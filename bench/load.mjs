// Load-generation helpers shared by the benchmark runs: wrk invocations, peak RSS, seeding, medians.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "../e2e/lib/servers.mjs";

export const quick = process.argv.includes("--quick");
export const DURATION = quick ? 4 : 8; // seconds per run
export const REPEATS = quick ? 1 : 3;
export const CONCURRENCY = [16, 64];
export const PASSWORD = "bench-password-123";
const WRK_DIR = path.join(repoRoot, "bench/wrk");

const wrkArgs = (url, script, connections, duration) =>
  ["-t1", `-c${connections}`, `-d${duration}s`, "--timeout", "30s", "-s", path.join(WRK_DIR, script), url];

const parseReport = (out) => {
  const line = out.split("\n").find((l) => l.startsWith("BENCH "));
  if (!line) throw new Error(`wrk gave no report:\n${out}`);
  return JSON.parse(line.slice(6));
};

export function wrk(url, script, connections, env = {}, duration = DURATION) {
  return parseReport(execFileSync("wrk", wrkArgs(url, script, connections, duration), {
    env: { ...process.env, WRK_DIR, ...env },
    encoding: "utf8",
    maxBuffer: 1 << 20,
  }));
}

export function wrkAsync(url, script, connections, env = {}, duration = DURATION) {
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", wrkArgs(url, script, connections, duration), { env: { ...process.env, WRK_DIR, ...env } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("exit", () => { try { resolve(parseReport(out)); } catch (e) { reject(e); } });
  });
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Peak RSS (MiB) of a process since the last reset; resetting uses /proc/<pid>/clear_refs. */
export function resetPeak(pid) { try { fs.writeFileSync(`/proc/${pid}/clear_refs`, "5"); } catch {} }
export function peakRss(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** The pid listening on a loopback port (the server process itself, not the shell or npm that started it). */
export const pidOf = (port) =>
  Number(execFileSync("bash", ["-c", `ss -ltnpH 'sport = :${port}' | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2`], { encoding: "utf8" }).trim());

export async function signUp(server, email) {
  const res = await fetch(`${server.apiURL}/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: server.baseURL },
    body: JSON.stringify({ name: "Bench User", email, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-up failed ${res.status} ${await res.text()}`);
  return res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

/** Makes the bench user a member (owner) of `count` organizations; returns the last one's id. */
export async function seedOrganizations(server, cookie, count) {
  let id;
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${server.apiURL}/organization/create`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.baseURL, cookie },
      body: JSON.stringify({ name: `Bench Org ${i}`, slug: `bench-org-${Date.now()}-${i}` }),
    });
    if (!res.ok) throw new Error(`organization/create failed ${res.status} ${await res.text()}`);
    id = (await res.json()).id;
  }
  return id;
}

function summarise(runs, rss) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    non2xx: runs.reduce((a, r) => a + r.non2xx + r.socketErrors, 0),
    rss,
  };
}

/**
 * Runs one benchmark REPEATS times against one server process and keeps the median of each figure. `beforeRun(runId,
 * parts)`, when given, prepares each run (e.g. seeds the rows it consumes) before the clock starts.
 */
export function measure(pid, url, script, connections, env, beforeRun) {
  const runs = [];
  let rss = 0;
  for (let i = 0; i < REPEATS; i++) {
    const runId = `${Date.now()}-${i}`;
    beforeRun?.(runId, 1);
    resetPeak(pid);
    runs.push(wrk(url, script, connections, { ...env, RUN_ID: runId, RUN_PART: "0" }));
    rss = Math.max(rss, peakRss(pid));
  }
  return summarise(runs, rss);
}

/**
 * The same against several instances at once, as behind a load balancer: one wrk per instance with an equal share
 * of the connections. Requests/s are summed; p50/p99 are the worst instance's; peak RSS is the instances' sum.
 * `env` may be a function of the instance's server (e.g. the Origin header each instance accepts).
 */
export async function measureSpread(targets, path, script, connections, env, beforeRun) {
  const runs = [];
  let rss = 0;
  for (let i = 0; i < REPEATS; i++) {
    const runId = `${Date.now()}-${i}`;
    beforeRun?.(runId, targets.length);
    for (const t of targets) resetPeak(t.pid);
    const parts = await Promise.all(targets.map((t, k) =>
      wrkAsync(`${t.server.apiURL}${path}`, script, Math.max(1, Math.round(connections / targets.length)),
        { ...(typeof env === "function" ? env(t.server) : env), RUN_ID: runId, RUN_PART: String(k) })));
    runs.push({
      rps: parts.reduce((a, p) => a + p.rps, 0),
      p50: Math.max(...parts.map((p) => p.p50)),
      p99: Math.max(...parts.map((p) => p.p99)),
      non2xx: parts.reduce((a, p) => a + p.non2xx, 0),
      socketErrors: parts.reduce((a, p) => a + p.socketErrors, 0),
    });
    rss = Math.max(rss, targets.reduce((a, t) => a + peakRss(t.pid), 0));
  }
  return summarise(runs, rss);
}

export function fmt(n, digits = 0) {
  return Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "n/a";
}
