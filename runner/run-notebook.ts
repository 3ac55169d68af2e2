/**
 * Executes one notebook top to bottom in a fresh kernel, as `jupyter nbconvert --execute` does:
 * outputs and execution counts are replaced, errors stop the run (or not, with continueOnError),
 * an interrupt keeps the cells that finished.
 */
import * as path from "path";
import type { ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import { KernelClient, StartKernelOptions, startKernel } from "../kernel/client";
import { DISPLAY_NAME, KERNEL_NAME } from "../kernel/kernelspec";
import { cellTags, isCodeCell, readNotebook, sourceText, upgradeNotebook } from "../notebook/notebook";
import { errorLine, stripAnsi } from "./error-location";
import type { RunProgress } from "./progress";

/** Options of {@link runNotebook}. */
export interface RunNotebookOptions {
  /** The kernel's working directory. Default: the notebook's folder. */
  cwd?: string;
  /** Per-cell time limit in milliseconds. Default: none. */
  timeoutCellMs?: number;
  /** Keep going after a failing cell (the failures are still reported). Default false. */
  continueOnError?: boolean;
  /** More options for the kernel (env, command, wrap...). */
  kernel?: StartKernelOptions;
  /** Progress display (see TerminalProgress). */
  progress?: RunProgress;
  /** Position of this notebook in a batch, for the progress display. */
  batch?: { index: number; total: number };
  /** Aborting it interrupts the running cell and stops the run; the finished cells are kept. */
  signal?: AbortSignal;
}

/** Why a cell failed. */
export interface CellFailure {
  /** The notebook's path as given. */
  notebook: string;
  /** Index in the notebook's cells list, 0-based (Jupyter shows cell i+1). */
  cellIndex: number;
  cellId: string;
  /** 1-based line in the cell, when the kernel's error names one. */
  line?: number;
  kind: "error" | "timeout" | "died";
  ename: string;
  evalue: string;
  /** One sentence naming notebook, cell and line, ready to print. */
  message: string;
}

/** What {@link runNotebook} did. */
export interface RunNotebookResult {
  /** The notebook with outputs; cells after a stop are left without outputs. */
  notebook: INotebookContent;
  failures: CellFailure[];
  /** True when the run was stopped by the signal before the last cell. */
  interrupted: boolean;
  /** Code cells that ran to the end (successfully or not). */
  executedCells: number;
  codeCells: number;
  durationMs: number;
}

/**
 * "notebooks/03-cnn-design.ipynb, cell 7, line 3: TypeError: model.fit is not a function"
 * (cells counted from 1, as Jupyter shows them).
 */
export function describeFailure(failure: Omit<CellFailure, "message">, timeoutMs?: number): string {
  const where = `${failure.notebook}, cell ${failure.cellIndex + 1}` + (failure.line !== undefined ? `, line ${failure.line}` : "");
  if (failure.kind === "timeout") {
    return `${where}: the cell ran longer than its time limit of ${((timeoutMs ?? 0) / 1000).toFixed(0)} s and was stopped; make it faster or raise --timeout-cell.`;
  }
  if (failure.kind === "died") return `${where}: the kernel died while running this cell. ${failure.evalue}`;
  const value = failure.evalue.split("\n")[0];
  // claim(...) in a cell tagged "claim": the notebook's text no longer matches its outputs
  if (failure.ename === "ClaimError") return `${where}: claim failed: ${value}`;
  return `${where}: ${failure.ename}${value ? `: ${value}` : ""}`;
}

/**
 * Runs every code cell of `notebookPath` in a new kernel and returns the executed notebook
 * (not written to disk; see cli-run). Cells tagged "skip-execution" are not run; an error in a
 * cell tagged "raises-exception" is expected and does not count as a failure.
 *
 * @example
 * const result = await runNotebook("notebooks/01-adam.ipynb", { timeoutCellMs: 120_000 });
 * for (const f of result.failures) console.error(f.message);
 * writeNotebook("out/01-adam.ipynb", result.notebook);
 */
export async function runNotebook(notebookPath: string, options: RunNotebookOptions = {}): Promise<RunNotebookResult> {
  const started = Date.now();
  const notebook = upgradeNotebook(readNotebook(notebookPath));
  const codeIndices = notebook.cells.map((cell, i) => (isCodeCell(cell) ? i : -1)).filter((i) => i >= 0);
  for (const i of codeIndices) {
    const cell = notebook.cells[i] as ICodeCell;
    cell.outputs = [];
    cell.execution_count = null;
  }
  const name = path.basename(notebookPath);
  const progress = options.progress;
  const batch = options.batch ?? { index: 0, total: 1 };
  progress?.notebookStarted(name, batch.index, batch.total, codeIndices.length);

  const failures: CellFailure[] = [];
  let interrupted = options.signal?.aborted ?? false;
  let executed = 0;
  /** The cell that took longest, for the summary line (where to look when a notebook is slow). */
  let slowest: { cell: number; ms: number } | undefined;
  let kernel: KernelClient | undefined;
  const onAbort = () => {
    interrupted = true;
    if (kernel?.isAlive()) kernel.interrupt().catch(() => undefined);
  };
  options.signal?.addEventListener("abort", onAbort);
  try {
    if (interrupted) return finish();
    kernel = await startKernel({ ...options.kernel, cwd: options.cwd ?? options.kernel?.cwd ?? path.dirname(path.resolve(notebookPath)) });
    const info = await kernel.kernelInfo();
    notebook.metadata.language_info = info.status === "ok" ? info.language_info : notebook.metadata.language_info;
    // a notebook written without a kernel named gets ours, so Jupyter opens it with the kernel it ran on
    notebook.metadata.kernelspec = notebook.metadata.kernelspec ?? { name: KERNEL_NAME, display_name: DISPLAY_NAME, language: "typescript" };
    for (let k = 0; k < codeIndices.length; k++) {
      if (interrupted) break;
      const index = codeIndices[k];
      const cell = notebook.cells[index] as ICodeCell;
      const tags = cellTags(cell);
      if (tags.includes("skip-execution")) continue;
      progress?.cellStarted(k, codeIndices.length);
      if (!kernel.isAlive()) await kernel.restart();
      const result = await kernel.execute(sourceText(cell.source), { timeoutMs: options.timeoutCellMs });
      cell.outputs = result.outputs;
      cell.execution_count = result.executionCount;
      if (result.timing && Object.keys(result.timing).length > 0) cell.metadata.execution = result.timing;
      if (slowest === undefined || result.durationMs > slowest.ms) slowest = { cell: index, ms: result.durationMs };
      if (interrupted) break; // the cell was cut short by the interrupt: keep its outputs, count it as not finished
      executed++;
      if (result.status === "ok" || (result.status === "error" && tags.includes("raises-exception"))) continue;
      const error = result.error ?? { ename: result.status === "aborted" ? "Aborted" : "Error", evalue: "", traceback: [] };
      const base = {
        notebook: notebookPath,
        cellIndex: index,
        cellId: String(cell.id),
        line: errorLine(error.evalue, error.traceback, result.executionCount),
        kind: result.status === "timeout" ? ("timeout" as const) : result.status === "died" ? ("died" as const) : ("error" as const),
        ename: error.ename,
        evalue: stripAnsi(result.status === "died" ? kernel.processStderr().trim().split("\n").slice(-3).join(" ") : error.evalue),
      };
      const failure: CellFailure = { ...base, message: describeFailure(base, options.timeoutCellMs) };
      failures.push(failure);
      progress?.message(failure.message);
      if (!options.continueOnError) break;
    }
    return finish();
  } finally {
    options.signal?.removeEventListener("abort", onAbort);
    await kernel?.shutdown().catch(() => undefined);
  }

  function finish(): RunNotebookResult {
    const summary = interrupted
      ? `interrupted after ${executed} of ${codeIndices.length} cells`
      : failures.length > 0
        ? `${failures.length} failing cell${failures.length > 1 ? "s" : ""}, ${executed} of ${codeIndices.length} cells run`
        : `ok, ${executed} cells`;
    const slow = slowest && slowest.ms >= 1000 ? `; slowest: cell ${slowest.cell + 1}, ${(slowest.ms / 1000).toFixed(1)} s` : "";
    progress?.notebookFinished(name, summary + slow);
    return { notebook, failures, interrupted, executedCells: executed, codeCells: codeIndices.length, durationMs: Date.now() - started };
  }
}
