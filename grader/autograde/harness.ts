import { randomBytes } from "crypto";
import type { IOutput } from "@jupyterlab/nbformat";
import type { JsonValue } from "../assign/format";

/** The MIME type under which a hidden-test call's result comes back from the student's kernel. */
export const RESULT_MIME = "application/vnd.dl-workbook.result+json";

/** Most numbers/strings one result may hold (a bigger result is reported as unreadable, scoring 0). */
export const RESULT_MAX_LEAVES = 1_000_000;
/** Deepest nesting of arrays/objects in one result. */
export const RESULT_MAX_DEPTH = 32;

/**
 * The grader's side of the result channel for one submission. Before any student code, the kernel
 * runs {@link HARNESS_FACTORY_CODE}, which keeps in a closure the primitives the harness needs (so a
 * student who later overrides JSON.stringify, Object.keys, Array.isArray, Object.prototype or Math
 * cannot change how results are encoded), and, as a user expression of that execution,
 * {@link armExpression}: it makes this run's harness, with a random nonce, and puts it on
 * `globalThis` under a random name as a read-only, non-configurable property, which no cell can
 * replace. Each hidden-test call is one cell whose value is the harness's report object; the
 * kernel renders it as an execute_result with {@link RESULT_MIME} carrying the nonce. Printed
 * text never counts, and the expected values never enter the kernel, so forging a pass needs the
 * right values. The factory cell is the same for every submission, so its type check is recorded
 * once per run (kernel/conversion-cache.ts), and no cell's declarations hold the random name or the
 * nonce: those travel only in the user expression, which is JavaScript and not type checked.
 */
export interface Harness {
  /** Name of the harness's property of `globalThis` in the kernel, e.g. `workbookHarness3f9c...`. */
  name: string;
  /** Random per-run token every genuine result carries. */
  nonce: string;
}

/** A fresh harness with a random name and nonce. */
export function newHarness(): Harness {
  return { name: `workbookHarness${randomBytes(8).toString("hex")}`, nonce: randomBytes(16).toString("hex") };
}

/** The cell that defines `workbookHarnessFactory(nonce)` (run first in every kernel, before any student cell; the same text for every submission). */
export const HARNESS_FACTORY_CODE = `const workbookHarnessFactory = (() => {
  const displayKey: symbol = Symbol.for("Jupyter.display");
  const keysOf = Object.keys, isArray = Array.isArray, isView = ArrayBuffer.isView, apply = Reflect.apply;
  const isFiniteNumber = Number.isFinite, freeze = Object.freeze, hasOwn = Object.prototype.hasOwnProperty;
  const lengthOf = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), "length")!.get!;
  const MAX_LEAVES = ${RESULT_MAX_LEAVES}, MAX_DEPTH = ${RESULT_MAX_DEPTH};
  let leaves = 0;
  const encode = (value: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new RangeError("result nested deeper than " + MAX_DEPTH);
    if (++leaves > MAX_LEAVES) throw new RangeError("result has more than " + MAX_LEAVES + " elements");
    if (value === null || value === undefined) return null;
    const t = typeof value;
    if (t === "number") return isFiniteNumber(value) ? value : { $nonfinite: (value as number) > 0 ? "Infinity" : (value as number) < 0 ? "-Infinity" : "NaN" };
    if (t === "string" || t === "boolean") return value;
    if (t === "bigint") return { $nonfinite: "NaN" };
    if (t !== "object") throw new TypeError("a test result cannot hold a " + t);
    if (isView(value)) {
      const view = value as unknown as ArrayLike<number>;
      const n = apply(lengthOf, view, []) as number, out: unknown[] = [];
      for (let i = 0; i < n; i++) out[i] = encode(view[i], depth + 1);
      return out;
    }
    if (isArray(value)) {
      const list = value as unknown[], out: unknown[] = [];
      for (let i = 0; i < list.length; i++) out[i] = encode(list[i], depth + 1);
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const key of keysOf(value as object)) if (apply(hasOwn, value, [key])) out[key] = encode((value as Record<string, unknown>)[key], depth + 1);
    return out;
  };
  return (nonce: string) => {
    const report = (caseId: string, value: unknown): object => {
      leaves = 0;
      let bundle: Record<string, unknown>;
      try { bundle = { nonce, caseId, ok: true, value: encode(value, 0) }; }
      catch (err) { bundle = { nonce, caseId, ok: false, error: String((err as Error)?.message ?? err) }; }
      return freeze({ [displayKey]: () => ({ "${RESULT_MIME}": bundle, "text/plain": "result of hidden test " + caseId }) });
    };
    return freeze({ report });
  };
})();
"harness ready";`;

/**
 * The user expression (JavaScript, evaluated right after {@link HARNESS_FACTORY_CODE}) that makes
 * this run's harness and puts it on `globalThis` under its name: read-only and non-configurable.
 * Its value is `true` once the harness is in place.
 */
export function armExpression(harness: Harness): string {
  return `Object.defineProperty(globalThis, ${JSON.stringify(harness.name)}, { value: workbookHarnessFactory(${JSON.stringify(harness.nonce)}) }) === globalThis`;
}

/** How a call cell reaches the harness: the property of `globalThis` that armExpression defined (a cell cannot shadow `globalThis`). */
function harnessRef(harness: Harness): string {
  return `(globalThis as unknown as { [name: string]: { report(caseId: string, value: unknown): object } })[${JSON.stringify(harness.name)}]`;
}

/**
 * The cell that calls one hidden test case in the student's kernel: the call's value (awaited when
 * it is a promise) goes straight to the harness's `report`, and the cell's value is the report.
 */
export function callCode(harness: Harness, caseId: string, call: string): string {
  const variable = `${harness.name}Case${caseId.replace(/[^A-Za-z0-9]/g, "_")}`;
  // (tslab misses a top-level await on a parenthesised call, so the call gets its own async function)
  return `const ${variable}Call = async () => (\n${call}\n);\nconst ${variable} = await ${variable}Call();\n${harnessRef(harness)}.report(${JSON.stringify(caseId)}, ${variable})`;
}

/**
 * One cell that calls several hidden test cases of one graded function in order and reports all
 * their values as one result, an array (case `i` at index `i`), under `batchId`. Any case that
 * throws, hangs or crashes fails the whole cell, and the grader then runs the cases one by one
 * with {@link callCode}, so limits and credit stay per case; the batch only saves executions.
 */
export function batchCallCode(harness: Harness, batchId: string, calls: string[]): string {
  const variable = `${harness.name}Batch${batchId.replace(/[^A-Za-z0-9]/g, "_")}`;
  // Array elements are evaluated in order, each awaited before the next call starts.
  const values = calls.map((call) => `  await (async () => (\n${call}\n))(),`).join("\n");
  return `const ${variable}Call = async () => [\n${values}\n];\nconst ${variable} = await ${variable}Call();\n${harnessRef(harness)}.report(${JSON.stringify(batchId)}, ${variable})`;
}

/** What a call cell gave back: a value (decoded), or why there is none. */
export type CallResult = { ok: true; value: JsonValue } | { ok: false; reason: string };

function decodeValue(value: unknown): JsonValue {
  if (value === null || typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === "$nonfinite") return record.$nonfinite === "Infinity" ? Infinity : record.$nonfinite === "-Infinity" ? -Infinity : NaN;
    const out: { [key: string]: JsonValue } = {};
    for (const key of keys) if (key !== "__proto__") out[key] = decodeValue(record[key]);
    return out;
  }
  return null;
}

/**
 * Finds the genuine result among the outputs of one call cell: an execute_result (or display)
 * with {@link RESULT_MIME}, this run's nonce and this case's id. Anything else, in particular
 * text printed to look like a result, is ignored.
 */
export function readCallResult(outputs: IOutput[], harness: Harness, caseId: string): CallResult {
  const genuine: Array<Record<string, unknown>> = [];
  for (const output of outputs) {
    if (output.output_type !== "execute_result" && output.output_type !== "display_data") continue;
    const data = (output.data ?? {}) as Record<string, unknown>;
    const bundle = data[RESULT_MIME];
    if (bundle && typeof bundle === "object" && (bundle as Record<string, unknown>).nonce === harness.nonce && (bundle as Record<string, unknown>).caseId === caseId) {
      genuine.push(bundle as Record<string, unknown>);
    }
  }
  if (genuine.length === 0) return { ok: false, reason: "the call gave no result" };
  if (genuine.length > 1) return { ok: false, reason: "the call produced more than one result (only the harness may report results)" };
  const bundle = genuine[0];
  if (bundle.ok !== true) return { ok: false, reason: `the result could not be read: ${String(bundle.error)}` };
  return { ok: true, value: decodeValue(bundle.value) };
}
