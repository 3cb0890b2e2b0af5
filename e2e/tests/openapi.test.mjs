// The OpenAPI document our server generates from its endpoint declarations, against the API spec
// (../shared/spec/better-auth-api.md): every one of the 80 operations with its method, path, tag and every request
// field of the spec, required exactly where the spec requires it. Prints "operations: N/80". Also checks the Scalar
// reference page.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { startOurs } from "../lib/servers.mjs";
import { loadSpecOperations, operationKey } from "../lib/spec.mjs";

const EXPECTED = 80;
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

  test("the reference page is HTML that loads the document", async () => {
    const res = await fetch(`${server.apiURL}/reference`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    const html = await res.text();
    assert.match(html, /^<!doctype html>/i);
    assert.ok(html.includes('data-url="/api/auth/open-api/generate-schema"'), "the page should point Scalar at the document");
    assert.match(res.headers.get("content-security-policy") ?? "", /script-src https:\/\/cdn\.jsdelivr\.net;/);
  });
});
