// Abuse against the real server process: rate limits count per client IP (X-Forwarded-For believed only from the
// configured trusted proxy, so a spoofed header neither escapes a limit nor blames someone else), and open redirects
// are refused on every callback/redirect parameter of every operation that takes one — the body fields the spec
// lists, the callbackURL query parameter POSTs also read, and the GET links' callbackURL — in tricky spellings too.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { startOurs } from "../lib/servers.mjs";
import { loadSpecOperations } from "../lib/spec.mjs";
import { PASSWORD, api, getFrom, signUp, uniqueEmail } from "../lib/api.mjs";

const TRUSTED_PROXY = "127.0.0.1";
const LIMIT = 5; // requests per client and path in a window long enough that no test crosses it

describe("rate limits per client IP behind a trusted proxy", () => {
  let server;
  const route = "/get-session";
  const viaProxy = (forwardedFor) => getFrom(server, route, {
    localAddress: TRUSTED_PROXY, headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
  });
  const sequentially = async (count, send) => {
    const statuses = [];
    for (let i = 0; i < count; i++) statuses.push((await send(i)).status);
    return statuses;
  };
  const allowedThenLimited = [...Array(LIMIT).fill(200), 429, 429];

  before(async () => {
    server = await startOurs({
      env: { BETTER_AUTH_RATE_LIMIT: `600:${LIMIT}`, BETTER_AUTH_TRUSTED_PROXIES: TRUSTED_PROXY },
    });
  });
  after(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  test("clients behind the proxy are limited one by one, not together", async () => {
    assert.deepEqual(await sequentially(LIMIT + 2, () => viaProxy("203.0.113.10")), allowedThenLimited);
    assert.equal((await viaProxy("203.0.113.11")).status, 200, "another client behind the proxy is not limited");
    assert.equal((await viaProxy(undefined)).status, 200, "the proxy's own requests are not limited");
    console.log(`abuse: rate limit ${LIMIT}/window per forwarded client → client A ${LIMIT}× 200 then 429; client B and the proxy itself still 200`);
  });

  test("an untrusted client spoofing X-Forwarded-For is counted by its socket address", async () => {
    const spoofer = "127.0.0.2";
    const statuses = await sequentially(LIMIT + 2, (i) => getFrom(server, route, {
      localAddress: spoofer, headers: { "x-forwarded-for": `198.51.100.${i + 1}` },
    }));
    assert.deepEqual(statuses, allowedThenLimited, "a new spoofed address per request does not reset the count");
    assert.equal((await getFrom(server, route, { localAddress: "127.0.0.3" })).status, 200, "another direct client is not limited");
    // Naming an address that is already limited does not get the sender refused either: the header is not read.
    const framing = await getFrom(server, route, { localAddress: "127.0.0.4", headers: { "x-forwarded-for": "203.0.113.10" } });
    assert.equal(framing.status, 200);
    console.log(`abuse: untrusted 127.0.0.2 rotating spoofed X-Forwarded-For → ${LIMIT}× 200 then 429 (counted by socket IP); spoofing a limited IP from 127.0.0.4 → 200`);
  });

  test("a burst from one client gets exactly the limit through", async () => {
    const results = await Promise.all(Array.from({ length: LIMIT * 6 }, () => getFrom(server, route, { localAddress: "127.0.0.5" })));
    const counts = {};
    for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
    assert.deepEqual(counts, { 200: LIMIT, 429: LIMIT * 5 });
    console.log(`abuse: ${LIMIT * 6} concurrent requests from one client → exactly ${LIMIT}× 200, ${LIMIT * 5}× 429`);
  });

  test("through the proxy, the hop it saw counts, not what the client prepended", async () => {
    const statuses = await sequentially(LIMIT + 2, (i) => viaProxy(`192.0.2.${i + 1}, 203.0.113.20`));
    assert.deepEqual(statuses, allowedThenLimited);
    console.log(`abuse: via the proxy, X-Forwarded-For "<rotating spoof>, 203.0.113.20" → ${LIMIT}× 200 then 429 (the hop the proxy saw counts)`);
  });
});

/** Hostile values for a callback parameter, with the trusted origin https://trusted.example.com configured. */
const HOSTILE_URLS = [
  "https://evil.example.com/steal",
  "//evil.example.com",
  "///evil.example.com",
  "https:evil.example.com",
  "/\\evil.example.com",
  "\\\\evil.example.com",
  "/\t/evil.example.com",
  "https://trusted.example.com.evil.example.com",
  "https://trusted.example.com@evil.example.com",
  "http://trusted.example.com/",
  "https://trusted.example.com:8443/",
  "javascript:alert(document.cookie)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "/%2F%2Fevil.example.com",
];
const SAFE_URLS = ["/dashboard", "https://trusted.example.com/welcome"];
const URL_PARAMETER = /^(callbackURL|redirectTo|errorCallbackURL|newUserCallbackURL)$/;

/** The GET links whose callbackURL query parameter is a redirect target (the spec lists no query parameters). */
const CALLBACK_LINKS = [
  (url) => `/verify-email?token=not-a-token&callbackURL=${encodeURIComponent(url)}`,
  (url) => `/reset-password/not-a-token?callbackURL=${encodeURIComponent(url)}`,
  (url) => `/delete-user/callback?token=not-a-token&callbackURL=${encodeURIComponent(url)}`,
];

/** A body that satisfies the operation's required fields (so only the URL can be what is refused). */
function plausibleBody(operation, victim) {
  const body = {};
  for (const field of operation.body.filter((f) => f.required)) {
    body[field.name] = {
      email: victim.email, newEmail: uniqueEmail("new"), password: PASSWORD, newPassword: PASSWORD,
      provider: "github", name: "Victim", token: "not-a-token",
    }[field.name] ?? "x";
  }
  return body;
}

/** The answer of the open-redirect guard: 403 naming the parameter (not some other refusal), and no Location. */
const REFUSED_URL_CODE = /^INVALID_(CALLBACKURL|REDIRECTURL|ERRORCALLBACKURL|NEWUSERCALLBACKURL)$/;
const refusedAsOpenRedirect = (res) => res.status === 403 && REFUSED_URL_CODE.test(res.data?.code ?? "") && !res.location;

describe("open redirects", () => {
  let server;
  let victim;
  const operations = loadSpecOperations().filter((op) => op.method === "POST" && op.body.some((f) => URL_PARAMETER.test(f.name)));

  before(async () => {
    server = await startOurs({ env: { BETTER_AUTH_TRUSTED_ORIGINS: "https://trusted.example.com" } });
    victim = await signUp(server, "redirect-victim");
  });
  after(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  test("the spec's operations with callback parameters are all found", () => {
    const paths = operations.map((op) => op.path);
    for (const expected of ["/sign-in/social", "/sign-up/email", "/sign-in/email", "/send-verification-email",
      "/request-password-reset", "/change-email", "/delete-user", "/link-social"]) {
      assert.ok(paths.includes(expected), `${expected} takes a callback parameter`);
    }
    console.log(`abuse: the spec lists ${operations.length} operations with callback parameters: ${paths.join(", ")}`);
  });

  test("every callback body parameter refuses every hostile URL, and takes safe ones", async () => {
    let parameters = 0;
    for (const op of operations) {
      for (const field of op.body.filter((f) => URL_PARAMETER.test(f.name))) {
        parameters += 1;
        for (const url of HOSTILE_URLS) {
          // As the signed-in victim clicking the attacker's link: the session cookie is sent along.
          const res = await api(server, op.path, { cookie: victim.cookie, body: { ...plausibleBody(op, victim), [field.name]: url } });
          assert.ok(refusedAsOpenRedirect(res), `${op.path} ${field.name}=${JSON.stringify(url)} answered ${res.status} ${JSON.stringify(res.data)}`);
        }
        for (const url of SAFE_URLS) {
          const res = await api(server, op.path, { body: { ...plausibleBody(op, victim), [field.name]: url } });
          assert.ok(!(res.status === 403 && REFUSED_URL_CODE.test(res.data?.code ?? "")), `${op.path} ${field.name}=${url} was refused: ${JSON.stringify(res.data)}`);
        }
      }
    }
    assert.equal((await api(server, "/get-session", { cookie: victim.cookie })).data?.user?.email, victim.email, "the victim's session survived");
    const mailedCallbacks = fs.readFileSync(server.outbox, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l))
      .filter((m) => m.url).map((m) => new URL(m.url).searchParams.get("callbackURL"));
    assert.ok(mailedCallbacks.length > 0, "the safe requests did send mail");
    assert.deepEqual(mailedCallbacks.filter((url) => !SAFE_URLS.includes(url)), [], "no mail carried a hostile link");
    console.log(`abuse: ${parameters} callback parameters of ${operations.length} operations × ${HOSTILE_URLS.length} hostile URLs → all 403, no Location; safe URLs pass`);
  });

  test("a hostile callbackURL in the query string of those operations is refused too", async () => {
    for (const op of operations) {
      for (const url of HOSTILE_URLS) {
        const res = await api(server, `${op.path}?callbackURL=${encodeURIComponent(url)}`, { body: plausibleBody(op, victim) });
        assert.ok(refusedAsOpenRedirect(res), `${op.path}?callbackURL=${JSON.stringify(url)} answered ${res.status}`);
      }
    }
    console.log(`abuse: ?callbackURL= on ${operations.length} operations × ${HOSTILE_URLS.length} hostile URLs → all 403`);
  });

  test("the mailed links' callbackURL refuses hostile URLs even when the token is bad", async () => {
    for (const link of CALLBACK_LINKS) {
      for (const url of HOSTILE_URLS) {
        const res = await api(server, link(url), { cookie: victim.cookie });
        assert.ok(refusedAsOpenRedirect(res), `${link(url)} answered ${res.status} ${res.location ?? ""}`);
      }
    }
    // A safe callback is followed: the bad token comes back to the app as an error, not as a 403.
    const safe = await api(server, CALLBACK_LINKS[0]("/dashboard"));
    assert.equal(safe.status, 302);
    assert.match(safe.location, /^\/dashboard\?error=/);
    console.log(`abuse: ${CALLBACK_LINKS.length} GET links (verify-email, reset-password, delete-user/callback) × ${HOSTILE_URLS.length} hostile callbackURLs → all 403`);
  });
});

describe("an oversized body", () => {
  let server;
  before(async () => { server = await startOurs(); });
  after(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  // Answering 413 and closing while the client is still sending leaves it with a broken pipe and no answer (the fuzz
  // suites saw EPIPE under load). The server takes a modestly oversized body, then answers, on a connection that stays open.
  test("gets its 413 after the client has sent it, on a connection that stays usable", async () => {
    const net = await import("node:net");
    const socket = net.connect(server.port, "127.0.0.1");
    await new Promise((resolve, reject) => { socket.once("connect", resolve); socket.once("error", reject); });
    let received = "";
    socket.on("data", (d) => { received += d.toString("latin1"); });
    const body = Buffer.alloc(1_048_576 + 4096, 0x61);
    socket.write(`POST /api/auth/sign-in/email HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
    socket.write(body.subarray(0, 65536));
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(received, "", "no answer before the body is sent");
    assert.equal(socket.destroyed, false, "the connection is still open");
    socket.write(body.subarray(65536));
    // A whole response: headers, then a chunked body up to its last chunk or Content-Length bytes (the body's closing
    // brace can arrive in one packet and the chunked terminator in the next, which then opened the next response).
    const complete = (text) => {
      const end = text.indexOf("\r\n\r\n");
      if (end < 0) return false;
      const head = text.slice(0, end);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (length) return text.length - end - 4 >= Number(length[1]);
      return /\r\n0\r\n\r\n$/.test(text.slice(end));
    };
    const deadline = Date.now() + 10_000;
    while (!complete(received) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.match(received, /^HTTP\/1\.1 413 /);
    assert.match(received, /"message":"Request body is too large"/);
    received = "";
    socket.write("GET /api/auth/ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    while (!complete(received) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.match(received, /^HTTP\/1\.1 200 /, "the same connection answers the next request");
    assert.match(received, /\{"ok":true\}/);
    socket.destroy();
  });
});
