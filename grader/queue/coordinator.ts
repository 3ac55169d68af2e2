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
import type { GradeOutcome, LoadedAssignment, Submission } from "../autograde";
import { latePenalty, listSubmissions, loadAssignment, parseLatePolicy, scoreSubmission, writeAtomically } from "../autograde";
import { toGradescope } from "../export";
import { feedbackHtml } from "../feedback";
import { Gradebook } from "../gradebook";
import { DEFAULT_LIMITS, checkLimits, makePrivate } from "../sandbox";
import { QUEUE_NAME, connectQueue, redactUrl } from "./connection";
import { GradeJobData, GradeJobResult, QueuedAssignment, assignmentKey, jobIdOf, putAssignment } from "./job";
import { RunningWorker, startWorker } from "./worker";

/** What the coordinator needs from `workbook grade`'s command line. */
export interface QueueGradeArgs {
  assignment: string;
  submissions: string;
  out: string;
  queue: string;
  /** Grading slots run inside the coordinator as a worker too (0: it only coordinates). */
  localJobs: number;
  cellSeconds: number;
  totalSeconds: number;
  memoryMB: number;
  due?: string;
  grace?: string;
  latePolicy?: string;
  quiet: boolean;
  unsafeNoSandbox?: boolean;
}

/** Attempts per job when grading throws (the grader's own failure, Redis lost the assignment); a dead worker counts as a stall (see stallSettings). */
export const JOB_ATTEMPTS = 3;
/** How often the coordinator checks every job it waits for (missed events, jobs lost when Redis restarted). */
const SWEEP_MS = 2000;

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

/**
 * Grades a class on the queue (see the file comment); resolves with one outcome per submission
 * once every one is recorded in the gradebook, or at SIGINT (the jobs stay queued; re-run to collect).
 * Example: `await gradeOnQueue({ assignment: "assignments/01-adam", submissions: "subs", out: "grades", queue: "redis://127.0.0.1:6379", localJobs: 0, ... })`
 */
// eslint-disable-next-line max-lines-per-function -- one run's state (pending jobs, progress, the SIGINT flag) is shared by its closures; a class like autograde's SubmissionRunner is the follow-up (issue 17)
export async function gradeOnQueue(args: QueueGradeArgs, log: (line: string) => void = (l) => console.error(l)): Promise<GradeOutcome[]> {
  const assignment = loadAssignment(args.assignment);
  const submissions = listSubmissions(args.submissions);
  const late = parseLatePolicy(args.due, args.grace, args.latePolicy);
  const limits = checkLimits({ ...DEFAULT_LIMITS, cellSeconds: args.cellSeconds, totalSeconds: args.totalSeconds, memoryMB: args.memoryMB });
  const outDir = path.resolve(args.out);
  makePrivate(outDir);
  const gradebook = Gradebook.open(path.join(outDir, "gradebook.sqlite"));
  gradebook.ensureAssignment(assignment.spec.assignment, assignment.spec.totalPoints, assignment.specHash);
  const name = assignment.spec.assignment;
  const shared = queuedAssignment(assignment);
  const connection = connectQueue(args.queue);
  const queue = new Queue<GradeJobData, GradeJobResult>(QUEUE_NAME, { connection });
  const eventsConnection = connectQueue(args.queue);
  const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
  let local: RunningWorker | undefined;
  const outcomes: GradeOutcome[] = [];
  const started = Date.now();
  let done = 0;
  let workersAlive = 0;
  const progress = (outcome: GradeOutcome): void => {
    outcomes.push(outcome);
    done++;
    if (args.quiet) return;
    const elapsed = (Date.now() - started) / 1000;
    const graded = outcomes.filter((o) => o.state === "graded").length;
    const rate = graded > 0 ? (graded / elapsed) * 60 : 0;
    const eta = rate > 0 ? ((submissions.length - done) / rate) * 60 : NaN;
    const what = outcome.state === "skipped" ? "unchanged, skipped" : `${outcome.score?.score} / ${outcome.score?.maxScore}`;
    log(
      `[${String(done).padStart(String(submissions.length).length)}/${submissions.length}] ${rate.toFixed(1)}/min, ETA ${duration(eta)}, ${workersAlive} worker${workersAlive === 1 ? "" : "s"} alive  ${outcome.student}: ${what}`,
    );
  };

  // what is still to be recorded, by job id
  const pending = new Map<string, { submission: Submission; data: GradeJobData }>();
  const handling = new Set<string>();
  const jobOptions = { attempts: JOB_ATTEMPTS, backoff: { type: "exponential", delay: 1000 }, removeOnComplete: false, removeOnFail: false };
  for (const submission of submissions) {
    const contentHash = createHash("sha256").update(submission.bytes).digest("hex");
    if (gradebook.isGraded(submission.student, name, contentHash, assignment.specHash)) {
      progress({ student: submission.student, state: "skipped", seconds: 0 });
      continue;
    }
    const data: GradeJobData = {
      specHash: assignment.specHash,
      student: submission.student,
      origin: path.basename(submission.origin),
      notebook: submission.bytes.toString("base64"),
      contentHash,
      submittedAt: submission.submittedAt.toISOString(),
      limits: { cellSeconds: limits.cellSeconds, totalSeconds: limits.totalSeconds, memoryMB: limits.memoryMB },
      late: { due: args.due, grace: args.grace, latePolicy: args.latePolicy },
    };
    pending.set(jobIdOf(assignment.specHash, submission.student, contentHash), { submission, data });
  }

  /** Writes a finished job's files, then its gradebook row (one transaction), then removes it from the queue. */
  const record = (jobId: string, result: GradeJobResult): void => {
    const entry = pending.get(jobId);
    if (!entry) return;
    const dir = path.join(outDir, entry.submission.student);
    fs.mkdirSync(dir, { recursive: true });
    writeAtomically(path.join(dir, "results.json"), result.resultsJson);
    writeAtomically(path.join(dir, "feedback.html"), result.feedbackHtml);
    gradebook.record({
      student: entry.submission.student,
      assignment: name,
      contentHash: result.contentHash,
      specHash: assignment.specHash,
      submittedAt: entry.submission.submittedAt,
      score: result.score,
      notes: result.notes,
    });
    pending.delete(jobId);
    progress({ student: entry.submission.student, state: "graded", score: result.score, seconds: result.seconds });
  };
  /** A job no worker could finish: recorded with the reason and 0 points, marked as not done, and removed from the queue, so only a new run (a person's decision) queues it again. */
  const recordFailure = (jobId: string, reason: string, attempts: number): void => {
    const entry = pending.get(jobId);
    if (!entry) return;
    const notes = [`the grader could not grade this submission after ${attempts} attempt(s): ${reason.split("\n")[0]}; ask the course staff to look at it`];
    const score = scoreSubmission(
      { cells: [], cases: [], restarts: 0, notes: [], batched: [], phases: { startMs: 0, cellsMs: 0, testsMs: 0, stopMs: 0 } },
      assignment.spec,
      latePenalty(entry.submission.submittedAt, late),
    );
    record(jobId, {
      student: entry.submission.student,
      contentHash: `${entry.data.contentHash}:grader-failed`,
      score,
      notes,
      resultsJson: JSON.stringify(toGradescope(score, 0, notes), null, 2),
      feedbackHtml: feedbackHtml({ student: entry.submission.student, assignment: name, score, notebook: assignment.release, cells: [], repairs: [], notes }),
      seconds: 0,
      worker: "",
    });
    log(`${entry.submission.student}: failed on the queue: ${notes[0]}`);
  };
  /** Looks at one job: records it when finished, queues it again when Redis lost it. */
  const check = async (jobId: string): Promise<void> => {
    if (!pending.has(jobId) || handling.has(jobId)) return;
    handling.add(jobId);
    try {
      const job = await Job.fromId<GradeJobData, GradeJobResult>(queue, jobId);
      if (!job) {
        // never queued, or lost with Redis's memory: (re)queue it, the assignment first
        await putAssignment(connection, shared);
        await queue.add("grade", pending.get(jobId)!.data, { ...jobOptions, jobId });
        return;
      }
      const state = await job.getState();
      if (state === "completed" && job.returnvalue) {
        record(jobId, job.returnvalue);
        await job.remove().catch(() => undefined);
      } else if (state === "failed") {
        recordFailure(jobId, job.failedReason ?? "unknown", job.attemptsMade);
        await job.remove().catch(() => undefined);
      }
    } finally {
      handling.delete(jobId);
    }
  };

  let stopping = false;
  let wake: () => void = () => undefined;
  const onSigint = (): void => {
    stopping = true;
    wake();
    log("\ninterrupted: the queued submissions stay queued and workers go on grading them; re-run the same command to collect them");
  };
  process.once("SIGINT", onSigint);
  events.on("completed", ({ jobId }) => void check(jobId).catch(() => undefined));
  events.on("failed", ({ jobId }) => void check(jobId).catch(() => undefined));
  try {
    if (pending.size > 0) {
      await putAssignment(connection, shared);
      const ids = [...pending.keys()];
      for (let i = 0; i < ids.length; i += 500) {
        await queue.addBulk(ids.slice(i, i + 500).map((jobId) => ({ name: "grade", data: pending.get(jobId)!.data, opts: { ...jobOptions, jobId } })));
      }
      if (!args.quiet) log(`queued ${pending.size} submission(s) of ${name} on ${redactUrl(args.queue)}; ${submissions.length - pending.size} already in the gradebook`);
      if (args.localJobs > 0) local = await startWorker({ queue: args.queue, jobs: args.localJobs, unsafeNoSandbox: args.unsafeNoSandbox, log });
    }
    while (pending.size > 0 && !stopping) {
      workersAlive = await queue.getWorkersCount().catch(() => workersAlive);
      for (const jobId of [...pending.keys()]) await check(jobId).catch((err: Error) => log(`queue: ${err.message.split("\n")[0]}; retrying`));
      if (pending.size > 0 && !stopping) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, SWEEP_MS)));
    }
    writeAtomically(path.join(outDir, "grades.csv"), gradebook.toCsv(name));
    // every job of this run is recorded: the hidden tests leave Redis
    if (pending.size === 0) await connection.del(assignmentKey(assignment.specHash));
  } finally {
    process.removeListener("SIGINT", onSigint);
    if (local) await local.close();
    await events.close().catch(() => undefined);
    await queue.close().catch(() => undefined);
    // connections handed to BullMQ stay open until their owner closes them
    for (const c of [connection, eventsConnection]) await c.quit().catch(() => c.disconnect());
    gradebook.close();
  }
  return outcomes;
}
