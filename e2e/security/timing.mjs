// Latency comparison for the enumeration suite: two kinds of request (e.g. sign-in for a known and an unknown
// account) sent in pairs, each side first in half of them (seeded order), after a warm-up, compared by median, with one fresh re-measurement
// before a difference counts (a shared 2-core CI machine has bursts of noise that a median alone does not absorb).
import { performance } from "node:perf_hooks";
import { seededRandom } from "./random.mjs";

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `send()` once and returns { ms, status, body } (body as text). */
async function timed(send) {
  const started = performance.now();
  const res = await send();
  const body = await res.text();
  return { ms: performance.now() - started, status: res.status, body };
}

/**
 * Sends `a` and `b` `samples` times each, interleaved in a seeded order, after `warmup` rounds of each.
 * Returns the answers seen (status + body) and each side's latencies.
 */
export async function sampleInterleaved(a, b, { samples = 40, warmup = 5, seed = 7 } = {}) {
  for (let i = 0; i < warmup; i++) { await timed(a); await timed(b); }
  // Each side goes first in exactly half of the pairs (in a seeded order): the second request of a pair runs
  // while the server finishes the first one's work, and would otherwise bias whichever side is second more often.
  const firsts = seededRandom(seed).sample(Array.from({ length: samples }, (_, i) => (i % 2 ? "a" : "b")), samples);
  const result = { a: { ms: [], answers: new Set() }, b: { ms: [], answers: new Set() } };
  for (const first of firsts) {
    const order = first === "a" ? [["a", a], ["b", b]] : [["b", b], ["a", a]];
    for (const [side, send] of order) {
      const { ms, status, body } = await timed(send);
      result[side].ms.push(ms);
      result[side].answers.add(`${status} ${body}`);
    }
  }
  return result;
}

/** The mean of the middle half of the values (interquartile mean): as robust to outliers as the median, less noisy. */
export function interquartileMean(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.slice(Math.floor(sorted.length / 4), Math.ceil((3 * sorted.length) / 4));
  return middle.reduce((sum, v) => sum + v, 0) / middle.length;
}

/** Relative difference of two latencies, against the larger one. */
export const relativeDifference = (x, y) => Math.abs(x - y) / Math.max(x, y);

/**
 * Measures twice at most: passes when, in one measurement, the medians or the interquartile means of the two sides
 * are within `tolerance` of each other (a real gap shows in both; a burst of machine noise rarely spares both).
 * Returns { medians: [a, b], means: [a, b], difference, answers, attempts }, difference being the smaller of the two.
 */
export async function compareLatency(a, b, { tolerance = 0.1, ...options } = {}) {
  let last;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const sample = await sampleInterleaved(a, b, { ...options, seed: (options.seed ?? 7) + attempt });
    const medians = [median(sample.a.ms), median(sample.b.ms)];
    const means = [interquartileMean(sample.a.ms), interquartileMean(sample.b.ms)];
    last = {
      medians,
      means,
      difference: Math.min(relativeDifference(...medians), relativeDifference(...means)),
      answers: [[...sample.a.answers], [...sample.b.answers]],
      attempts: attempt,
    };
    if (last.difference <= tolerance) return last;
  }
  return last;
}
