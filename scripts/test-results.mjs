#!/usr/bin/env node
// Counts tests from the runners' own result files, not from console text, and prints one line per file, the failed
// tests by name, and last "N passed, M failed" (the line CI shows). Exit code 1 when anything failed or a file is
// missing or unreadable (a suite that wrote no results counts as one failure, so it cannot vanish from the count).
//   node scripts/test-results.mjs <file>...
//   .trx  dotnet test --logger trx: every UnitTestResult by its outcome (NotExecuted is skipped)
//   .tap  TAP: node --test's own summary (# pass, # fail, # cancelled, # skipped, # todo; a cancelled test, e.g. a
//         timeout, is a failure), or, in a file without one, its top-level test points (ok / not ok, # SKIP)
import fs from "node:fs";
import path from "node:path";

const decode = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
const attribute = (attrs, name) => {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(attrs);
  return m ? decode(m[1]) : undefined;
};

function fromTrx(text) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const m of text.matchAll(/<UnitTestResult\b([^>]*)>/g)) {
    const outcome = attribute(m[1], "outcome");
    if (outcome === "Passed") counts.passed++;
    else if (outcome === "NotExecuted") counts.skipped++;
    else { counts.failed++; counts.failures.push(attribute(m[1], "testName") ?? "(unnamed test)"); }
  }
  return counts;
}

function fromTap(text) {
  const lines = text.split("\n");
  const failures = [];
  const subtests = [];
  for (const line of lines) {
    const depth = /^( *)/.exec(line)[1].length / 4;
    const subtest = /^ *# Subtest: (.*)$/.exec(line);
    if (subtest) { subtests[depth] = subtest[1]; subtests.length = depth + 1; continue; }
    const point = /^ *not ok \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$/.exec(line);
    if (point && !point[2]) failures.push([...subtests.slice(0, depth), point[1]].join(" > "));
  }
  // A failed parent fails with its failed children: name the deepest failures (a parent that failed on its own stays).
  const deepest = failures.filter((f) => !failures.some((g) => g.startsWith(`${f} > `)));
  const summary = (name) => {
    const m = new RegExp(`^# ${name} (\\d+)\\s*$`, "m").exec(text);
    return m ? Number(m[1]) : undefined;
  };
  if (summary("tests") !== undefined) {
    return {
      passed: summary("pass") ?? 0,
      failed: (summary("fail") ?? 0) + (summary("cancelled") ?? 0),
      skipped: (summary("skipped") ?? 0) + (summary("todo") ?? 0),
      failures: deepest,
    };
  }
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const m of text.matchAll(/^(not )?ok \d+(?: - (.*?))?(?: # (SKIP|TODO)\b.*)?$/gm)) {
    if (m[3]) counts.skipped++;
    else if (m[1]) { counts.failed++; counts.failures.push(m[2] ?? "(unnamed test)"); }
    else counts.passed++;
  }
  return counts;
}

export function count(file) {
  let text;
  try { text = fs.readFileSync(file, "utf8"); } catch { return { passed: 0, failed: 1, skipped: 0, failures: [`${file}: no result file`] }; }
  const counts = file.endsWith(".trx") ? fromTrx(text) : fromTap(text);
  if (counts.passed + counts.failed + counts.skipped === 0) return { ...counts, failed: 1, failures: [`${file}: no tests recorded`] };
  return counts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  let passed = 0, failed = 0;
  for (const file of process.argv.slice(2)) {
    const c = count(file);
    passed += c.passed; failed += c.failed;
    console.log(`${path.basename(file)}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`);
    for (const name of c.failures) console.log(`  FAILED ${name}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}
