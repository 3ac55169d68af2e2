/**
 * `workbook grade <assignment> <submissions> [options]`: grades a class's submissions, each in its
 * own sandboxed kernel, and writes DIR/<student>/results.json, DIR/<student>/feedback.html,
 * DIR/grades.csv and the gradebook DIR/gradebook.sqlite.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  GradeOutcome,
  gradeOne,
  GradeSettings,
  listSubmissions,
  loadAssignment,
  parseLatePolicy,
  SandboxCheckError,
  checkSandboxRunsKernel,
  writeAtomically,
  IdleSlots,
  RECORD_MIN_SUBMISSIONS,
  recordOnce,
} from "./autograde";
import type { LoadedAssignment, Submission } from "./autograde";
import { SandboxedKernel, disposeKernel, startSandboxedKernel } from "./autograde/sandboxed-kernel";
import { Gradebook } from "./gradebook";
import { parseCommandLine, positiveNumber, usageError } from "../cli/args";
import { DEFAULT_LIMITS, checkLimits, makePrivate, missingForGrading, probeProtections, refusalMessage, secretPaths, thisInstall, withKernelSnapshot } from "./sandbox";
import { checkSandbox } from "./check-sandbox";
import { CoordinatorBusyError, checkQueueUrl, gradeOnQueue, workerMain } from "./queue";
import type { GradeArgs } from "./grade-args";

const USAGE = `Usage: workbook grade <assignment> <submissions> [options]
       workbook grade <assignment> <submissions> --queue redis://HOST:PORT [options]
       workbook grade worker --queue redis://HOST:PORT [--jobs N] [--unsafe-no-sandbox]
       workbook grade --check-sandbox

  <assignment>   the assignment folder (holding *.grading.json from "workbook assign generate") or the spec file
  <submissions>  a folder of .ipynb files (student id = file stem), a folder of per-student folders, or a .zip

Options:
  --out DIR            where results go (default: grades)
  --jobs N             submissions graded at once (default: number of cores, ${os.cpus().length} here)
  --timeout-cell S     seconds per cell and per hidden test (default ${DEFAULT_LIMITS.cellSeconds})
  --timeout S          seconds per submission in all (default ${DEFAULT_LIMITS.totalSeconds})
  --memory MB          memory cap per kernel (default ${DEFAULT_LIMITS.memoryMB})
  --due ISO            due date, e.g. 2026-12-01T23:59:00Z
  --grace DURATION     grace period after the due date, e.g. 15m, 2h, 1d (default 0)
  --late-policy P      none | zero | per-day:<percent> (default per-day:10 with --due, else none)
  --queue URL          grade on a BullMQ job queue in Redis (redis://HOST:PORT, redis://:PASSWORD@HOST:PORT,
                       rediss:// for TLS) by "workbook grade worker" processes on any machine; this process
                       queues the submissions and records each result as it arrives (then --jobs N also
                       grades N at once here). Redis must be private to the graders: jobs carry the hidden tests.
  --quiet              no progress line
  --check-sandbox      print the sandbox layers in force on this machine, test each, and exit
  --unsafe-no-sandbox  grade even where kernels cannot be sandboxed (no bubblewrap, no root):
                       only for submissions you trust; every result then says so

Every run first starts one sandboxed kernel and runs a cell in it; when that fails, nothing is
graded and the message names the cause and the fix (exit code 1).
`;

function parseArgs(args: string[]): GradeArgs {
  const { values: options, positionals: positional } = parseCommandLine("grade", args, OPTIONS);
  if (positional.length !== 2) throw usageError("grade", `expected <assignment> and <submissions>, got ${positional.length} argument(s); see workbook grade --help`);
  const quiet = options.quiet === true;
  const unsafeNoSandbox = options["unsafe-no-sandbox"] === true;
  const num = (key: "jobs" | "timeout-cell" | "timeout" | "memory", fallback: number): number => {
    const value = options[key];
    return value === undefined ? fallback : positiveNumber("grade", `--${key}`, value);
  };
  return {
    assignment: positional[0],
    submissions: positional[1],
    out: options.out ?? "grades",
    jobs: Math.floor(num("jobs", os.cpus().length)),
    cellSeconds: num("timeout-cell", DEFAULT_LIMITS.cellSeconds),
    totalSeconds: num("timeout", DEFAULT_LIMITS.totalSeconds),
    memoryMB: num("memory", DEFAULT_LIMITS.memoryMB),
    due: options.due,
    grace: options.grace,
    latePolicy: options["late-policy"],
    quiet,
    unsafeNoSandbox,
    queue: options.queue === undefined ? undefined : checkQueueUrl(options.queue),
    jobsGiven: options.jobs !== undefined,
  };
}

/** The options of `workbook grade <assignment> <submissions>`. */
const OPTIONS = {
  out: { type: "string" },
  jobs: { type: "string" },
  "timeout-cell": { type: "string" },
  timeout: { type: "string" },
  memory: { type: "string" },
  due: { type: "string" },
  grace: { type: "string" },
  "late-policy": { type: "string" },
  queue: { type: "string" },
  quiet: { type: "boolean" },
  "unsafe-no-sandbox": { type: "boolean" },
} as const;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const m = Math.floor(seconds / 60);
  return m > 0 ? `${m}m${String(Math.round(seconds % 60)).padStart(2, "0")}s` : `${Math.round(seconds)}s`;
}

/** Runs the whole class: a pool of `jobs` submissions at a time, a progress line with count, rate and ETA. */
export async function gradeAll(args: GradeArgs, log: (line: string) => void = (l) => console.error(l)): Promise<GradeOutcome[]> {
  if (args.queue) return gradeOnQueue({ ...args, queue: args.queue, localJobs: args.jobsGiven ? args.jobs : 0 }, log);
  const assignment = loadAssignment(args.assignment);
  const submissions = listSubmissions(args.submissions);
  const late = parseLatePolicy(args.due, args.grace, args.latePolicy);
  const limits = checkLimits({ ...DEFAULT_LIMITS, cellSeconds: args.cellSeconds, totalSeconds: args.totalSeconds, memoryMB: args.memoryMB });
  const protections = probeProtections();
  const missing = missingForGrading(protections);
  if (missing.length > 0 && !args.unsafeNoSandbox) throw new SandboxCheckError(refusalMessage(protections));
  for (const lost of protections.lost) log(`warning: sandbox layer missing: ${lost}`);
  const unsafe =
    missing.length > 0 ? `graded with --unsafe-no-sandbox: the kernel ran without ${missing.map((m) => m.split(":")[0]).join(", ")}; a hostile submission could have interfered with grading` : undefined;
  if (unsafe) log(`warning: ${unsafe}`);
  const outDir = path.resolve(args.out);
  // made before any kernel starts: a kernel's mounts hide only folders that exist
  makePrivate(outDir);
  const snapshotInstall = withKernelSnapshot(thisInstall(), limits, log);
  const hide = secretPaths(snapshotInstall, [path.dirname(assignment.specFile), args.submissions, outDir]);
  // with enough to grade, the check kernel records the released cells' type checks for all the others (conversions.ts)
  const record = ungraded(outDir, assignment, submissions) >= RECORD_MIN_SUBMISSIONS;
  // A grade must never be the grader's own failure: one kernel must start and run a cell before anything is graded.
  const first = await checkSandboxRunsKernel({ limits, protections, install: snapshotInstall, hide, record });
  const conversions = record ? await recordOnce(first, assignment, snapshotInstall, limits, log) : undefined;
  const install = conversions?.install ?? snapshotInstall;
  let gradebook: Gradebook;
  try {
    gradebook = Gradebook.open(path.join(outDir, "gradebook.sqlite"));
    gradebook.ensureAssignment(assignment.spec.assignment, assignment.spec.totalPoints, assignment.specHash);
  } catch (err) {
    if (!record) await disposeKernel(first);
    conversions?.remove();
    throw err;
  }
  // jobs that run out of submissions lend their slot to a hanging function's next hidden case
  const idleSlots = new IdleSlots();
  const settings: GradeSettings = { assignment, outDir, gradebook, limits, protections, install, hide, late, unsafe, idleSlots, log: args.quiet ? undefined : log };
  const outcomes: GradeOutcome[] = [];
  const started = Date.now();
  let next = 0;
  let done = 0;
  let stopping = false;
  const onSigint = (): void => {
    stopping = true;
    log("\ninterrupted: finishing the submissions in progress; graded ones are saved, re-run to continue");
  };
  process.once("SIGINT", onSigint);
  const progress = (outcome: GradeOutcome): void => {
    done++;
    if (args.quiet) return;
    const elapsed = (Date.now() - started) / 1000;
    const graded = outcomes.filter((o) => o.state === "graded").length;
    const rate = graded > 0 ? (graded / elapsed) * 60 : 0;
    const eta = rate > 0 ? ((submissions.length - done) / rate) * 60 : NaN;
    const what = outcome.state === "skipped" ? "unchanged, skipped" : `${outcome.score?.score} / ${outcome.score?.maxScore}`;
    log(`[${String(done).padStart(String(submissions.length).length)}/${submissions.length}] ${rate.toFixed(1)}/min, ETA ${duration(eta)}  ${outcome.student}: ${what}`);
  };
  // Each job keeps one spare kernel starting while it grades, so a kernel's start (the main fixed
  // cost) overlaps the previous submission. A spare is only ever given to one submission.
  const worker = async (_: unknown, index: number): Promise<void> => {
    // the first job grades with the kernel that passed the start check, unless that kernel recorded (it never grades a student)
    let spare: Promise<SandboxedKernel> | null = index === 0 && !record ? Promise.resolve(first) : null;
    const startSpare = (): Promise<SandboxedKernel> => {
      const starting = startSandboxedKernel(settings);
      starting.catch(() => undefined); // a failed start is reported by the submission that takes it
      return starting;
    };
    const takeKernel = (): Promise<SandboxedKernel> => {
      const kernel = spare ?? startSpare();
      spare = !stopping && next < submissions.length ? startSpare() : null;
      return kernel;
    };
    try {
      while (!stopping && next < submissions.length) {
        const submission = submissions[next++];
        try {
          const outcome = await gradeOne(submission, settings, takeKernel);
          outcomes.push(outcome);
          progress(outcome);
        } catch (err) {
          log(`${submission.student}: not graded, the grader failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        }
      }
    } finally {
      const left = spare;
      if (left) await left.then(disposeKernel, () => undefined);
      idleSlots.add();
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(args.jobs, submissions.length)) }, worker));
    writeAtomically(path.join(outDir, "grades.csv"), gradebook.toCsv(assignment.spec.assignment));
  } finally {
    process.removeListener("SIGINT", onSigint);
    gradebook.close();
    conversions?.remove();
  }
  return outcomes;
}

/** How many of `submissions` the gradebook in `outDir` does not hold yet (all of them without a gradebook; none is created here). */
function ungraded(outDir: string, assignment: LoadedAssignment, submissions: Submission[]): number {
  const file = path.join(outDir, "gradebook.sqlite");
  if (!fs.existsSync(file)) return submissions.length;
  const gradebook = Gradebook.open(file);
  try {
    const name = assignment.spec.assignment;
    return submissions.filter((s) => !gradebook.isGraded(s.student, name, createHash("sha256").update(s.bytes).digest("hex"), assignment.specHash)).length;
  } finally {
    gradebook.close();
  }
}

/** Entry point of `workbook grade`; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (args.includes("--check-sandbox")) return (await checkSandbox((line) => console.log(line))) ? 0 : 1;
  if (args[0] === "worker") {
    try {
      return await workerMain(args.slice(1));
    } catch (err) {
      console.error((err as Error).message);
      return 2;
    }
  }
  let parsed: GradeArgs;
  try {
    parsed = parseArgs(args);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  let outcomes: GradeOutcome[];
  try {
    outcomes = await gradeAll(parsed);
  } catch (err) {
    if (!(err instanceof SandboxCheckError || err instanceof CoordinatorBusyError)) throw err;
    console.error(err.message);
    return 1;
  }
  const graded = outcomes.filter((o) => o.state === "graded").length;
  console.log(`graded ${graded}, unchanged ${outcomes.length - graded}; results in ${path.resolve(parsed.out)} (grades.csv, gradebook.sqlite, <student>/results.json, <student>/feedback.html)`);
  return 0;
}

/** Parses `workbook grade`'s arguments (exported for tests and the Gradescope wrapper). */
export { parseArgs as parseGradeArgs };
/** The parsed command line of `workbook grade`. */
export type { GradeArgs };
