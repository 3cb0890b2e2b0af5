// Differential conformance of the jwt and apiKey plugins: the reference started with REF_EXTRA_PLUGINS=jwt,apiKey and
// ours with the two plugins on, the key scenario groups against each, compared step by step. A run of its own, so the
// base run keeps its configuration (these plugins change get-session's answers).
// Needs `dotnet build -c Release` first. Run: cd e2e && node --test --test-concurrency=1 ./tests/conformance-keys.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { Normaliser } from "../conformance/normalise.mjs";
import { compare } from "../conformance/compare.mjs";
import { startServers, runConformance } from "../conformance/run.mjs";
import { keyGroups } from "../conformance/scenarios/keys.mjs";

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");

test("normaliser: JWTs by their claims, API keys by relation, rate-limit waits to the minute (no servers)", () => {
  const n = new Normaliser({ runId: "run1", baseURL: "http://127.0.0.1:9" });
  const userId = "u".repeat(32);
  const kid = "k".repeat(32);
  n.value({ user: { id: userId } });
  const jwt = `${b64({ alg: "EdDSA", kid })}.${b64({ id: userId, iat: 1000, iss: "http://127.0.0.1:9", exp: 1900, sub: userId })}.sig`;
  const token = n.value({ token: jwt }).token;
  assert.equal(token, 'jwt:{"header":{"alg":"EdDSA","kid":"<id:2>"},"claims":{"id":"<id:1>","iss":"<base>","sub":"<id:1>","iat":"<iat>","exp":"<iat+900s>"}}');
  assert.equal(n.value({ keys: [{ kid, x: "x".repeat(43) }] }).keys[0].kid, "<id:2>", "the JWKS kid pairs with the token's");

  const key = "my_" + "K".repeat(64);
  assert.deepEqual(n.value({ key, start: key.slice(0, 6) }), { key: "<token:2>", start: "<token:2>[0:6]" });
  assert.equal(n.value({ start: "zzzzzz" }).start, "zzzzzz", "a start that begins no known key stays as it is");
  assert.deepEqual(n.value({ details: { tryAgainIn: 86_399_879 } }), { details: { tryAgainIn: "<~1440m>" } });
});

test("comparer: recorded headers are compared", () => {
  const rec = (value) => ({ key: "jwt/s", group: "jwt", step: "s", request: "GET /get-session", status: 200, body: null, cookies: {}, headers: { "set-auth-jwt": value } });
  assert.equal(compare([rec("jwt:{}")], [rec("jwt:{}")]).ok, true);
  assert.equal(compare([rec("jwt:{}")], [rec("<absent>")]).ok, false);
});

test("differential conformance, jwt and apiKey plugins: the reference and our server agree", { timeout: 600_000 }, async () => {
  const servers = await startServers({
    referenceEnv: { REF_EXTRA_PLUGINS: "jwt,apiKey" },
    oursEnv: { Plugins__Jwt__Enabled: "true", Plugins__ApiKey__Enabled: "true" },
  });
  try {
    const { result, text } = await runConformance(servers, { groups: keyGroups });
    console.log(text);
    assert.ok(result.ok, `${result.total - result.agree} step(s) disagree (see the report above)`);
  } finally {
    await servers.stop();
  }
});
