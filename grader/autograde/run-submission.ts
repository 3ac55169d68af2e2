import type { IOutput } from "@jupyterlab/nbformat";
import type { KernelClient, ExecuteResult, KernelExit } from "../../kernel/client";
import type { GradedFunction, GradingSpec, Notebook } from "../assign/format";
import { cellSource, nbgraderMetadata } from "../assign/format";
import type { KernelInstall, Protections, SandboxLimits } from "../sandbox";
import { SandboxedKernel, STARTUP_MS, disposeKernel, startSandboxedKernel, stopSandbox } from "./sandboxed-kernel";
import { CallResult, Harness, batchCallCode, callCode, newHarness, readCallResult } from "./harness";

/** How one code cell of the sanitised notebook ran in the student's kernel. */
export interface CellRun {
  index: number;
  gradeId?: string;
  status: ExecuteResult["status"] | "skipped";
  /** The student's own outputs (text, plots), capped; shown back in feedback. */
  outputs: IOutput[];
  /** One line when the cell did not run cleanly: the error, the time limit, the crash. */
  problem?: string;
}

/** The raw result of one hidden-test call (compared later, in the grader). */
export interface CaseRun {
  gradeId: string;
  caseIndex: number;
  result: CallResult;
  /** "timeout" | "died" | "error" | "ok": how the call cell ended. */
  status: ExecuteResult["status"];
}

/** Everything the student's kernel gave back for one submission. */
export interface SubmissionRun {
  cells: CellRun[];
  cases: CaseRun[];
  /** Fresh kernels started after a crash or kill (each replays the student's cells). */
  restarts: number;
  /** Submission-level problems, e.g. the total time limit or the output cap. */
  notes: string[];
  /** Grade ids whose hidden cases all came back from one batch cell (the others ran case by case). */
  batched: string[];
  /** Milliseconds spent starting kernels, running the student's cells, and running the hidden calls. */
  phases: { startMs: number; cellsMs: number; testsMs: number; stopMs: number };
}

/** Options of {@link runSubmission}. */
export interface RunOptions {
  student: string;
  limits: SandboxLimits;
  protections: Protections;
  install: KernelInstall;
  /** Folders and files the kernel must not see (covered by empty mounts), see secretPaths(). */
  hide?: string[];
  /** A kernel started ahead for this submission (see gradeAll's pool); started here when absent. */
  kernel?: Promise<SandboxedKernel>;
  /** Called with a line when something notable happens (kernel restart, limit hit). */
  log?: (line: string) => void;
}

function outputBytes(output: IOutput): number {
  if (output.output_type === "stream") return String(output.text ?? "").length;
  if (output.output_type === "error") return String(output.evalue ?? "").length + 200;
  return JSON.stringify((output as { data?: unknown }).data ?? {}).length;
}

/**
 * Runs a sanitised submission in its own sandboxed kernel: the harness cell, then every code cell
 * (per-cell limit, total limit, output cap), then the hidden test cases as calls: all cases of one
 * graded function in one cell, and case by case when that batch fails in any way. A crash or a
 * kill scores only the cell or case that caused it: a fresh kernel replays the student's cells
 * (without keeping their outputs again) and the remaining cases go on.
 */
export async function runSubmission(notebook: Notebook, spec: GradingSpec, options: RunOptions): Promise<SubmissionRun> {
  const { limits } = options;
  const run: SubmissionRun = { cells: [], cases: [], restarts: 0, notes: [], batched: [], phases: { startMs: 0, cellsMs: 0, testsMs: 0, stopMs: 0 } };
  // The total limit counts the student's time only: it starts once the first kernel is ready.
  let deadline = Infinity;
  /** The kernel started ahead, used for the first boot only; later boots start fresh ones. */
  let ahead = options.kernel;
  const harness: Harness = newHarness();
  let bytes = 0;
  let overOutput = false;
  let kernel: KernelClient | null = null;
  let boxed: SandboxedKernel | null = null;
  const lastExit = (): KernelExit | undefined => (boxed as SandboxedKernel | null)?.lastExit;
  /** The harness itself failed in a fresh kernel (a grader bug, not the student's): do not retry. */
  let harnessBroken = false;
  /** Cells that crashed or hung a kernel: a replay leaves them out. */
  const fatalCells = new Set<number>();
  /** Cells that ended with an error when they first ran. */
  const failedCells = new Set<number>();
  /**
   * Something in the current kernel ended with an error (a cell, or a call that threw). Code that
   * fails can leave a timer or a memory hoard behind that kills the *next* cell, so a crash after
   * such a failure is retried once in a fresh kernel before it is blamed on the cell it hit.
   */
  let failedSinceBoot = false;
  /** After such a retry, replays also leave out the cells that failed (they may be what broke the kernel). */
  let replayWithoutFailed = false;
  /** A replay runs the student's cells before this index (all of them once the hidden tests start). */
  let replayUpTo = Infinity;
  /**
   * Graded functions that hung or crashed a kernel (in their public test cell, their batch or a
   * hidden case). Their later cases start in a fresh kernel when something failed in the current
   * one, instead of running there first and then again in a fresh one: a function that loops
   * forever would cost the time limit twice per case.
   */
  const hangs = new Set<string>();
  const count = (n: number): void => {
    bytes += n;
    if (bytes > limits.outputBytes && !overOutput) {
      overOutput = true;
      run.notes.push(`output limit: more than ${limits.outputBytes} bytes of output; the kernel was stopped`);
      kernel?.killNow();
    }
  };
  const codeCells = notebook.cells.map((cell, index) => ({ cell, index })).filter(({ cell }) => cell.cell_type === "code");
  const kernelAlive = (): boolean => kernel !== null && (kernel as KernelClient).isAlive();
  const remaining = (): number => deadline - Date.now();
  /** Why an execution cut short by the total time limit stopped. */
  const totalLimitReached = `stopped: the submission reached its total time limit of ${limits.totalSeconds} s`;
  /** The execution crashed the kernel or ran past its time limit. */
  const stopped = (status: ExecuteResult["status"]): boolean => status === "died" || status === "timeout";
  const cellTimeout = (): number => Math.max(1, Math.min(limits.cellSeconds * 1000, remaining()));

  const exec = async (code: string, keep: IOutput[] | null, timeoutMs = cellTimeout()): Promise<ExecuteResult> => {
    if (!kernel || !kernel.isAlive()) return { status: "died", outputs: [], executionCount: null, durationMs: 0 };
    const result = await kernel.execute(code, {
      timeoutMs,
      interruptGraceMs: 2000,
      stopOnError: false,
      onOutput: (output) => {
        count(outputBytes(output));
        if (keep && !overOutput) keep.push(output);
      },
    });
    if (result.status === "error") failedSinceBoot = true;
    return result;
  };

  /**
   * After a timeout whose interrupt the kernel survived: true when it runs a trivial cell cleanly
   * (a late interrupt may land on the first cell after it, so two tries), else it gets replaced.
   */
  const settled = async (): Promise<boolean> => {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!kernelAlive()) return false;
      const probe = await exec("0", null);
      if (probe.status === "ok") return true;
    }
    return false;
  };

  /** Starts a (fresh) kernel and runs the harness; with `replay`, also the student's cells (outputs dropped). */
  const boot = async (replay: boolean): Promise<boolean> => {
    const started = Date.now();
    failedSinceBoot = false;
    try {
      if (kernel) {
        run.restarts++;
        options.log?.(`${options.student}: starting a fresh kernel (restart ${run.restarts})`);
        // the old sandbox must be gone entirely before the new kernel binds the same sockets
        if (boxed) await stopSandbox(boxed);
        else kernel.killNow();
        await kernel.restart(0);
      } else {
        const pending = ahead ?? startSandboxedKernel(options);
        ahead = undefined;
        boxed = await pending;
        boxed.onBytes = count;
        kernel = boxed.client;
      }
    } catch (err) {
      run.notes.push(`the kernel could not start: ${(err as Error).message.split("\n")[0]}`);
      return false;
    } finally {
      run.phases.startMs += Date.now() - started;
    }
    // The harness is the kernel's first cell and pays TypeScript's warm-up (seconds on a busy
    // machine), so it gets the startup allowance rather than the per-cell limit.
    const setup = await exec(harness.setupCode, null, Math.max(1, Math.min(STARTUP_MS, remaining())));
    if (setup.status !== "ok") {
      if (setup.status === "error") harnessBroken = true;
      run.notes.push(`the grading harness could not start (${setup.status}${setup.error ? `: ${setup.error.evalue}` : ""})`);
      return false;
    }
    if (replay) {
      // Replays the cells that already ran, except those that crashed or hung the kernel.
      for (const { cell, index } of codeCells) {
        if (index >= replayUpTo || fatalCells.has(index) || (replayWithoutFailed && failedCells.has(index))) continue;
        if (remaining() <= 0) return false;
        const r = await exec(cellSource(cell), null);
        if (stopped(r.status)) {
          fatalCells.add(index);
          return false;
        }
      }
    }
    return true;
  };

  /** True when an execution that just ended with `status` left the kernel dead or stuck. */
  const lost = async (status: ExecuteResult["status"]): Promise<boolean> => status === "died" || (status === "timeout" && !(await settled()));
  /**
   * An execution crashed or hung right after something failed in the same kernel: start a fresh
   * kernel whose replay leaves the failed cells out, so it can be tried once more. False when the
   * kernel had no failure to blame, or a fresh one could not be started.
   */
  const retryClean = async (what: string): Promise<boolean> => {
    if (!failedSinceBoot || overOutput || harnessBroken || remaining() <= 0) return false;
    replayWithoutFailed = true;
    run.notes.push(`${what} was tried again in a fresh kernel without the cells that failed before it, which may have left the kernel broken`);
    return boot(true);
  };

  try {
    let alive = await boot(false);
    deadline = Date.now() + limits.totalSeconds * 1000;
    const cellsStart = Date.now();
    for (const { cell, index } of codeCells) {
      const gradeId = nbgraderMetadata(cell)?.grade_id;
      const record: CellRun = { index, gradeId, status: "skipped", outputs: [] };
      run.cells.push(record);
      if (remaining() <= 0) {
        record.problem = `not run: the submission used up its total time limit of ${limits.totalSeconds} s`;
        continue;
      }
      replayUpTo = index;
      if (!alive && !overOutput && !harnessBroken) alive = await boot(true);
      if (!alive) {
        record.problem = "not run: the kernel could not be restarted";
        continue;
      }
      let result = await exec(cellSource(cell), record.outputs);
      if (stopped(result.status) && (await retryClean(`cell ${index + 1}`))) {
        record.outputs.length = 0;
        result = await exec(cellSource(cell), record.outputs);
      }
      const gone = await lost(result.status);
      record.status = result.status;
      if (result.status === "error") {
        failedCells.add(index);
        record.problem = `${result.error?.ename ?? "Error"}: ${result.error?.evalue ?? ""}`;
      } else if (result.status === "timeout") record.problem = remaining() <= 0 ? totalLimitReached : `stopped: the cell ran longer than the ${limits.cellSeconds} s limit per cell`;
      else if (result.status === "died") record.problem = overOutput ? `stopped: more than ${limits.outputBytes} bytes of output` : `the kernel crashed in this cell (${describeExit(lastExit())})`;
      if (gone) alive = false;
      if (stopped(result.status)) fatalCells.add(index);
    }
    replayUpTo = Infinity;
    run.phases.cellsMs = Date.now() - cellsStart;

    const testsStart = Date.now();
    for (const graded of spec.autograded) {
      graded.hiddenCases.forEach((_, caseIndex) => run.cases.push({ gradeId: graded.gradeId, caseIndex, status: "aborted", result: { ok: false, reason: "not run" } }));
    }
    const noteHang = (graded: GradedFunction): void => {
      if (hangs.has(graded.gradeId)) return;
      hangs.add(graded.gradeId);
      run.notes.push(`${graded.name} hung or crashed the kernel; its remaining hidden tests ran one by one, in a fresh kernel whenever something had failed before them`);
    };
    /** Runs one hidden case in a cell of its own (the exact, per-case way). */
    const runCase = async (caseRun: CaseRun): Promise<void> => {
      const graded = spec.autograded.find((g) => g.gradeId === caseRun.gradeId)!;
      const testCase = graded.hiddenCases[caseRun.caseIndex];
      if (remaining() <= 0) {
        caseRun.result = { ok: false, reason: `not run: the submission used up its total time limit of ${limits.totalSeconds} s` };
        return;
      }
      if (overOutput) {
        caseRun.result = { ok: false, reason: `not run: the submission printed more than ${limits.outputBytes} bytes` };
        return;
      }
      if (!alive && !harnessBroken) alive = await boot(true);
      if (!alive) {
        caseRun.result = { ok: false, reason: "not run: the kernel could not be restarted with the student's cells" };
        return;
      }
      if (failedSinceBoot && hangs.has(graded.gradeId)) {
        replayWithoutFailed = true;
        alive = await boot(true);
        if (!alive) {
          caseRun.result = { ok: false, reason: "not run: the kernel could not be restarted with the student's cells" };
          return;
        }
      }
      const caseId = `${caseRun.gradeId}#${caseRun.caseIndex}`;
      let result = await exec(callCode(harness, caseId, testCase.call), null);
      if (stopped(result.status) && (await retryClean(`the hidden test "${graded.name}: ${testCase.name}"`))) {
        result = await exec(callCode(harness, caseId, testCase.call), null);
      }
      const gone = await lost(result.status);
      caseRun.status = result.status;
      if (result.status === "ok") caseRun.result = readCallResult(result.outputs, harness, caseId);
      else if (result.status === "error") caseRun.result = { ok: false, reason: `${result.error?.ename ?? "Error"}: ${firstLine(result.error?.evalue)}` };
      else if (result.status === "timeout") caseRun.result = { ok: false, reason: remaining() <= 0 ? totalLimitReached : `timed out after the ${limits.cellSeconds} s limit` };
      else caseRun.result = { ok: false, reason: overOutput ? `stopped: more than ${limits.outputBytes} bytes of output` : `the kernel crashed (${describeExit(lastExit())})` };
      // A call that threw may have left something behind, like a failed cell.
      if (!caseRun.result.ok) failedSinceBoot = true;
      if (stopped(result.status)) noteHang(graded);
      // A kernel that came back from the interrupt keeps going; a killed or crashed one is replaced.
      if (gone) alive = false;
    };

    /**
     * Runs all hidden cases of one graded function in a single cell (one type check and one
     * round trip instead of one per case). True when every case came back with a readable value;
     * otherwise nothing of the batch counts, and the caller runs the cases one by one. The time a
     * failed batch took is given back to the total limit, and its output to the output cap, so the
     * per-case run has what it would have had without the batch.
     */
    const runBatch = async (group: CaseRun[]): Promise<boolean> => {
      if (group.length < 2 || remaining() <= 0 || overOutput || harnessBroken) return false;
      if (!alive) alive = await boot(true);
      if (!alive) return false;
      const graded = spec.autograded.find((g) => g.gradeId === group[0].gradeId)!;
      const batchId = `${graded.gradeId}#batch`;
      const started = Date.now();
      const bytesBefore = bytes;
      const result = await exec(batchCallCode(harness, batchId, group.map((c) => graded.hiddenCases[c.caseIndex].call)), null);
      const values = result.status === "ok" ? readCallResult(result.outputs, harness, batchId) : null;
      if (values?.ok && Array.isArray(values.value) && values.value.length === group.length) {
        const list = values.value;
        group.forEach((caseRun, i) => {
          caseRun.status = "ok";
          caseRun.result = { ok: true, value: list[i] };
        });
        run.batched.push(graded.gradeId);
        return true;
      }
      // Something in the batch failed: it may have left a timer or a hoard behind, so a crash
      // in the per-case run gets its clean retry; a lost kernel is replaced by the next case.
      failedSinceBoot = true;
      if (stopped(result.status)) noteHang(graded);
      if (await lost(result.status)) alive = false;
      deadline += Date.now() - started;
      // Its output is not held against the cap either (unless it already broke it: the same calls
      // one by one would print the same and break it too).
      if (!overOutput) bytes = bytesBefore;
      return false;
    };

    for (const graded of spec.autograded) {
      const group = run.cases.filter((c) => c.gradeId === graded.gradeId);
      // a function whose public test hung or crashed the kernel would most likely take its batch down too
      const publicTest = run.cells.find((c) => c.index === graded.cellIndex);
      if (publicTest && (publicTest.status === "timeout" || publicTest.status === "died")) noteHang(graded);
      else if (await runBatch(group)) continue;
      for (const caseRun of group) await runCase(caseRun);
    }
    run.phases.testsMs = Date.now() - testsStart;
    if (remaining() <= 0) run.notes.push(`total time limit of ${limits.totalSeconds} s reached`);
  } finally {
    const stopping = Date.now();
    const used = boxed as SandboxedKernel | null;
    if (used) await disposeKernel(used);
    if (ahead) await ahead.then(disposeKernel, () => undefined);
    run.phases.stopMs = Date.now() - stopping;
  }
  return run;
}

function firstLine(text: string | undefined): string {
  return (text ?? "").split("\n")[0].slice(0, 300);
}

function describeExit(exit: KernelExit | undefined): string {
  if (!exit) return "the kernel stopped";
  const tail = exit.stderrTail.toLowerCase();
  if (/heap out of memory|allocation failed|out of memory/.test(tail)) return "it ran out of memory: the memory limit was reached";
  if (exit.signal === "SIGXCPU") return "it used up its CPU time";
  if (exit.signal) return `killed by ${exit.signal}`;
  return `exit code ${exit.code}`;
}
