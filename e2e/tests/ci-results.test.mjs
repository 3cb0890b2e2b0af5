// scripts/test-results.mjs: CI's closing "N passed, M failed" line is counted from the runners' result files (dotnet
// TRX, node's TAP, the package check's TAP). Fixtures here are in each runner's format.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { count } from "../../scripts/test-results.mjs";

function file(name, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ci-results-"));
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

test("a TRX file counts each result by its outcome and names the failed tests", () => {
  const trx = `<?xml version="1.0" encoding="utf-8"?>
<TestRun><Results>
  <UnitTestResult testId="1" testName="A.Passes" outcome="Passed" />
  <UnitTestResult testId="2" testName="A.Fails(&quot;x&quot;)" outcome="Failed"><Output /></UnitTestResult>
  <UnitTestResult testId="3" testName="A.Skipped" outcome="NotExecuted" />
  <UnitTestResult testId="4" testName="A.AlsoPasses" outcome="Passed" />
</Results></TestRun>`;
  assert.deepEqual(count(file("r.trx", trx)), { passed: 2, failed: 1, skipped: 1, failures: ['A.Fails("x")'] });
});

test("node's TAP counts from its own summary; a cancelled test (a timeout) is a failure, named by its path", () => {
  const tap = [
    "TAP version 13",
    "# Subtest: suite",
    "    # Subtest: leaf",
    "    not ok 1 - leaf",
    "not ok 1 - suite",
    "# Subtest: slow",
    "not ok 2 - slow",
    "ok 3 - fine",
    "1..3",
    "# tests 4", "# suites 1", "# pass 1", "# fail 1", "# cancelled 1", "# skipped 0", "# todo 0",
  ].join("\n");
  assert.deepEqual(count(file("n.tap", tap)), { passed: 1, failed: 2, skipped: 0, failures: ["suite > leaf", "slow"] });
});

test("a TAP file without a summary counts its top-level test points", () => {
  const tap = "TAP version 13\nok 1 - packed\nnot ok 2 - sample builds\nok 3 - template # SKIP no feed\n1..3\n";
  assert.deepEqual(count(file("p.tap", tap)), { passed: 1, failed: 1, skipped: 1, failures: ["sample builds"] });
});

test("a missing or empty result file is a failure, so a suite cannot drop out of the count", () => {
  assert.equal(count(path.join(os.tmpdir(), "no-such-results.tap")).failed, 1);
  assert.equal(count(file("e.tap", "TAP version 13\n")).failed, 1);
});
