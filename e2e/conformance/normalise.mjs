// Turns a server's answer into a comparable record: volatile values (ids, tokens, dates, signatures, the run id,
// the server's own base URL) become placeholders; everything a client can depend on (status, booleans, codes,
// messages, key sets, array lengths, cookie attributes) stays as it is.
//
// One Normaliser lives for one scenario group on one server. It numbers ids and tokens in order of first
// appearance ("<id:1>", "<token:2>"), so "the same id as before" shows as the same placeholder on both servers.

const JS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const RANDOM = /^[A-Za-z0-9_-]{16,}$/; // generated ids and tokens (32 chars at 1.2.12; reset tokens 24)

/** Which placeholder family a value found under `key` belongs to, or undefined when the key says nothing. */
function kindOfKey(key) {
  if (key === undefined) return undefined;
  if (/token$/i.test(key)) return "token";
  if (key === "id" || /Id$/.test(key) || key === "impersonatedBy") return "id";
  // One-time codes a server generates: mailed OTPs and the two-factor plugin's backup codes.
  if (key === "otp" || key === "backupCodes") return "otp";
  // A WebAuthn challenge (32 random bytes, base64url) in passkey options.
  if (key === "challenge") return "token";
  // The API key plugin's key, and JSON Web Key members (the jwt plugin's /jwks): random on each server.
  if (key === "key" || key === "x" || key === "y" || key === "n") return "token";
  if (key === "kid") return "id";
  return undefined;
}

const JWT = /^eyJ[A-Za-z0-9_-]*\.eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

function decodeSegment(segment) {
  try { return JSON.parse(Buffer.from(segment, "base64url").toString("utf8")); } catch { return undefined; }
}

/** expiresAt − createdAt, rounded to the minute, in the largest whole unit: "7d", "24h" would read "1d", "90m". */
function span(from, to) {
  const minutes = Math.round((Date.parse(to) - Date.parse(from)) / 60000);
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

export class Normaliser {
  /** @param {{ runId: string, baseURL: string }} context */
  constructor({ runId, baseURL }) {
    this.runId = runId;
    this.baseURL = baseURL;
    this.known = new Map(); // raw value -> placeholder
    this.counters = new Map(); // kind -> last number
  }

  placeholder(raw, kind) {
    let p = this.known.get(raw);
    if (!p) {
      const n = (this.counters.get(kind) ?? 0) + 1;
      this.counters.set(kind, n);
      p = `<${kind}:${n}>`;
      this.known.set(raw, p);
    }
    return p;
  }

  /** A string value; `key` is the property it was found under (if any). */
  string(value, key) {
    if (value === "") return "";
    if (JS_DATE.test(value)) return "<date>";
    if (this.known.has(value)) return this.known.get(value);
    if (JWT.test(value)) return this.jwt(value);
    // An API key's first characters: shown as the part of the key (seen earlier in the group) they begin.
    if (key === "start") {
      for (const [raw, p] of this.known) if (p.startsWith("<token:") && raw.startsWith(value)) return `${p}[0:${value.length}]`;
    }
    const kind = kindOfKey(key);
    if (kind && (RANDOM.test(value) || kind === "otp")) return this.placeholder(value, kind);
    if (/^\d{6,8}$/.test(value) && key === "code") return this.placeholder(value, "otp");
    let out = value;
    // An otpauth:// URI's TOTP secret (base32) and a generated id in an address (the anonymous plugin's
    // temp-<id>@<origin>) are random on each server; as placeholders they still show "the same secret as before".
    out = out.replace(/([?&]secret=)([A-Z2-7]{16,})/g, (_, param, secret) => param + this.placeholder(secret, "token"));
    out = out.replace(/(^|[^A-Za-z0-9])([A-Za-z0-9]{32})@/g, (_, before, id) => before + this.placeholder(id, "id") + "@");
    // OAuth authorization URLs: the state and the PKCE challenge are random on each server, and the redirect_uri
    // carries the server's own origin URL-encoded.
    out = out.replace(/([?&](?:state|code_challenge)=)([A-Za-z0-9_-]{16,})/g, (_, param, v) => param + this.placeholder(v, "token"));
    if (this.baseURL) out = out.split(encodeURIComponent(this.baseURL)).join("<base>");
    if (this.baseURL) out = out.split(this.baseURL).join("<base>");
    if (this.runId) out = out.split(this.runId).join("<run>");
    // Ids and tokens inside longer strings (URLs, signed values) keep their relation.
    for (const [raw, p] of this.known) if (raw.length >= 16 && out.includes(raw)) out = out.split(raw).join(p);
    return out;
  }

  /**
   * A signed JWT (the jwt plugin's tokens): its header and claims, normalised (the kid as the key's id, the subject as
   * the user's), with iat as <iat> and exp as its distance from iat; the signature is left out.
   */
  jwt(value) {
    const [h, p] = value.split(".");
    const header = decodeSegment(h);
    const claims = decodeSegment(p);
    if (!header || !claims) return "<jwt: undecodable>";
    const { iat, exp, ...rest } = claims;
    const out = this.value(rest);
    if (iat !== undefined) out.iat = typeof iat === "number" ? "<iat>" : iat;
    if (exp !== undefined) out.exp = typeof exp === "number" && typeof iat === "number" ? `<iat+${exp - iat}s>` : exp;
    return `jwt:${JSON.stringify({ header: this.value(header), claims: out })}`;
  }

  /** Any JSON value, recursively. */
  value(v, key) {
    if (typeof v === "string") return this.string(v, key);
    // A rate-limited API key's wait, in ms: the same to the minute on both servers.
    if (key === "tryAgainIn" && typeof v === "number") return `<~${Math.round(v / 60000)}m>`;
    if (Array.isArray(v)) return v.map((x) => this.value(x, key));
    if (v && typeof v === "object") {
      const out = {};
      for (const k of Object.keys(v).sort()) out[k] = this.value(v[k], k);
      if (JS_DATE.test(v.createdAt) && JS_DATE.test(v.expiresAt)) out.expiresAt = `<createdAt+${span(v.createdAt, v.expiresAt)}>`;
      return out;
    }
    return v;
  }

  /**
   * A token written in lower case (the multi-session plugin names its cookies `…_multi-<token in lower case>`): the
   * placeholder of the token it was made from, when that token has been seen in the group.
   */
  lowerCaseToken(lower) {
    for (const [raw, p] of this.known) if (raw.toLowerCase() === lower) return p;
    return this.placeholder(lower, "token");
  }

  /** A cookie value: "" stays "", a signed value keeps its (normalised) payload and loses its signature. */
  cookieValue(raw) {
    if (raw === "") return "";
    let decoded = raw;
    try { decoded = decodeURIComponent(raw); } catch {}
    const dot = decoded.lastIndexOf(".");
    const sig = dot > 0 ? decoded.slice(dot + 1) : "";
    if (sig.length === 44 && sig.endsWith("=")) {
      // A compound payload such as the trust_device cookie's "<hmac>!<session token>" keeps each part's relation.
      const payload = decoded.slice(0, dot).split("!").map((part) => this.string(part, "token")).join("!");
      return `${payload}.<sig>`;
    }
    return "<value>";
  }
}

/** Parses one Set-Cookie header into { name, value, attrs } (attribute names lower-cased). */
export function parseSetCookie(header) {
  const [pair, ...rest] = header.split(";");
  const eq = pair.indexOf("=");
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  const attrs = {};
  for (const part of rest) {
    const i = part.indexOf("=");
    const k = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase();
    if (k) attrs[k] = i < 0 ? true : part.slice(i + 1).trim();
  }
  return { name, value, attrs };
}

/**
 * A refreshed session cookie's Max-Age is the remaining lifetime, measured after the database write: the reference
 * floors it from a millisecond clock, so it reads 604799 or 604800 depending on how long the write took. A value one
 * second short of a whole minute is therefore written as that minute.
 */
function roundedMaxAge(value) {
  const n = Number(value);
  return /^\d+$/.test(value) && n >= 59 && (n + 1) % 60 === 0 ? String(n + 1) : value;
}

/**
 * The Set-Cookie headers of one answer as { name: "value; Max-Age=N; Path=/; HttpOnly; SameSite=Lax" },
 * attributes in a fixed order, values normalised. A name set twice in one answer gets a "#2" suffix.
 */
export function normaliseCookies(setCookies, normaliser) {
  const out = {};
  for (const header of setCookies) {
    const { name, value, attrs } = parseSetCookie(header);
    const parts = [normaliser.cookieValue(value)];
    if ("max-age" in attrs) parts.push(`Max-Age=${roundedMaxAge(attrs["max-age"])}`);
    if ("domain" in attrs) parts.push(`Domain=${attrs.domain}`);
    if ("path" in attrs) parts.push(`Path=${attrs.path}`);
    if ("expires" in attrs) parts.push("Expires=<date>");
    if (attrs.httponly) parts.push("HttpOnly");
    if (attrs.secure) parts.push("Secure");
    if ("samesite" in attrs) parts.push(`SameSite=${attrs.samesite}`);
    if (attrs.partitioned) parts.push("Partitioned");
    // Multi-session cookies carry the session token in their name.
    const multi = /^(.*_multi-)([a-z0-9]{16,})$/.exec(name);
    const stable = multi ? multi[1] + normaliser.lowerCaseToken(multi[2]) : name;
    let key = stable;
    for (let n = 2; key in out; n++) key = `${stable}#${n}`;
    out[key] = parts.join("; ");
  }
  return out;
}
