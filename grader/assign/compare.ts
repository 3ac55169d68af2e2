/**
 * Comparing a hidden test's result with the expected value, as the spec's {@link Comparison}
 * says. Relative error is CS231n's: max_i |x_i - y_i| / max(1e-8, |x_i| + |y_i|).
 */
import type { Comparison, CreditBand, JsonValue } from "./format";

/** The outcome of one comparison: credit 0..1 and a message a student can act on. */
export interface ComparisonOutcome {
  credit: number;
  /** The largest relative error over all numbers (relative-error and gradient-check kinds). */
  relativeError?: number;
  /** Where the largest error is, e.g. "[1][2]" or ".nextW[3]". */
  worstAt?: string;
  message: string;
}

/** A structural mismatch (shape, keys, type) found while walking two values. */
class Mismatch extends Error {}

/** Walks two JSON values in step and returns the worst relative error and where it is. */
function worstRelativeError(actual: JsonValue, expected: JsonValue, at: string): { error: number; at: string } {
  if (typeof expected === "number") {
    if (typeof actual !== "number") throw new Mismatch(`${at || "the result"} should be a number but is ${describe(actual)}`);
    // rel_error = |x - y| / max(1e-8, |x| + |y|)
    const error = Math.abs(actual - expected) / Math.max(1e-8, Math.abs(actual) + Math.abs(expected));
    return { error: Number.isNaN(error) ? Infinity : error, at };
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new Mismatch(`${at || "the result"} should be an array of length ${expected.length} but is ${describe(actual)}`);
    if (actual.length !== expected.length) throw new Mismatch(`${at || "the result"} has length ${actual.length} but should have length ${expected.length} (shape ${shapeOf(actual)} vs ${shapeOf(expected)})`);
    let worst = { error: 0, at };
    expected.forEach((e, i) => {
      const r = worstRelativeError(actual[i], e, `${at}[${i}]`);
      if (r.error > worst.error || (i === 0 && worst.error === 0)) worst = r;
    });
    return worst;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) throw new Mismatch(`${at || "the result"} should be an object with keys ${Object.keys(expected).join(", ")} but is ${describe(actual)}`);
    let worst = { error: 0, at };
    for (const key of Object.keys(expected)) {
      if (!(key in actual)) throw new Mismatch(`${at || "the result"} lacks the key "${key}"`);
      const r = worstRelativeError(actual[key], expected[key], `${at}.${key}`);
      if (r.error > worst.error) worst = r;
    }
    return worst;
  }
  if (actual !== expected) throw new Mismatch(`${at || "the result"} is ${JSON.stringify(actual)} but should be ${JSON.stringify(expected)}`);
  return { error: 0, at };
}

function shapeOf(value: JsonValue): string {
  const dims: number[] = [];
  let v: JsonValue = value;
  while (Array.isArray(v)) {
    dims.push(v.length);
    v = v[0];
  }
  return `(${dims.join(",")})`;
}

function describe(value: JsonValue): string {
  if (Array.isArray(value)) return `an array of shape ${shapeOf(value)}`;
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value)}`;
}

function bandCredit(error: number, bands: CreditBand[]): number {
  for (const band of bands) if (error <= band.maxRelativeError) return band.credit;
  return 0;
}

function deepEqual(a: JsonValue, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Compares a result with the expected value (or, for gradient-check, the result's `analytic`
 * with its `numeric`).
 *
 * @example
 * compareValues([1, 2.0000001], [1, 2], { kind: "relative-error", threshold: 1e-7 })
 * // { credit: 1, relativeError: 2.5e-8, worstAt: "[1]", message: "relative error 2.5e-8 <= 1e-7" }
 */
export function compareValues(actual: JsonValue, expected: JsonValue | undefined, comparison: Comparison): ComparisonOutcome {
  try {
    if (comparison.kind === "exact") {
      const ok = expected !== undefined && deepEqual(actual, expected);
      return { credit: ok ? 1 : 0, message: ok ? "equal" : `got ${JSON.stringify(actual).slice(0, 200)}, expected a different value` };
    }
    if (comparison.kind === "gradient-check") {
      if (actual === null || typeof actual !== "object" || Array.isArray(actual) || !("analytic" in actual) || !("numeric" in actual)) {
        throw new Mismatch("a gradient check must return { analytic, numeric }");
      }
      const r = worstRelativeError(actual.analytic, actual.numeric, "");
      const credit = bandCredit(r.error, comparison.bands);
      return { credit, relativeError: r.error, worstAt: r.at, message: `analytic vs numeric gradient: relative error ${r.error.toExponential(2)}${r.at ? ` at ${r.at}` : ""}` };
    }
    if (expected === undefined) throw new Mismatch("no expected value was recorded for this case; re-run `workbook assign generate`");
    const r = worstRelativeError(actual, expected, "");
    const credit = comparison.bands ? bandCredit(r.error, comparison.bands) : r.error <= comparison.threshold ? 1 : 0;
    const verdict = r.error <= comparison.threshold ? "<=" : ">";
    return { credit, relativeError: r.error, worstAt: r.at, message: `relative error ${r.error.toExponential(2)} ${verdict} ${comparison.threshold}${r.at ? `, largest at ${r.at}` : ""}` };
  } catch (err) {
    if (err instanceof Mismatch) return { credit: 0, message: err.message };
    throw err;
  }
}
