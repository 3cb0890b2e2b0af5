// Differential conformance: the same scenarios against the reference Better Auth and our server, compared
// step by step (status, normalised JSON body, Set-Cookie). Fails on any difference not in conformance/allowlist.mjs.
// Needs `dotnet build -c Release` first; the reference's first start may take a minute or two (npm ci).
// Run: cd e2e && node --test --test-concurrency=1 ./tests/conformance.test.mjs
import { test, describe } from "node:test";
import assert from "node:assert/strict";
import { compare, report } from "../conformance/compare.mjs";
import { Normaliser, normaliseCookies } from "../conformance/normalise.mjs";
import { startServers, runConformance } from "../conformance/run.mjs";

/** A recorded exchange as the recorder writes it. */
const rec = (group, step, fields) => ({
  key: `${group}/${step}`, group, step, request: "POST /sign-up/email", status: 200, body: null, cookies: {}, ...fields,
});

const signUpOk = (token, id) => rec("sign-up", "sign-up ok", {
  body: { token, user: { id, email: "a-<run>@example.com", emailVerified: false } },
  cookies: { "better-auth.session_token": `${token}.<sig>; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax` },
});
const duplicate = (status) => rec("sign-up", "duplicate email", {
  status, body: { code: "USER_ALREADY_EXISTS", message: "User already exists" },
});

describe("comparer (no servers)", () => {
  test("identical recordings agree", () => {
    const reference = [signUpOk("<token:1>", "<id:1>"), duplicate(422)];
    const result = compare(reference, structuredClone(reference));
    assert.equal(result.ok, true);
    assert.match(report(result), /^sign-up: 2\/2 steps agree\n2\/2 steps agree$/);
  });

  test("a wrong status code in one recording is a disagreement", () => {
    const result = compare([signUpOk("<token:1>", "<id:1>"), duplicate(422)], [signUpOk("<token:1>", "<id:1>"), duplicate(400)]);
    assert.equal(result.ok, false);
    const text = report(result);
    assert.match(text, /✗ sign-up\/duplicate email/);
    assert.match(text, /status\s+reference: 422 {2}\| {2}ours: 400/);
    assert.match(text, /sign-up: 1\/2 steps agree\n1\/2 steps agree$/);
  });

  test("a missing cookie attribute, an extra key or a different array length is a disagreement", () => {
    const ours = signUpOk("<token:1>", "<id:1>");
    ours.cookies["better-auth.session_token"] = "<token:1>.<sig>; Path=/; HttpOnly; SameSite=Lax";
    ours.body.extra = true;
    assert.deepEqual(compare([signUpOk("<token:1>", "<id:1>")], [ours]).steps[0].differences.map((d) => d.field),
      ["body.extra", 'cookies["better-auth.session_token"]']);
    const list = (n) => rec("sessions", "list", { body: Array(n).fill({ token: "x" }) });
    assert.deepEqual(compare([list(2)], [list(3)]).steps[0].differences.map((d) => d.field), ["body.length"]);
  });

  test("placeholders match when paired consistently, not when the relation breaks", () => {
    const shifted = [signUpOk("<token:2>", "<id:1>")];
    assert.equal(compare([signUpOk("<token:1>", "<id:1>")], shifted).ok, true);
    // Ours reuses one token where the reference has two different ones: a broken relation.
    const again = (token) => rec("sign-up", "sign-in", { body: { token } });
    const r = compare([signUpOk("<token:1>", "<id:1>"), again("<token:2>")], [signUpOk("<token:1>", "<id:1>"), again("<token:1>")]);
    assert.equal(r.ok, false);
  });

  test("the allow-list excuses only the listed step and field", () => {
    const allow = [{ step: "sign-up/duplicate*", field: "status", reason: "test" }];
    assert.equal(compare([duplicate(422)], [duplicate(400)], allow).ok, true);
    const other = duplicate(400);
    other.body.message = "Something else";
    assert.equal(compare([duplicate(422)], [other], allow).ok, false);
  });

  test("an allow-list condition can look at the step's other answers", () => {
    const live = "<token:1>.<sig>; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax";
    const cleared = "; Max-Age=0; Path=/; HttpOnly; SameSite=Lax";
    const signIn = (cookies) => rec("two-factor", "challenged sign-in", { cookies });
    const allow = [{
      step: "*", field: 'cookies["better-auth.session_token*', reason: "test",
      when: (_r, _o, { refRecord }) => refRecord.cookies["better-auth.session_token#2"] === cleared,
    }];
    const reference = signIn({ "better-auth.session_token": live, "better-auth.session_token#2": cleared });
    assert.equal(compare([reference], [signIn({ "better-auth.session_token": cleared })], allow).ok, true);
    // Without the reference's own clearing, ours clearing a cookie the reference sets is a disagreement.
    assert.equal(compare([signIn({ "better-auth.session_token": live })], [signIn({ "better-auth.session_token": cleared })], allow).ok, false);
  });

  test("an ours-only step needs an allow-list entry and its expectation met", () => {
    const only = (failures) => rec("robustness", "malformed", { only: "ours", expectFailures: failures });
    assert.equal(compare([], [only([])]).ok, false);
    const allow = [{ step: "robustness/malformed", oursOnly: true, reason: "crashes the reference" }];
    assert.equal(compare([], [only([])], allow).ok, true);
    assert.equal(compare([], [only(["status 500, expected 400"])], allow).ok, false);
  });

  test("the normaliser keeps relations, booleans and empty cookie values", () => {
    const n = new Normaliser({ runId: "run1", baseURL: "http://127.0.0.1:9" });
    const token = "A".repeat(32);
    const body = n.value({ token, user: { id: "B".repeat(32), email: "a-run1@example.com", createdAt: "2025-01-01T00:00:00.000Z" },
      session: { token, url: "http://127.0.0.1:9/x", createdAt: "2025-01-01T00:00:00.000Z", expiresAt: "2025-01-08T00:00:00.000Z" } });
    assert.deepEqual(body, { session: { createdAt: "<date>", expiresAt: "<createdAt+7d>", token: "<token:1>", url: "<base>/x" },
      token: "<token:1>", user: { createdAt: "<date>", email: "a-<run>@example.com", id: "<id:1>" } });
    const sig = encodeURIComponent("x".repeat(43) + "=");
    assert.deepEqual(normaliseCookies([`better-auth.session_token=${token}.${sig}; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax`,
      "better-auth.session_data=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"], n), {
      "better-auth.session_token": "<token:1>.<sig>; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax",
      "better-auth.session_data": "; Max-Age=0; Path=/; HttpOnly; SameSite=Lax",
    });
  });

  test("the normaliser hides plugin secrets and generated addresses but keeps their relations", () => {
    const n = new Normaliser({ runId: "run1", baseURL: "http://127.0.0.1:9" });
    const uri = (secret) => `otpauth://totp/App:a-run1%40example.com?secret=${secret}&issuer=App&digits=6&period=30`;
    const first = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43UOV3HO6DZPIYTEMZUGU3DOOBZ";
    assert.deepEqual(n.value({ totpURI: uri(first), backupCodes: ["AbCdE-12345", "FgHiJ-67890"] }),
      { backupCodes: ["<otp:1>", "<otp:2>"], totpURI: uri("<token:1>").replace("run1", "<run>") });
    assert.equal(n.value(uri(first)), uri("<token:1>").replace("run1", "<run>"));
    assert.equal(n.value(uri("M".repeat(52))), uri("<token:2>").replace("run1", "<run>"));
    assert.equal(n.string(`temp-${"x".repeat(32)}@http://127.0.0.1:9`, "email"), "temp-<id:1>@<base>");
    const mac = "h".repeat(43);
    const token = "t".repeat(32);
    const sig = encodeURIComponent("s".repeat(43) + "=");
    assert.deepEqual(normaliseCookies([`better-auth.trust_device=${mac}!${token}.${sig}; Max-Age=2592000; Path=/`,
      `better-auth.session_token=${token}.${sig}; Max-Age=604799; Path=/`, "better-auth.two_factor=; Max-Age=0"], n), {
      "better-auth.trust_device": "<token:3>!<token:4>.<sig>; Max-Age=2592000; Path=/",
      "better-auth.session_token": "<token:4>.<sig>; Max-Age=604800; Path=/",
      "better-auth.two_factor": "; Max-Age=0",
    });
  });
});

test("differential conformance: the reference and our server agree", { timeout: 600_000 }, async () => {
  const servers = await startServers();
  try {
    const { result, text } = await runConformance(servers);
    console.log(text);
    assert.ok(result.ok, `${result.total - result.agree} step(s) disagree (see the report above)`);
  } finally {
    await servers.stop();
  }
});
