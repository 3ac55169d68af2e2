/**
 * `npm run bench:grade`: grades generated submissions of the Adam assignment end to end with
 * `workbook grade`'s own code (sandboxed kernels, hidden calls, gradebook, feedback) and prints
 * throughput, CPU seconds per submission and per-phase times. Mix: 40% correct, 20% wrong (no bias
 * correction), 20% partly correct (adamLecture left unimplemented), 10% broken (syntax error), 10%
 * hostile (reads the spec, spawns a shell, fakes results, overrides built-ins, exits, loops forever).
 *
 *   --count N (or BENCH_GRADE_N; default 200) submissions; --jobs N (or BENCH_GRADE_JOBS; default: cores).
 *   --as-user (as root): then grades the same submissions again as an ordinary user created for it
 *   (useradd), as a TA would without root (bubblewrap's user namespaces instead of setpriv), and
 *   prints both rates side by side.
 *   --queue: then grades the same submissions again on a BullMQ queue in a Redis started here
 *   (Debian's redis-server, a free port, no persistence) with 1, 2 and 4 local worker processes
 *   (`workbook grade worker --jobs 1`), and prints their rates beside local grading's and the
 *   queue's overhead per job (the 1-worker pass's wall time per job minus the worker's own time).
 * Target: at least 60 submissions per minute on a 2-core machine, as root and as a user.
 * Example: `npm run bench:grade -- --count 20 --as-user --queue`
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { GradeOutcome } from "../grader/autograde";
import { gradeAll } from "../grader/cli-grade";
import { ADAM_ASSIGNMENT, adamAnswers, adamSubmission } from "../grader/hostile/adam-class";
import { createOrdinaryUser, gradeAsUser } from "../grader/hostile/ordinary-user";
import { DEFAULT_LIMITS, runningAsRoot, thisInstall, withKernelSnapshot } from "../grader/sandbox";
import { gradeOnQueue } from "../grader/queue";
import { freePort } from "../kernel/client/connection";

/** The options every pass grades with (as `workbook grade --timeout-cell 10 --timeout 120 --memory 1024 --due ... --grace 15m --late-policy per-day:10`). */
const POLICY = { cellSeconds: 10, totalSeconds: 120, memoryMB: 1024, due: "2026-12-01T23:59:00Z", grace: "15m", latePolicy: "per-day:10" };

/** Writes `n` submissions into `dir` (student<i>-<kind>.ipynb, submission times around the due date); returns how many of each kind. */
function generate(n: number, dir: string): Record<string, number> {
  const a = adamAnswers();
  const specFile = path.join(ADAM_ASSIGNMENT, "01-adam.grading.json");
  const hostile = [
    a.adam.replace("const { learningRate", `require("fs").readFileSync(${JSON.stringify(specFile)});\n  const { learningRate`),
    a.adam.replace("const { learningRate", `require("child_process").execSync("id");\n  const { learningRate`),
    a.adam.replace("return { nextW", `console.log("All tests passed");\n  return { nextW: w`).replace("nextW, config: { ...config", "config: { ...config"),
    a.adam.replace("const { learningRate", "process.exit(1);\n  const { learningRate"),
    a.adam.replace("const { learningRate", "for (;;) {}\n  const { learningRate"),
  ];
  const kinds: Record<string, number> = {};
  const due = Date.parse(POLICY.due);
  for (let i = 0; i < n; i++) {
    const slot = i % 10;
    let kind: string;
    let nb;
    if (slot < 4) [kind, nb] = ["correct", adamSubmission({ adam: a.adam, adamLecture: a.adamLecture })];
    else if (slot < 6) [kind, nb] = ["wrong", adamSubmission({ adam: a.wrongAdam, adamLecture: a.adamLecture.replace("v.add(epsilon).sqrt()", "v.sqrt().add(epsilon)") })];
    else if (slot < 8) [kind, nb] = ["partial", adamSubmission({ adam: a.adam, adamLecture: a.stubLecture })];
    else if (slot < 9) [kind, nb] = ["broken", adamSubmission({ adam: a.adam.replace("return {", "return {{"), adamLecture: a.adamLecture })];
    else if (i % 20 === 9) [kind, nb] = ["hostile", adamSubmission({ adam: hostile[Math.floor(i / 20) % hostile.length], adamLecture: a.adamLecture })];
    else [kind, nb] = ["hostile", adamSubmission({ adam: a.adam, adamLecture: a.adamLecture }, "JSON.stringify = () => '{}';\n(Object.prototype as any).polluted = true;\nMath.sqrt = (x: number) => x;")];
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const file = path.join(dir, `student${String(i).padStart(3, "0")}-${kind}.ipynb`);
    fs.writeFileSync(file, JSON.stringify(nb));
    // submission times spread around the due date, so the late policy has work to do
    const when = new Date(due + ((i % 7) - 4) * 6 * 3600 * 1000);
    fs.utimesSync(file, when, when);
  }
  return kinds;
}

/** CPU seconds this process has used (utime + stime, from /proc/self/stat; USER_HZ is 100 on Linux). */
function ownCpuSeconds(): number {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** What one pass measured. */
interface PassSummary {
  graded: number;
  seconds: number;
  /** CPU seconds of the grading process, and of the submissions' kernels (each kernel's process tree, read before its kill). */
  graderCpu: number;
  kernelsCpu: number;
  /** Wall milliseconds summed over the submissions, by phase. */
  phases: { start: number; cells: number; tests: number; stop: number; total: number };
  restarts: number;
  batched: number;
  /** Hidden cases of hanging functions that ran ahead in a job slot with nothing left to grade. */
  ranAhead: number;
  /** Autograded scores by kind of submission (from the file name). */
  scores: Record<string, number[]>;
  maxScore: number;
}

/** Sums what `outcomes` say, for a pass that took `seconds` and `graderCpu`. */
function summarize(outcomes: GradeOutcome[], seconds: number, graderCpu: number): PassSummary {
  const graded = outcomes.filter((o) => o.state === "graded");
  const sum = (f: (o: GradeOutcome) => number): number => graded.reduce((s, o) => s + f(o), 0);
  const scores: Record<string, number[]> = {};
  for (const o of graded) (scores[o.student.split("-")[1]] ??= []).push(o.score?.rawScore ?? 0);
  return {
    graded: graded.length,
    seconds,
    graderCpu,
    kernelsCpu: sum((o) => o.phases?.cpuMs ?? 0) / 1000,
    phases: {
      start: sum((o) => o.phases?.startMs ?? 0),
      cells: sum((o) => o.phases?.cellsMs ?? 0),
      tests: sum((o) => o.phases?.testsMs ?? 0),
      stop: sum((o) => o.phases?.stopMs ?? 0),
      total: sum((o) => o.seconds * 1000),
    },
    restarts: sum((o) => o.restarts ?? 0),
    batched: sum((o) => o.batched ?? 0),
    ranAhead: sum((o) => o.ranAhead ?? 0),
    scores,
    maxScore: graded[0]?.score?.maxScore ?? 0,
  };
}

/** Grades `subs` into `out` with `workbook grade`'s gradeAll, `jobs` at a time, and measures it (the kernel snapshot is made ready before the clock starts). */
async function gradePass(subs: string, out: string, jobs: number, log: (line: string) => void): Promise<PassSummary> {
  withKernelSnapshot(thisInstall(), { ...DEFAULT_LIMITS, ...POLICY }, log);
  const started = Date.now();
  const cpuBefore = ownCpuSeconds();
  const outcomes = await gradeAll({ assignment: ADAM_ASSIGNMENT, submissions: subs, out, jobs, ...POLICY, quiet: false }, log);
  return summarize(outcomes, (Date.now() - started) / 1000, ownCpuSeconds() - cpuBefore);
}

const rate = (p: PassSummary): number => (p.graded / p.seconds) * 60;

/** Mean score per kind, e.g. "correct 6.00, wrong 0.00". */
function meanScores(p: PassSummary): string {
  return Object.entries(p.scores)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, list]) => `${kind} ${(list.reduce((a, b) => a + b, 0) / list.length).toFixed(2)}`)
    .join(", ");
}

/** Prints a local pass: rate, CPU per submission, per-phase wall times, mean scores per kind. */
function printPass(label: string, p: PassSummary): void {
  const cores = os.cpus().length;
  const cpu = (p.graderCpu + p.kernelsCpu) / p.graded;
  const per = (ms: number): string => `${(ms / p.graded / 1000).toFixed(2)} s`;
  console.log(`\n${label}: graded ${p.graded} in ${p.seconds.toFixed(1)} s: ${rate(p).toFixed(1)} submissions/minute (target >= 60 on 2 cores)`);
  console.log(`  CPU per submission: ${cpu.toFixed(2)} s (grading process ${(p.graderCpu / p.graded).toFixed(2)} s, kernels ${(p.kernelsCpu / p.graded).toFixed(2)} s, read before each kill)`);
  console.log(`  on ${cores} otherwise idle cores that allows about ${((cores * 60) / cpu).toFixed(0)} per minute; load average now ${os.loadavg()[0].toFixed(1)}`);
  console.log(`  fresh kernels after a crash or time limit: ${p.restarts}; graded functions whose hidden cases ran as one batch: ${p.batched}; hidden cases run ahead in a free job slot: ${p.ranAhead}`);
  console.log("  per submission (mean, wall time inside one job):");
  console.log(`    wait for kernel, harness ${per(p.phases.start)}`);
  console.log(`    student cells            ${per(p.phases.cells)}`);
  console.log(`    hidden test calls        ${per(p.phases.tests)}`);
  console.log(`    kill kernel, clean up    ${per(p.phases.stop)}`);
  console.log(`    sanitise, compare, write ${per(p.phases.total - p.phases.start - p.phases.cells - p.phases.tests - p.phases.stop)}`);
  console.log(`    total                    ${per(p.phases.total)}`);
  for (const [kind, list] of Object.entries(p.scores)) console.log(`  ${kind.padEnd(8)} mean autograded score ${(list.reduce((a, b) => a + b, 0) / list.length).toFixed(2)} / ${p.maxScore}`);
}

/**
 * The same submissions graded by this bench's gradePass run as an ordinary user (created here,
 * removed after) in a copy of the submissions it owns; prints its figures beside the root pass's.
 */
async function userPass(work: string, subs: string, jobs: number, root: PassSummary): Promise<void> {
  if (!runningAsRoot()) throw new Error("bench:grade --as-user: run as root (it creates the grading user with useradd)");
  fs.chmodSync(work, 0o755);
  const user = createOrdinaryUser(work, `wbbench${process.pid % 10000}`);
  try {
    const area = path.join(work, "user");
    fs.mkdirSync(area);
    fs.cpSync(subs, path.join(area, "submissions"), { recursive: true, preserveTimestamps: true });
    const tmp = path.join(work, "user-tmp");
    fs.mkdirSync(tmp);
    for (const dir of [area, tmp]) for (const entry of [dir, ...fs.readdirSync(dir, { recursive: true }).map((e) => path.join(dir, String(e)))]) fs.chownSync(entry, user.uid, user.uid);
    console.log(`\nuser pass: the same ${root.graded} submissions graded as ${user.name} (uid ${user.uid}, not root)`);
    // untimed: the sandbox check as that user
    const check = await gradeAsUser(user, work, tmp, ["--check-sandbox"]);
    console.log(`  workbook grade --check-sandbox as ${user.name}: ${check.output.trim().split("\n").pop()}`);
    const result = await gradeAsUser(user, work, tmp, ["--pass", path.join(area, "submissions"), path.join(area, "out"), String(jobs)], {}, [path.join("dist", "bench", "grade.js")]);
    const line = result.output.split("\n").find((l) => l.startsWith("PASS "));
    if (result.code !== 0 || !line) throw new Error(`the user pass failed (exit ${result.code}):\n${result.output}`);
    const mine = JSON.parse(line.slice(5)) as PassSummary;
    printPass(`as ${user.name}`, mine);
    console.log(`\nas ${user.name}: ${rate(mine).toFixed(1)} submissions/minute beside ${rate(root).toFixed(1)} as root in this run (target >= 60 on 2 cores for both)`);
    console.log(`  mean scores the same as root's: ${meanScores(mine) === meanScores(root) ? "yes" : `NO (${meanScores(mine)} against ${meanScores(root)})`}`);
  } finally {
    user.remove();
  }
}

/** Resolves once `child` has printed a line matching `pattern` (rejects when it exits first). */
function printed(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = "";
    const onData = (d: Buffer): void => {
      text += d.toString();
      if (pattern.test(text)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`bench:grade --queue: ${child.spawnargs.join(" ")} exited (${code}) before printing ${pattern}:\n${text}`)));
  });
}

/** Grades `subs` on the queue at `url` with `count` fresh worker processes (one job each); stops them after. */
async function workersPass(url: string, subs: string, out: string, count: number): Promise<{ seconds: number; outcomes: GradeOutcome[] }> {
  const workbook = path.join(__dirname, "..", "bin", "workbook.js");
  const workers = Array.from({ length: count }, () => spawn(process.execPath, [workbook, "grade", "worker", "--queue", url, "--jobs", "1"], { cwd: os.tmpdir(), stdio: ["ignore", "pipe", "pipe"] }));
  try {
    // untimed: each worker's sandbox check kernel
    await Promise.all(workers.map((w) => printed(w, /grading up to/)));
    const started = Date.now();
    const outcomes = await gradeOnQueue({ assignment: ADAM_ASSIGNMENT, submissions: subs, out, queue: url, localJobs: 0, ...POLICY, quiet: true }, (line) => console.log(line));
    return { seconds: (Date.now() - started) / 1000, outcomes };
  } finally {
    await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve(null) : (w.once("exit", resolve), w.kill("SIGTERM"))))));
  }
}

/**
 * The same submissions graded on the queue with 1, 2 and 4 local worker processes (one job each),
 * each pass into a fresh output folder; prints each rate beside local grading's and the overhead per job.
 */
async function queuePass(work: string, subs: string, local: PassSummary): Promise<void> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    await printed(redis, /Ready to accept connections/);
    console.log(`\nqueue pass: the same ${local.graded} submissions on a BullMQ queue (Redis on port ${port}), workers started from ${os.tmpdir()}`);
    for (const count of [1, 2, 4]) {
      const { seconds, outcomes } = await workersPass(url, subs, path.join(work, `queue-${count}`), count);
      const pass = summarize(outcomes, seconds, 0);
      const same = meanScores(pass) === meanScores(local) ? "same mean scores as local" : `mean scores DIFFER from local: ${meanScores(pass)}`;
      console.log(
        `  ${count} worker${count === 1 ? " " : "s"}: graded ${pass.graded} in ${seconds.toFixed(1)} s: ${rate(pass).toFixed(1)} submissions/minute (local grading: ${rate(local).toFixed(1)}); ${same}`,
      );
      // with one worker grading one job at a time, the wall time per job beyond the worker's own time is the queue's cost
      const inWorker = pass.phases.total / pass.graded / 1000;
      if (count === 1) console.log(`    overhead per job (queue, transfer, recording): ${(seconds / pass.graded - inWorker).toFixed(3)} s beside ${inWorker.toFixed(2)} s of grading in the worker`);
    }
  } finally {
    redis.kill("SIGTERM");
  }
}

/** `--name N` from the command line, else the environment variable, else the default. */
function option(name: string, variable: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = Number(at >= 0 ? process.argv[at + 1] : (process.env[variable] ?? fallback));
  if (!Number.isInteger(value) || value <= 0) throw new Error(`bench:grade: --${name} (or ${variable}) must be a positive integer`);
  return value;
}

async function main(): Promise<void> {
  const pass = process.argv.indexOf("--pass");
  if (pass >= 0) {
    // a pass of its own (the --as-user pass runs this as the ordinary user): prints its summary as JSON
    const [subs, out, jobs] = process.argv.slice(pass + 1);
    const summary = await gradePass(subs, out, Number(jobs), (line) => (line.startsWith("[") ? undefined : console.log(line)));
    console.log(`PASS ${JSON.stringify(summary)}`);
    return;
  }
  const n = option("count", "BENCH_GRADE_N", 200);
  const jobs = option("jobs", "BENCH_GRADE_JOBS", os.cpus().length);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-bench-grade-"));
  const subs = path.join(work, "submissions");
  fs.mkdirSync(subs);
  const kinds = generate(n, subs);
  const mix = Object.entries(kinds)
    .map(([k, v]) => `${v} ${k}`)
    .join(", ");
  console.log(`bench:grade: ${n} submissions of 01-adam (${mix}), --jobs ${jobs}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`);
  let shown = 0;
  const local = await gradePass(subs, path.join(work, "out"), jobs, (line) => (line.startsWith("[") && ++shown % 20 !== 0 ? undefined : console.log(line)));
  printPass(runningAsRoot() ? "as root" : "local", local);
  if (process.argv.includes("--as-user")) await userPass(work, subs, jobs, local);
  if (process.argv.includes("--queue")) await queuePass(work, subs, local);
  if (process.env.BENCH_GRADE_KEEP) console.log(`results kept in ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}

main().catch((err: Error) => {
  console.error(`bench:grade failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
