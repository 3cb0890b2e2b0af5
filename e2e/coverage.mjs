// Operation coverage of an end-to-end run: reads the operation logs our servers wrote into a directory
// (BETTER_AUTH_COVERAGE_DIR → BETTER_AUTH_OPERATION_LOG_DIR, one "METHOD /route-template STATUS" line per request),
// maps them to the spec's operations and prints which were touched (with counts) and which were not.
// Usage: node coverage.mjs [dir]   (default: $BETTER_AUTH_COVERAGE_DIR). Exits 1 unless every operation was touched.
import fs from 'node:fs';
import path from 'node:path';
import { loadSpecOperations, operationKey } from './lib/spec.mjs';
import { referenceDir } from './lib/servers.mjs';

const dir = process.argv[2] ?? process.env.BETTER_AUTH_COVERAGE_DIR;
if (!dir || !fs.existsSync(dir)) {
  console.error(`coverage: no operation log directory (${dir ?? 'pass one or set BETTER_AUTH_COVERAGE_DIR'})`);
  process.exit(2);
}

/** key "METHOD /path" → { total, byStatus: Map<status, count> } */
function readLogs(directory) {
  const served = new Map();
  for (const name of fs.readdirSync(directory)) {
    const file = path.join(directory, name);
    if (!fs.statSync(file).isFile()) continue;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = /^(\S+) (\S+) (\d{3})$/.exec(line.trim());
      if (!m) continue;
      const key = `${m[1]} ${m[2]}`;
      const entry = served.get(key) ?? { total: 0, byStatus: new Map() };
      entry.total++;
      entry.byStatus.set(m[3], (entry.byStatus.get(m[3]) ?? 0) + 1);
      served.set(key, entry);
    }
  }
  return served;
}

const statuses = (entry) => [...entry.byStatus].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}×${n}`).join(' ');

const operations = loadSpecOperations();
const served = readLogs(dir);
const specKeys = new Set(operations.map(operationKey));
const width = Math.max(...operations.map((op) => operationKey(op).length)) + 2;

console.log(`${'operation'.padEnd(width)}${'requests'.padStart(8)}  statuses`);
const untouched = [];
for (const op of operations) {
  const key = operationKey(op);
  const entry = served.get(key);
  if (!entry) { untouched.push(key); continue; }
  console.log(`${key.padEnd(width)}${String(entry.total).padStart(8)}  ${statuses(entry)}`);
}
if (untouched.length) {
  console.log('\nuntouched:');
  for (const key of untouched) console.log(`  ${key}`);
}
// Better Auth's plugins outside the spec (../shared/reference/EXTRA-ROUTES.txt): counted in a table of their own.
const extraFile = path.join(referenceDir, 'EXTRA-ROUTES.txt');
const extraKeys = fs.existsSync(extraFile)
  ? fs.readFileSync(extraFile, 'utf8').split('\n').map((l) => /^(GET|POST) (\S+)/.exec(l)).filter(Boolean).map((m) => `${m[1]} ${m[2]}`)
  : [];
if (extraKeys.length) {
  console.log('\nextra plugin operations (outside the spec):');
  for (const key of extraKeys) {
    const entry = served.get(key);
    console.log(`  ${key.padEnd(width)}${String(entry?.total ?? 0).padStart(8)}  ${entry ? statuses(entry) : 'untouched'}`);
  }
  console.log(`extra operations: ${extraKeys.filter((key) => served.has(key)).length}/${extraKeys.length}`);
}
const extra = [...served.keys()].filter((key) => !specKeys.has(key) && !extraKeys.includes(key)).sort();
if (extra.length) {
  console.log('\nserved outside the spec (later Better Auth names, OAuth callbacks):');
  for (const key of extra) console.log(`  ${key.padEnd(width)}${String(served.get(key).total).padStart(8)}  ${statuses(served.get(key))}`);
}
// Fuzzing reaches every operation with bad input; this tells which were also seen doing their job (2xx/3xx).
const succeeded = (entry) => [...entry.byStatus.keys()].some((status) => status < '400');
const onlyErrors = operations.map(operationKey).filter((key) => served.has(key) && !succeeded(served.get(key)));
if (onlyErrors.length) {
  console.log('\nreached only with error answers (4xx/5xx):');
  for (const key of onlyErrors) console.log(`  ${key}`);
}
const touched = operations.length - untouched.length;
console.log(`\nanswered with success: ${touched - onlyErrors.length}/${operations.length}`);
console.log(`coverage: ${touched}/${operations.length}`);
process.exit(untouched.length === 0 ? 0 : 1);
