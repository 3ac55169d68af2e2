import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gradeAll } from "../cli-grade";
import type { GradescopeResults } from "../export";
import { Gradebook } from "../gradebook";
import { probeProtections } from "../sandbox";
import { ANSWERS, submission, writeFixtureAssignment } from "./fixture";
import { HOSTILE, Targets } from "./submissions";

// One grading run (2 jobs) of honest and hostile submissions of the fixture assignment
// (scale: 4 points, sumSquares: 2 points). Limits are small so the suite stays fast:
// 5 s per cell (generous: CI machines are busy), 120 s per submission, 512 MB per kernel.
// Budget: about 3 to 4 minutes on 2 cores.

const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-hostile-"));
const assignmentDir = path.join(work, "assignment");
const specFile = writeFixtureAssignment(assignmentDir);
const subsDir = path.join(work, "submissions");
const outDir = path.join(work, "out");
const targets: Targets = { specFile, outDir, gradebook: path.join(outDir, "gradebook.sqlite"), classmateResults: path.join(outDir, "honest-correct", "results.json") };
const unprivileged = probeProtections().unprivilegedUser !== null;
const hostile = HOSTILE.filter((h) => !h.needsUnprivileged || unprivileged);

const HONEST = {
  "honest-correct": submission(ANSWERS.scale, ANSWERS.sum),
  "honest-wrong": submission("function scale(x: number[], a: number): number[] {\n  return x.map((v) => v + a);\n}", "function sumSquares(x: number[]): number {\n  return x.length;\n}"),
  // sumSquares off by 0.5%: public test fails, the hidden case lands in the 1e-2 band (half credit).
  "honest-partial": submission(ANSWERS.scale, "function sumSquares(x: number[]): number {\n  let s = 0;\n  for (const v of x) s += v * v;\n  return s * 1.005;\n}"),
  "honest-broken": submission("function scale(x: number[], a: number): number[] {\n  return x.map((v) => a * v;\n}", ANSWERS.sum),
};

function results(student: string): GradescopeResults {
  return JSON.parse(fs.readFileSync(path.join(outDir, student, "results.json"), "utf8")) as GradescopeResults;
}

function scaleTests(r: GradescopeResults): GradescopeResults["tests"] {
  return r.tests.filter((t) => t.name.startsWith("scale:"));
}

function sumScore(r: GradescopeResults): number {
  return r.tests.filter((t) => t.name.startsWith("sumSquares:")).reduce((s, t) => s + t.score, 0);
}

let graderSurvived = false;

after(() => fs.rmSync(work, { recursive: true, force: true }));

before(async () => {
  fs.mkdirSync(subsDir, { recursive: true });
  for (const [student, nb] of Object.entries(HONEST)) fs.writeFileSync(path.join(subsDir, `${student}.ipynb`), JSON.stringify(nb));
  fs.writeFileSync(path.join(subsDir, "honest-not-a-notebook.ipynb"), "this is not JSON {");
  for (const h of hostile) fs.writeFileSync(path.join(subsDir, `${h.student}.ipynb`), JSON.stringify(h.notebook(targets)));
  const lines: string[] = [];
  await gradeAll({ assignment: assignmentDir, submissions: subsDir, out: outDir, jobs: 2, cellSeconds: 5, totalSeconds: 120, memoryMB: 512, quiet: true }, (l) => lines.push(l));
  graderSurvived = true;
});

test("the grader survives the whole hostile class and writes every result", () => {
  assert.equal(graderSurvived, true);
  const csv = fs.readFileSync(path.join(outDir, "grades.csv"), "utf8").trim().split("\n");
  assert.equal(csv.length, 1 + Object.keys(HONEST).length + 1 + hostile.length);
  for (const h of hostile) assert.ok(fs.existsSync(path.join(outDir, h.student, "feedback.html")), h.student);
});

test("a correct submission scores full marks, also when graded beside hostile ones", () => {
  const r = results("honest-correct");
  assert.equal(r.score, 6);
  assert.equal(r.max_score, 6);
  assert.ok(r.tests.every((t) => t.status === "passed"));
});

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
  assert.equal(scaleTests(r).reduce((s, t) => s + t.score, 0), 0);
  assert.equal(sumScore(r), 2);
});

test("a file that is not a notebook scores 0 with the reason", () => {
  const r = results("honest-not-a-notebook");
  assert.equal(r.score, 0);
  assert.match(r.output, /not a readable notebook/);
});

for (const h of HOSTILE) {
  test(`hostile: ${h.student} ${h.attack}: scores 0 for it, the rest is graded`, { skip: hostile.includes(h) ? false : "needs root to run kernels as an unprivileged user" }, () => {
    const r = results(h.student);
    const scale = scaleTests(r);
    assert.equal(scale.reduce((s, t) => s + t.score, 0), 0, JSON.stringify(scale));
    const hidden = scale.filter((t) => !t.name.endsWith("public tests"));
    assert.equal(hidden.length, 2);
    for (const t of hidden) assert.match(t.output, h.reason, `${h.student}: ${t.output}`);
    if (!/output-flood/.test(h.student)) assert.equal(sumScore(r), 2, `${h.student}: sumSquares must be unaffected: ${JSON.stringify(r.tests)}`);
    assert.equal(r.max_score, 6, "points come from the assignment, not the submission");
  });
}

test("hostile submissions could not touch the grader's files or a classmate's results", () => {
  assert.equal(results("honest-correct").score, 6);
  const book = Gradebook.open(targets.gradebook);
  const grades = book.grades("99-fixture");
  book.close();
  assert.equal(grades.length, 1 + Object.keys(HONEST).length + hostile.length);
  assert.equal(grades.find((g) => g.student === "honest-correct")!.finalScore, 6);
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
