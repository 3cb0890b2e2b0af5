// Runs scenario groups against one server and records every exchange in normalised form.
//
// A scenario group is `{ name, run: async (t) => { ... } }`; `t` is a ScenarioContext bound to one server, with
// named cookie jars ("main" by default) and one Normaliser for the whole group. Each `t.get` / `t.post` /
// `t.request` call is one step: it is sent, recorded, and its raw answer returned so later steps can use it.
import { Normaliser, normaliseCookies, parseSetCookie } from "./normalise.mjs";

/** A minimal cookie jar: name -> raw value; Max-Age=0 or an empty value removes the cookie. */
class Jar {
  constructor() { this.cookies = new Map(); }
  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "); }
  store(setCookies) {
    for (const h of setCookies) {
      const { name, value, attrs } = parseSetCookie(h);
      if (value === "" || attrs["max-age"] === "0") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export class ScenarioContext {
  /**
   * @param {object} o
   * @param {"reference"|"ours"} o.side
   * @param {{ apiURL: string, baseURL: string, lastMessage: Function }} o.server
   * @param {string} o.group
   * @param {string} o.runId  shared by both servers: emails are unique per run but identical on both sides
   * @param {object[]} o.records  where the recorded exchanges go
   */
  constructor({ side, server, group, runId, records }) {
    Object.assign(this, { side, server, group, runId, records });
    this.jars = new Map();
    this.normaliser = new Normaliser({ runId, baseURL: server.baseURL });
  }

  /** The server's origin, e.g. for a trusted callbackURL. */
  get base() { return this.server.baseURL; }

  /** A unique address for this run, the same on both servers. */
  email(label) { return `${label}-${this.runId}@example.com`; }

  jar(name = "main") {
    if (!this.jars.has(name)) this.jars.set(name, new Jar());
    return this.jars.get(name);
  }

  /** The Cookie header a jar would send now (to replay it later, e.g. after sign-out). */
  cookieHeader(jar = "main") { return this.jar(jar).header(); }

  /** The newest outbox message of a kind for an address (codes and links for later steps). */
  message(kind, to) { return this.server.lastMessage(kind, to); }

  get(step, path, opts = {}) { return this.request(step, "GET", path, opts); }
  post(step, path, body, opts = {}) { return this.request(step, "POST", path, { ...opts, body }); }

  /**
   * One step. Options:
   *  body      JSON-serialisable body (sent as application/json), or `raw` + `contentType` for anything else
   *  jar       jar name (default "main"); null sends no cookie and stores none
   *  cookie    an explicit Cookie header instead of the jar's (the answer's cookies still go to the jar)
   *  origin / referer / headers   extra request headers
   *  only      "ours": the step is not sent to the reference (must be in the allow-list); see `expect`
   *  expect    { status, code } checked on the servers the step runs against (used for ours-only steps)
   *  record    false: send without recording (setup requests)
   *  reorder   (json) => json: puts a JSON answer in a canonical order before it is recorded (a list whose order
   *            follows random tokens, which differ between the servers)
   *  recordHeaders  names of answer headers to record (normalised), e.g. ["set-auth-jwt"]
   */
  async request(step, method, path, opts = {}) {
    if (opts.only && opts.only !== this.side) return undefined;
    const key = `${this.group}/${step}`;
    if (opts.record !== false && this.records.some((r) => r.key === key)) throw new Error(`duplicate step name: ${key}`);
    const jarName = opts.jar === undefined ? "main" : opts.jar;
    const headers = { ...opts.headers };
    const cookie = opts.cookie ?? (jarName ? this.jar(jarName).header() : "");
    if (cookie) headers.cookie = cookie;
    if (opts.origin) headers.origin = opts.origin;
    if (opts.referer) headers.referer = opts.referer;
    let body;
    if (opts.raw !== undefined) {
      body = opts.raw;
      if (opts.contentType) headers["content-type"] = opts.contentType;
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers["content-type"] = "application/json";
    }

    let res, text, error;
    try {
      res = await fetch(this.server.apiURL + path, { method, headers, body, redirect: "manual" });
      text = await res.text();
    } catch (e) {
      error = String(e?.cause?.code ?? e?.message ?? e);
    }
    const setCookies = res ? res.headers.getSetCookie() : [];
    if (jarName) this.jar(jarName).store(setCookies);
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch {}

    if (opts.record !== false) {
      const n = this.normaliser;
      const record = { key, group: this.group, step, request: `${method} ${path}` };
      if (error) record.error = error;
      else {
        record.status = res.status;
        const shown = json !== undefined && opts.reorder ? opts.reorder(structuredClone(json)) : json;
        record.body = text === "" ? "<empty>" : json !== undefined ? n.value(shown) : `<text> ${n.string(text.slice(0, 120))}`;
        record.cookies = normaliseCookies(setCookies, n);
        if (res.status >= 300 && res.status < 400) record.location = n.string(res.headers.get("location") ?? "");
        if (opts.recordHeaders) {
          record.headers = {};
          for (const name of opts.recordHeaders) record.headers[name] = res.headers.has(name) ? n.string(res.headers.get(name), name) : "<absent>";
        }
      }
      if (opts.only) record.only = opts.only;
      if (opts.expect) record.expectFailures = checkExpect(opts.expect, res?.status, json, error);
      this.records.push(record);
    }
    return { status: res?.status, body: json, text, error, setCookies, headers: res?.headers };
  }
}

function checkExpect(expect, status, json, error) {
  const failures = [];
  if (error) failures.push(`request failed: ${error}`);
  if (expect.status !== undefined && status !== expect.status) failures.push(`status ${status}, expected ${expect.status}`);
  if (expect.code !== undefined && json?.code !== expect.code) failures.push(`code ${json?.code}, expected ${expect.code}`);
  return failures;
}

/** Runs every group against one server (each group with fresh jars and placeholders); returns the records. */
export async function record(side, server, groups, runId) {
  const records = [];
  for (const g of groups) {
    const t = new ScenarioContext({ side, server, group: g.name, runId, records });
    try {
      await g.run(t);
    } catch (e) {
      records.push({ key: `${g.name}/<scenario error>`, group: g.name, step: "<scenario error>", error: String(e?.stack ?? e) });
    }
  }
  return records;
}
