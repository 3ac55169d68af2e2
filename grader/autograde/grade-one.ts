import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { Notebook } from "../assign/format";
import { parseNotebook } from "../../notebook/notebook";
import { feedbackHtml } from "../feedback";
import { toGradescope } from "../export";
import type { Gradebook } from "../gradebook";
import type { KernelInstall, Protections, SandboxLimits } from "../sandbox";
import type { LoadedAssignment } from "./assignment";
import { LatePolicy, latePenalty } from "./late";
import { emptyRun, runSubmission, SubmissionRun } from "./run-submission";
import { sanitise } from "./sanitise";
import { scoreSubmission, SubmissionScore } from "./score";
import type { Submission } from "./submissions";
import type { SandboxedKernel } from "./sandboxed-kernel";
import type { IdleSlots } from "./idle-slots";

/** What happened to one submission in a grading run. */
export interface GradeOutcome {
  student: string;
  /** "graded", or "skipped" when the gradebook already holds this exact submission and spec. */
  state: "graded" | "skipped";
  score?: SubmissionScore;
  seconds: number;
  phases?: SubmissionRun["phases"];
  /** Fresh kernels started after a crash or a time limit. */
  restarts?: number;
  /** How many graded functions had all their hidden cases run as one batch. */
  batched?: number;
  /** Hidden cases that ran ahead in a free job slot (see RunOptions.idleSlots). */
  ranAhead?: number;
}

/** Settings shared by all submissions of one run. */
export interface GradeSettings {
  assignment: LoadedAssignment;
  outDir: string;
  gradebook: Gradebook;
  limits: SandboxLimits;
  protections: Protections;
  install: KernelInstall;
  /** What kernels must not see: assignments/, the assignment graded, the submissions, the output folder. */
  hide: string[];
  late: LatePolicy;
  /** Set when grading without the sandbox (--unsafe-no-sandbox): this line goes into every result. */
  unsafe?: string;
  /** The run's job slots with nothing left to grade, which a hanging function's next hidden case may use (RunOptions.idleSlots). */
  idleSlots?: IdleSlots;
  log?: (line: string) => void;
}

/**
 * Grades one submission end to end (`takeKernel` hands over a kernel started ahead; it is called
 * only when the submission really needs one): sanitise, run in its sandboxed kernel, compare in this
 * process, then write DIR/<student>/results.json and feedback.html, and last the gradebook row
 * (one transaction), so a submission counts as graded only once all its files are written.
 */
export async function gradeOne(submission: Submission, settings: GradeSettings, takeKernel?: () => Promise<SandboxedKernel>): Promise<GradeOutcome> {
  const started = Date.now();
  const { assignment, gradebook } = settings;
  const contentHash = createHash("sha256").update(submission.bytes).digest("hex");
  if (gradebook.isGraded(submission.student, assignment.spec.assignment, contentHash, assignment.specHash)) {
    return { student: submission.student, state: "skipped", seconds: 0 };
  }
  let parsed: Notebook | null = null;
  const notes: string[] = settings.unsafe ? [settings.unsafe] : [];
  try {
    parsed = parseNotebook(submission.bytes.toString("utf8"), path.basename(submission.origin));
  } catch (err) {
    notes.push(`not a readable notebook, so nothing could be run: ${(err as Error).message}`);
    parsed = null;
  }
  const { notebook, repairs } = parsed ? sanitise(parsed, assignment.release) : { notebook: assignment.release, repairs: [] as string[] };
  let run = emptyRun();
  let graderFailed = false;
  if (parsed) {
    try {
      run = await runSubmission(notebook, assignment.spec, {
        student: submission.student,
        limits: settings.limits,
        protections: settings.protections,
        install: settings.install,
        hide: settings.hide,
        kernel: takeKernel?.(),
        log: settings.log,
        idleSlots: settings.idleSlots,
      });
    } catch (err) {
      graderFailed = true;
      // A grader failure must still leave a grade with its reason, never a silent gap.
      notes.push(`the grader could not run this submission: ${(err as Error).message.split("\n")[0]}; ask the course staff to re-run it`);
    }
  }
  notes.push(...run.notes);
  if (run.restarts > 0) notes.push(`the kernel was restarted ${run.restarts} time${run.restarts === 1 ? "" : "s"} (after a crash or a time limit); the student's cells were replayed each time`);
  const late = latePenalty(submission.submittedAt, settings.late);
  const score = scoreSubmission(run, assignment.spec, late);
  const seconds = (Date.now() - started) / 1000;
  const dir = path.join(settings.outDir, submission.student);
  fs.mkdirSync(dir, { recursive: true });
  writeAtomically(path.join(dir, "results.json"), JSON.stringify(toGradescope(score, seconds, [...repairs, ...notes]), null, 2));
  writeAtomically(path.join(dir, "feedback.html"), feedbackHtml({ student: submission.student, assignment: assignment.spec.assignment, score, notebook, cells: run.cells, repairs, notes }));
  // A grader failure is recorded (so grades.csv shows it) but not as done: the next run grades it again.
  gradebook.record({
    student: submission.student,
    assignment: assignment.spec.assignment,
    contentHash: graderFailed ? `${contentHash}:grader-failed` : contentHash,
    specHash: assignment.specHash,
    submittedAt: submission.submittedAt,
    score,
    notes: [...repairs, ...notes],
  });
  return { student: submission.student, state: "graded", score, seconds, phases: run.phases, restarts: run.restarts, batched: run.batched.length, ranAhead: run.ranAhead };
}

/** Writes via a temporary file and rename, so a crash never leaves half a file. */
export function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}
