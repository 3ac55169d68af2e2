/**
 * How a hidden test's result is compared with its expected value: the comparisons an assignment's
 * grading spec declares (format.ts), used when the assignment is generated (expected.ts checks its
 * own reference solution) and when submissions are graded (autograde/score.ts).
 */
import type { Comparison, CreditBand, JsonValue } from "./format";

/** The verdict on one hidden test case: the credit earned (0..1) and what to tell the student. */
export interface CaseVerdict {
  /** Fraction of the case's weight earned, 0..1. */
  credit: number;
  /** One line for the feedback: why it passed or failed (never the expected value). */
  message: string;
  /** CS231n relative error over all numeric leaves, when the comparison is numeric. */
  relativeError?: number;
  /** Where the relative error is largest, e.g. "[1][0]" or ".nextW[2]". */
  worstElement?: string;
}

/** A numeric leaf of a result, with its path for messages. */
interface Leaf {
  path: string;
  value: number;
}

/** Why two results cannot be compared element by element (shape or type mismatch), or null. */
function structureMismatch(actual: JsonValue, expected: JsonValue, at: string): string | null {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `expected an array at ${at || "the top level"}, got ${describe(actual)}`;
    if (actual.length !== expected.length) return `expected ${expected.length} elements at ${at || "the top level"}, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const inner = structureMismatch(actual[i], expected[i], `${at}[${i}]`);
      if (inner) return inner;
    }
    return null;
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return `expected an object at ${at || "the top level"}, got ${describe(actual)}`;
    for (const key of Object.keys(expected)) {
      if (!Object.prototype.hasOwnProperty.call(actual, key)) return `missing field "${key}" at ${at || "the top level"}`;
      const inner = structureMismatch(actual[key], expected[key], `${at}.${key}`);
      if (inner) return inner;
    }
    return null;
  }
  if (typeof expected === "number") return typeof actual === "number" ? null : `expected a number at ${at || "the top level"}, got ${describe(actual)}`;
  return null;
}

function describe(value: JsonValue): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value === "object" ? "an object" : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

function leaves(value: JsonValue, at: string, out: Leaf[]): Leaf[] {
  if (typeof value === "number") out.push({ path: at, value });
  else if (Array.isArray(value)) value.forEach((item, i) => leaves(item, `${at}[${i}]`, out));
  else if (value !== null && typeof value === "object") for (const key of Object.keys(value)) leaves(value[key], `${at}.${key}`, out);
  return out;
}

/**
 * CS231n's relative error between two results of the same structure, and its worst element:
 *
 *   rel_error(x, y) = max_i |x_i - y_i| / max(1e-8, |x_i| + |y_i|)
 *
 * A NaN or infinite element of `actual` counts as error Infinity (equal infinities count as 0).
 * Example: relativeError([1, 2], [1, 2.2]) -> { error: 0.0476..., worst: "[1]" }.
 */
export function relativeError(actual: JsonValue, expected: JsonValue): { error: number; worst: string } {
  const a = leaves(actual, "", []);
  const e = leaves(expected, "", []);
  let error = 0;
  let worst = a.length > 0 ? a[0].path : "";
  for (let i = 0; i < e.length; i++) {
    const x = a[i]?.value ?? NaN;
    const y = e[i].value;
    let err: number;
    if (x === y) err = 0;
    else if (!Number.isFinite(x) || !Number.isFinite(y)) err = Infinity;
    else err = Math.abs(x - y) / Math.max(1e-8, Math.abs(x) + Math.abs(y));
    if (err > error || Number.isNaN(err)) {
      error = Number.isNaN(err) ? Infinity : err;
      worst = e[i].path;
    }
  }
  return { error, worst };
}

/** Credit of the first band (increasing maxRelativeError) that the error does not exceed; 0 if none. */
export function bandCredit(error: number, bands: CreditBand[]): number {
  const sorted = [...bands].sort((p, q) => p.maxRelativeError - q.maxRelativeError);
  for (const band of sorted) if (error <= band.maxRelativeError) return Math.min(1, Math.max(0, band.credit));
  return 0;
}

function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = Object.keys(b);
    return keys.length === Object.keys(a).length && keys.every((k) => Object.prototype.hasOwnProperty.call(a, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

const fmt = (x: number): string => (Number.isFinite(x) ? x.toExponential(2) : String(x));

/**
 * Compares a student's result with the expected one (computed by the instructor's solution, in
 * the grader process) and returns the credit. Runs only in the grader: nothing here is sent to
 * the student's kernel.
 *
 * Example: compareResult([1, 2], [1, 2], { kind: "relative-error", threshold: 1e-7 }).credit === 1
 */
export function compareResult(actual: JsonValue, expected: JsonValue | undefined, comparison: Comparison): CaseVerdict {
  if (expected === undefined) return { credit: 0, message: "the grading spec has no expected value for this case; ask the instructor to regenerate it" };
  if (comparison.kind === "gradient-check") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual) || !("analytic" in actual)) {
      return { credit: 0, message: `the gradient check must give { analytic, numeric }, got ${describe(actual)}` };
    }
    // expected: the numeric gradient of the solution's forward pass at the same inputs
    const mismatch = structureMismatch(actual.analytic, expected, "");
    if (mismatch) return { credit: 0, message: `wrong gradient shape: ${mismatch}` };
    const { error, worst } = relativeError(actual.analytic, expected);
    const credit = bandCredit(error, comparison.bands);
    return {
      credit,
      relativeError: error,
      worstElement: worst,
      message: `gradient check against the numeric gradient: relative error ${fmt(error)} (worst element ${worst || "the value"}), credit ${Math.round(credit * 100)}%`,
    };
  }
  if (comparison.kind === "exact") {
    return deepEqual(actual, expected) ? { credit: 1, message: "correct" } : { credit: 0, message: `wrong result (${describe(actual)})` };
  }
  const mismatch = structureMismatch(actual, expected, "");
  if (mismatch) return { credit: 0, message: `wrong shape: ${mismatch}` };
  if (leaves(expected, "", []).length === 0) {
    return deepEqual(actual, expected) ? { credit: 1, message: "correct" } : { credit: 0, message: "wrong result" };
  }
  const { error, worst } = relativeError(actual, expected);
  const credit = error <= comparison.threshold ? 1 : comparison.bands ? bandCredit(error, comparison.bands) : 0;
  const where = worst ? ` (worst element ${worst})` : "";
  const verdict = credit === 1 ? "correct" : credit > 0 ? `partly correct, credit ${Math.round(credit * 100)}%` : "wrong";
  return { credit, relativeError: error, worstElement: worst, message: `${verdict}: relative error ${fmt(error)}${where}, threshold ${fmt(comparison.threshold)}` };
}
