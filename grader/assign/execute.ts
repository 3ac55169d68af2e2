/**
 * Runs a notebook's code cells in a kernel, top to bottom, and evaluates hidden test calls,
 * through the TypeScript Jupyter client (the notebook's code never runs in this process).
 */
import type { KernelClient } from "../../kernel/client";
import type { IOutput } from "@jupyterlab/nbformat";
import { asText } from "../../kernel/wire";
import { cellSource, JsonValue, Notebook } from "./format";

/** The outcome of one code cell. */
export interface CellRun {
  cellIndex: number;
  status: "ok" | "error" | "aborted" | "timeout" | "died";
  /** "ename: evalue" when the cell failed. */
  error?: string;
  outputs: IOutput[];
}

/** Options of {@link runNotebookCells}. */
export interface RunCellsOptions {
  /** Per-cell time limit in ms (default 300 000). */
  timeoutMs?: number;
  /** Keep going after a failing cell (default false: stop at the first failure). */
  continueOnError?: boolean;
}

/**
 * Executes every code cell of `nb` in order and reports each one.
 *
 * @example
 * const runs = await runNotebookCells(kernel, readNotebook("01-adam.source.ipynb"));
 * runs.filter((r) => r.status !== "ok") // the failing cells
 */
export async function runNotebookCells(kernel: KernelClient, nb: Notebook, options: RunCellsOptions = {}): Promise<CellRun[]> {
  const runs: CellRun[] = [];
  for (let cellIndex = 0; cellIndex < nb.cells.length; cellIndex++) {
    const cell = nb.cells[cellIndex];
    if (cell.cell_type !== "code") continue;
    const code = cellSource(cell);
    if (code.trim() === "") continue;
    const result = await kernel.execute(code, { timeoutMs: options.timeoutMs ?? 300_000 });
    const error = result.error ? `${result.error.ename}: ${result.error.evalue}` : result.status === "ok" ? undefined : `the cell ended with status "${result.status}"`;
    runs.push({ cellIndex, status: result.status, error, outputs: result.outputs });
    if (result.status !== "ok" && !options.continueOnError) break;
  }
  return runs;
}

/** Text that frames a result printed by {@link evaluateCall}, so other output cannot be mistaken for it. */
const RESULT_TAG = "\u0001dl-workbook-result\u0001";

let callCounter = 0;

/**
 * Evaluates a hidden test's `call` in the kernel and returns its value as JSON data
 * (typed arrays become arrays). Fails, naming the call, when it throws, does not finish within
 * `timeoutMs`, or returns something that is not plain data with finite numbers.
 *
 * @example
 * await evaluateCall(kernel, "adamStep([1], [0.5], config).nextW") // [0.999]
 */
export async function evaluateCall(kernel: KernelClient, call: string, timeoutMs = 120_000): Promise<JsonValue> {
  const name = `dlwbHiddenValue${++callCounter}`;
  const code = [
    `const ${name}: unknown = await Promise.resolve(${call});`,
    `console.log(${JSON.stringify(RESULT_TAG)} + JSON.stringify(${name}, (_key: string, v: unknown) => {`,
    `  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);`,
    `  if (typeof v === "number" && !Number.isFinite(v)) throw new Error("the result holds the non-finite number " + String(v));`,
    `  return v;`,
    `}) + ${JSON.stringify(RESULT_TAG)});`,
  ].join("\n");
  const result = await kernel.execute(code, { timeoutMs, storeHistory: false });
  if (result.status !== "ok") {
    const why = result.error ? `${result.error.ename}: ${result.error.evalue}` : `status "${result.status}"`;
    throw new Error(`The call ${call} failed: ${why}`);
  }
  const text = result.outputs.map((o) => (o.output_type === "stream" ? asText(o.text) : "")).join("");
  const start = text.indexOf(RESULT_TAG);
  const end = text.indexOf(RESULT_TAG, start + RESULT_TAG.length);
  if (start < 0 || end < 0) throw new Error(`The call ${call} printed no result; it must evaluate to plain data (numbers, arrays, objects).`);
  const json = text.slice(start + RESULT_TAG.length, end);
  if (json === "undefined" || json === "") throw new Error(`The call ${call} evaluated to undefined; it must evaluate to plain data (numbers, arrays, objects).`);
  return JSON.parse(json) as JsonValue;
}
