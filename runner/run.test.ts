/**
 * `workbook run` end to end: the real command in a child process, the real kernel, fixture
 * notebooks from runner/fixtures. About 25 s (five kernel start-ups).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import { validateNotebook } from "./schema";
import { parseRunArgs } from "./cli-run";
import { readNotebook } from "../notebook/notebook";
import { errorLine } from "./error-location";
import { TerminalProgress } from "./progress";
import { PassThrough } from "stream";

const ROOT = path.resolve(__dirname, "..", "..");
const WORKBOOK = path.join(ROOT, "dist", "bin", "workbook.js");
const FIXTURES = path.join(ROOT, "runner", "fixtures");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `workbook run ...`; `onStderr` may act on progress lines (e.g. send SIGINT). */
function workbookRun(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WORKBOOK, "run", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-run-"));
  temps.push(dir);
  return dir;
}
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function codeCells(nb: INotebookContent): ICodeCell[] {
  return nb.cells.filter((c): c is ICodeCell => c.cell_type === "code");
}

/** Jupyter's own validator (Debian's python3-nbformat), when it is installed, as a second opinion. */
function pythonValidates(file: string): boolean | undefined {
  const python = "/usr/bin/python3";
  if (!fs.existsSync(python)) return undefined;
  const check = spawnSync(python, ["-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')", file], { encoding: "utf8" });
  if (/No module named/.test(check.stderr)) return undefined;
  return check.stdout.trim() === "valid";
}

test("a clean notebook runs; the executed copy is valid nbformat 4.5 with its outputs", async () => {
  const out = tempDir();
  const run = await workbookRun([path.join(FIXTURES, "ok.ipynb"), "--out", out]);
  assert.equal(run.code, 0, run.stderr);
  const file = path.join(out, "ok.ipynb");
  const nb = readNotebook(file);
  assert.deepEqual(validateNotebook(nb), []);
  assert.notEqual(pythonValidates(file), false, "Python's nbformat accepts it too");
  assert.equal(nb.nbformat, 4);
  assert.equal(nb.nbformat_minor, 5);
  assert.equal((nb.metadata.language_info as { name: string }).name, "typescript");
  const [first, second] = codeCells(nb);
  assert.deepEqual(first.outputs, [{ output_type: "stream", name: "stdout", text: "42\n" }]);
  assert.deepEqual(second.outputs[0].data, { "text/plain": "80" });
  assert.equal(second.execution_count, 2);
  assert.equal(typeof (second.metadata.execution as Record<string, string>)["iopub.status.idle"], "string", "timings kept as nbformat's metadata.execution");
  assert.match(run.stderr, /ok\.ipynb: ok, 2 cells/);
});

test("a failing cell stops the notebook; the error names notebook, cell and line", async () => {
  const out = tempDir();
  const source = path.join(FIXTURES, "failing.ipynb");
  const run = await workbookRun([source, "--out", out]);
  assert.equal(run.code, 1);
  assert.ok(run.stderr.includes(`${source}, cell 3, line 3: Error: the third line fails`), run.stderr);
  const nb = readNotebook(path.join(out, "failing.ipynb"));
  assert.deepEqual(validateNotebook(nb), []);
  const cells = codeCells(nb);
  assert.equal(cells[1].outputs[0].output_type, "error");
  assert.deepEqual(cells[2].outputs, [], "cells after the failure are not run");
  assert.equal(cells[2].execution_count, null);
});

test("--continue-on-error runs the cells after a failure and still exits 1", async () => {
  const out = tempDir();
  const run = await workbookRun([path.join(FIXTURES, "failing.ipynb"), "--out", out, "--continue-on-error"]);
  assert.equal(run.code, 1);
  const cells = codeCells(readNotebook(path.join(out, "failing.ipynb")));
  assert.deepEqual(cells[2].outputs, [{ output_type: "stream", name: "stdout", text: "after 1\n" }]);
});

test("--timeout-cell stops a slow cell with a message that says what to do", async () => {
  const out = tempDir();
  const source = path.join(FIXTURES, "slow.ipynb");
  const run = await workbookRun([source, "--out", out, "--timeout-cell", "1", "--continue-on-error"]);
  assert.equal(run.code, 1);
  assert.ok(run.stderr.includes(`${source}, cell 3: the cell ran longer than its time limit of 1 s`), run.stderr);
  assert.match(run.stderr, /raise --timeout-cell/);
  const cells = codeCells(readNotebook(path.join(out, "slow.ipynb")));
  assert.deepEqual(cells[2].outputs, [{ output_type: "stream", name: "stdout", text: "after the slow cell\n" }]);
});

test("Ctrl-C interrupts the running cell and writes the finished cells", async () => {
  const out = tempDir();
  let sent = false;
  const run = await workbookRun([path.join(FIXTURES, "slow.ipynb"), "--out", out], (stderr, child) => {
    if (!sent && /slow\.ipynb: cell 2\/3/.test(stderr)) {
      sent = true;
      setTimeout(() => child.kill("SIGINT"), 300);
    }
  });
  assert.equal(run.code, 130, run.stderr);
  assert.match(run.stderr, /partial: interrupted/);
  const nb = readNotebook(path.join(out, "slow.ipynb"));
  assert.deepEqual(validateNotebook(nb), []);
  const cells = codeCells(nb);
  assert.deepEqual(cells[0].outputs, [{ output_type: "stream", name: "stdout", text: "first\n" }]);
  assert.deepEqual(cells[2].outputs, [], "nothing after the interrupted cell ran");
});

test("the schema check catches a broken notebook", () => {
  const nb = readNotebook(path.join(FIXTURES, "ok.ipynb"));
  (nb.cells[1] as ICodeCell).outputs = [{ output_type: "stream", name: "stdout" }];
  delete (nb.cells[0] as { id?: string }).id;
  const problems = validateNotebook(nb);
  assert.ok(
    problems.some((p) => p.path === "/cells/0"),
    JSON.stringify(problems),
  );
  assert.ok(
    problems.some((p) => p.path.startsWith("/cells/1/outputs/0")),
    JSON.stringify(problems),
  );
});

test("arguments: bad ones are refused with the option named", () => {
  assert.deepEqual(parseRunArgs(["a.ipynb", "--timeout-cell", "2.5", "--cwd", "x"]), { notebooks: ["a.ipynb"], out: "executed", continueOnError: false, timeoutCellS: 2.5, cwd: "x" });
  assert.throws(() => parseRunArgs([]), /name at least one notebook/);
  assert.throws(() => parseRunArgs(["a.ipynb", "--timeout-cell", "soon"]), { message: 'workbook run: --timeout-cell must be a positive number, got "soon"' });
  assert.throws(() => parseRunArgs(["a.ipynb", "--fast"]), { message: "workbook run: unknown option --fast; see workbook run --help" });
  assert.deepEqual(parseRunArgs(["--out=o", "a.ipynb", "b.ipynb", "--continue-on-error"]), { notebooks: ["a.ipynb", "b.ipynb"], out: "o", continueOnError: true }, "--key=value and options between notebooks");
});

test("error lines are read from the kernel's tracebacks and TypeScript errors", () => {
  assert.equal(errorLine("boom", ["Error: boom", "    at cell [2], line 7", "    at cell [2], line 7"]), 7);
  assert.equal(errorLine("line 3, column 5: Type 'number' is not assignable to type 'string'.", []), 3);
  assert.equal(errorLine("no location", ["Error: no location"]), undefined);
  // a function from cell [1] threw while cell [2] ran: the line is cell [2]'s
  const earlier = ["Error: boom", "    at risky (cell [1], line 3)", "        throw new Error('boom');", "    at cell [2], line 5"];
  assert.equal(errorLine("boom", earlier, 2), 5);
  assert.equal(errorLine("boom", earlier.slice(0, 3), 2), undefined, "no frame of the failing cell: no line rather than another cell's");
});

test("progress: plain lines for logs, one line redrawn in place on a terminal", () => {
  const capture = (tty: boolean) => {
    const stream = new PassThrough();
    let text = "";
    stream.on("data", (d: Buffer) => (text += d.toString()));
    const progress = new TerminalProgress(stream, tty);
    progress.notebookStarted("01-adam.ipynb", 0, 2, 3);
    progress.cellStarted(0, 3);
    progress.cellStarted(1, 3);
    progress.message("01-adam.ipynb, cell 4, line 1: Error: boom");
    progress.notebookFinished("01-adam.ipynb", "1 failing cell");
    progress.close();
    return text;
  };
  const log = capture(false);
  assert.ok(!log.includes("\r"), "no carriage returns in a log");
  assert.deepEqual(log.split("\n").slice(0, 4), ["[1/2] 01-adam.ipynb: 3 code cells", "[1/2] 01-adam.ipynb: cell 1/3", "[1/2] 01-adam.ipynb: cell 2/3", "01-adam.ipynb, cell 4, line 1: Error: boom"]);
  const terminal = capture(true);
  // eslint-disable-next-line no-control-regex -- the progress line ends with the terminal's erase-line escape, ESC [K
  assert.match(terminal, /\r\[1\/2\] 01-adam\.ipynb \[#######-------------\] cell 2\/3 0:00\x1b\[K\n01-adam\.ipynb, cell 4, line 1: Error: boom\n/);
  assert.match(terminal, /\[1\/2\] 01-adam\.ipynb: 1 failing cell \(0:00\)\n$/);
});
