/**
 * `npm run bench:grade`: grades generated submissions of the Adam assignment end to end with
 * `workbook grade`'s own code (sandboxed kernels, hidden calls, gradebook, feedback) and prints
 * throughput and per-phase times. Mix: 40% correct, 20% wrong (no bias correction), 20% partly
 * correct (adamLecture left unimplemented), 10% broken (syntax error), 10% hostile (reads the
 * spec, spawns a shell, fakes results, overrides built-ins, exits, loops forever).
 *
 *   BENCH_GRADE_N=200 (default) submissions; BENCH_GRADE_JOBS (default: cores).
 *   --as-user (as root): then grades the same submissions again with `workbook grade` run by an
 *   ordinary user created for it (useradd), as a TA would without root (bubblewrap's user
 *   namespaces instead of setpriv), and prints both rates side by side.
 *   --queue: then grades the same submissions again on a BullMQ queue in a Redis started here
 *   (Debian's redis-server, a free port, no persistence) with 1, 2 and 4 local worker processes
 *   (`workbook grade worker --jobs 1`), and prints their rates beside local grading's and the
 *   queue's overhead per job (the 1-worker pass's wall time per job minus the worker's own time).
 * Target: at least 60 submissions per minute on a 2-core machine, as root and as a user.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import type { Notebook } from "../grader/assign/format";
import { cellSource, nbgraderMetadata } from "../grader/assign/format";
import { gradeAll } from "../grader/cli-grade";
import { createOrdinaryUser, gradeAsUser } from "../grader/hostile/ordinary-user";
import { runningAsRoot } from "../grader/sandbox";
import { gradeOnQueue } from "../grader/queue";

const ROOT = path.join(__dirname, "..", "..");
const ASSIGNMENT = path.join(ROOT, "assignments", "01-adam");

/** The instructor's solution of a cell: the source cell with its BEGIN/END SOLUTION marker lines dropped. */
function solutionOf(source: Notebook, gradeId: string): string {
  const cell = source.cells.find((c) => nbgraderMetadata(c)?.grade_id === gradeId);
  if (!cell) throw new Error(`bench:grade: the Adam source notebook has no cell "${gradeId}"`);
  return cellSource(cell)
    .split("\n")
    .filter((line) => !/(BEGIN|END) SOLUTION/.test(line))
    .join("\n");
}

function withCells(release: Notebook, answers: Record<string, string>, extra?: string): Notebook {
  const nb = JSON.parse(JSON.stringify(release)) as Notebook;
  for (const cell of nb.cells) {
    const id = nbgraderMetadata(cell)?.grade_id;
    if (id && answers[id] !== undefined) cell.source = answers[id];
  }
  if (extra) nb.cells.push({ cell_type: "code", source: extra, metadata: {}, outputs: [], execution_count: null });
  return nb;
}

function generate(n: number, dir: string, specFile: string): Record<string, number> {
  const source = JSON.parse(fs.readFileSync(path.join(ASSIGNMENT, "01-adam.source.ipynb"), "utf8")) as Notebook;
  const release = JSON.parse(fs.readFileSync(path.join(ASSIGNMENT, "01-adam.ipynb"), "utf8")) as Notebook;
  const adam = solutionOf(source, "adam");
  const lecture = solutionOf(source, "adamLecture");
  const stubLecture = cellSource(release.cells.find((c) => nbgraderMetadata(c)?.grade_id === "adamLecture")!);
  // wrong: Kingma & Ba's signature with the slide's body (no bias correction)
  const wrongAdam = lecture.replace("function adamLecture(", "function adam(");
  const hostile = [
    adam.replace("const { learningRate", `require("fs").readFileSync(${JSON.stringify(specFile)});\n  const { learningRate`),
    adam.replace("const { learningRate", `require("child_process").execSync("id");\n  const { learningRate`),
    adam.replace("return { nextW", `console.log("All tests passed");\n  return { nextW: w`).replace("nextW, config: { ...config", "config: { ...config"),
    adam.replace("const { learningRate", "process.exit(1);\n  const { learningRate"),
    adam.replace("const { learningRate", "for (;;) {}\n  const { learningRate"),
  ];
  const kinds: Record<string, number> = {};
  const due = Date.parse("2026-12-01T23:59:00Z");
  for (let i = 0; i < n; i++) {
    const slot = i % 10;
    let kind: string;
    let nb: Notebook;
    if (slot < 4) [kind, nb] = ["correct", withCells(release, { adam, adamLecture: lecture })];
    else if (slot < 6) [kind, nb] = ["wrong", withCells(release, { adam: wrongAdam, adamLecture: lecture.replace("v.add(epsilon).sqrt()", "v.sqrt().add(epsilon)") })];
    else if (slot < 8) [kind, nb] = ["partial", withCells(release, { adam, adamLecture: stubLecture })];
    else if (slot < 9) [kind, nb] = ["broken", withCells(release, { adam: adam.replace("return {", "return {{"), adamLecture: lecture })];
    else if (i % 20 === 9) [kind, nb] = ["hostile", withCells(release, { adam: hostile[Math.floor(i / 20) % hostile.length], adamLecture: lecture })];
    else [kind, nb] = ["hostile", withCells(release, { adam, adamLecture: lecture }, "JSON.stringify = () => '{}';\n(Object.prototype as any).polluted = true;\nMath.sqrt = (x: number) => x;")];
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const file = path.join(dir, `student${String(i).padStart(3, "0")}-${kind}.ipynb`);
    fs.writeFileSync(file, JSON.stringify(nb));
    // submission times spread around the due date, so the late policy has work to do
    const when = new Date(due + ((i % 7) - 4) * 6 * 3600 * 1000);
    fs.utimesSync(file, when, when);
  }
  return kinds;
}

/** CPU seconds used so far by this process (utime, stime) and by its finished children, the kernels (cutime, cstime), from /proc/self/stat. */
function cpuSeconds(): { grader: number; kernels: number } {
  const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  const ticks = (indexes: number[]): number => indexes.reduce((sum, i) => sum + Number(fields[i]), 0);
  // USER_HZ is 100 on Linux
  return { grader: ticks([11, 12]) / 100, kernels: ticks([13, 14]) / 100 };
}

/**
 * The same submissions graded by `workbook grade` run as an ordinary user (created here, removed
 * after), with the root pass's options; prints the rate beside the root pass's.
 */
async function userPass(work: string, subs: string, jobs: number, n: number, rootRate: number): Promise<void> {
  if (!runningAsRoot()) throw new Error("bench:grade --as-user: run as root (it creates the grading user with useradd)");
  fs.chmodSync(work, 0o755);
  const user = createOrdinaryUser(work, `wbbench${process.pid % 10000}`);
  try {
    const area = path.join(work, "user");
    fs.mkdirSync(area);
    fs.cpSync(ASSIGNMENT, path.join(area, "assignment"), { recursive: true });
    fs.cpSync(subs, path.join(area, "submissions"), { recursive: true, preserveTimestamps: true });
    const tmp = path.join(work, "user-tmp");
    fs.mkdirSync(tmp);
    for (const dir of [area, tmp]) for (const entry of [dir, ...fs.readdirSync(dir, { recursive: true }).map((e) => path.join(dir, String(e)))]) fs.chownSync(entry, user.uid, user.uid);
    const args = [
      path.join(area, "assignment"),
      path.join(area, "submissions"),
      "--out",
      path.join(area, "out"),
      "--jobs",
      String(jobs),
      "--timeout-cell",
      "10",
      "--timeout",
      "120",
      "--memory",
      "1024",
      "--due",
      "2026-12-01T23:59:00Z",
      "--grace",
      "15m",
      "--late-policy",
      "per-day:10",
      "--quiet",
    ];
    console.log(`\nuser pass: the same ${n} submissions graded by workbook grade run as ${user.name} (uid ${user.uid}, not root)`);
    // untimed: the sandbox check as that user, which also builds the user's kernel snapshot (the root pass found its own built)
    const check = await gradeAsUser(user, work, tmp, ["--check-sandbox"]);
    console.log(`  workbook grade --check-sandbox as ${user.name}: ${check.output.trim().split("\n").pop()}`);
    const started = Date.now();
    const cpuBefore = cpuSeconds();
    const result = await gradeAsUser(user, work, tmp, args);
    const seconds = (Date.now() - started) / 1000;
    const cpu = cpuSeconds().kernels - cpuBefore.kernels;
    const graded = Number(/graded (\d+)/.exec(result.output)?.[1] ?? NaN);
    if (result.code !== 0 || !(graded > 0)) throw new Error(`the user pass failed (exit ${result.code}):\n${result.output}`);
    console.log(`graded ${graded} in ${seconds.toFixed(1)} s: ${((graded / seconds) * 60).toFixed(1)} submissions/minute as ${user.name}, beside ${rootRate.toFixed(1)} as root (target >= 60 on 2 cores)`);
    console.log(`CPU (grader + kernels, as ${user.name}): ${(cpu / graded).toFixed(2)} s per submission`);
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The same submissions graded on the queue with 1, 2 and 4 local worker processes (one job each),
 * each pass into a fresh output folder; prints each rate beside local grading's and the overhead per job.
 */
async function queuePass(work: string, subs: string, n: number, localRate: number): Promise<void> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  const workbook = path.join(__dirname, "..", "bin", "workbook.js");
  try {
    await printed(redis, /Ready to accept connections/);
    console.log(`\nqueue pass: the same ${n} submissions on a BullMQ queue (Redis on port ${port}), workers started from ${os.tmpdir()}`);
    for (const count of [1, 2, 4]) {
      const workers = Array.from({ length: count }, () => spawn(process.execPath, [workbook, "grade", "worker", "--queue", url, "--jobs", "1"], { cwd: os.tmpdir(), stdio: ["ignore", "pipe", "pipe"] }));
      try {
        // untimed: each worker's sandbox check kernel
        await Promise.all(workers.map((w) => printed(w, /grading up to/)));
        const started = Date.now();
        const outcomes = await gradeOnQueue(
          {
            assignment: ASSIGNMENT,
            submissions: subs,
            out: path.join(work, `queue-${count}`),
            queue: url,
            localJobs: 0,
            cellSeconds: 10,
            totalSeconds: 120,
            memoryMB: 1024,
            due: "2026-12-01T23:59:00Z",
            grace: "15m",
            latePolicy: "per-day:10",
            quiet: true,
          },
          (line) => console.log(line),
        );
        const seconds = (Date.now() - started) / 1000;
        const graded = outcomes.filter((o) => o.state === "graded");
        const inWorkers = graded.reduce((s, o) => s + o.seconds, 0) / graded.length;
        console.log(
          `  ${count} worker${count === 1 ? " " : "s"}: graded ${graded.length} in ${seconds.toFixed(1)} s: ${((graded.length / seconds) * 60).toFixed(1)} submissions/minute (local grading: ${localRate.toFixed(1)})`,
        );
        // with one worker grading one job at a time, the wall time per job beyond the worker's own time is the queue's cost
        if (count === 1) console.log(`    overhead per job (queue, transfer, recording): ${(seconds / graded.length - inWorkers).toFixed(3)} s beside ${inWorkers.toFixed(2)} s of grading in the worker`);
      } finally {
        await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve(null) : (w.once("exit", resolve), w.kill("SIGTERM"))))));
      }
    }
  } finally {
    redis.kill("SIGTERM");
  }
}

async function main(): Promise<void> {
  const n = Number(process.env.BENCH_GRADE_N ?? 200);
  const jobs = Number(process.env.BENCH_GRADE_JOBS ?? os.cpus().length);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-bench-grade-"));
  const subs = path.join(work, "submissions");
  fs.mkdirSync(subs);
  const kinds = generate(n, subs, path.join(ASSIGNMENT, "01-adam.grading.json"));
  console.log(
    `bench:grade: ${n} submissions of 01-adam (${Object.entries(kinds)
      .map(([k, v]) => `${v} ${k}`)
      .join(", ")}), --jobs ${jobs}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)}`,
  );
  const started = Date.now();
  const cpuBefore = cpuSeconds();
  let shown = 0;
  const outcomes = await gradeAll(
    {
      assignment: ASSIGNMENT,
      submissions: subs,
      out: path.join(work, "out"),
      jobs,
      cellSeconds: 10,
      totalSeconds: 120,
      memoryMB: 1024,
      due: "2026-12-01T23:59:00Z",
      grace: "15m",
      latePolicy: "per-day:10",
      quiet: false,
    },
    (line) => {
      if (line.startsWith("[") && ++shown % 20 !== 0) return;
      console.log(line);
    },
  );
  const seconds = (Date.now() - started) / 1000;
  const cpuAfter = cpuSeconds();
  const graded = outcomes.filter((o) => o.state === "graded");
  const sum = (f: (o: (typeof graded)[number]) => number): number => graded.reduce((s, o) => s + f(o), 0);
  const graderCpu = cpuAfter.grader - cpuBefore.grader;
  // a sandboxed kernel is killed, so its time never reaches this process's children's times: each kernel's tree is read before its kill
  const kernelsCpu = sum((o) => o.phases?.cpuMs ?? 0) / 1000;
  const cpu = graderCpu + kernelsCpu;
  const perSub = (ms: number): string => `${(ms / graded.length / 1000).toFixed(2)} s`;
  const start = sum((o) => o.phases?.startMs ?? 0);
  const cells = sum((o) => o.phases?.cellsMs ?? 0);
  const tests = sum((o) => o.phases?.testsMs ?? 0);
  const stop = sum((o) => o.phases?.stopMs ?? 0);
  const total = sum((o) => o.seconds * 1000);
  console.log(`\ngraded ${graded.length} in ${seconds.toFixed(1)} s: ${((graded.length / seconds) * 60).toFixed(1)} submissions/minute (target >= 60 on 2 cores)`);
  const cpuPer = cpu / graded.length;
  console.log(`CPU (grader + kernels): ${cpuPer.toFixed(2)} s per submission; on ${os.cpus().length} otherwise idle cores that allows about ${((os.cpus().length * 60) / cpuPer).toFixed(0)} per minute`);
  console.log(
    `  of which the grader process ${(graderCpu / graded.length).toFixed(2)} s, the submissions' kernels ${(kernelsCpu / graded.length).toFixed(2)} s (read before each kill); load average now ${os.loadavg()[0].toFixed(1)}`,
  );
  const restarts = sum((o) => o.restarts ?? 0);
  const batched = sum((o) => o.batched ?? 0);
  console.log(`  fresh kernels after a crash or time limit: ${restarts}; graded functions whose hidden cases ran as one batch: ${batched}`);
  console.log("per submission (mean, wall time inside one job):");
  console.log(`  wait for kernel, harness ${perSub(start)}`);
  console.log(`  student cells            ${perSub(cells)}`);
  console.log(`  hidden test calls        ${perSub(tests)}`);
  console.log(`  kill kernel, clean up    ${perSub(stop)}`);
  console.log(`  sanitise, compare, write ${perSub(total - start - cells - tests - stop)}`);
  console.log(`  total                    ${perSub(total)}`);
  const scores = new Map<string, number[]>();
  for (const o of graded) {
    const kind = o.student.split("-")[1];
    scores.set(kind, [...(scores.get(kind) ?? []), o.score?.rawScore ?? 0]);
  }
  for (const [kind, list] of scores) console.log(`  ${kind.padEnd(8)} mean autograded score ${(list.reduce((a, b) => a + b, 0) / list.length).toFixed(2)} / ${graded[0].score?.maxScore}`);
  if (process.argv.includes("--as-user")) await userPass(work, subs, jobs, n, (graded.length / seconds) * 60);
  if (process.argv.includes("--queue")) await queuePass(work, subs, n, (graded.length / seconds) * 60);
  if (process.env.BENCH_GRADE_KEEP) console.log(`results kept in ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
}

main().catch((err: Error) => {
  console.error(`bench:grade failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
