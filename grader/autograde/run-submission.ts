import type { IOutput } from "@jupyterlab/nbformat";
import { asText } from "../../kernel/wire";
import type { KernelClient, ExecuteResult, KernelExit } from "../../kernel/client";
import type { GradedFunction, GradingSpec, Notebook } from "../assign/format";
import { cellSource, nbgraderMetadata } from "../assign/format";
import type { CellRun } from "../results";
import type { KernelInstall, Protections, SandboxLimits } from "../sandbox";
import { SandboxedKernel, STARTUP_MS, disposeKernel, startSandboxedKernel, stopSandbox } from "./sandboxed-kernel";
import { CallResult, HARNESS_FACTORY_CODE, Harness, armExpression, batchCallCode, callCode, newHarness, readCallResult } from "./harness";
import type { IdleSlots } from "./idle-slots";

export type { CellRun };

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
  /** Hidden cases of a hanging function that ran ahead in a free job slot (see {@link RunOptions.idleSlots}) and were kept. */
  ranAhead: number;
  /** Milliseconds spent starting kernels, running the student's cells, and running the hidden calls; `cpuMs`: CPU time of the kernels' processes. */
  phases: { startMs: number; cellsMs: number; testsMs: number; stopMs: number; cpuMs?: number };
}

/** The run of a submission nothing of which could be run (not a notebook, or the grader failed). */
export function emptyRun(): SubmissionRun {
  return { cells: [], cases: [], restarts: 0, notes: [], batched: [], ranAhead: 0, phases: { startMs: 0, cellsMs: 0, testsMs: 0, stopMs: 0 } };
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
  /**
   * The grading run's job slots that have nothing left to grade. While a hanging function's hidden
   * case runs, its next case may start ahead in a fresh kernel in one of them; its result is kept
   * only where running case by case would have given the same (see SubmissionRunner.adopt).
   */
  idleSlots?: IdleSlots;
}

/**
 * A hidden case started ahead, in a borrowed slot and a fresh kernel of its own, while the case
 * before it runs: what case-by-case grading would do next once that case has failed.
 */
interface CaseAhead {
  fork: SubmissionRunner;
  /** The fork's copy of the case's record. */
  caseRun: CaseRun;
  started: number;
  /** Resolves with the time the fork finished (it never rejects). */
  finished: Promise<number>;
  giveBack: () => void;
  /** Sizes of the parent's fatal and failed cell sets when the fork copied them: the fork is valid only while they are unchanged. */
  fatalCells: number;
  failedCells: number;
}

function outputBytes(output: IOutput): number {
  if (output.output_type === "stream") return asText(output.text).length;
  if (output.output_type === "error") return asText(output.evalue).length + 200;
  return JSON.stringify((output as { data?: unknown }).data ?? {}).length;
}

/**
 * Runs a sanitised submission in its own sandboxed kernel: the harness cell, then every code cell
 * (per-cell limit, total limit, output cap), then the hidden test cases as calls: all cases of one
 * graded function in one cell, and case by case when that batch fails in any way. A crash or a
 * kill scores only the cell or case that caused it: a fresh kernel replays the student's cells
 * (without keeping their outputs again) and the remaining cases go on.
 * Example: `const run = await runSubmission(notebook, spec, { student: "ada", limits, protections, install });`
 */
export async function runSubmission(notebook: Notebook, spec: GradingSpec, options: RunOptions): Promise<SubmissionRun> {
  return new SubmissionRunner(notebook, spec, options).execute();
}

/** The execution crashed the kernel or ran past its time limit. */
function stopped(status: ExecuteResult["status"]): boolean {
  return status === "died" || status === "timeout";
}

/**
 * One submission's run: owns its kernel's life (boots, replays after a crash, the clean retry),
 * the limits (total time, output bytes) and what is recorded; {@link execute} runs the phases:
 * the student's cells, then the hidden tests, batch first.
 */
class SubmissionRunner {
  private readonly run: SubmissionRun = emptyRun();
  private readonly limits: SandboxLimits;
  private readonly codeCells: Array<{ cell: Notebook["cells"][number]; index: number }>;
  /** Why an execution cut short by the total time limit stopped. */
  private readonly totalLimitReached: string;
  /** The total limit counts the student's time only: it starts once the first kernel is ready. */
  private deadline = Infinity;
  /** The kernel started ahead, used for the first boot only; later boots start fresh ones. */
  private ahead: Promise<SandboxedKernel> | undefined;
  private boxed: SandboxedKernel | null = null;
  private kernel: KernelClient | null = null;
  /** Whether the current kernel is up with the harness (and the replay) in it. */
  private alive = false;
  private bytes = 0;
  private overOutput = false;
  /** The harness itself failed in a fresh kernel (a grader bug, not the student's): do not retry. */
  private harnessBroken = false;
  /** Cells that crashed or hung a kernel: a replay leaves them out. */
  private readonly fatalCells = new Set<number>();
  /** Cells that ended with an error when they first ran. */
  private readonly failedCells = new Set<number>();
  /**
   * Something in the current kernel ended with an error (a cell, or a call that threw). Code that
   * fails can leave a timer or a memory hoard behind that kills the *next* cell, so a crash after
   * such a failure is retried once in a fresh kernel before it is blamed on the cell it hit.
   */
  private failedSinceBoot = false;
  /** After such a retry, replays also leave out the cells that failed (they may be what broke the kernel). */
  private replayWithoutFailed = false;
  /** A replay runs the student's cells before this index (all of them once the hidden tests start). */
  private replayUpTo = Infinity;
  /**
   * Graded functions that hung or crashed a kernel (in their public test cell, their batch or a
   * hidden case). Their later cases start in a fresh kernel when something failed in the current
   * one, instead of running there first and then again in a fresh one: a function that loops
   * forever would cost the time limit twice per case.
   */
  private readonly hangs = new Set<string>();
  /** CPU milliseconds of kernels this submission no longer holds (replaced by one that ran ahead, or discarded ones). */
  private retiredCpuMs = 0;
  /** Kernels that ran ahead and were not kept, being stopped; awaited before the submission ends. */
  private readonly disposals: Promise<void>[] = [];
  /** A fork whose work is no longer wanted: it starts nothing more. */
  private abandoned = false;

  constructor(
    private readonly notebook: Notebook,
    private readonly spec: GradingSpec,
    private readonly options: RunOptions,
    /** A fork (see {@link runAhead}) arms its kernel with its parent's harness, so that the parent can go on in it. */
    private readonly harness: Harness = newHarness(),
  ) {
    this.limits = options.limits;
    this.ahead = options.kernel;
    this.codeCells = notebook.cells.map((cell, index) => ({ cell, index })).filter(({ cell }) => cell.cell_type === "code");
    this.totalLimitReached = `stopped: the submission reached its total time limit of ${this.limits.totalSeconds} s`;
  }

  /** Runs every phase and always stops the kernels, also when a phase throws. */
  async execute(): Promise<SubmissionRun> {
    try {
      this.alive = await this.boot(false);
      this.deadline = Date.now() + this.limits.totalSeconds * 1000;
      await this.runCells();
      await this.runHiddenTests();
      if (this.remaining() <= 0) this.run.notes.push(`total time limit of ${this.limits.totalSeconds} s reached`);
    } finally {
      await this.stopKernels();
    }
    return this.run;
  }

  // ---- limits -----------------------------------------------------------------------------

  private remaining(): number {
    return this.deadline - Date.now();
  }

  private cellTimeout(): number {
    return Math.max(1, Math.min(this.limits.cellSeconds * 1000, this.remaining()));
  }

  /** Counts output bytes; past the cap the kernel is stopped and the submission says why. */
  private count(n: number): void {
    this.bytes += n;
    if (this.bytes > this.limits.outputBytes && !this.overOutput) {
      this.overOutput = true;
      this.run.notes.push(`output limit: more than ${this.limits.outputBytes} bytes of output; the kernel was stopped`);
      this.kernel?.killNow();
    }
  }

  private lastExit(): KernelExit | undefined {
    return this.boxed?.lastExit;
  }

  // ---- the kernel's life ------------------------------------------------------------------

  private async exec(code: string, keep: IOutput[] | null, timeoutMs = this.cellTimeout(), userExpressions?: Record<string, string>): Promise<ExecuteResult> {
    const kernel = this.kernel;
    if (!kernel || !kernel.isAlive()) return { status: "died", outputs: [], executionCount: null, durationMs: 0 };
    const result = await kernel.execute(code, {
      timeoutMs,
      interruptGraceMs: 2000,
      stopOnError: false,
      userExpressions,
      onOutput: (output) => {
        this.count(outputBytes(output));
        if (keep && !this.overOutput) keep.push(output);
      },
    });
    if (result.status === "error") this.failedSinceBoot = true;
    return result;
  }

  /**
   * After a timeout whose interrupt the kernel survived: true when it runs a trivial cell cleanly
   * (a late interrupt may land on the first cell after it, so two tries), else it gets replaced.
   */
  private async settled(): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      if (!this.kernel?.isAlive()) return false;
      const probe = await this.exec("0", null);
      if (probe.status === "ok") return true;
    }
    return false;
  }

  /** True when an execution that just ended with `status` left the kernel dead or stuck. */
  private async lost(status: ExecuteResult["status"]): Promise<boolean> {
    return status === "died" || (status === "timeout" && !(await this.settled()));
  }

  /** Starts a (fresh) kernel and runs the harness; with `replay`, also the student's cells (outputs dropped). */
  private async boot(replay: boolean): Promise<boolean> {
    if (this.abandoned || !(await this.startKernel())) return false;
    // The harness is the kernel's first cell and pays TypeScript's warm-up (seconds on a busy
    // machine), so it gets the startup allowance rather than the per-cell limit.
    const setup = await this.exec(HARNESS_FACTORY_CODE, null, Math.max(1, Math.min(STARTUP_MS, this.remaining())), { harness: armExpression(this.harness) });
    const reply = setup.reply as { user_expressions?: Record<string, { status?: string; data?: Record<string, unknown>; evalue?: string }> } | undefined;
    const armed = reply?.user_expressions?.harness;
    if (setup.status !== "ok" || armed?.status !== "ok" || armed.data?.["text/plain"] !== "true") {
      if (setup.status === "error" || setup.status === "ok") this.harnessBroken = true;
      const why = setup.error ? `: ${setup.error.evalue}` : armed?.evalue ? `: ${armed.evalue}` : "";
      this.run.notes.push(`the grading harness could not start (${setup.status === "ok" ? "not armed" : setup.status}${why})`);
      return false;
    }
    return replay ? this.replay() : true;
  }

  /** The kernel started ahead for the first boot; for later ones the old sandbox is stopped and the kernel restarted. */
  private async startKernel(): Promise<boolean> {
    const started = Date.now();
    this.failedSinceBoot = false;
    try {
      if (this.kernel) {
        this.run.restarts++;
        this.options.log?.(`${this.options.student}: starting a fresh kernel (restart ${this.run.restarts})`);
        // the old sandbox must be gone entirely before the new kernel binds the same sockets
        if (this.boxed) await stopSandbox(this.boxed);
        await this.kernel.restart(0);
      } else {
        const pending = this.ahead ?? startSandboxedKernel(this.options);
        this.ahead = undefined;
        this.boxed = await pending;
        this.boxed.onBytes = (n) => this.count(n);
        this.kernel = this.boxed.client;
      }
      return true;
    } catch (err) {
      this.run.notes.push(`the kernel could not start: ${(err as Error).message.split("\n")[0]}`);
      return false;
    } finally {
      this.run.phases.startMs += Date.now() - started;
    }
  }

  /** Replays the cells that already ran, except those that crashed or hung the kernel (and, after a clean retry, those that failed). */
  private async replay(): Promise<boolean> {
    for (const { cell, index } of this.codeCells) {
      if (index >= this.replayUpTo || this.fatalCells.has(index) || (this.replayWithoutFailed && this.failedCells.has(index))) continue;
      if (this.remaining() <= 0 || this.abandoned) return false;
      const r = await this.exec(cellSource(cell), null);
      if (stopped(r.status)) {
        this.fatalCells.add(index);
        return false;
      }
    }
    return true;
  }

  /**
   * An execution crashed or hung right after something failed in the same kernel: start a fresh
   * kernel whose replay leaves the failed cells out, so it can be tried once more. False when the
   * kernel had no failure to blame, or a fresh one could not be started.
   */
  private async retryClean(what: string): Promise<boolean> {
    if (!this.failedSinceBoot || this.overOutput || this.harnessBroken || this.abandoned || this.remaining() <= 0) return false;
    this.replayWithoutFailed = true;
    this.run.notes.push(`${what} was tried again in a fresh kernel without the cells that failed before it, which may have left the kernel broken`);
    return this.boot(true);
  }

  private async stopKernels(): Promise<void> {
    const stopping = Date.now();
    if (this.boxed) await disposeKernel(this.boxed);
    if (this.ahead) await this.ahead.then(disposeKernel, () => undefined);
    await Promise.all(this.disposals);
    this.run.phases.stopMs = Date.now() - stopping;
    this.run.phases.cpuMs = (this.boxed?.cpuMs ?? 0) + this.retiredCpuMs;
  }

  // ---- phase 1: the student's cells ---------------------------------------------------------

  private async runCells(): Promise<void> {
    const started = Date.now();
    for (const { cell, index } of this.codeCells) await this.runCell(cell, index);
    this.replayUpTo = Infinity;
    this.run.phases.cellsMs = Date.now() - started;
  }

  private async runCell(cell: Notebook["cells"][number], index: number): Promise<void> {
    const { limits } = this;
    const record: CellRun = { index, gradeId: nbgraderMetadata(cell)?.grade_id, status: "skipped", outputs: [] };
    this.run.cells.push(record);
    if (this.remaining() <= 0) {
      record.problem = `not run: the submission used up its total time limit of ${limits.totalSeconds} s`;
      return;
    }
    this.replayUpTo = index;
    if (!this.alive && !this.overOutput && !this.harnessBroken) this.alive = await this.boot(true);
    if (!this.alive) {
      record.problem = "not run: the kernel could not be restarted";
      return;
    }
    let result = await this.exec(cellSource(cell), record.outputs);
    if (stopped(result.status) && (await this.retryClean(`cell ${index + 1}`))) {
      record.outputs.length = 0;
      result = await this.exec(cellSource(cell), record.outputs);
    }
    const gone = await this.lost(result.status);
    record.status = result.status;
    if (result.status === "error") {
      this.failedCells.add(index);
      record.problem = `${result.error?.ename ?? "Error"}: ${result.error?.evalue ?? ""}`;
    } else if (result.status === "timeout") record.problem = this.remaining() <= 0 ? this.totalLimitReached : `stopped: the cell ran longer than the ${limits.cellSeconds} s limit per cell`;
    else if (result.status === "died") record.problem = this.overOutput ? `stopped: more than ${limits.outputBytes} bytes of output` : `the kernel crashed in this cell (${describeExit(this.lastExit())})`;
    if (gone) this.alive = false;
    if (stopped(result.status)) this.fatalCells.add(index);
  }

  // ---- phase 2: the hidden tests ------------------------------------------------------------

  private async runHiddenTests(): Promise<void> {
    const started = Date.now();
    for (const graded of this.spec.autograded) {
      graded.hiddenCases.forEach((_, caseIndex) => this.run.cases.push({ gradeId: graded.gradeId, caseIndex, status: "aborted", result: { ok: false, reason: "not run" } }));
    }
    for (const graded of this.spec.autograded) {
      const group = this.run.cases.filter((c) => c.gradeId === graded.gradeId);
      // a function whose public test hung or crashed the kernel would most likely take its batch down too
      const publicTest = this.run.cells.find((c) => c.index === graded.cellIndex);
      if (publicTest && (publicTest.status === "timeout" || publicTest.status === "died")) this.noteHang(graded);
      else if (await this.runBatch(graded, group)) continue;
      await this.runCasesOneByOne(graded, group);
    }
    this.run.phases.testsMs = Date.now() - started;
  }

  private noteHang(graded: GradedFunction): void {
    if (this.hangs.has(graded.gradeId)) return;
    this.hangs.add(graded.gradeId);
    this.run.notes.push(`${graded.name} hung or crashed the kernel; its remaining hidden tests ran one by one, in a fresh kernel whenever something had failed before them`);
  }

  /**
   * Runs all hidden cases of one graded function in a single cell (one type check and one
   * round trip instead of one per case). True when every case came back with a readable value;
   * otherwise nothing of the batch counts, and the caller runs the cases one by one. The time a
   * failed batch took is given back to the total limit, and its output to the output cap, so the
   * per-case run has what it would have had without the batch.
   */
  private async runBatch(graded: GradedFunction, group: CaseRun[]): Promise<boolean> {
    if (group.length < 2 || this.remaining() <= 0 || this.overOutput || this.harnessBroken) return false;
    if (!this.alive) this.alive = await this.boot(true);
    if (!this.alive) return false;
    const batchId = `${graded.gradeId}#batch`;
    const started = Date.now();
    const bytesBefore = this.bytes;
    const result = await this.exec(
      batchCallCode(
        this.harness,
        batchId,
        group.map((c) => graded.hiddenCases[c.caseIndex].call),
      ),
      null,
    );
    const values = result.status === "ok" ? readCallResult(result.outputs, this.harness, batchId) : null;
    if (values?.ok && Array.isArray(values.value) && values.value.length === group.length) {
      const list = values.value;
      group.forEach((caseRun, i) => {
        caseRun.status = "ok";
        caseRun.result = { ok: true, value: list[i] };
      });
      this.run.batched.push(graded.gradeId);
      return true;
    }
    // Something in the batch failed: it may have left a timer or a hoard behind, so a crash
    // in the per-case run gets its clean retry; a lost kernel is replaced by the next case.
    this.failedSinceBoot = true;
    if (stopped(result.status)) this.noteHang(graded);
    if (await this.lost(result.status)) this.alive = false;
    this.deadline += Date.now() - started;
    // Its output is not held against the cap either (unless it already broke it: the same calls
    // one by one would print the same and break it too).
    if (!this.overOutput) this.bytes = bytesBefore;
    return false;
  }

  /** Why a hidden case cannot run now, or undefined when it can (a fresh kernel is booted first where needed). */
  private async caseBlocked(graded: GradedFunction): Promise<string | undefined> {
    if (this.remaining() <= 0) return `not run: the submission used up its total time limit of ${this.limits.totalSeconds} s`;
    if (this.overOutput) return `not run: the submission printed more than ${this.limits.outputBytes} bytes`;
    if (!this.alive && !this.harnessBroken) this.alive = await this.bootForCases();
    if (!this.alive) return "not run: the kernel could not be restarted with the student's cells";
    if (this.failedSinceBoot && this.hangs.has(graded.gradeId)) {
      this.replayWithoutFailed = true;
      this.alive = await this.boot(true);
      if (!this.alive) return "not run: the kernel could not be restarted with the student's cells";
    }
    return undefined;
  }

  /**
   * A fresh kernel for the hidden cases. A cell that failed may have left a timer behind that hangs
   * the cells replayed after it (whether it does is a race with the timer), so when the replay
   * fails, it is tried once more without the cells that failed: the clean retry of a hang.
   */
  private async bootForCases(): Promise<boolean> {
    if (await this.boot(true)) return true;
    if (this.harnessBroken || this.replayWithoutFailed || this.failedCells.size === 0 || this.remaining() <= 0) return false;
    this.replayWithoutFailed = true;
    return this.boot(true);
  }

  /**
   * Runs a function's hidden cases one by one. While a case of a function that hung runs, the next
   * one starts ahead in a free job slot when there is one ({@link runAhead}); it is kept only where
   * the case-by-case run would have done exactly that ({@link adopt}), else it runs here as usual.
   */
  private async runCasesOneByOne(graded: GradedFunction, group: CaseRun[]): Promise<void> {
    for (let i = 0; i < group.length; i++) {
      const ahead = i + 1 < group.length ? this.runAhead(graded, group[i + 1]) : undefined;
      try {
        await this.runCase(graded, group[i]);
      } catch (err) {
        if (ahead) this.discard(ahead);
        throw err;
      }
      if (ahead && (await this.adopt(graded, ahead, group[i + 1]))) i++;
    }
  }

  /**
   * Starts `caseRun` ahead: a fork of this runner (same cells, harness and limits, its own kernel
   * and counters) boots a fresh kernel, replays the student's cells without those that failed and
   * runs the case: what {@link caseBlocked} does for a case after one of a hanging function failed.
   * Undefined when the function has not hung, no job slot is free, or the time left is short.
   */
  private runAhead(graded: GradedFunction, caseRun: CaseRun): CaseAhead | undefined {
    const { idleSlots } = this.options;
    const perCaseMs = this.limits.cellSeconds * 1000 + 2000;
    if (!idleSlots || !this.hangs.has(graded.gradeId) || this.overOutput || this.harnessBroken || this.remaining() < 3 * perCaseMs) return undefined;
    const giveBack = idleSlots.borrow();
    if (!giveBack) return undefined;
    const fork = new SubmissionRunner(this.notebook, this.spec, { ...this.options, kernel: undefined, idleSlots: undefined, log: undefined }, this.harness);
    fork.deadline = this.deadline;
    for (const index of this.fatalCells) fork.fatalCells.add(index);
    for (const index of this.failedCells) fork.failedCells.add(index);
    for (const gradeId of this.hangs) fork.hangs.add(gradeId);
    fork.replayWithoutFailed = true;
    const copy: CaseRun = { ...caseRun };
    const started = Date.now();
    const finished = (async () => {
      try {
        fork.alive = await fork.boot(true);
        if (fork.alive && !fork.abandoned) await fork.runCase(graded, copy);
      } catch (err) {
        fork.run.notes.push(`the case run ahead failed: ${(err as Error).message}`);
      }
      return Date.now();
    })();
    return { fork, caseRun: copy, started, finished, giveBack, fatalCells: this.fatalCells.size, failedCells: this.failedCells.size };
  }

  /**
   * Called once the case before `caseRun` has ended. The fork's result replaces running the case
   * here only when the case-by-case run would now start it the same way (a fresh kernel, replayed
   * without the failed cells, because the case before failed) and its time and output limits could
   * not have bound differently: the fork's duration, counted from now, leaves at least the per-cell
   * limit before the total one, and its output fits under the cap beside this kernel's. Then this
   * runner takes over the fork's kernel and counters, and the time the fork saved is charged to the
   * total limit as if the case had run after the one before it. Otherwise the fork is discarded.
   */
  private async adopt(graded: GradedFunction, ahead: CaseAhead, caseRun: CaseRun): Promise<boolean> {
    const previousEnded = Date.now();
    const wouldStartFresh =
      this.remaining() > 0 && !this.overOutput && !this.harnessBroken && this.hangs.has(graded.gradeId) && ((this.alive && this.failedSinceBoot) || (!this.alive && this.replayWithoutFailed));
    if (!wouldStartFresh || this.fatalCells.size !== ahead.fatalCells || this.failedCells.size !== ahead.failedCells) {
      this.discard(ahead);
      return false;
    }
    const { fork } = ahead;
    // case by case, it would have started when the case before it ended, and taken as long
    const endedCaseByCase = previousEnded + ((await ahead.finished) - ahead.started);
    const clean = fork.alive && fork.run.restarts === 0 && fork.run.notes.length === 0 && !fork.overOutput && !fork.harnessBroken;
    const limitsAlike = this.deadline - endedCaseByCase >= this.limits.cellSeconds * 1000 && this.bytes + fork.bytes <= this.limits.outputBytes;
    if (!clean || !limitsAlike) {
      this.discard(ahead);
      return false;
    }
    // the kernel that ran the case before is replaced, as the fresh boot would have replaced it
    this.run.restarts++;
    this.options.log?.(`${this.options.student}: starting a fresh kernel (restart ${this.run.restarts}); its hidden case ran ahead in a free job slot`);
    if (this.boxed) {
      await disposeKernel(this.boxed);
      this.retiredCpuMs += this.boxed.cpuMs;
    }
    this.boxed = fork.boxed;
    this.kernel = fork.kernel;
    if (this.boxed) this.boxed.onBytes = (n) => this.count(n);
    this.alive = fork.alive;
    this.failedSinceBoot = fork.failedSinceBoot;
    this.replayWithoutFailed = true;
    this.bytes += fork.bytes;
    this.retiredCpuMs += fork.retiredCpuMs;
    for (const phase of ["startMs", "cellsMs", "testsMs"] as const) this.run.phases[phase] += fork.run.phases[phase];
    caseRun.status = ahead.caseRun.status;
    caseRun.result = ahead.caseRun.result;
    this.deadline -= endedCaseByCase - Date.now();
    this.run.ranAhead++;
    ahead.giveBack();
    return true;
  }

  /** Stops a fork that is not kept (at once: its kernel is killed) and gives its slot back once its kernel is gone. */
  private discard(ahead: CaseAhead): void {
    const { fork } = ahead;
    fork.abandoned = true;
    fork.kernel?.killNow();
    this.disposals.push(
      ahead.finished
        .then(() => fork.stopKernels())
        .then(() => {
          this.retiredCpuMs += fork.run.phases.cpuMs ?? 0;
        })
        .catch(() => undefined)
        .finally(ahead.giveBack),
    );
  }

  /** Runs one hidden case in a cell of its own (the exact, per-case way). */
  private async runCase(graded: GradedFunction, caseRun: CaseRun): Promise<void> {
    const { limits } = this;
    const testCase = graded.hiddenCases[caseRun.caseIndex];
    const blocked = await this.caseBlocked(graded);
    if (blocked) {
      caseRun.result = { ok: false, reason: blocked };
      return;
    }
    const caseId = `${caseRun.gradeId}#${caseRun.caseIndex}`;
    let result = await this.exec(callCode(this.harness, caseId, testCase.call), null);
    if (stopped(result.status) && (await this.retryClean(`the hidden test "${graded.name}: ${testCase.name}"`))) {
      result = await this.exec(callCode(this.harness, caseId, testCase.call), null);
    }
    const gone = await this.lost(result.status);
    caseRun.status = result.status;
    if (result.status === "ok") caseRun.result = readCallResult(result.outputs, this.harness, caseId);
    else if (result.status === "error") caseRun.result = { ok: false, reason: `${result.error?.ename ?? "Error"}: ${firstLine(result.error?.evalue)}` };
    else if (result.status === "timeout") caseRun.result = { ok: false, reason: this.remaining() <= 0 ? this.totalLimitReached : `timed out after the ${limits.cellSeconds} s limit` };
    else caseRun.result = { ok: false, reason: this.overOutput ? `stopped: more than ${limits.outputBytes} bytes of output` : `the kernel crashed (${describeExit(this.lastExit())})` };
    // A call that threw may have left something behind, like a failed cell.
    if (!caseRun.result.ok) this.failedSinceBoot = true;
    if (stopped(result.status)) this.noteHang(graded);
    // A kernel that came back from the interrupt keeps going; a killed or crashed one is replaced.
    if (gone) this.alive = false;
  }
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
