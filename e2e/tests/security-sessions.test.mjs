// Session security against the real server process. Fixation: a session cookie planted before sign-in (a made-up
// token, a forged signature, a correctly signed unknown token, or the attacker's own live session) is never adopted —
// sign-in always issues a fresh token and the planted one gives no session of the victim's. Cookie flags: HttpOnly,
// SameSite=Lax, Path=/ on every auth cookie (session_token, dont_remember, session_data); Secure and the __Secure-
// prefix exactly when BETTER_AUTH_URL is https.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { TEST_SECRET, startOurs } from "../lib/servers.mjs";
import { PASSWORD, SESSION_COOKIE, api, cookieHeader, signUp, uniqueEmail } from "../lib/api.mjs";

/** A cookie value signed as better-call signs it (what only someone holding the secret can make). */
const signed = (value) => encodeURIComponent(`${value}.${crypto.createHmac("sha256", TEST_SECRET).update(value).digest("base64")}`);

describe("session fixation", () => {
  let server;
  let victim;
  const signIn = (cookie) => api(server, "/sign-in/email", { cookie, body: { email: victim.email, password: PASSWORD } });
  const sessionOf = async (cookie) => (await api(server, "/get-session", { cookie })).data;

  before(async () => {
    server = await startOurs();
    victim = await signUp(server, "fixation-victim");
  });
  after(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  test("unknown session cookies give no session, signed or not, cookie or bearer", async () => {
    const made = crypto.randomBytes(24).toString("base64url");
    for (const value of [made, `${made}.${"A".repeat(43)}=`, signed(made)]) {
      assert.equal(await sessionOf(`${SESSION_COOKIE}=${value}`), null, `cookie ${value}`);
      const bearer = await api(server, "/get-session", { headers: { authorization: `Bearer ${value}` } });
      assert.equal(bearer.data, null, `bearer ${value}`);
    }
    // A real token with a forged signature is no session either: the signature is what makes a cookie a session.
    assert.equal(await sessionOf(`${SESSION_COOKIE}=${encodeURIComponent(`${victim.token}.${"B".repeat(43)}=`)}`), null);
    console.log("sessions: made-up, forged-signature and signed-but-unknown tokens (cookie or bearer), and a real token with a forged signature → no session");
  });

  test("a token planted before sign-in is not adopted: sign-in issues a fresh one", async () => {
    const planted = crypto.randomBytes(24).toString("base64url");
    for (const cookie of [`${SESSION_COOKIE}=${planted}`, `${SESSION_COOKIE}=${signed(planted)}`]) {
      const res = await signIn(cookie);
      assert.equal(res.status, 200, JSON.stringify(res.data));
      assert.notEqual(res.data.token, planted);
      assert.ok(!res.cookie(SESSION_COOKIE).startsWith(`${planted}.`), "the new cookie carries a new token");
      assert.equal(await sessionOf(`${SESSION_COOKIE}=${signed(planted)}`), null, "the planted token is still no session");
    }
    console.log("sessions: a token planted (unsigned or signed) before sign-in → sign-in issues a fresh token, the planted one stays no session");
  });

  test("the attacker's own live session planted in the victim's browser stays the attacker's", async () => {
    const attacker = await signUp(server, "fixation-attacker");
    const res = await signIn(attacker.cookie);
    assert.equal(res.status, 200);
    assert.notEqual(res.data.token, attacker.token);
    assert.equal((await sessionOf(cookieHeader(res))).user.email, victim.email);
    assert.equal((await sessionOf(attacker.cookie)).user.email, attacker.email, "the attacker's cookie never becomes the victim's session");
    console.log("sessions: the attacker's live session cookie planted in the victim's browser → the victim's sign-in gets a new token; the attacker's stays the attacker's");
  });

  test("every sign-in of one user gets a token of its own", async () => {
    const tokens = new Set([victim.token]);
    let carried = victim.cookie;
    for (let i = 0; i < 3; i++) {
      const res = await signIn(carried); // the browser still holds the previous session
      assert.equal(res.status, 200);
      tokens.add(res.data.token);
      carried = cookieHeader(res);
    }
    assert.equal(tokens.size, 4);
    console.log("sessions: 3 sign-ins of one user, each carrying the previous session → 4 distinct tokens");
  });
});

/** The attributes of one Set-Cookie line: { name, value, attributes: Map(lowercase name → value) }. */
function parseSetCookie(line) {
  const [pair, ...rest] = line.split(";").map((s) => s.trim());
  const eq = pair.indexOf("=");
  const attributes = new Map(rest.map((a) => {
    const i = a.indexOf("=");
    return i < 0 ? [a.toLowerCase(), true] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
  }));
  return { name: pair.slice(0, eq), value: pair.slice(eq + 1), attributes };
}

/** Asserts the flags of the named cookie among a response's Set-Cookie lines; returns it. */
function assertFlags(response, name, { secure }) {
  const line = response.setCookies.find((l) => l.startsWith(`${name}=`));
  assert.ok(line, `no ${name} cookie in ${JSON.stringify(response.setCookies)}`);
  const { attributes } = parseSetCookie(line);
  assert.equal(attributes.get("httponly"), true, `${name} is HttpOnly`);
  assert.equal(String(attributes.get("samesite")).toLowerCase(), "lax", `${name} is SameSite=Lax`);
  assert.equal(attributes.get("path"), "/", `${name} has Path=/`);
  assert.equal(attributes.has("secure"), secure, `${name} ${secure ? "is" : "is not"} Secure`);
  assert.equal(attributes.has("domain"), false, `${name} is host-only`);
  return parseSetCookie(line);
}

for (const scheme of ["http", "https"]) {
  const secure = scheme === "https";
  const prefix = secure ? "__Secure-" : "";
  const names = {
    session: `${prefix}better-auth.session_token`,
    dontRemember: `${prefix}better-auth.dont_remember`,
    sessionData: `${prefix}better-auth.session_data`,
  };

  describe(`cookie flags with an ${scheme} base URL`, () => {
    let server;
    let origin;

    before(async () => {
      // Behind a TLS-terminating proxy the server itself speaks http; BETTER_AUTH_URL is what browsers see.
      const env = { BetterAuth__Session__CookieCache__Enabled: "true" };
      if (secure) env.BETTER_AUTH_URL = "https://auth.example.test";
      server = await startOurs({ env });
      origin = secure ? "https://auth.example.test" : server.baseURL;
    });
    after(async () => {
      await server?.stop();
      if (server) fs.rmSync(server.dir, { recursive: true, force: true });
    });

    test("session_token and session_data on sign-up and sign-in", async () => {
      const email = uniqueEmail(`flags-${scheme}`);
      const up = await api(server, "/sign-up/email", { origin, body: { email, password: PASSWORD, name: "Flags" } });
      assert.equal(up.status, 200, JSON.stringify(up.data));
      const session = assertFlags(up, names.session, { secure });
      assert.equal(session.attributes.get("max-age"), "604800", "a remembered session lasts expiresIn");
      assertFlags(up, names.sessionData, { secure });
      for (const line of up.setCookies) {
        assert.equal(line.startsWith("__Secure-") || line.startsWith("__Host-"), secure, `prefix of ${line.split("=")[0]}`);
      }

      // The prefixed name is the one read back.
      const cookie = `${names.session}=${session.value}`;
      assert.equal((await api(server, "/get-session", { origin, cookie })).data?.user?.email, email);
      if (secure) {
        const unprefixed = await api(server, "/get-session", { origin, cookie: `better-auth.session_token=${session.value}` });
        assert.equal(unprefixed.data, null, "on https an unprefixed (non-Secure) cookie is not the session");
      }
      console.log(`sessions: ${scheme} sign-up → ${names.session} and ${names.sessionData} set and read back` +
        (secure ? "; the unprefixed name is ignored" : ""));
    });

    test("dont_remember: the session cookie lasts the browser session, the marker has the same flags", async () => {
      const email = uniqueEmail(`forget-${scheme}`);
      assert.equal((await api(server, "/sign-up/email", { origin, body: { email, password: PASSWORD, name: "Forget" } })).status, 200);
      const res = await api(server, "/sign-in/email", { origin, body: { email, password: PASSWORD, rememberMe: false } });
      assert.equal(res.status, 200, JSON.stringify(res.data));
      const session = assertFlags(res, names.session, { secure });
      assert.equal(session.attributes.has("max-age"), false, "no Max-Age: gone when the browser closes");
      assert.equal(session.attributes.has("expires"), false);
      assertFlags(res, names.dontRemember, { secure });
      assertFlags(res, names.sessionData, { secure });
      console.log(`sessions: ${scheme} base URL → session_token, dont_remember, session_data all HttpOnly; SameSite=Lax; Path=/; ` +
        (secure ? "Secure with the __Secure- prefix" : "no Secure, no prefix"));
    });
  });
}
