// Compares the reference's recordings with ours, step by step and field by field, applies the allow-list and
// writes the report: every disagreement side by side, `group: N/M steps agree` per group, `N/M steps agree` last.

const ABSENT = Symbol("absent");
const PLACEHOLDER = /<(?:id|token|otp):\d+>/g;

/**
 * Placeholders are numbered per server in order of first appearance, so one extra token on one side would shift
 * every later number. Instead of literal equality, "<token:6>" on the reference matches "<token:5>" on ours if
 * that pairing is consistent (one-to-one) with every earlier pairing in the same group.
 */
export class Binder {
  constructor() { this.refToOurs = new Map(); this.oursToRef = new Map(); }
  /** True when a and b are the same text apart from consistently paired placeholders (the pairs are then kept). */
  match(a, b) {
    if (a.replace(PLACEHOLDER, "<>") !== b.replace(PLACEHOLDER, "<>")) return false;
    const pa = a.match(PLACEHOLDER) ?? [];
    const pb = b.match(PLACEHOLDER) ?? [];
    const kind = (p) => p.slice(1, p.indexOf(":"));
    const pairs = pa.map((x, i) => [x, pb[i]]);
    const ok = pairs.every(([x, y]) => kind(x) === kind(y) &&
      (this.refToOurs.get(x) ?? y) === y && (this.oursToRef.get(y) ?? x) === x);
    if (ok) for (const [x, y] of pairs) { this.refToOurs.set(x, y); this.oursToRef.set(y, x); }
    return ok;
  }
}

/** Every leaf where a and b differ, as [path, aValue, bValue]; a missing key or index gives ABSENT. */
export function diff(a, b, path = "", binder = new Binder()) {
  if (typeof a === "string" && typeof b === "string") return binder.match(a, b) ? [] : [[path, a, b]];
  if (Object.is(a, b)) return [];
  const isObj = (v) => v !== null && typeof v === "object";
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const out = [];
    if (Array.isArray(a) && a.length !== b.length) out.push([`${path}.length`, a.length, b.length]);
    const keys = Array.isArray(a)
      ? [...Array(Math.min(a.length, b.length)).keys()]
      : [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const sub = Array.isArray(a) ? `${path}[${k}]` : !/^[A-Za-z_$][\w$]*$/.test(k) ? `${path}[${JSON.stringify(k)}]` : path ? `${path}.${k}` : k;
      out.push(...diff(k in a ? a[k] : ABSENT, k in b ? b[k] : ABSENT, sub, binder));
    }
    return out;
  }
  return [[path, a, b]];
}

function glob(pattern, text) {
  const re = new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return re.test(text);
}

/**
 * The allow-list entry covering a difference (or an ours-only step), if any. An entry's optional
 * `when(ref, ours)` narrows it to certain values (an absent field is passed as undefined).
 */
function allowedBy(allowlist, key, field, oursOnly = false, ref, ours) {
  const value = (v) => (v === ABSENT ? undefined : v);
  return allowlist.find((e) => !!e.oursOnly === oursOnly && glob(e.step, key) &&
    (oursOnly || ([].concat(e.field ?? "*").some((f) => glob(f, field)) && (!e.when || e.when(value(ref), value(ours))))));
}

/** The compared part of a record. */
const view = (r) => (r.error !== undefined ? { error: r.error }
  : { status: r.status, body: r.body, cookies: r.cookies, location: r.location, headers: r.headers });

/**
 * @param {object[]} reference  records from the reference
 * @param {object[]} ours       records from our server
 * @param {object[]} allowlist  [{ step, field?, reason, oursOnly? }] with `*` globs; step = "group/step name"
 * @returns {{ steps: object[], agree: number, total: number, ok: boolean, usedEntries: Set<object> }}
 */
export function compare(reference, ours, allowlist = []) {
  const refByKey = new Map(reference.map((r) => [r.key, r]));
  const oursByKey = new Map(ours.map((r) => [r.key, r]));
  const keys = [...new Set([...reference.map((r) => r.key), ...ours.map((r) => r.key)])];
  const usedEntries = new Set();
  const binders = new Map(); // group -> Binder
  const steps = [];
  for (const key of keys) {
    const ref = refByKey.get(key);
    const our = oursByKey.get(key);
    const rec = our ?? ref;
    const step = { key, group: rec.group, step: rec.step, request: rec.request, differences: [], allowed: [], problems: [] };
    if (rec.step === "<scenario error>") step.problems.push(`scenario threw on ${ref ? "the reference" : "ours"}: ${rec.error}`);
    for (const f of our?.expectFailures ?? []) step.problems.push(`ours: ${f}`);
    for (const f of ref?.expectFailures ?? []) step.problems.push(`reference: ${f}`);
    if (our?.only === "ours" && !ref) {
      const entry = allowedBy(allowlist, key, "*", true);
      if (entry) { usedEntries.add(entry); step.allowed.push({ field: "(not run on the reference)", ref: ABSENT, ours: view(our), reason: entry.reason }); }
      else step.problems.push("ours-only step without an allow-list entry");
    } else if (!ref || !our) {
      step.differences.push({ field: "(step)", ref: ref ? "recorded" : "missing", ours: our ? "recorded" : "missing" });
    } else {
      if (!binders.has(rec.group)) binders.set(rec.group, new Binder());
      for (const [field, a, b] of diff(view(ref), view(our), "", binders.get(rec.group))) {
        const entry = allowedBy(allowlist, key, field, false, a, b);
        if (entry) { usedEntries.add(entry); step.allowed.push({ field, ref: a, ours: b, reason: entry.reason }); }
        else step.differences.push({ field, ref: a, ours: b });
      }
    }
    step.agrees = step.differences.length === 0 && step.problems.length === 0;
    steps.push(step);
  }
  const agree = steps.filter((s) => s.agrees).length;
  return { steps, agree, total: steps.length, ok: agree === steps.length, usedEntries };
}

const show = (v) => (v === ABSENT ? "(absent)" : v === undefined ? "(none)" : JSON.stringify(v));

/** The human-readable report; the last line is `N/M steps agree`. */
export function report(result, { allowlist = [], verbose = false } = {}) {
  const lines = [];
  const groups = [...new Set(result.steps.map((s) => s.group))];
  for (const group of groups) {
    const steps = result.steps.filter((s) => s.group === group);
    for (const s of steps) {
      if (!s.agrees) {
        lines.push(`✗ ${s.key}  (${s.request})`);
        for (const p of s.problems) lines.push(`    ${p}`);
        const width = Math.max(12, ...s.differences.map((d) => d.field.length));
        for (const d of s.differences) lines.push(`    ${d.field.padEnd(width)}  reference: ${show(d.ref)}  |  ours: ${show(d.ours)}`);
      }
      if (verbose && s.allowed.length) {
        if (s.agrees) lines.push(`~ ${s.key}  (${s.request})`);
        for (const a of s.allowed) lines.push(`    ~ ${a.field}  reference: ${show(a.ref)}  |  ours: ${show(a.ours)}  (allowed: ${a.reason})`);
      } else if (!s.agrees && s.allowed.length) lines.push(`    (+${s.allowed.length} allowed differences; --verbose shows them)`);
    }
    lines.push(`${group}: ${steps.filter((s) => s.agrees).length}/${steps.length} steps agree`);
  }
  for (const e of allowlist.filter((x) => result.usedEntries.has(x))) {
    const n = result.steps.filter((s) => s.allowed.some((a) => a.reason === e.reason)).length;
    lines.push(`allowed in ${n} step(s): ${e.step} ${[].concat(e.field ?? "").join(",").slice(0, 60)} — ${e.reason}`);
  }
  // Entries for groups this run did not include (another run's plugins) are not worth a note.
  const ranGroup = (e) => result.steps.some((s) => glob(e.step.split("/")[0], s.group));
  const unused = allowlist.filter((e) => !result.usedEntries.has(e) && ranGroup(e));
  for (const e of unused) lines.push(`note: allow-list entry not needed in this run: ${e.step} ${e.field ?? ""}`);
  lines.push(`${result.agree}/${result.total} steps agree`);
  return lines.join("\n");
}
