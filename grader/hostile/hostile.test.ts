import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gradeAll } from "../cli-grade";
import type { GradescopeResults } from "../export";
import { probeProtections, runningAsRoot } from "../sandbox";
import { HONEST_CORRECT, HostileClass, Listener, RunEvidence, expectHostileClass, processesMentioning, startListener, writeHostileClass } from "./class";
import { ANSWERS, submission } from "./fixture";
import { HOSTILE } from "./submissions";

// The root pass: one grading run (2 jobs, in this process) of honest and hostile submissions of the
// fixture assignment (scale: 4 points, sumSquares: 2 points). hostile-user.test.ts grades the same
// attacks again as an ordinary user. Limits are small so the suite stays fast: 5 s per cell
// (generous: CI machines are busy), 120 s per submission, 512 MB per kernel.
// Budget: about 1 minute on 2 cores (56 s at load 8 to 12).

const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-hostile-"));
const outDir = path.join(work, "out");
const protections = probeProtections();
// attacks that only the OS stops (killing the grader) run only where a layer stops them
const isolated = protections.pidNamespace || protections.unprivilegedUser !== null;
const hostile = HOSTILE.filter((h) => !h.needsIsolation || isolated);

const HONEST = {
  ...HONEST_CORRECT,
  "honest-wrong": submission("function scale(x: number[], a: number): number[] {\n  return x.map((v) => v + a);\n}", "function sumSquares(x: number[]): number {\n  return x.length;\n}"),
  // sumSquares off by 0.5%: public test fails, the hidden case lands in the 1e-2 band (half credit).
  "honest-partial": submission(ANSWERS.scale, "function sumSquares(x: number[]): number {\n  let s = 0;\n  for (const v of x) s += v * v;\n  return s * 1.005;\n}"),
  "honest-broken": submission("function scale(x: number[], a: number): number[] {\n  return x.map((v) => a * v;\n}", ANSWERS.sum),
  "honest-not-a-notebook": "this is not JSON {",
};

let cls: HostileClass;
let listener: Listener;
const evidence: RunEvidence = { graderSurvived: false, listenerConnections: -1, leftover: [] };

function results(student: string): GradescopeResults {
  return JSON.parse(fs.readFileSync(path.join(outDir, student, "results.json"), "utf8")) as GradescopeResults;
}

function scaleTests(r: GradescopeResults): GradescopeResults["tests"] {
  return r.tests.filter((t) => t.name.startsWith("scale:"));
}

function sumScore(r: GradescopeResults): number {
  return r.tests.filter((t) => t.name.startsWith("sumSquares:")).reduce((s, t) => s + t.score, 0);
}

after(async () => {
  await listener?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

before(async () => {
  listener = await startListener();
  cls = writeHostileClass(work, outDir, hostile, HONEST, listener.port);
  // the kernels' scratch folders go under this run's folder, so that any kernel left behind can be found by its command line
  const scratchRoot = path.join(work, "tmp");
  fs.mkdirSync(scratchRoot);
  const tmpdir = process.env.TMPDIR;
  process.env.TMPDIR = scratchRoot;
  const lines: string[] = [];
  try {
    await gradeAll({ assignment: cls.assignmentDir, submissions: cls.subsDir, out: outDir, jobs: 2, cellSeconds: 5, totalSeconds: 120, memoryMB: 512, quiet: true }, (l) => lines.push(l));
    evidence.graderSurvived = true;
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  evidence.listenerConnections = listener.connections();
  evidence.leftover = processesMentioning(scratchRoot);
});

expectHostileClass(runningAsRoot() ? "as root" : `as ${os.userInfo().username}`, hostile, () => ({ cls, evidence }));

for (const h of HOSTILE.filter((h) => !hostile.includes(h))) {
  test(`hostile: ${h.student} ${h.attack}`, { skip: "no layer here keeps a kernel from signalling the grader (reported in protections.lost)" }, () => undefined);
}

test("a wrong submission scores 0 and says why", () => {
  const r = results("honest-wrong");
  assert.equal(r.score, 0);
  assert.match(r.tests.find((t) => t.name.includes("negative factor"))!.output, /wrong: relative error .* \(worst element \[\d\]\)/);
});

test("a partly correct submission earns partial credit by band", () => {
  const r = results("honest-partial");
  // scale: 4; sumSquares: public test fails (0), hidden case within the 1e-2 band: 1 point * 50%
  assert.equal(r.score, 4.5);
  assert.match(r.tests.find((t) => t.name.startsWith("sumSquares: sum"))!.output, /partly correct, credit 50%/);
});

test("a submission with a syntax error loses only the broken function", () => {
  const r = results("honest-broken");
  assert.equal(
    scaleTests(r).reduce((s, t) => s + t.score, 0),
    0,
  );
  assert.equal(sumScore(r), 2);
});

test("a file that is not a notebook scores 0 with the reason", () => {
  const r = results("honest-not-a-notebook");
  assert.equal(r.score, 0);
  assert.match(r.output, /not a readable notebook/);
});

test("sanitising restores edited and deleted locked cells and says so", () => {
  assert.match(results("h17-edit-locked-cell").output, /locked cell "test-scale" was edited: restored/);
  assert.match(results("h18-delete-test-cell").output, /cell "test-scale" was deleted: put back/);
  const html = fs.readFileSync(path.join(outDir, "h18-delete-test-cell", "feedback.html"), "utf8");
  assert.match(html, /scale\(\[1, 2\], 3\)/, "the restored public test is shown");
});

test("feedback shows the student's outputs and test names, never hidden calls or expected values", () => {
  const html = fs.readFileSync(path.join(outDir, "honest-correct", "feedback.html"), "utf8");
  assert.match(html, /scale: public tests pass/);
  assert.match(html, /scales by a negative factor/);
  assert.doesNotMatch(html, /0\.5, -1\.25, 3/, "a hidden call's inputs must not appear");
  assert.doesNotMatch(html, /-0\.30000000000000004|1\.25, -3\.125/, "expected values must not appear");
  const spam = fs.readFileSync(path.join(outDir, "h14-fake-results", "feedback.html"), "utf8");
  assert.doesNotMatch(spam, /<script/i);
});
