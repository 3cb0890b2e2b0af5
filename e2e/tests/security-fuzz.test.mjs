// Bad-input fuzz: a seeded corpus (e2e/security/corpus.mjs) of malformed and truncated JSON, wrong types, nulls,
// huge strings and oversized bodies, unicode edge cases and invalid UTF-8, duplicate and extra keys, other content
// types, odd query strings and path parameters, and hostile headers, sent to all 80 operations of the spec as four
// callers (signed out, user, admin, organization owner) against the real server process. No answer may be a 5xx,
// every error body must be Better Auth's {code?, message}, and the server must still serve afterwards.
// FUZZ_SEED=<n> runs (and replays) another corpus; FUZZ_VERBOSE=1 prints the time spent per caller and operation.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { startOurs } from "../lib/servers.mjs";
import { loadSpecOperations, operationKey } from "../lib/spec.mjs";
import { casesFor } from "../security/corpus.mjs";
import { seededRandom } from "../security/random.mjs";
import { judgeAnswer, runCases } from "../security/fuzz-client.mjs";
import { IDENTITY_PASSWORD, restoreIdentity, setUpIdentities } from "../security/identities.mjs";

const SEED = Number(process.env.FUZZ_SEED ?? 20250627);
const PARALLEL = 4;
/** Values sampled per field in the signed-out pass, which goes wide. */
const DEPTH = { wrongTypes: 17, oddStrings: 8, extras: 9, queryValues: 12 };
/**
 * Cases sampled per operation in each signed-in pass (from the same kind of corpus). Sign-in and password checks
 * spend a real scrypt hash per well-formed case, so the full corpus four times over would not fit in 90 s.
 */
const SIGNED_IN_SAMPLE = 30;
/** Operations that can end the caller's session, organization or account: fuzzed after all the others. */
const LAST = ["/organization/leave", "/organization/delete", "/admin/remove-user", "/revoke-sessions", "/sign-out", "/delete-user"];

let server;
let identities;
let context;

before(async () => {
  server = await startOurs();
  ({ identities, context } = await setUpIdentities(server));
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
});

function orderedOperations() {
  const rank = (op) => LAST.indexOf(op.path);
  return loadSpecOperations().sort((a, b) => rank(a) - rank(b));
}

/** A 32-bit seed per (run seed, caller, operation), so each pass samples its own values, reproducibly. */
function seedFor(...parts) {
  let h = 2166136261;
  for (const ch of parts.join("|")) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

test("every operation answers bad input without a server error and in Better Auth's error shape", async () => {
  const operations = orderedOperations();
  assert.equal(new Set(operations.map(operationKey)).size, 80, "the spec's 80 operations");
  const started = Date.now();
  const problems = [];
  let requests = 0;
  let serverErrors = 0;

  for (const identity of identities) {
    for (const op of operations) {
      const opStarted = Date.now();
      const seed = seedFor(SEED, identity.name, operationKey(op));
      const all = casesFor(op, { context, depth: DEPTH, seed });
      const cases = identity.email ? seededRandom(seed).sample(all, SIGNED_IN_SAMPLE) : all;
      await runCases(server.apiURL, cases, identity, PARALLEL, (fuzzCase, answer) => {
        requests += 1;
        if (answer.status >= 500) serverErrors += 1;
        const problem = judgeAnswer(fuzzCase, answer);
        if (problem) problems.push(`${identity.name} ${fuzzCase.method} ${fuzzCase.path.slice(0, 60)} [${fuzzCase.label}]: ${problem} ${(answer.text ?? "").slice(0, 120)}`);
      });
      if (process.env.FUZZ_VERBOSE) console.log(`${identity.name} ${operationKey(op)}: ${cases.length} cases, ${Date.now() - opStarted} ms`);
      // A well-formed sign-out, revoke or delete ends the caller's session; sign in again for the next operation.
      if (!(await restoreIdentity(server, identity, context))) break;
    }
  }

  console.log(`fuzz: ${requests} requests to ${operations.length} operations, ${serverErrors} server errors`);
  console.log(`fuzz: ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${SEED}`);
  assert.deepEqual(problems.slice(0, 30), [], `${problems.length} answers out of shape`);
  assert.equal(serverErrors, 0);
  assert.ok(requests > 10_000, `the corpus reached ${requests} requests`);
});

test("the server still serves after the fuzz", async () => {
  const ok = await fetch(`${server.apiURL}/ok`);
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { ok: true });
  const signIn = await fetch(`${server.apiURL}/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "owner@fuzz.test", password: IDENTITY_PASSWORD }),
  });
  assert.ok([200, 401].includes(signIn.status), `sign-in answered ${signIn.status}`);
  const session = await fetch(`${server.apiURL}/get-session`, { headers: { cookie: signIn.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") } });
  assert.equal(session.status, 200);
  assert.doesNotMatch(server.logs(), /Unhandled error/, "the server logged no unhandled exception");
});
