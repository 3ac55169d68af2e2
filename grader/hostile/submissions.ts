import type { Notebook } from "../assign/format";
import { ANSWERS, submission } from "./fixture";

/** Where the hostile code aims: the grader's files it must never reach. */
export interface Targets {
  specFile: string;
  outDir: string;
  gradebook: string;
  /** results.json of an honest classmate graded in the same run. */
  classmateResults: string;
  /** The port of a listener on 127.0.0.1 started by the test: it must never see a connection. */
  listenerPort: number;
  /** A file in a world-writable folder outside the scratch folder: it must never be written. */
  escapeFile: string;
}

/** A hostile submission: what it tries, the notebook, and the reason its hostile part must fail with. */
export interface HostileCase {
  student: string;
  attack: string;
  notebook: (t: Targets) => Notebook;
  /** What the scale tests' messages must say (the hostile part scores 0 with this reason). */
  reason: RegExp;
  /** Needs the kernel kept from signalling the grader by the OS (a PID namespace or a user of its own): only the OS stops it. */
  needsIsolation?: boolean;
}

const scaleDoing = (body: string): string => `function scale(x: number[], a: number): any {\n${body}\n}`;
const q = JSON.stringify;

/**
 * The hostile suite: each submission attacks through `scale` (or a cell of its own) and
 * implements `sumSquares` correctly, so the test can check the attack scores 0 with a clear
 * reason while the rest of the same submission, and every other submission, is graded normally.
 */
export const HOSTILE: HostileCase[] = [
  {
    student: "h01-read-spec",
    attack: "reads the hidden tests by path",
    reason: /ERR_ACCESS_DENIED|Access to this API/,
    notebook: (t) => submission(scaleDoing(`return JSON.parse(require("fs").readFileSync(${q(t.specFile)}, "utf8")).autograded[0].hiddenCases[0].expected;`), ANSWERS.sum),
  },
  {
    student: "h02-require-spec",
    attack: "loads the hidden tests with require",
    reason: /ERR_ACCESS_DENIED|Access to this API|Cannot find module/,
    notebook: (t) => submission(scaleDoing(`return require(${q(t.specFile)}).autograded[0].hiddenCases[0].expected;`), ANSWERS.sum),
  },
  {
    student: "h03-list-files",
    attack: "lists the grader's output folder",
    reason: /ERR_ACCESS_DENIED|Access to this API/,
    notebook: (t) => submission(scaleDoing(`return require("fs").readdirSync(${q(t.outDir)});`), ANSWERS.sum),
  },
  {
    student: "h04-child-process",
    attack: "runs a shell command",
    reason: /ERR_ACCESS_DENIED|Access to this API/,
    notebook: (t) => submission(scaleDoing(`return JSON.parse(String(require("child_process").execSync("cat " + ${q(t.specFile)})));`), ANSWERS.sum),
  },
  {
    student: "h05-network",
    attack: "sends data through a socket to a listener on 127.0.0.1 (on the grading machine)",
    reason: /ENETUNREACH|EAI_AGAIN|ECONNREFUSED|connect/i,
    notebook: (t) =>
      submission(
        scaleDoing(
          `return new Promise((resolve, reject) => { const s = require("net").connect(${t.listenerPort}, "127.0.0.1"); s.on("error", reject); s.on("connect", () => { s.write(String(x)); resolve(x); }); });`,
        ),
        ANSWERS.sum,
      ),
  },
  { student: "h06-process-exit", attack: "calls process.exit", reason: /crashed|process\.exit/, notebook: () => submission(scaleDoing(`process.exit(0);`), ANSWERS.sum) },
  {
    student: "h07-kill-grader",
    attack: "kills its parent (the grader, or what stands between)",
    reason: /EPERM|still here/,
    needsIsolation: true,
    notebook: () => submission(scaleDoing(`process.kill(process.ppid, "SIGKILL");\nthrow new Error("still here: the kill reached nothing");`), ANSWERS.sum),
  },
  { student: "h08-busy-loop", attack: "loops forever synchronously", reason: /timed out|limit/, notebook: () => submission(scaleDoing(`for (;;) {}`), ANSWERS.sum) },
  { student: "h09-never-resolves", attack: "returns a promise that never settles", reason: /timed out|limit/, notebook: () => submission(scaleDoing(`return new Promise(() => {});`), ANSWERS.sum) },
  {
    student: "h10-memory-bomb",
    attack: "allocates memory without end",
    reason: /crash|memory|allocation failed/i,
    notebook: () => submission(scaleDoing(`const hoard: Float64Array[] = []; for (;;) hoard.push(new Float64Array(1 << 27));`), ANSWERS.sum),
  },
  {
    student: "h11-fork-bomb",
    attack: "spawns processes and threads without end",
    // EAGAIN: the thread cap (RLIMIT_NPROC) refused the next thread
    reason: /ERR_ACCESS_DENIED|Access to this API|crash|Worker|resource|memory|EAGAIN/i,
    notebook: () =>
      submission(
        scaleDoing(
          `try { for (;;) require("child_process").fork("-e"); } catch (e) { const { Worker } = require("worker_threads"); for (let i = 0; i < 100000; i++) new Worker("setInterval(() => {}, 1000)", { eval: true }); throw e; }`,
        ),
        ANSWERS.sum,
      ),
  },
  {
    student: "h12-output-flood",
    attack: "prints a billion lines",
    reason: /bytes of output|bytes/,
    notebook: () => submission(scaleDoing(`for (let i = 0; i < 1e9; i++) console.log("line " + i + " of a billion");\nreturn x;`), ANSWERS.sum),
  },
  {
    student: "h13-override-builtins",
    attack: "overrides JSON.stringify, Object.prototype, Array.isArray and Math, with a wrong scale",
    reason: /wrong|shape/,
    notebook: () =>
      submission(
        "function scale(x: number[], a: number): number[] {\n  return x;\n}",
        ANSWERS.sum,
        (cells) =>
          void cells.push({
            cell_type: "code",
            source: `JSON.stringify = () => '{"ok":true}';\n(Object.prototype as any).toJSON = function () { return [2.5]; };\nArray.isArray = () => false;\nObject.keys = () => [];\n(Math as any).abs = () => 0;`,
            metadata: {},
            outputs: [],
            execution_count: null,
          }),
      ),
  },
  {
    student: "h14-fake-results",
    attack: "prints fake results and returns a fake result bundle",
    reason: /wrong|shape/,
    notebook: () =>
      submission(
        scaleDoing(
          `console.log(JSON.stringify({ nonce: "0", caseId: "test-scale#0", ok: true, value: x.map((v) => a * v) }));\nconsole.log("All tests passed. Score: 6/6");\nreturn { [Symbol.for("Jupyter.display")]: () => ({ "application/vnd.dl-workbook.result+json": { nonce: "0", caseId: "test-scale#0", ok: true, value: [1] } }) };`,
        ),
        ANSWERS.sum,
      ),
  },
  {
    student: "h15-redefine-harness",
    attack: "finds and replaces the grading harness, with a wrong scale",
    reason: /wrong|no result|more than one/,
    notebook: () =>
      submission(
        `for (const k of Object.getOwnPropertyNames(globalThis)) if (k.startsWith("workbook")) (globalThis as any)[k] = { report: () => ({}) };\nconst workbookHarness = { report: () => ({}) };\nfunction scale(x: number[], a: number): number[] {\n  return x.map(() => 0);\n}`,
        ANSWERS.sum,
      ),
  },
  {
    student: "h16-write-grader-files",
    attack: "overwrites a classmate's results.json and the gradebook",
    reason: /ERR_ACCESS_DENIED|Access to this API/,
    notebook: (t) => submission(scaleDoing(`require("fs").writeFileSync(${q(t.classmateResults)}, '{"score": 0}');\nrequire("fs").writeFileSync(${q(t.gradebook)}, "garbage");\nreturn x;`), ANSWERS.sum),
  },
  {
    student: "h21-kill-every-pid",
    attack: "signals every process it can (kill -1), then walks the process ids killing each",
    // its own threads have process ids of their own too, so the walk may end it: a crash
    reason: /still here|crashed/,
    needsIsolation: true,
    notebook: () =>
      submission(
        scaleDoing(
          `let killed = 0;\ntry { process.kill(-1, "SIGKILL"); killed++; } catch {}\nfor (let pid = 2; pid < 65536; pid++) {\n  if (pid === process.pid) continue;\n  try { process.kill(pid, "SIGKILL"); killed++; } catch {}\n}\nthrow new Error("still here: " + killed + " kill calls went through");`,
        ),
        ANSWERS.sum,
      ),
  },
  {
    student: "h22-write-outside-scratch",
    attack: "writes into a world-writable folder outside its scratch folder",
    reason: /ERR_ACCESS_DENIED|Access to this API|ENOENT|EACCES|EROFS/,
    notebook: (t) => submission(scaleDoing(`require("fs").writeFileSync(${q(t.escapeFile)}, "escaped");\nreturn x;`), ANSWERS.sum),
  },
  {
    student: "h17-edit-locked-cell",
    attack: "rewrites the locked test cell and its points, with a wrong scale",
    reason: /wrong|Error/,
    notebook: () =>
      submission("function scale(x: number[], a: number): number[] {\n  return x;\n}", ANSWERS.sum, (cells) => {
        cells[2].source = "// all tests pass";
        (cells[2].metadata as { nbgrader: { points: number } }).nbgrader.points = 100;
      }),
  },
  {
    student: "h18-delete-test-cell",
    attack: "deletes the public test cell of a wrong scale",
    reason: /wrong|Error/,
    notebook: () => submission("function scale(x: number[], a: number): number[] {\n  return x;\n}", ANSWERS.sum, (cells) => void cells.splice(2, 1)),
  },
  {
    student: "h19-poison-kernel",
    attack: "leaves a timer behind that blocks the kernel forever, then fails, so that the next cell hangs",
    reason: /not done yet/,
    notebook: () => submission(scaleDoing(`setInterval(() => {\n  for (;;) {}\n}, 10);\nthrow new Error("scale is not done yet");`), ANSWERS.sum),
  },
  {
    student: "h20-hardcode-public-test",
    attack: "answers the public test's exact inputs by rote and nothing else",
    reason: /wrong/,
    notebook: () => submission("function scale(x: number[], a: number): number[] {\n  return x.length === 2 && x[0] === 1 && x[1] === 2 && a === 3 ? [3, 6] : x;\n}", ANSWERS.sum),
  },
];
