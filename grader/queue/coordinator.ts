/**
 * `workbook grade <assignment> <submissions> --out DIR --queue URL`: the coordinator. It puts the
 * assignment and one job per submission on the BullMQ queue, and writes each result into DIR and
 * the SQLite gradebook (the single record) as it arrives. Restarted with the same arguments it
 * resumes: what the gradebook holds is skipped, jobs already queued are not queued again (their
 * id is derived from the submission and the spec hash), results finished meanwhile are collected.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import type { GradeOutcome, LatePolicy, LoadedAssignment, Submission } from "../autograde";
import { emptyRun, latePenalty, listSubmissions, loadAssignment, parseLatePolicy, scoreSubmission, writeAtomically } from "../autograde";
import { toGradescope } from "../export";
import { feedbackHtml } from "../feedback";
import { Gradebook } from "../gradebook";
import { DEFAULT_LIMITS, checkLimits, makePrivate } from "../sandbox";
import type { SandboxLimits } from "../sandbox";
import type { QueueGradeArgs } from "../grade-args";
import { CoordinatorBusyError, CoordinatorLock, lockAssignment } from "./lock";
import { QUEUE_NAME, connectQueue, redactUrl } from "./connection";
import { GradeJobData, GradeJobResult, QueuedAssignment, assignmentKey, jobIdOf, putAssignment } from "./job";
import { RunningWorker, startWorker, stallSettings } from "./worker";

/** Attempts per job when grading throws (the grader's own failure, Redis lost the assignment); a dead worker counts as a stall (see stallSettings). */
export const JOB_ATTEMPTS = 3;
/** How often the coordinator checks every job it waits for (missed events, jobs lost when Redis restarted). */
const SWEEP_MS = 2000;
/** BullMQ options of every job: bounded attempts, kept in Redis until the coordinator has recorded it. */
const JOB_OPTIONS = { attempts: JOB_ATTEMPTS, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: false, removeOnFail: false };

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m}m${String(Math.round(seconds % 60)).padStart(2, "0")}s` : `${Math.round(seconds)}s`;
}

/** The assignment as it travels to workers (never to the log). */
function queuedAssignment(assignment: LoadedAssignment): QueuedAssignment {
  const releaseName = assignment.spec.studentNotebook;
  return {
    specName: path.basename(assignment.specFile),
    specText: fs.readFileSync(assignment.specFile, "utf8"),
    releaseName: path.basename(releaseName),
    releaseText: fs.readFileSync(path.resolve(path.dirname(assignment.specFile), releaseName), "utf8"),
    specHash: assignment.specHash,
  };
}

/** A submission waiting to be recorded, by job id. */
interface PendingJob {
  submission: Submission;
  data: GradeJobData;
}

/**
 * One coordinator run (see the file comment): its phases are {@link run}'s steps; the state they
 * share (the jobs still to record, the outcomes, the progress line, the SIGINT flag) is its fields.
 */
class QueueRun {
  private readonly assignment: LoadedAssignment;
  private readonly submissions: Submission[];
  private readonly late: LatePolicy;
  private readonly limits: SandboxLimits;
  private readonly outDir: string;
  private readonly name: string;
  private readonly outcomes: GradeOutcome[] = [];
  /** What is still to be recorded, by job id. */
  private readonly pending = new Map<string, PendingJob>();
  private readonly handling = new Set<string>();
  private readonly started = Date.now();
  private done = 0;
  private workersAlive = 0;
  private stopping = false;
  private wake: () => void = () => undefined;
  private gradebook!: Gradebook;
  private connection!: Redis;
  private queue!: Queue<GradeJobData, GradeJobResult>;

  constructor(
    private readonly args: QueueGradeArgs,
    private readonly log: (line: string) => void,
  ) {
    this.assignment = loadAssignment(args.assignment);
    this.submissions = listSubmissions(args.submissions);
    this.late = parseLatePolicy(args.due, args.grace, args.latePolicy);
    this.limits = checkLimits({ ...DEFAULT_LIMITS, cellSeconds: args.cellSeconds, totalSeconds: args.totalSeconds, memoryMB: args.memoryMB });
    this.outDir = path.resolve(args.out);
    this.name = this.assignment.spec.assignment;
  }

  /** Takes the assignment's lock, queues what the gradebook lacks, collects results until none is pending (or SIGINT), writes grades.csv. */
  async run(): Promise<GradeOutcome[]> {
    makePrivate(this.outDir);
    this.connection = connectQueue(this.args.queue);
    let lock: CoordinatorLock | undefined;
    try {
      lock = await lockAssignment(this.connection, this.assignment.specHash, this.outDir, stallSettings().lockMs, this.log);
      this.gradebook = Gradebook.open(path.join(this.outDir, "gradebook.sqlite"));
      this.gradebook.ensureAssignment(this.name, this.assignment.spec.totalPoints, this.assignment.specHash);
    } catch (err) {
      await lock?.release();
      await this.connection.quit().catch(() => this.connection.disconnect());
      throw err;
    }
    this.queue = new Queue<GradeJobData, GradeJobResult>(QUEUE_NAME, { connection: this.connection });
    const eventsConnection = connectQueue(this.args.queue);
    const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
    const onSigint = (): void => {
      this.stopping = true;
      this.wake();
      this.log("\ninterrupted: the queued submissions stay queued and workers go on grading them; re-run the same command to collect them");
    };
    process.once("SIGINT", onSigint);
    events.on("completed", ({ jobId }) => void this.check(jobId).catch(() => undefined));
    events.on("failed", ({ jobId }) => void this.check(jobId).catch(() => undefined));
    let local: RunningWorker | undefined;
    try {
      this.findPending();
      if (this.pending.size > 0) local = await this.queueJobs();
      await this.collect(lock);
      writeAtomically(path.join(this.outDir, "grades.csv"), this.gradebook.toCsv(this.name));
      // every job of this run is recorded: the hidden tests leave Redis
      if (this.pending.size === 0) await this.connection.del(assignmentKey(this.assignment.specHash));
    } finally {
      process.removeListener("SIGINT", onSigint);
      if (local) await local.close();
      await events.close().catch(() => undefined);
      await this.queue.close().catch(() => undefined);
      await lock.release();
      // connections handed to BullMQ stay open until their owner closes them
      for (const c of [this.connection, eventsConnection]) await c.quit().catch(() => c.disconnect());
      this.gradebook.close();
    }
    return this.outcomes;
  }

  /** The progress line: count, rate, ETA, workers alive. */
  private progress(outcome: GradeOutcome): void {
    this.outcomes.push(outcome);
    this.done++;
    if (this.args.quiet) return;
    const total = this.submissions.length;
    const elapsed = (Date.now() - this.started) / 1000;
    const graded = this.outcomes.filter((o) => o.state === "graded").length;
    const rate = graded > 0 ? (graded / elapsed) * 60 : 0;
    const eta = rate > 0 ? ((total - this.done) / rate) * 60 : NaN;
    const what = outcome.state === "skipped" ? "unchanged, skipped" : `${outcome.score?.score} / ${outcome.score?.maxScore}`;
    const alive = `${this.workersAlive} worker${this.workersAlive === 1 ? "" : "s"} alive`;
    this.log(`[${String(this.done).padStart(String(total).length)}/${total}] ${rate.toFixed(1)}/min, ETA ${duration(eta)}, ${alive}  ${outcome.student}: ${what}`);
  }

  /** Skips what the gradebook holds; every other submission becomes a pending job. */
  private findPending(): void {
    const { specHash } = this.assignment;
    for (const submission of this.submissions) {
      const contentHash = createHash("sha256").update(submission.bytes).digest("hex");
      if (this.gradebook.isGraded(submission.student, this.name, contentHash, specHash)) {
        this.progress({ student: submission.student, state: "skipped", seconds: 0 });
        continue;
      }
      const data: GradeJobData = {
        specHash,
        student: submission.student,
        origin: path.basename(submission.origin),
        notebook: submission.bytes.toString("base64"),
        contentHash,
        submittedAt: submission.submittedAt.toISOString(),
        limits: { cellSeconds: this.limits.cellSeconds, totalSeconds: this.limits.totalSeconds, memoryMB: this.limits.memoryMB },
        late: { due: this.args.due, grace: this.args.grace, latePolicy: this.args.latePolicy },
      };
      this.pending.set(jobIdOf(specHash, submission.student, contentHash), { submission, data });
    }
  }

  /** Puts the assignment and the pending jobs on the queue (a job already there is not added twice); starts the local worker when asked. */
  private async queueJobs(): Promise<RunningWorker | undefined> {
    await putAssignment(this.connection, queuedAssignment(this.assignment));
    const ids = [...this.pending.keys()];
    for (let i = 0; i < ids.length; i += 500) {
      await this.queue.addBulk(ids.slice(i, i + 500).map((jobId) => ({ name: "grade", data: this.pending.get(jobId)!.data, opts: { ...JOB_OPTIONS, jobId } })));
    }
    if (!this.args.quiet) this.log(`queued ${this.pending.size} submission(s) of ${this.name} on ${redactUrl(this.args.queue)}; ${this.submissions.length - this.pending.size} already in the gradebook`);
    return this.args.localJobs > 0 ? startWorker({ queue: this.args.queue, jobs: this.args.localJobs, unsafeNoSandbox: this.args.unsafeNoSandbox, log: this.log }) : undefined;
  }

  /** Checks every pending job each SWEEP_MS (events wake it earlier) until none is left, SIGINT, or the lock is lost. */
  private async collect(lock: CoordinatorLock): Promise<void> {
    while (this.pending.size > 0 && !this.stopping) {
      const lost = lock.lost();
      if (lost) throw new CoordinatorBusyError(`Error in grade: ${lost}; this coordinator stops (the jobs stay queued, and the gradebook keeps what it recorded).`);
      this.workersAlive = await this.queue.getWorkersCount().catch(() => this.workersAlive);
      for (const jobId of [...this.pending.keys()]) await this.check(jobId).catch((err: Error) => this.log(`queue: ${err.message.split("\n")[0]}; retrying`));
      if (this.pending.size > 0 && !this.stopping) await new Promise<void>((resolve) => ((this.wake = resolve), setTimeout(resolve, SWEEP_MS)));
    }
  }

  /** Looks at one job: records it when finished, queues it again when Redis lost it. */
  private async check(jobId: string): Promise<void> {
    if (!this.pending.has(jobId) || this.handling.has(jobId)) return;
    this.handling.add(jobId);
    try {
      const job = await Job.fromId<GradeJobData, GradeJobResult>(this.queue, jobId);
      if (!job) {
        // never queued, or lost with Redis's memory: (re)queue it, the assignment first
        await putAssignment(this.connection, queuedAssignment(this.assignment));
        await this.queue.add("grade", this.pending.get(jobId)!.data, { ...JOB_OPTIONS, jobId });
        return;
      }
      const state = await job.getState();
      if (state === "completed" && job.returnvalue) {
        this.record(jobId, job.returnvalue);
        await job.remove().catch(() => undefined);
      } else if (state === "failed") {
        this.recordFailure(jobId, job.failedReason ?? "unknown", job.attemptsMade);
        await job.remove().catch(() => undefined);
      }
    } finally {
      this.handling.delete(jobId);
    }
  }

  /** Writes a finished job's files, then its gradebook row (one transaction), then removes it from the queue. */
  private record(jobId: string, result: GradeJobResult): void {
    const entry = this.pending.get(jobId);
    if (!entry) return;
    const dir = path.join(this.outDir, entry.submission.student);
    fs.mkdirSync(dir, { recursive: true });
    writeAtomically(path.join(dir, "results.json"), result.resultsJson);
    writeAtomically(path.join(dir, "feedback.html"), result.feedbackHtml);
    this.gradebook.record({
      student: entry.submission.student,
      assignment: this.name,
      contentHash: result.contentHash,
      specHash: this.assignment.specHash,
      submittedAt: entry.submission.submittedAt,
      score: result.score,
      notes: result.notes,
    });
    this.pending.delete(jobId);
    this.progress({ student: entry.submission.student, state: "graded", score: result.score, seconds: result.seconds });
  }

  /** A job no worker could finish: recorded with the reason and 0 points, marked as not done, and removed from the queue, so only a new run (a person's decision) queues it again. */
  private recordFailure(jobId: string, reason: string, attempts: number): void {
    const entry = this.pending.get(jobId);
    if (!entry) return;
    const { student } = entry.submission;
    const notes = [`the grader could not grade this submission after ${attempts} attempt(s): ${reason.split("\n")[0]}; ask the course staff to look at it`];
    const score = scoreSubmission(emptyRun(), this.assignment.spec, latePenalty(entry.submission.submittedAt, this.late));
    this.record(jobId, {
      student,
      contentHash: `${entry.data.contentHash}:grader-failed`,
      score,
      notes,
      resultsJson: JSON.stringify(toGradescope(score, 0, notes), null, 2),
      feedbackHtml: feedbackHtml({ student, assignment: this.name, score, notebook: this.assignment.release, cells: [], repairs: [], notes }),
      seconds: 0,
      worker: "",
    });
    this.log(`${student}: failed on the queue: ${notes[0]}`);
  }
}

/**
 * Grades a class on the queue (see the file comment); resolves with one outcome per submission
 * once every one is recorded in the gradebook, or at SIGINT (the jobs stay queued; re-run to collect).
 * Throws {@link CoordinatorBusyError} when another coordinator of the same assignment runs on the queue.
 * Example: `await gradeOnQueue({ assignment: "assignments/01-adam", submissions: "subs", out: "grades", queue: "redis://127.0.0.1:6379", localJobs: 0, ... })`
 */
export async function gradeOnQueue(args: QueueGradeArgs, log: (line: string) => void = (l) => console.error(l)): Promise<GradeOutcome[]> {
  return new QueueRun(args, log).run();
}
