// Trusted origins and callback URLs against Node's WHATWG URL as the oracle. A few thousand hostile values are
// generated here (schemes, slashes and backslashes, userinfo, percent-escapes, IDN and full-width dots, ports, IPv4
// in its odd spellings, IPv6, whitespace and control characters at the start, middle and end, relative forms) and
// sent to the built server as callbackURL (a POST body and the mailed reset link) and as the Origin of a
// cookie-carrying POST. The oracle allows a value only where `new URL(value, base)` is at a trusted origin and, for
// relative input, the value is a clean path. The server may never allow what the oracle refuses; it may refuse
// more only for the reasons listed in browserRewrites() (inputs a browser rewrites before use) and Better Auth's
// own relative-path alphabet. No answer may be a 500.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { startOurs } from "../lib/servers.mjs";
import { loadSpecOperations } from "../lib/spec.mjs";

/** Configured trusted origins: exact ones, a scheme-bound wildcard, a scheme-less wildcard, IPv6, IPv4, punycode. */
const TRUSTED = [
  "https://trusted.example.com", "http://trusted.example.com:8443", "https://*.wild.example.com", "*.any.example.net",
  "http://[::1]:8080", "http://10.0.0.1", "https://xn--bcher-kva.example",
];

/** Better Auth's relative-path rule (origin-check.ts), which we keep for identical answers. */
const BETTER_AUTH_RELATIVE = /^\/(?!\/|\\|%2f|%5c)[\w\-.+/@]*(?:\?[\w\-.+/=&%@]*)?$/;

// ---- the oracle ------------------------------------------------------------------------------------------------

function trustRules(ownOrigins) {
  const exact = new Set(ownOrigins);
  const wildcards = [];
  for (const pattern of TRUSTED) {
    if (!pattern.includes("*")) { exact.add(new URL(pattern).origin); continue; }
    const [, scheme, suffix, port] = /^(?:(https?):\/\/)?\*\.([^:]+)(?::(\d+))?$/.exec(pattern);
    wildcards.push({ protocol: scheme ? `${scheme}:` : null, suffix, port: port ?? "" });
  }
  /** Whether a parsed URL is at a trusted origin: exact origins, or one or more whole labels under a wildcard. */
  return (url) => {
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    if (exact.has(url.origin)) return true;
    return wildcards.some((w) => (w.protocol === null || w.protocol === url.protocol) && url.port === w.port &&
      url.hostname.endsWith(`.${w.suffix}`) && url.hostname.slice(0, -(w.suffix.length + 1)).split(".").every((l) => l.length > 0));
  };
}

function parses(value, base) {
  try { return base === undefined ? new URL(value) : new URL(value, base); } catch { return null; }
}

/** The oracle's verdict: a trusted origin as the browser resolves it; relative input only as a clean path. */
function oracleAllows(value, { base, trusted, allowRelative }) {
  const resolved = parses(value, base);
  if (resolved === null) return false;
  if (parses(value) === null) {
    if (!allowRelative) return false;
    if (!/^\/(?![/\\])/.test(value) || /[\x00-\x20\x7f]/.test(value)) return false;
  }
  return trusted(resolved);
}

/** Why a browser would rewrite this value before using it (the only reasons we may refuse what the oracle allows). */
function browserRewrites(value) {
  const reasons = [];
  if (/[\x00-\x20\x7f]/.test(value)) reasons.push("space or control character (stripped, removed or encoded)");
  if (/[^\x00-\x7f]/.test(value)) reasons.push("non-ASCII (IDNA-mapped or percent-encoded)");
  if (value.includes("\\")) reasons.push("backslash (read as /)");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(value);
  if (scheme && /^https?$/i.test(scheme[1])) {
    const rest = value.slice(scheme[0].length);
    if (!/^\/\/[^/\\]/.test(rest)) reasons.push("not exactly // after the scheme (slashes added or dropped)");
    else {
      const authority = rest.slice(2).split(/[/\\?#]/)[0];
      const hostPort = authority.slice(authority.lastIndexOf("@") + 1);
      const host = hostPort.startsWith("[") ? hostPort.slice(0, hostPort.indexOf("]") + 1) : hostPort.split(":")[0];
      const parsed = parses(value);
      if (parsed && host.toLowerCase() !== parsed.hostname) reasons.push("host not written as the browser writes it back");
    }
  }
  if (value.startsWith("/") && !BETTER_AUTH_RELATIVE.test(value)) reasons.push("relative path outside Better Auth's alphabet (as Better Auth answers)");
  return reasons;
}

// ---- the hostile values ----------------------------------------------------------------------------------------

function hostileValues(port) {
  const values = new Set();
  const hosts = [
    "trusted.example.com", "TRUSTED.Example.COM", "trusted.example.com.", "trusted.example.com.evil.com", "evil.com",
    "trusted%2Eexample%2Ecom", "trusted%2eexample.com", "trusted.example%252Ecom", "trusted\u3002example\u3002com",
    "trusted\uff0eexample\uff0ecom", "\uff54rusted.example.com", "a.wild.example.com", "A.B.Wild.Example.com", "wild.example.com",
    "a..wild.example.com", ".wild.example.com", "a.wild.example.com.", "evil.com?.wild.example.com", "evil.com#.wild.example.com",
    "evil.com\\.wild.example.com", "evil.com/.wild.example.com", "evil.com%2F.wild.example.com", "x.any.example.net",
    "any.example.net", "x.any.example.net.evil.com", "x.any.example.net%00.evil.com",
    "10.0.0.1", "0xa.0.0.1", "012.0.0.1", "10.1", "10.0.1", "167772161", "0xa000001", "0XA.0x0.0.1", "10.0.0.1.", "10.0.0.01",
    "10.0.0.0x1", "10.0.0.256", "10.0.0.1.5", "10.0.0.08", "127.0.0.1", "127.1", "0x7f.0.0.1", "2130706433", "localhost",
    "LOCALHOST", "localhost.", "[::1]", "[0:0::1]", "[::0001]", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]", "[::1", "::1",
    "xn--bcher-kva.example", "b\u00fccher.example", "XN--BCHER-KVA.example", "xn--bcher-kva.example.", "b%C3%BCcher.example",
    "trusted.example.com@evil.com", "evil.com@trusted.example.com", "trusted.example.com%40evil.com",
    "evil.com%2F@trusted.example.com", "trusted.example.com:443@evil.com", "user:pass@trusted.example.com", "a@b@trusted.example.com",
    "trusted.example.com\u0000.evil.com", "trusted.example.com%00.evil.com", "trusted.example.com%20", "",
  ];
  const ports = ["", ":443", ":80", ":8443", ":8080", `:${port}`, ":0", ":65535", ":65536", ":99999999999999999999", ":0443", ":", ":+443"];
  // Every port against the hosts where a port decides; the rest with none, the default and another.
  const portHosts = new Set(["trusted.example.com", "a.wild.example.com", "x.any.example.net", "10.0.0.1", "0xa.0.0.1", "127.0.0.1",
    "localhost", "[::1]", "[0:0::1]", "xn--bcher-kva.example", "user:pass@trusted.example.com", ""]);
  for (const scheme of ["https", "http"]) {
    for (const host of hosts) for (const p of portHosts.has(host) ? ports : ["", ":443", ":80", ":8443"]) values.add(`${scheme}://${host}${p}/`);
  }
  const someHosts = ["trusted.example.com", "a.wild.example.com", "x.any.example.net", `127.0.0.1:${port}`, "evil.com"];
  const schemes = ["https", "http", "HTTPS", "hTtP", "javascript", "JaVaScRiPt", "data", "file", "ftp", "ws", "wss", "blob:https", "myapp", "vbscript"];
  const slashes = ["//", "", "/", "///", "////", "\\\\", "/\\", "\\/", "\\"];
  const tails = ["", "/", "/path?x=1#frag", "?q=1", "#f", "/\\evil.com", "//evil.com", "/%0aalert(1)", ":443"];
  for (const scheme of schemes) for (const s of slashes) for (const host of someHosts) values.add(`${scheme}:${s}${host}/`);
  for (const host of someHosts) for (const tail of tails) values.add(`https://${host}${tail}`), values.add(`http://${host}${tail}`);
  const relative = [
    "/", "/dashboard", "/dashboard?tab=1&x=a%2Fb", "/a/b-c_d.e+f@g", "//evil.com", "///evil.com", "////evil.com", "/\\evil.com",
    "\\\\evil.com", "\\/evil.com", "/%2F/evil.com", "/%2f/evil.com", "/%5C/evil.com", "/%5c/evil.com", "/%2e%2e/x", "/.%2e/x",
    "/..//evil.com", "/./evil.com", "/%09/evil.com", "/dashboard?next=//evil.com", "/dashboard#//evil.com", "/@evil.com",
    "/~user", "/a:b", "/caf\u00e9", "/a b", "/a%20b", "/dashboard?x=%", "?x=1", "#x", "evil.com", "trusted.example.com",
    "./x", "../x", ".", "null", "*", "https:", "https:/", "https://", "https:evil.com", "https:/evil.com", "https:trusted.example.com",
    "https:/trusted.example.com/", `http:127.0.0.1:${port}/x`, `http:/127.0.0.1:${port}/x`, "javascript:alert(1)",
    "JaVaScRiPt:alert(1)", "javascript://trusted.example.com/%0aalert(1)", "javascript://a.wild.example.com/%0aalert(1)",
    "javascript://x.any.example.net/%0aalert(1)", "data:text/html,<script>alert(1)</script>", "data://a.wild.example.com/,x",
    "file:///etc/passwd", "file://trusted.example.com/x", "blob:https://trusted.example.com/uuid", "myapp://trusted.example.com",
    "vbscript:msgbox(1)", "malicious.com?.any.example.net", "evil.com?.wild.example.com", "https://*.wild.example.com",
    "*.wild.example.com", "https://evil.com?.wild.example.com", "https://evil.com#.wild.example.com",
    "https://evil.com\\.wild.example.com", "https:evil.com?.wild.example.com", "http:evil.com?.any.example.net",
  ];
  for (const r of relative) values.add(r);
  // Whitespace and control characters at the start, in the middle and at the end of representative values.
  const injected = ["\u0000", "\u0001", "\t", "\n", "\r", "\u000b", "\u000c", "\u001f", " ", "\u007f", "\u00a0", "\u3000", "\ufeff"];
  const carriers = [
    ["", "https://trusted.example.com/x"], ["https:", "//trusted.example.com/x"], ["https://trusted.", "example.com/x"],
    ["https://trusted.example.com", "/x"], ["", "/dashboard"], ["/", "/evil.com"], ["/dashboard", ""], ["", "//evil.com"],
    ["java", "script:alert(1)"], ["", "javascript:alert(1)"], ["https://a.wild.", "example.com/"], ["http://10.0.", "0.1/"],
  ];
  for (const c of injected) {
    for (const [head, tail] of carriers) {
      values.add(`${c}${head}${tail}`);
      values.add(`${head}${c}${tail}`);
      values.add(`${head}${tail}${c}`);
    }
  }
  return [...values];
}

// ---- the runs --------------------------------------------------------------------------------------------------

/** Runs `work` over `items` with `width` requests in flight. */
async function pool(items, width, work) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  }));
  return results;
}

async function send(url, init) {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, { redirect: "manual", ...init });
      const text = await res.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch {}
      return { status: res.status, code: data?.code, location: res.headers.get("location") };
    } catch (e) {
      // A kept-alive connection the server just closed: send once more.
      if (attempt > 0) throw e;
    }
  }
}

/** A value a fetch can carry as a header and Kestrel reads as sent: printable ASCII; leading/trailing blanks are trimmed in transit. */
function asHeader(value) {
  const trimmed = value.replace(/^[ \t]+|[ \t]+$/g, "");
  return /^[\x20-\x7e\t]+$/.test(trimmed) ? trimmed : null;
}

describe("trusted origins and callback URLs against WHATWG URL (Node) as the oracle", () => {
  let server;
  let trusted;
  let values;
  const outcome = { callback: [], link: [], origin: [] };

  before(async () => {
    server = await startOurs({ env: { BETTER_AUTH_TRUSTED_ORIGINS: TRUSTED.join(",") } });
    trusted = trustRules([new URL(server.baseURL).origin, `http://localhost:${server.port}`]);
    values = hostileValues(server.port);
  });
  after(async () => {
    await server?.stop();
    if (server) fs.rmSync(server.dir, { recursive: true, force: true });
  });

  /** Compares the server's verdicts with the oracle's; returns the counts for the log line. */
  function compare(kind, results, allowRelative) {
    const tooLenient = [];
    const unexplained = [];
    const reasons = {};
    let allowed = 0;
    for (const { value, ours } of results) {
      const oracle = oracleAllows(value, { base: server.baseURL, trusted, allowRelative });
      if (ours) allowed += 1;
      if (ours && !oracle) tooLenient.push(value);
      if (!ours && oracle) {
        const why = browserRewrites(value);
        if (why.length === 0) unexplained.push(value);
        for (const r of why) reasons[r] = (reasons[r] ?? 0) + 1;
      }
    }
    assert.deepEqual(tooLenient.map((v) => JSON.stringify(v)), [], `${kind}: allowed although the oracle refuses`);
    assert.deepEqual(unexplained.map((v) => JSON.stringify(v)), [], `${kind}: refused although the oracle allows, for no listed reason`);
    return { allowed, reasons };
  }

  test("callbackURL in a POST body: never more lenient than the oracle, never a 500", async () => {
    const results = await pool(values, 8, async (value) => {
      const res = await send(`${server.apiURL}/sign-in/email`, {
        method: "POST", headers: { "content-type": "application/json", origin: server.baseURL }, body: JSON.stringify({ callbackURL: value }),
      });
      assert.ok(res.status < 500, `callbackURL ${JSON.stringify(value)} answered ${res.status}`);
      const refused = res.status === 403 && res.code === "INVALID_CALLBACKURL";
      if (!refused) assert.equal(res.status, 400, `callbackURL ${JSON.stringify(value)}: past the check, the missing email is a 400`);
      return { value, ours: !refused };
    });
    outcome.callback = results;
    const { allowed, reasons } = compare("callbackURL", results, true);
    console.log(`urls: ${values.length} generated values as callbackURL → ${allowed} allowed, all at trusted origins per WHATWG; ` +
      `refused beyond the oracle: ${JSON.stringify(reasons)}`);
  });

  test("the mailed reset link's callbackURL: the same verdicts, and every redirect lands on a trusted origin", async () => {
    const results = await pool(values, 8, async (value) => {
      const url = `${server.apiURL}/reset-password/not-a-token?callbackURL=${encodeURIComponent(value)}`;
      const res = await send(url);
      assert.ok(res.status < 500, `reset link with ${JSON.stringify(value)} answered ${res.status}`);
      const refused = res.status === 403 && res.code === "INVALID_CALLBACKURL";
      if (!refused) {
        assert.equal(res.status, 302, `reset link with ${JSON.stringify(value)}: ${res.status} ${res.code}`);
        const target = parses(res.location, url);
        assert.ok(target && trusted(target), `reset link with ${JSON.stringify(value)} redirected to ${res.location}`);
        assert.equal(target.searchParams.get("error"), "INVALID_TOKEN");
      }
      return { value, ours: !refused };
    });
    const differing = results.filter((r, i) => r.ours !== outcome.callback[i]?.ours).map((r) => r.value);
    assert.deepEqual(differing, [], "the GET link and the POST body judge a value alike");
    const { allowed } = compare("reset link", results, true);
    console.log(`urls: the same ${values.length} values in GET /reset-password/:token?callbackURL= → ${allowed} redirects, each to a trusted origin; no 500`);
  });

  test("the Origin of a cookie-carrying POST: never more lenient than the oracle, never a 500", async () => {
    const headerValues = [...new Set(values.map(asHeader).filter((v) => v !== null))];
    const results = await pool(headerValues, 8, async (value) => {
      const res = await send(`${server.apiURL}/sign-out`, {
        method: "POST", headers: { "content-type": "application/json", cookie: "unrelated=1", origin: value }, body: "{}",
      });
      assert.ok(res.status < 500, `Origin ${JSON.stringify(value)} answered ${res.status}`);
      const refused = res.status === 403 && res.code === "INVALID_ORIGIN";
      if (!refused) assert.equal(res.code, "FAILED_TO_GET_SESSION", `Origin ${JSON.stringify(value)}: ${res.status} ${res.code}`);
      return { value, ours: !refused };
    });
    const { allowed, reasons } = compare("Origin", results, false);
    console.log(`urls: ${headerValues.length} values as Origin (with a cookie) → ${allowed} allowed; refused beyond the oracle: ${JSON.stringify(reasons)}`);
  });

  test("no 500 from any operation or link that takes a URL, for values that end in a newline or carry controls", async () => {
    const crashers = ["/dashboard\n", "/dashboard\r\n", "/dashboard\u0000", "/dash\nboard", "https://trusted.example.com/\n",
      "https://trusted.example.com/x\r\nSet-Cookie: a=b", "https://trusted.example.com/caf\u00e9", "/caf\u00e9",
      "https://trusted.example.com:443", "https://trusted.example.com/%", "https://trusted.example.com?%zz#%",
      "https://a.wild.example.com/\u2028", "/\u0085", "https://trusted.example.com/\ud83d\ude00"];
    const operations = loadSpecOperations().filter((op) => op.method === "POST" && op.body.some((f) => /^(callbackURL|redirectTo|errorCallbackURL|newUserCallbackURL)$/.test(f.name)));
    const links = [
      (v) => `/verify-email?token=not-a-token&callbackURL=${encodeURIComponent(v)}`,
      (v) => `/reset-password/not-a-token?callbackURL=${encodeURIComponent(v)}`,
      (v) => `/delete-user/callback?token=not-a-token&callbackURL=${encodeURIComponent(v)}`,
    ];
    let requests = 0;
    for (const value of crashers) {
      for (const op of operations) {
        for (const field of op.body.filter((f) => /^(callbackURL|redirectTo|errorCallbackURL|newUserCallbackURL)$/.test(f.name))) {
          const body = { email: "nobody@security.test", password: "security-suite-password-1", provider: "github", newEmail: "x@security.test", [field.name]: value };
          const res = await send(`${server.apiURL}${op.path}`, { method: "POST", headers: { "content-type": "application/json", origin: server.baseURL }, body: JSON.stringify(body) });
          requests += 1;
          assert.ok(res.status < 500, `${op.path} ${field.name}=${JSON.stringify(value)} answered ${res.status}`);
        }
      }
      for (const link of links) {
        const res = await send(`${server.apiURL}${link(value)}`);
        requests += 1;
        assert.ok(res.status < 500, `${link(value)} answered ${res.status}`);
      }
    }
    console.log(`urls: ${crashers.length} newline/control/non-ASCII values × ${operations.length} operations' URL fields and 3 GET links → ${requests} requests, no 500`);
  });
});
