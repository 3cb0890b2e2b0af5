// Plain HTTP calls to a server's auth API for the security suites, which need what the official client hides:
// exact status codes, raw Set-Cookie lines, redirects not followed, many identical requests fired at once.
import http from "node:http";

export const PASSWORD = "security-suite-password-1";
export const SESSION_COOKIE = "better-auth.session_token";

/**
 * One request to `${server.apiURL}${route}`. Options: method (POST when there is a body, else GET), body (sent as
 * JSON), cookie (a Cookie header value), headers, origin (default the server's own; null sends none).
 * Returns { status, data, headers, setCookies, cookie(name), location }; redirects are not followed.
 */
export async function api(server, route, { method, body, cookie, headers = {}, origin = server.baseURL } = {}) {
  const sent = new Headers(headers);
  if (body !== undefined) sent.set("content-type", "application/json");
  if (cookie) sent.set("cookie", cookie);
  if (origin) sent.set("origin", origin);
  const res = await fetch(`${server.apiURL}${route}`, {
    method: method ?? (body !== undefined ? "POST" : "GET"),
    headers: sent,
    body: body !== undefined ? JSON.stringify(body) : undefined,
    redirect: "manual",
  });
  const text = await res.text();
  let data = text;
  try { data = text ? JSON.parse(text) : null; } catch {}
  const setCookies = res.headers.getSetCookie();
  return {
    status: res.status,
    data,
    headers: res.headers,
    setCookies,
    location: res.headers.get("location"),
    /** The value a Set-Cookie of this response gives `name` (undefined when none does). */
    cookie(name) {
      const line = setCookies.find((l) => l.startsWith(`${name}=`));
      return line === undefined ? undefined : line.slice(name.length + 1).split(";")[0];
    },
  };
}

/** The Cookie header that carries a response's session cookie (and any other cookies it set). */
export function cookieHeader(response, ...names) {
  const wanted = names.length ? names : [SESSION_COOKIE];
  return wanted.map((n) => `${n}=${response.cookie(n)}`).join("; ");
}

let emailCounter = 0;
/** A unique address per call, readable in logs. */
export function uniqueEmail(label, domain = "security.test") {
  emailCounter += 1;
  return `${label}-${process.pid}-${emailCounter}-${Date.now()}@${domain}`;
}

/** Signs up a new user with PASSWORD; returns { email, userId, token, cookie } (cookie: the session Cookie header). */
export async function signUp(server, label, extra = {}) {
  const email = uniqueEmail(label);
  const res = await api(server, "/sign-up/email", { body: { email, password: PASSWORD, name: label, ...extra } });
  if (res.status !== 200) throw new Error(`sign-up of ${email} answered ${res.status}: ${JSON.stringify(res.data)}`);
  return { email, userId: res.data.user.id, token: res.data.token, cookie: cookieHeader(res) };
}

/** Fires `count` calls of `send(i)` at once (all started before any is awaited) and returns their results. */
export function burst(count, send) {
  return Promise.all(Array.from({ length: count }, (_, i) => send(i)));
}

/** Counts results by status, e.g. { "200": 1, "400": 7 }, for assertion messages. */
export function statusCounts(results) {
  const counts = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

/**
 * A GET sent from a chosen loopback source address (any 127.x.y.z reaches a server on 127.0.0.1), so one test
 * can be several clients, proxies or attackers by socket IP. Returns { status, body }.
 */
export function getFrom(server, route, { localAddress, headers = {} }) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.apiURL}${route}`, { method: "GET", localAddress, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => { body += chunk; });
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("error", reject);
    req.end();
  });
}
