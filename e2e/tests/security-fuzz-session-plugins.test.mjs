// The bad-input fuzz of security-fuzz.test.mjs (same corpus, same judge) on the magic-link, multi-session and
// one-time-token operations, signed out and signed in, plus forged and malformed device-session cookies: no answer
// may be a 5xx, every error body must be Better Auth's {code?, message}, and the server must still serve afterwards.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { startOurs } from "../lib/servers.mjs";
import { casesFor } from "../security/corpus.mjs";
import { judgeAnswer, runCases } from "../security/fuzz-client.mjs";
import { setUpIdentities } from "../security/identities.mjs";

const SEED = Number(process.env.FUZZ_SEED ?? 20250627);
const DEPTH = { wrongTypes: 17, oddStrings: 8, extras: 9, queryValues: 17 };
const MULTI = "better-auth.session_token_multi-";

const OPERATIONS = [
  { method: "POST", path: "/sign-in/magic-link", body: [{ name: "email", required: true }, { name: "name", required: false }, { name: "callbackURL", required: false }] },
  { method: "GET", path: "/magic-link/verify", body: [] },
  { method: "GET", path: "/multi-session/list-device-sessions", body: [] },
  { method: "POST", path: "/multi-session/set-active", body: [{ name: "sessionToken", required: true }] },
  { method: "POST", path: "/multi-session/revoke", body: [{ name: "sessionToken", required: true }] },
  { method: "GET", path: "/one-time-token/generate", body: [] },
  { method: "POST", path: "/one-time-token/verify", body: [{ name: "token", required: true }] },
];

/** Device-session cookies a browser should never hold: unsigned, badly signed, undecodable, oversized, very many. */
function deviceCookieCases(op, sessionCookie) {
  const body = op.method === "GET" ? {} : { body: new TextEncoder().encode('{"sessionToken":"fuzz-token"}'), contentType: "application/json" };
  const many = Array.from({ length: 300 }, (_, i) => `${MULTI}m${i}=t${i}.${"A".repeat(43)}%3D`).join("; ");
  const values = ["x", "abc.def", `abc.${"A".repeat(43)}%3D`, "%E0%A4%A", "%", `${"a".repeat(32)}.%ZZ`, "x".repeat(4000), '"quoted"', ".", "a.b.c.d"];
  return [
    ...values.map((v, i) => ({ label: `device cookie ${v.slice(0, 12)}`, headers: { cookie: `${sessionCookie ?? ""}; ${MULTI}fuzz${i}=${v}` }, replaceCookie: true, ...body })),
    { label: "device cookie with an empty name suffix", headers: { cookie: `${sessionCookie ?? ""}; ${MULTI}=abc` }, replaceCookie: true, ...body },
    { label: "300 device cookies", headers: { cookie: `${sessionCookie ?? ""}; ${many}` }, replaceCookie: true, ...body },
  ].map((c) => ({ method: op.method, path: op.path, query: "", ...c }));
}

let server;
let identities;
let context;

before(async () => {
  server = await startOurs({ env: { Plugins__MultiSession__Enabled: "true", Plugins__OneTimeToken__Enabled: "true" } });
  ({ identities, context } = await setUpIdentities(server));
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
});

test("the session plugins' operations answer bad input without a server error and in Better Auth's error shape", async () => {
  const problems = [];
  let requests = 0;
  for (const identity of identities.slice(0, 2)) {
    for (const [index, op] of OPERATIONS.entries()) {
      const cases = [...casesFor(op, { context, depth: DEPTH, seed: SEED + index }), ...deviceCookieCases(op, identity.headers.cookie)];
      await runCases(server.apiURL, cases, identity, 4, (fuzzCase, answer) => {
        requests += 1;
        const problem = judgeAnswer(fuzzCase, answer);
        if (problem) problems.push(`${identity.name} ${fuzzCase.method} ${fuzzCase.path} [${fuzzCase.label}]: ${problem} ${(answer.text ?? "").slice(0, 120)}`);
      });
    }
  }
  console.log(`fuzz: ${requests} requests to ${OPERATIONS.length} operations`);
  assert.deepEqual(problems.slice(0, 30), [], `${problems.length} answers out of shape`);
  assert.ok(requests > 1000, `the corpus reached ${requests} requests`);
  const ok = await fetch(`${server.apiURL}/ok`);
  assert.equal(ok.status, 200);
  assert.doesNotMatch(server.logs(), /Unhandled error/, "the server logged no unhandled exception");
});
