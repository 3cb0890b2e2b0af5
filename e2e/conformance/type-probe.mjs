// Mistyped-field probe (a manual tool, not part of the test run): every POST operation of the reference's OpenAPI
// document gets each of its body fields as a number, boolean, object, array and null (the other required fields
// plausible), on the reference and on ours, each call by a fresh admin user. Prints the cases where the two answers
// differ, grouped: the reference crashes (500: ours stays a 4xx), the reference refuses an explicit null with
// VALIDATION_ERROR, and the rest (to match where the reference names the field's own error).
//   node conformance/type-probe.mjs [path-substring] [--json out.json]      (takes ~15 minutes for everything)
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { startServers } from "./run.mjs";
import { referenceDir } from "../lib/servers.mjs";

const PW = "password-1234";
const WRONG = { number: 42, bool: true, object: { a: 1 }, array: ["x"], null: null };
const args = process.argv.slice(2);
const out = args.includes("--json") ? args[args.indexOf("--json") + 1] : undefined;
const only = args.find((a) => !a.startsWith("--") && a !== out);
const spec = JSON.parse(fs.readFileSync(path.join(referenceDir, "openapi.json"), "utf8"));
const run = Date.now().toString(36);
let n = 0;

async function post(server, route, body, cookie) {
  const headers = { "content-type": "application/json", origin: server.baseURL, ...(cookie ? { cookie } : {}) };
  try {
    const r = await fetch(server.apiURL + route, { method: "POST", headers, body: JSON.stringify(body), redirect: "manual" });
    const text = await r.text();
    let json; try { json = JSON.parse(text); } catch {}
    return { status: r.status, code: json?.code, json, text, setCookie: r.headers.getSetCookie() };
  } catch (e) { return { status: "no answer", text: String(e.cause?.code ?? e.message) }; }
}

async function adminUser(server, email) {
  const r = await post(server, "/sign-up/email", { email, password: PW, name: "Probe" });
  execFileSync("sqlite3", [server.dbPath, `UPDATE "user" SET role = 'admin' WHERE email = '${email}'`]);
  return { id: r.json?.user?.id, email, cookie: r.setCookie.map((c) => c.split(";")[0]).join("; ") };
}

/** A plausible value for a required field that is not the one under test. */
function plausible(field, user) {
  const values = {
    email: user.email, newEmail: `new-${run}-${n}@example.com`, password: PW, currentPassword: PW, newPassword: "new-password-123",
    name: "Probe", provider: "google", providerId: "google", phoneNumber: "+15550100", code: "123456", otp: "123456",
    token: "x".repeat(32), type: "sign-in", username: `probe_${n}`, userId: user.id, role: "user", slug: `slug-${run}-${n}`,
    permissions: { user: ["list"] }, permission: { user: ["list"] }, data: {}, idToken: { token: "x" }, scopes: ["openid"],
  };
  return field in values ? values[field] : "x";
}

const answer = (r) => (r.status === 200 ? "200" : `${r.status} ${r.code ?? r.text.slice(0, 40)}`);
const servers = await startServers();
const rows = [];
try {
  for (const [route, methods] of Object.entries(spec.paths)) {
    const schema = methods.post?.requestBody?.content?.["application/json"]?.schema;
    if (!schema?.properties || (only && !route.includes(only))) continue;
    for (const field of Object.keys(schema.properties)) {
      for (const [kind, value] of Object.entries(WRONG)) {
        n++;
        const got = {};
        for (const side of ["reference", "ours"]) {
          const server = servers[side];
          const email = `probe-${run}-${n}@example.com`;
          const user = route === "/sign-up/email" ? { email, id: "none", cookie: "" } : await adminUser(server, email);
          const body = Object.fromEntries((schema.required ?? []).map((f) => [f, plausible(f, user)]));
          if (route === "/sign-up/email") Object.assign(body, { name: "Probe", password: PW, email });
          body[field] = value;
          got[side] = answer(await post(server, route, body, user.cookie));
        }
        rows.push({ route, field, kind, ...got });
      }
    }
  }
} finally {
  await servers.stop();
}

const differing = rows.filter((r) => r.reference !== r.ours);
const group = (r) => (r.reference.startsWith("500") ? "the reference crashes (ours stays a 4xx)"
  : r.kind === "null" && r.reference === "400 VALIDATION_ERROR" ? "the reference refuses an explicit null"
  : "other differences");
for (const title of ["other differences", "the reference refuses an explicit null", "the reference crashes (ours stays a 4xx)"]) {
  const list = differing.filter((r) => group(r) === title);
  console.log(`\n${title}: ${list.length}`);
  for (const r of list) console.log(`  ${r.route} ${r.field}=${r.kind}: reference ${r.reference} | ours ${r.ours}`);
}
console.log(`\n${rows.length} cases, ${differing.length} differ`);
if (out) fs.writeFileSync(out, JSON.stringify(rows, null, 1));
