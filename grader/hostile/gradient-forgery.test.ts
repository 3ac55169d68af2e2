import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { gradeAll } from "../cli-grade";
import type { GradescopeResults } from "../export";
import type { Notebook } from "../assign/format";
import { readNotebook } from "../../notebook/notebook";

// The RNN assignment (04-rnn) graded end to end for two submissions: the instructor's solution,
// and a student who never wrote rnnStepBackward but, in a cell of their own, redefines the
// locked helper `stepGradients` so that its "analytic" and "numeric" gradients are the same
// zeros. Public test cell and hidden calls then agree with themselves in the student's kernel;
// only the solution's numeric gradient, kept in the grader, tells them apart.
// Budget: two submissions, 2 jobs, about 30 s on 2 cores.

const ROOT = path.resolve(__dirname, "..", "..", "..");
const assignmentDir = path.join(ROOT, "assignments", "04-rnn");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-forgery-"));
const subsDir = path.join(work, "submissions");
const outDir = path.join(work, "out");

const FORGED_HELPER = [
  "function stepGradients(seed: number, N: number, D: number, H: number, wrt: StepParam) {",
  '  const zeros = JSON.parse(JSON.stringify(randomStep(seed, N, D, H)[wrt].toArray()), (_key, v) => (typeof v === "number" ? 0 : v));',
  "  return { analytic: zeros, numeric: zeros };",
  "}",
].join("\n");

function readSource(): Notebook {
  return readNotebook(path.join(assignmentDir, "04-rnn.source.ipynb"));
}

function gradeIdOf(cell: Notebook["cells"][number]): string | undefined {
  return (cell.metadata as { nbgrader?: { grade_id?: string } }).nbgrader?.grade_id;
}

function results(student: string): GradescopeResults {
  return JSON.parse(fs.readFileSync(path.join(outDir, student, "results.json"), "utf8")) as GradescopeResults;
}

before(async () => {
  fs.mkdirSync(subsDir, { recursive: true });
  fs.writeFileSync(path.join(subsDir, "solution.ipynb"), JSON.stringify(readSource()));
  const forged = readSource();
  const backward = forged.cells.findIndex((c) => gradeIdOf(c) === "rnnStepBackward");
  forged.cells[backward].source =
    'function rnnStepBackward(dnextH: NDArray, cache: RnnStepCache): { dx: NDArray; dprevH: NDArray; dWx: NDArray; dWh: NDArray; db: NDArray } {\n  throw new Error("Not implemented: rnnStepBackward");\n}';
  const helper = forged.cells.findIndex((c) => gradeIdOf(c) === "check-rnnStepBackward");
  forged.cells.splice(helper + 1, 0, { cell_type: "code", source: FORGED_HELPER, metadata: {}, outputs: [], execution_count: null });
  fs.writeFileSync(path.join(subsDir, "forged-gradients.ipynb"), JSON.stringify(forged));
  await gradeAll({ assignment: assignmentDir, submissions: subsDir, out: outDir, jobs: 2, cellSeconds: 60, totalSeconds: 300, memoryMB: 1024, quiet: true }, () => undefined);
});

after(() => fs.rmSync(work, { recursive: true, force: true }));

test("the instructor's solution, graded as a submission, earns every point of 04-rnn", () => {
  const r = results("solution");
  assert.equal(r.score, r.max_score, JSON.stringify(r.tests.filter((t) => t.score < t.max_score)));
});

test("a forged gradient check earns nothing: the student's gradient is compared with the solution's numeric one", () => {
  const r = results("forged-gradients");
  const backward = r.tests.filter((t) => t.name.startsWith("rnnStepBackward:"));
  assert.ok(backward.length > 1);
  for (const t of backward) assert.equal(t.score, 0, `${t.name}: ${t.output}`);
  const publicTests = backward.find((t) => t.name.endsWith("public tests"))!;
  assert.match(publicTests.output, /the public tests in the notebook pass, but they count only as far as the hidden tests confirm them \(0%\)/);
  for (const t of backward.filter((t) => t !== publicTests)) assert.match(t.output, /gradient check against the numeric gradient: relative error 1\.00e\+0/);
  // the forward passes are the solution's and keep their points (rnnBackward calls the missing step, so it fails honestly)
  const rest = r.tests.filter((t) => t.name.startsWith("rnnStepForward:") || t.name.startsWith("rnnForward:"));
  assert.ok(rest.length > 2);
  for (const t of rest) assert.equal(t.score, t.max_score, `${t.name}: ${t.output}`);
});
