// The OpenAPI document our server generates from its endpoint declarations, against the API spec
// (../shared/spec/better-auth-api.md): every one of the 80 operations with its method, path, tag and every request
// field of the spec, required exactly where the spec requires it. Prints "operations: N/80". Also checks the Scalar
// reference page: its pinned script served here, and in Chromium, rendered with no request elsewhere.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { chromium } from "playwright-core";
import { startOurs } from "../lib/servers.mjs";
import { loadSpecOperations, operationKey } from "../lib/spec.mjs";

const EXPECTED = 80;
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"];
let server;

before(async () => {
  server = await startOurs();
});

after(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dir, { recursive: true, force: true });
});

/** What is wrong with one spec operation in the document; empty when it is fully covered. */
function problemsOf(op, paths) {
  const operation = paths[op.path]?.[op.method.toLowerCase()];
  if (!operation) return [`${operationKey(op)}: missing`];
  const problems = [];
  if (operation.tags?.[0] !== op.tag) problems.push(`${operationKey(op)}: tag ${JSON.stringify(operation.tags)} is not ${op.tag}`);
  if (!operation.operationId) problems.push(`${operationKey(op)}: no operationId`);
  const schema = operation.requestBody?.content?.["application/json"]?.schema ?? {};
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  for (const field of op.body) {
    if (!(field.name in properties)) problems.push(`${operationKey(op)}: body field ${field.name} missing`);
    else if (required.has(field.name) !== field.required)
      problems.push(`${operationKey(op)}: body field ${field.name} is ${field.required ? "required" : "optional"} in the spec`);
  }
  for (const name of required) {
    if (!op.body.some((f) => f.name === name)) problems.push(`${operationKey(op)}: ${name} is required here but not in the spec`);
  }
  return problems;
}

describe("OpenAPI document", () => {
  test("covers every operation of the spec", async () => {
    const spec = loadSpecOperations();
    assert.equal(spec.length, EXPECTED, "the spec should list 80 operations");

    const res = await fetch(`${server.apiURL}/open-api/generate-schema`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const document = await res.json();
    assert.match(document.openapi, /^3\.1\./);
    assert.equal(document.servers?.[0]?.url, server.apiURL);

    const problems = [];
    let covered = 0;
    for (const op of spec) {
      const found = problemsOf(op, document.paths ?? {});
      problems.push(...found);
      if (found.length === 0) covered++;
    }
    console.log(`operations: ${covered}/${EXPECTED}`);
    assert.deepEqual(problems, []);
    assert.equal(covered, EXPECTED);
  });

  test("the reference page loads the pinned local Scalar script under a policy with no external host", async () => {
    const res = await fetch(`${server.apiURL}/reference`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    const html = await res.text();
    assert.match(html, /^<!doctype html>/i);
    assert.ok(html.includes('data-url="/api/auth/open-api/generate-schema"'), "the page should point Scalar at the document");
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self';/);
    // The only host the policy names is the server's own (for "try it" calls to the configured base URL).
    assert.deepEqual([...csp.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s;]+/g)].map((m) => m[0]), [server.baseURL]);

    // The script is served here, and is what the page's integrity attribute names (a browser refuses it otherwise).
    const [, src, integrity] = /<script src="([^"]+)" integrity="(sha384-[^"]+)"><\/script>/.exec(html) ?? [];
    assert.match(src ?? "", /^\/api\/auth\/reference\/scalar-api-reference-[\d.]+\.js$/);
    const script = await fetch(server.baseURL + src);
    assert.equal(script.status, 200);
    assert.match(script.headers.get("content-type") ?? "", /^text\/javascript/);
    const digest = crypto.createHash("sha384").update(Buffer.from(await script.arrayBuffer())).digest("base64");
    assert.equal(`sha384-${digest}`, integrity);
  });

  test("in Chromium, the reference page renders the API from this server alone, with no policy violation", async () => {
    assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing: run scripts/setup.sh (apt-get install chromium)`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    try {
      const page = await browser.newPage();
      const foreign = [];
      const violations = [];
      page.on("request", (r) => { if (!r.url().startsWith(server.baseURL) && !/^(data|blob):/.test(r.url())) foreign.push(r.url()); });
      page.on("console", (m) => { if (/Content.Security.Policy|Refused to/i.test(m.text())) violations.push(m.text()); });
      await page.goto(`${server.apiURL}/reference`);
      // Scalar has loaded the document and lists its operations.
      await page.getByText("/sign-in/email").first().waitFor({ timeout: 60_000 });
      assert.deepEqual(violations, []);
      assert.deepEqual(foreign, []);
    } finally {
      await browser.close();
    }
  });
});
