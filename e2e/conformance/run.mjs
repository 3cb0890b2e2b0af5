// The differential run: both servers on free loopback ports with fresh databases, the same scenarios against
// each, then the comparison. `node conformance/run.mjs [--verbose] [--json out.json] [--extra <run>]` runs it
// standalone; `--extra passkey` runs one of the extra-plugin runs of extra-runs.mjs instead of the base run.
import fs from "node:fs";
import { startOurs, startReference } from "../lib/servers.mjs";
import { record } from "./recorder.mjs";
import { compare, report } from "./compare.mjs";
import { groups as baseGroups } from "./scenarios/index.mjs";
import { extraRuns } from "./extra-runs.mjs";
import allowlist from "./allowlist.mjs";

// The reference takes the client IP only from X-Forwarded-For; REF_SOCKET_IP=1 makes it use the socket address,
// as ours does, so session rows carry the same ipAddress on both sides.
const REFERENCE_ENV = { REF_SOCKET_IP: "1" };
// The reference's appName ("Better Auth Reference", server.mjs) shows in answers, e.g. as the two-factor TOTP issuer.
// Its google provider has dummy credentials (server.mjs); ours gets the same, so authorization URLs can be compared.
const OURS_ENV = {
  BetterAuth__AppName: "Better Auth Reference",
  GOOGLE_CLIENT_ID: "reference-dummy-client-id",
  GOOGLE_CLIENT_SECRET: "reference-dummy-client-secret",
};

/**
 * Started one after the other, and each checked to be the process that actually bound its port: a free port can
 * be taken by another test run's server before ours binds it, and the readiness probes (/api/auth/ok, /health)
 * would then be answered by that stranger. A server that did not bind its own port is stopped and started again.
 */
async function startVerified(start, marker) {
  for (let attempt = 1; ; attempt++) {
    const server = await start();
    const deadline = Date.now() + 5000;
    while (!server.logs().includes(marker(server)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (server.logs().includes(marker(server))) return server;
    await server.stop();
    fs.rmSync(server.dir, { recursive: true, force: true });
    if (attempt === 3) throw new Error(`server did not bind its port:\n${server.logs()}`);
  }
}

/** Both servers; `referenceEnv` / `oursEnv` add to the base run's environment (an extra run's plugins). */
export async function startServers({ referenceEnv = {}, oursEnv = {} } = {}) {
  const ours = await startVerified(() => startOurs({ env: { ...OURS_ENV, ...oursEnv, "Logging__LogLevel__Microsoft.Hosting.Lifetime": "Information" } }),
    (s) => `Now listening on: ${s.baseURL}\n`);
  let reference;
  try {
    reference = await startVerified(() => startReference({ env: { ...REFERENCE_ENV, ...referenceEnv } }), (s) => `listening on ${s.apiURL} `);
  } catch (e) {
    await ours.stop();
    throw e;
  }
  const stop = async (server) => {
    await server.stop();
    fs.rmSync(server.dir, { recursive: true, force: true });
  };
  return { reference, ours, stop: () => Promise.all([stop(reference), stop(ours)]) };
}

/** Runs the scenario groups (the base run's by default) on both servers; returns the recordings, the comparison and the report. */
export async function runConformance({ reference, ours }, { verbose = false, groups: only = baseGroups } = {}) {
  const runId = `c${Date.now().toString(36)}`;
  const [refRecords, ourRecords] = await Promise.all([
    record("reference", reference, only, runId),
    record("ours", ours, only, runId),
  ]);
  const result = compare(refRecords, ourRecords, allowlist);
  let text = report(result, { allowlist, verbose });
  // A request that got no answer at all usually means the server died: show why, before the summary line.
  const logs = [["reference", refRecords, reference], ["ours", ourRecords, ours]]
    .filter(([, records]) => records.some((r) => r.error !== undefined))
    .map(([side, , server]) => `--- ${side} server log (a request got no answer) ---\n${server.logs().slice(-4000)}`);
  if (logs.length) text = [...logs, text].join("\n");
  return { refRecords, ourRecords, result, text };
}

/** Starts the servers for one extra-plugin run of extra-runs.mjs (the reference with those plugins on). */
export function startExtraServers(run) {
  return startServers({ referenceEnv: { REF_EXTRA_PLUGINS: run.referencePlugins.join(",") }, oursEnv: run.oursEnv ?? {} });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const extraName = process.argv.includes("--extra") ? process.argv[process.argv.indexOf("--extra") + 1] : undefined;
  const extra = extraName && extraRuns.find((r) => r.name === extraName);
  if (extraName && !extra) throw new Error(`no extra run named ${extraName} (extra-runs.mjs: ${extraRuns.map((r) => r.name).join(", ")})`);
  const servers = extra ? await startExtraServers(extra) : await startServers();
  try {
    const run = await runConformance(servers, { verbose: process.argv.includes("--verbose"), ...(extra && { groups: extra.groups }) });
    console.log(run.text);
    const out = process.argv[process.argv.indexOf("--json") + 1];
    if (process.argv.includes("--json") && out) fs.writeFileSync(out, JSON.stringify({ reference: run.refRecords, ours: run.ourRecords }, null, 2));
    process.exitCode = run.result.ok ? 0 : 1;
  } finally {
    await servers.stop();
  }
}
