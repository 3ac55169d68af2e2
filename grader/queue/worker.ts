/**
 * `workbook grade worker --queue URL [--jobs N]`: takes grading jobs from the queue and grades each
 * with the same code and sandbox as local grading (gradeOne), in a private temporary folder that
 * holds the assignment (hidden tests included) only while the worker runs.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import { GradeSettings, SandboxCheckError, checkSandboxRunsKernel, gradeOne, loadAssignment, parseLatePolicy, recordOnce } from "../autograde";
import type { LoadedAssignment, RunConversions } from "../autograde";
import { SandboxedKernel, disposeKernel, startSandboxedKernel } from "../autograde/sandboxed-kernel";
import { Gradebook } from "../gradebook";
import {
  DEFAULT_LIMITS,
  KernelInstall,
  Protections,
  SandboxLimits,
  checkLimits,
  makePrivate,
  missingForGrading,
  probeProtections,
  refusalMessage,
  secretPaths,
  thisInstall,
  withKernelSnapshot,
} from "../sandbox";
import { QUEUE_NAME, checkQueueUrl, connectQueue, redactUrl } from "./connection";
import { GradeJobData, GradeJobResult, getAssignment } from "./job";

/** How BullMQ detects a dead worker: its job lock (renewed every half of it) expires, and another worker's stalled check moves the job back. */
export interface StallSettings {
  /** Milliseconds a job's lock lasts without renewal (default 30 000; WORKBOOK_QUEUE_LOCK_MS overrides it, for tests). */
  lockMs: number;
  /** Times a job may stall (its worker died) before it is failed with the reason (default 2: three workers killed). */
  maxStalledCount: number;
}

/** The stall settings in force: defaults, or WORKBOOK_QUEUE_LOCK_MS (the tests shorten it to a few seconds). */
export function stallSettings(): StallSettings {
  const lockMs = Number(process.env.WORKBOOK_QUEUE_LOCK_MS ?? 30000);
  return { lockMs: Number.isFinite(lockMs) && lockMs >= 1000 ? lockMs : 30000, maxStalledCount: 2 };
}

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  queue: string;
  jobs: number;
  unsafeNoSandbox?: boolean;
  log?: (line: string) => void;
}

/** A running worker: `close()` finishes the jobs in progress, then disconnects. */
export interface RunningWorker {
  close(): Promise<void>;
  worker: Worker<GradeJobData, GradeJobResult>;
}

/** One worker process's private state: its folder, the sandbox probed once, assignments written once each. */
class GradingHost {
  private readonly assignments = new Map<string, Promise<LoadedAssignment>>();
  /** Each assignment's released cells' conversions (conversions.ts), recorded once in this worker. */
  private readonly conversions = new Map<string, Promise<RunConversions | undefined>>();
  private jobCounter = 0;
  /** Kernels started ahead, by limits and conversions, as local grading's pool keeps one per job: a kernel's start overlaps the previous submission. */
  private readonly spares: Array<{ key: string; kernel: Promise<SandboxedKernel> }> = [];
  private closed = false;
  constructor(
    readonly dir: string,
    readonly protections: Protections,
    readonly install: KernelInstall,
    readonly unsafe: string | undefined,
    private readonly redis: Redis,
    private readonly slots: number,
    /** The recording kernel that passed the start check: it records the first assignment's conversions (it never grades a student). */
    private recorder: SandboxedKernel | undefined,
  ) {}

  /** The install to grade `assignment` with: with its conversions, recorded in a recording kernel the first time. */
  private async installFor(assignment: LoadedAssignment, limits: SandboxLimits): Promise<KernelInstall> {
    let recorded = this.conversions.get(assignment.specHash);
    if (!recorded) {
      const kernel = this.recorder ? Promise.resolve(this.recorder) : startSandboxedKernel({ limits, protections: this.protections, install: this.install, hide: this.hide, record: true });
      this.recorder = undefined;
      recorded = kernel.then(
        (k) => recordOnce(k, assignment, this.install, limits, (line) => console.error(line)),
        () => undefined,
      );
      this.conversions.set(assignment.specHash, recorded);
    }
    return (await recorded)?.install ?? this.install;
  }

  /** What the kernels must not see: this worker's folder (assignments, jobs) and the package's assignments. */
  get hide(): string[] {
    return secretPaths(this.install, [this.dir]);
  }

  /** Keeps `kernel` (started with `limits` and `install`) for the next job with the same ones. */
  private addSpare(limits: SandboxLimits, install: KernelInstall, kernel: Promise<SandboxedKernel>): void {
    kernel.catch(() => undefined); // a failed start is reported by the submission that takes it
    this.spares.push({ key: JSON.stringify([limits, install.conversions]), kernel });
  }

  /** A kernel for a job: a spare started ahead with the same limits and conversions, or a new one; then starts the next spare. */
  private takeKernel(limits: SandboxLimits, install: KernelInstall): Promise<SandboxedKernel> {
    const key = JSON.stringify([limits, install.conversions]);
    const index = this.spares.findIndex((s) => s.key === key);
    const start = (): Promise<SandboxedKernel> => startSandboxedKernel({ limits, protections: this.protections, install, hide: this.hide });
    const kernel = index >= 0 ? this.spares.splice(index, 1)[0].kernel : start();
    if (!this.closed && this.spares.length < this.slots) this.addSpare(limits, install, start());
    return kernel;
  }

  /** Stops the spare kernels (after the jobs in progress have finished) and removes the conversions. */
  async close(): Promise<void> {
    this.closed = true;
    const left = this.spares.splice(0);
    await Promise.all(left.map((s) => s.kernel.then(disposeKernel, () => undefined)));
    if (this.recorder) await disposeKernel(this.recorder);
    for (const recorded of this.conversions.values()) (await recorded)?.remove();
  }

  /** The assignment of a job, written into this worker's private folder and loaded as local grading loads it. */
  assignment(specHash: string): Promise<LoadedAssignment> {
    let loaded = this.assignments.get(specHash);
    if (!loaded) {
      loaded = getAssignment(this.redis, specHash).then((queued) => {
        const folder = path.join(this.dir, `assignment-${specHash.slice(0, 16)}`);
        makePrivate(folder);
        fs.writeFileSync(path.join(folder, path.basename(queued.releaseName)), queued.releaseText);
        fs.writeFileSync(path.join(folder, path.basename(queued.specName)), queued.specText);
        const assignment = loadAssignment(path.join(folder, path.basename(queued.specName)));
        if (assignment.specHash !== specHash) throw new Error(`the assignment written for spec hash ${specHash.slice(0, 12)} loads with hash ${assignment.specHash.slice(0, 12)}`);
        return assignment;
      });
      loaded.catch(() => this.assignments.delete(specHash));
      this.assignments.set(specHash, loaded);
    }
    return loaded;
  }

  /** Grades one job with gradeOne, into a private folder and an in-memory gradebook, and returns what the coordinator records. */
  async grade(job: Job<GradeJobData, GradeJobResult>, name: string, log?: (line: string) => void): Promise<GradeJobResult> {
    const data = job.data;
    const assignment = await this.assignment(data.specHash);
    const limits = checkLimits({ ...DEFAULT_LIMITS, ...data.limits });
    const install = await this.installFor(assignment, limits);
    const outDir = path.join(this.dir, `job-${++this.jobCounter}`);
    makePrivate(outDir);
    const gradebook = Gradebook.open(":memory:");
    try {
      gradebook.ensureAssignment(assignment.spec.assignment, assignment.spec.totalPoints, assignment.specHash);
      const settings: GradeSettings = {
        assignment,
        outDir,
        gradebook,
        limits,
        protections: this.protections,
        install,
        // the kernel sees neither this worker's folder (assignments, other jobs) nor the package's assignments
        hide: this.hide,
        late: parseLatePolicy(data.late.due, data.late.grace, data.late.latePolicy),
        unsafe: this.unsafe,
        log,
      };
      const submission = { student: data.student, origin: data.origin, bytes: Buffer.from(data.notebook, "base64"), submittedAt: new Date(data.submittedAt) };
      const outcome = await gradeOne(submission, settings, () => this.takeKernel(limits, install));
      const recorded = gradebook.recorded(data.student, assignment.spec.assignment);
      if (outcome.state !== "graded" || !outcome.score || !recorded) throw new Error(`gradeOne left no grade for ${data.student}`);
      const studentDir = path.join(outDir, data.student);
      return {
        student: data.student,
        contentHash: recorded.contentHash,
        score: outcome.score,
        notes: recorded.notes,
        resultsJson: fs.readFileSync(path.join(studentDir, "results.json"), "utf8"),
        feedbackHtml: fs.readFileSync(path.join(studentDir, "feedback.html"), "utf8"),
        seconds: outcome.seconds,
        worker: name,
      };
    } finally {
      gradebook.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  }
}

/**
 * Starts a queue worker in this process: probes the sandbox (refusing as local grading does),
 * runs one check kernel, then grades up to `jobs` submissions at once.
 * Example: `const w = await startWorker({ queue: "redis://127.0.0.1:6379", jobs: 2 }); ...; await w.close();`
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const log = options.log ?? ((line: string) => console.error(line));
  const protections = probeProtections();
  const missing = missingForGrading(protections);
  if (missing.length > 0 && !options.unsafeNoSandbox) throw new SandboxCheckError(refusalMessage(protections));
  for (const lost of protections.lost) log(`warning: sandbox layer missing: ${lost}`);
  const unsafe =
    missing.length > 0 ? `graded with --unsafe-no-sandbox: the kernel ran without ${missing.map((m) => m.split(":")[0]).join(", ")}; a hostile submission could have interfered with grading` : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-worker-"));
  makePrivate(dir);
  const limits = checkLimits(DEFAULT_LIMITS);
  const install = withKernelSnapshot(thisInstall(), limits, log);
  // as local grading does: one kernel must start and run a cell before this worker takes any job;
  // it then records the first assignment's released cells (conversions.ts)
  const first = await checkSandboxRunsKernel({ limits, protections, install, hide: secretPaths(install, [dir]), record: true });
  const redis = connectQueue(options.queue);
  const host = new GradingHost(dir, protections, install, unsafe, redis, options.jobs, first);
  const name = `${os.hostname()}:${process.pid}`;
  const stall = stallSettings();
  const workerConnection = connectQueue(options.queue);
  const worker = new Worker<GradeJobData, GradeJobResult>(
    QUEUE_NAME,
    (job) => {
      // here, not on "active": a job failed for stalling too often is never handed to the processor
      log(`grading ${job.data.student}`);
      return host.grade(job, name);
    },
    {
      connection: workerConnection,
      concurrency: options.jobs,
      lockDuration: stall.lockMs,
      stalledInterval: stall.lockMs,
      maxStalledCount: stall.maxStalledCount,
      name,
    },
  );
  worker.on("completed", (job, result) => log(`graded ${job.data.student}: ${result.score.score} / ${result.score.maxScore} in ${result.seconds.toFixed(1)} s`));
  worker.on("failed", (job, err) => log(`${job?.data.student ?? "a job"}: attempt failed: ${err.message.split("\n")[0]}`));
  worker.on("error", (err) => log(`queue: ${err.message.split("\n")[0]}`));
  log(`worker ${name} grading up to ${options.jobs} submission(s) at once from ${redactUrl(options.queue)}`);
  return {
    worker,
    close: async () => {
      await worker.close();
      await host.close();
      // connections handed to BullMQ stay open until their owner closes them
      for (const c of [redis, workerConnection]) await c.quit().catch(() => c.disconnect());
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Entry point of `workbook grade worker --queue URL [--jobs N] [--unsafe-no-sandbox]`; resolves with the exit code once stopped by SIGTERM or SIGINT. */
export async function workerMain(args: string[]): Promise<number> {
  let queue: string | undefined;
  let jobs = os.cpus().length;
  let unsafeNoSandbox = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [key, inline] = arg.split("=", 2);
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`Error in grade worker: option ${key} needs a value.`);
      return v;
    };
    if (key === "--queue") queue = value();
    else if (key === "--jobs") {
      jobs = Number(value());
      if (!Number.isInteger(jobs) || jobs <= 0) throw new Error(`Error in grade worker: --jobs must be a positive integer, got "${args[i]}".`);
    } else if (arg === "--unsafe-no-sandbox") unsafeNoSandbox = true;
    else throw new Error(`Error in grade worker: unknown argument "${arg}"; usage: workbook grade worker --queue redis://HOST:PORT [--jobs N] [--unsafe-no-sandbox]`);
  }
  if (!queue) throw new Error("Error in grade worker: --queue redis://HOST:PORT is required (rediss:// for TLS, redis://:PASSWORD@HOST:PORT with a password).");
  checkQueueUrl(queue);
  let running: RunningWorker;
  try {
    running = await startWorker({ queue, jobs, unsafeNoSandbox });
  } catch (err) {
    if (!(err instanceof SandboxCheckError)) throw err;
    console.error(err.message);
    return 1;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      console.error(`${signal}: finishing the submissions in progress, then stopping`);
      resolve();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  await running.close();
  return 0;
}
