// Generates the bad-input corpus for one operation of the spec: structural JSON damage, wrong types and odd strings
// per field, duplicate and extra keys, invalid UTF-8, other content types, oversized bodies, odd query strings and
// path parameters, and hostile headers. Deterministic for a given seed; the values come from ./values.mjs.
import { seededRandom } from "./random.mjs";
import {
  extraMembers, hugeString, invalidUtf8, malformedBodies, oddPathValues, oddQueryValues, oddStrings, wrongTypeValues,
} from "./values.mjs";
import { plausibleValue, queryParameters } from "./fields.mjs";

const encoder = new TextEncoder();
const bytes = (text) => encoder.encode(text);
const JSON_TYPE = "application/json";

/** JSON object text from [name, jsonText] members (duplicates allowed, order kept). */
const objectText = (members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;

function jsonCase(label, text, extra = {}) {
  return { label, body: typeof text === "string" ? bytes(text) : text, contentType: JSON_TYPE, ...extra };
}

/** A form body from [name, jsonText] members: strings as they are, other values as their JSON text. */
function formText(members) {
  return members
    .map(([k, v]) => {
      const value = v.startsWith('"') ? JSON.parse(v) : v;
      return `${encodeURIComponent(k)}=${encodeURIComponent(value)}`;
    })
    .join("&");
}

function multipart(members, boundary = "fuzzboundary7MA4YWxk") {
  const parts = members.map(([k, v]) => {
    const value = v.startsWith('"') ? JSON.parse(v) : v;
    return `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${value}\r\n`;
  });
  return { text: `${parts.join("")}--${boundary}--\r\n`, type: `multipart/form-data; boundary=${boundary}` };
}

/** Cases for a body-carrying operation. `context` supplies plausible ids (see fields.mjs). */
function bodyCases(op, context, rng, depth) {
  const fields = op.body.map((f) => f.name);
  const baseline = fields.map((name) => [name, plausibleValue(op.path, name, context)]);
  const required = op.body.filter((f) => f.required).map((f) => [f.name, plausibleValue(op.path, f.name, context)]);
  const baselineText = objectText(baseline);
  const replaced = (name, value) => baseline.map(([k, v]) => [k, k === name ? value : v]);
  /** The baseline with `name` set to `value`, added when the operation has no such field. */
  const withMember = (name, value) => (fields.includes(name) ? replaced(name, value) : [...baseline, [name, value]]);
  const cases = [];

  for (const text of malformedBodies) cases.push(jsonCase(`malformed ${JSON.stringify(text.slice(0, 12))}`, text));
  cases.push({ label: "empty body as JSON", body: new Uint8Array(0), contentType: JSON_TYPE });
  cases.push({ label: "no body, no content type", body: null });
  cases.push(jsonCase("empty object", "{}"));
  cases.push(jsonCase("required fields only", objectText(required)));
  cases.push(jsonCase("plausible body", baselineText));
  for (let i = 0; i < 3 && baselineText.length > 2; i++) {
    const cut = 1 + rng.int(baselineText.length - 1);
    cases.push(jsonCase(`truncated at ${cut}`, baselineText.slice(0, cut)));
  }

  for (const name of fields) {
    for (const value of rng.sample(wrongTypeValues, depth.wrongTypes)) cases.push(jsonCase(`${name}=${value}`, objectText(replaced(name, value))));
    for (const value of rng.sample(oddStrings, depth.oddStrings)) cases.push(jsonCase(`${name}=odd ${value.slice(0, 16)}`, objectText(replaced(name, value))));
    cases.push(jsonCase(`${name} missing`, objectText(baseline.filter(([k]) => k !== name))));
    cases.push(jsonCase(`${name} duplicated`, objectText([...baseline, [name, rng.pick(wrongTypeValues)]])));
  }
  for (const member of rng.sample(extraMembers, depth.extras)) cases.push(jsonCase(`extra ${member}`, `{${[baselineText.slice(1, -1), member].filter(Boolean).join(",")}}`));

  const target = fields.length ? rng.pick(fields) : "anything";
  for (const sequence of invalidUtf8) {
    const before = objectText(baseline.filter(([k]) => k !== target).concat([[target, '"x']]));
    const head = bytes(before.slice(0, -1)); // the JSON up to the open string
    cases.push(jsonCase(`invalid UTF-8 ${sequence.map((b) => b.toString(16)).join(" ")} in ${target}`,
      new Uint8Array([...head, ...sequence, ...bytes('"}')])));
  }

  const form = multipart(baseline);
  cases.push({ label: "JSON as text/plain", body: bytes(baselineText), contentType: "text/plain" });
  cases.push({ label: "JSON without content type", body: bytes(baselineText) });
  cases.push({ label: "JSON as application/xml", body: bytes(baselineText), contentType: "application/xml" });
  cases.push({ label: "JSON as utf-16 JSON", body: bytes(baselineText), contentType: "application/json; charset=utf-16" });
  cases.push({ label: "form-urlencoded", body: bytes(formText(baseline)), contentType: "application/x-www-form-urlencoded" });
  cases.push({ label: "form with bad escapes", body: bytes(`${formText(baseline)}&bad=%ZZ%&%E0%A4%A`), contentType: "application/x-www-form-urlencoded" });
  cases.push({ label: "form with arrays and duplicates", body: bytes(`${target}[]=a&${target}[]=b&${target}=c&${target}=d&x[y][z]=1`), contentType: "application/x-www-form-urlencoded" });
  cases.push({ label: "JSON as form", body: bytes(baselineText), contentType: "application/x-www-form-urlencoded" });
  cases.push({ label: "multipart", body: bytes(form.text), contentType: form.type });
  cases.push({ label: "multipart without closing boundary", body: bytes(form.text.slice(0, -24)), contentType: form.type });
  cases.push({ label: "multipart without boundary", body: bytes(form.text), contentType: "multipart/form-data" });

  cases.push(jsonCase(`200 KB ${target}`, objectText(withMember(target, hugeString(200_000)))));
  cases.push(jsonCase(`1 MB ${target} (over the limit)`, objectText(withMember(target, hugeString(1_048_576))), { expectStatus: 413 }));
  cases.push({ label: "1.5 MB chunked (over the limit, no length)", streamBytes: 1_572_864, contentType: JSON_TYPE, expectStatus: 413 });
  cases.push({ ...jsonCase("query array on a POST", baselineText), query: `?${target}=a&${target}=b&currentURL=%00` });
  return cases;
}

/** Cases for a GET operation: its query parameters with odd values, arrays, duplicates and unknown names. */
function queryCases(op, rng, depth) {
  const names = queryParameters(op.path);
  const cases = [{ label: "no query" }, { label: "unknown parameters", query: "?x=1&x=2&__proto__[a]=1&constructor=1" }];
  for (const name of names) {
    for (const value of rng.sample(oddQueryValues, depth.queryValues)) cases.push({ label: `${name}=${value.slice(0, 16)}`, query: `?${name}=${value}` });
    cases.push({ label: `${name} twice`, query: `?${name}=a&${name}=b` });
    cases.push({ label: `${name}[]`, query: `?${name}[]=a&${name}[]=b` });
    cases.push({ label: `${name}[key]`, query: `?${name}[key]=a` });
  }
  if (names.length > 1) cases.push({ label: "all parameters odd", query: `?${names.map((n) => `${n}=${rng.pick(oddQueryValues)}`).join("&")}` });
  cases.push({ label: "JSON content type, no body", contentType: JSON_TYPE });
  return cases;
}

/** Hostile headers every operation gets: forged and oversized cookies, bad bearer tokens, a foreign origin. */
function headerCases(op) {
  const body = op.method === "GET" ? {} : { body: bytes("{}"), contentType: JSON_TYPE };
  return [
    { label: "forged session cookie", headers: { cookie: "better-auth.session_token=abc.def" }, replaceCookie: true, ...body },
    { label: "signature-shaped forged cookie", headers: { cookie: `better-auth.session_token=${"a".repeat(32)}.${"A".repeat(43)}%3D; better-auth.session_data=%%%` }, replaceCookie: true, ...body },
    { label: "oversized cookie", headers: { cookie: `better-auth.session_token=${"x".repeat(6000)}` }, replaceCookie: true, ...body },
    { label: "bearer garbage", headers: { authorization: "Bearer not.a=token%ZZ" }, ...body },
    { label: "bearer empty", headers: { authorization: "Bearer " }, ...body },
    { label: "basic auth", headers: { authorization: "Basic Og==" }, ...body },
    { label: "foreign origin", headers: { origin: "http://evil.example", "x-forwarded-for": "not-an-ip, 999.1.1.1" }, ...body },
    { label: "null origin", headers: { origin: "null", referer: "::::" }, ...body },
  ];
}

/**
 * Every case for one operation. `depth` bounds how many values are sampled per field (the signed-out pass uses
 * more than the signed-in ones). A case: { label, method, path, query, headers, body, contentType, streamBytes }.
 */
export function casesFor(op, { context, seed, depth }) {
  const rng = seededRandom(seed);
  const withPath = (c, path = op.path) => ({ method: op.method, path, query: "", headers: {}, ...c });
  let cases;
  if (op.path.includes("{token}")) {
    cases = oddPathValues.map((value) => withPath({ label: `token=${value.slice(0, 16)}` }, op.path.replace("{token}", value)));
    cases.push(...queryCases(op, rng, depth).map((c) => withPath(c, op.path.replace("{token}", "fuzz-token"))));
  } else if (op.method === "GET") {
    cases = queryCases(op, rng, depth).map((c) => withPath(c));
  } else {
    cases = bodyCases(op, context, rng, depth).map((c) => withPath(c));
  }
  const concretePath = op.path.replace("{token}", "fuzz-token");
  cases.push(...headerCases(op).map((c) => withPath(c, concretePath)));
  cases.push(withPath({ label: "wrong method", method: op.method === "GET" ? "DELETE" : "PUT" }, concretePath));
  return cases;
}
