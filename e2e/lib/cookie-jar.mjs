// A minimal browser-like cookie jar for Node's fetch, which keeps no cookies of its own.
// One jar stands for one browser: it remembers Set-Cookie answers, sends them back as a Cookie
// header, and adds the Origin header a browser puts on every cross-document fetch. Domain and Path
// are ignored on purpose: each test server has its own port and one jar talks to one origin.

export class CookieJar {
  /** @param {string} origin the Origin header to send (the server's baseURL), or undefined for none */
  constructor(origin) {
    this.origin = origin;
    this.cookies = new Map();
    /** The headers of the most recent response, for tests that need e.g. set-auth-token. */
    this.lastHeaders = undefined;
  }

  /** The Cookie header value for the current jar contents ("" when empty). */
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  get(name) {
    return this.cookies.get(name);
  }

  set(name, value) {
    this.cookies.set(name, value);
  }

  /** Applies every Set-Cookie of a response: Max-Age=0 (or an expiry in the past) deletes. */
  store(headers) {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v = ""] = a.split("=").map((s) => s.trim());
        if (k.toLowerCase() === "max-age") return Number(v) <= 0;
        if (k.toLowerCase() === "expires") return Date.parse(v) <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** A fetch that sends the jar's cookies and Origin and stores what comes back. */
  fetch = async (input, init = {}) => {
    const headers = new Headers(init.headers);
    const cookie = this.header();
    if (cookie && !headers.has("cookie")) headers.set("cookie", cookie);
    if (this.origin && !headers.has("origin")) headers.set("origin", this.origin);
    const res = await fetch(input, { ...init, headers });
    this.store(res.headers);
    this.lastHeaders = res.headers;
    return res;
  };
}
