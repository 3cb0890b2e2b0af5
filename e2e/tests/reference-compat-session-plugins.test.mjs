// Cross-compatibility of the magic-link, multi-session and one-time-token plugins with the real Better Auth 1.2.12:
// both servers on ONE SQLite file with the same secret (as reference-compat.test.mjs), the reference with
// REF_EXTRA_PLUGINS=magicLink,multiSession,oneTimeToken. Links and one-time tokens made by one server are used on
// the other, and one browser's device-session cookies work on either.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startOurs, startReference, tempDir } from "../lib/servers.mjs";

const PASSWORD = "compat-password-123";
const MULTI = "better-auth.session_token_multi-";

let dir;
let ref;
let ours;
let counter = 0;

before(async () => {
  dir = tempDir("ba-compat-sp-");
  const dbPath = path.join(dir, "shared.sqlite");
  ref = await startReference({ dbPath, outbox: path.join(dir, "ref-outbox.jsonl"), env: { REF_EXTRA_PLUGINS: "magicLink,multiSession,oneTimeToken" } });
  ours = await startOurs({ dbPath, outbox: path.join(dir, "ours-outbox.jsonl"), env: { Plugins__MultiSession__Enabled: "true", Plugins__OneTimeToken__Enabled: "true" } });
});

after(async () => {
  await ours?.stop();
  await ref?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const email = (label) => `${label}-${++counter}-${Date.now()}@compat-sp.test`;

/** A request as a browser on that server's page; returns status, JSON body and the cookies set (name → value). */
async function call(server, route, { body, cookie } = {}) {
  const headers = { origin: server.baseURL };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (cookie) headers.cookie = cookie;
  const res = await fetch(server.apiURL + route, { method: body === undefined ? "GET" : "POST", headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: "manual" });
  const cookies = Object.fromEntries(res.headers.getSetCookie().map((c) => c.split(";")[0]).map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
  return { status: res.status, body: await res.json().catch(() => null), cookies, location: res.headers.get("location") };
}

const cookieHeader = (cookies) => Object.entries(cookies).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join("; ");

describe("session plugins: the reference and our server on one SQLite file", () => {
  for (const [from, to] of [["reference", "ours"], ["ours", "reference"]]) {
    test(`a magic link mailed by ${from} signs in on ${to}`, async () => {
      const [sender, verifier] = from === "reference" ? [ref, ours] : [ours, ref];
      const address = email(`ml-${from}`);
      assert.equal((await call(sender, "/sign-in/magic-link", { body: { email: address, name: "Cross Link" } })).status, 200);
      const { token } = sender.lastMessage("magic-link", address);
      const verified = await call(verifier, `/magic-link/verify?token=${token}`);
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.equal(verified.body.user.email, address);
      assert.equal(verified.body.user.name, "Cross Link");
      // Used once, on either server.
      assert.match((await call(sender, `/magic-link/verify?token=${token}&callbackURL=%2F`)).location, /error=INVALID_TOKEN$/);
    });

    test(`a one-time token made on ${from} is exchanged on ${to}`, async () => {
      const [maker, taker] = from === "reference" ? [ref, ours] : [ours, ref];
      const up = await call(maker, "/sign-up/email", { body: { email: email(`ott-${from}`), password: PASSWORD, name: "Ott" } });
      const made = await call(maker, "/one-time-token/generate", { cookie: cookieHeader(up.cookies) });
      assert.equal(made.status, 200);
      const exchanged = await call(taker, "/one-time-token/verify", { body: { token: made.body.token } });
      assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
      assert.equal(exchanged.body.session.token, up.body.token);
      assert.equal((await call(maker, "/one-time-token/verify", { body: { token: made.body.token } })).body.code, "INVALID_TOKEN");
    });
  }

  test("device-session cookies set by the reference are listed and switched between on ours, and back", async () => {
    const jar = {};
    const tokens = [];
    for (const [i, server] of [ref, ours].entries()) {
      const up = await call(server, "/sign-up/email", { body: { email: email(`ms-${i}`), password: PASSWORD, name: `Ms ${i}` }, cookie: cookieHeader(jar) });
      Object.assign(jar, up.cookies);
      tokens.push(up.body.token);
      assert.ok(up.cookies[MULTI + up.body.token.toLowerCase()], "a device cookie, named and signed alike on both");
    }
    for (const server of [ours, ref]) {
      const listed = await call(server, "/multi-session/list-device-sessions", { cookie: cookieHeader(jar) });
      assert.deepEqual(listed.body.map((s) => s.session.token).sort(), [...tokens].sort());
    }
    const active = await call(ours, "/multi-session/set-active", { body: { sessionToken: tokens[0] }, cookie: cookieHeader(jar) });
    assert.equal(active.status, 200);
    Object.assign(jar, active.cookies);
    assert.equal((await call(ref, "/get-session", { cookie: cookieHeader(jar) })).body.session.token, tokens[0]);
  });
});
