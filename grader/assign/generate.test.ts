/**
 * `generate` without a kernel: the student copy of solution and hidden-test regions, the spec's
 * hidden cases, refusals that name the cell, and nbgrader's checksum checked against Python.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ICell } from "@jupyterlab/nbformat";
import type { PartialJSONObject } from "@lumino/coreutils";
import { computeChecksum, pythonFloatString } from "./checksum";
import { cellSource, NbgraderCellMetadata, Notebook } from "./format";
import { computeExpected } from "./expected";
import { generateAssignment } from "./generate";
import { AssignmentSourceError } from "./problems";
import { main } from "../cli-assign";

function nbgrader(gradeId: string, flags: Partial<NbgraderCellMetadata>): PartialJSONObject {
  return { nbgrader: { grade: false, solution: false, locked: false, schema_version: 3, grade_id: gradeId, ...flags } };
}
function code(source: string, metadata: PartialJSONObject = {}): ICell {
  return { cell_type: "code", source, metadata, outputs: [], execution_count: null };
}
function markdown(source: string, metadata: PartialJSONObject = {}): ICell {
  return { cell_type: "markdown", source, metadata };
}
function notebook(cells: ICell[]): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "dl-workbook", display_name: "TypeScript (DL Workbook)" } }, cells };
}

const SOLUTION = ["export function double(x: number[]): number[] {", "  // BEGIN SOLUTION", "  return x.map((v) => 2 * v);", "  // END SOLUTION", "}"].join("\n");
const TESTS = [
  'checkClose("double", double([1, 2]), [2, 4], 1e-12);',
  "// BEGIN HIDDEN TESTS",
  'hiddenTest("negative numbers", () => double([-1.5, 3]), { kind: "relative-error", threshold: 1e-9 }, 2);',
  'hiddenTest("empty", () => double([]), { kind: "exact" });',
  "// END HIDDEN TESTS",
].join("\n");

function goodSource(): Notebook {
  return notebook([
    markdown("# Doubling", nbgrader("intro", { locked: true })),
    code(SOLUTION, nbgrader("double", { solution: true })),
    code(TESTS, nbgrader("test_double", { grade: true, locked: true, points: 3 })),
    markdown("Why double?\n\nBEGIN SOLUTION\nBecause.\nEND SOLUTION", nbgrader("why", { solution: true, grade: true, points: 1 })),
  ]);
}

test("generate: solutions become Not implemented stubs named by their function, hidden tests are removed", () => {
  const { student, spec } = generateAssignment(goodSource(), "/tmp/double.source.ipynb", "/tmp");
  assert.equal(cellSource(student.cells[1]), 'export function double(x: number[]): number[] {\n  throw new Error("Not implemented: double");\n}');
  assert.equal(cellSource(student.cells[2]), 'checkClose("double", double([1, 2]), [2, 4], 1e-12);');
  assert.equal(cellSource(student.cells[3]), "Why double?\n\nYOUR ANSWER HERE");
  const studentText = JSON.stringify(student);
  assert.ok(!studentText.includes("2 * v"), "the solution must not reach the student notebook");
  assert.ok(!studentText.includes("hiddenTest("), "hidden tests must not reach the student notebook");
  assert.equal(spec.assignment, "double");
  assert.equal(spec.totalPoints, 4);
  assert.deepEqual(
    spec.autograded.map((g) => [g.gradeId, g.name, g.points, g.cellIndex]),
    [["test_double", "double", 3, 2]],
  );
  assert.deepEqual(spec.autograded[0].hiddenCases, [
    { name: "negative numbers", call: "double([-1.5, 3])", compare: { kind: "relative-error", threshold: 1e-9 }, weight: 2 },
    { name: "empty", call: "double([])", compare: { kind: "exact" }, weight: 1 },
  ]);
  assert.deepEqual(spec.manual, [{ gradeId: "why", points: 1, cellIndex: 3, kind: "answer" }]);
  for (const id of ["intro", "double", "test_double", "why"]) assert.match(spec.checksums[id], /^[0-9a-f]{32}$/);
});

function refusal(nb: Notebook): string {
  try {
    generateAssignment(nb, "bad.source.ipynb", ".");
  } catch (err) {
    assert.ok(err instanceof AssignmentSourceError, `expected an AssignmentSourceError, got ${String(err)}`);
    return err.message;
  }
  assert.fail("generate accepted a bad source");
}

test("generate refuses unbalanced markers, naming the cell and line", () => {
  const unclosed = goodSource();
  unclosed.cells[1] = code("function f() {\n  // BEGIN SOLUTION\n  return 1;\n}", nbgrader("f", { solution: true }));
  assert.match(refusal(unclosed), /cell 1 \(grade_id "f"\), line 2: "BEGIN SOLUTION" is never closed/);

  const stray = goodSource();
  stray.cells[2] = code("f();\n// END HIDDEN TESTS", nbgrader("test_f", { grade: true, locked: true, points: 1 }));
  assert.match(refusal(stray), /cell 2 \(grade_id "test_f"\), line 2: "END HIDDEN TESTS" without a matching "BEGIN HIDDEN TESTS"/);

  const crossed = goodSource();
  crossed.cells[1] = code("function f() {\n  // BEGIN SOLUTION\n  return 1;\n  // END HIDDEN TESTS\n}", nbgrader("f", { solution: true }));
  assert.match(refusal(crossed), /cell 1 \(grade_id "f"\), line 4: "END HIDDEN TESTS" closes the "BEGIN SOLUTION" region/);
});

test("generate refuses duplicate grade ids and graded cells without points, naming each cell", () => {
  const dup = goodSource();
  dup.cells.push(code("double([1]);", nbgrader("test_double", { grade: true, locked: true, points: 1 })));
  assert.match(refusal(dup), /cell 4 \(grade_id "test_double"\): duplicate grade_id "test_double" \(also cell 2\)/);

  const noPoints = goodSource();
  noPoints.cells[2] = code("double([1]);", nbgrader("test_double", { grade: true, locked: true }));
  assert.match(refusal(noPoints), /cell 2 \(grade_id "test_double"\): is graded \(grade: true\) but has no points/);

  const zeroTask = goodSource();
  zeroTask.cells.push(markdown("Describe it.", nbgrader("task1", { task: true, locked: true, points: 0 })));
  assert.match(refusal(zeroTask), /cell 4 \(grade_id "task1"\): is graded \(task: true\) but has no points/);
});

test("generate refuses solutions that would leak and malformed hidden tests", () => {
  const unmarked = goodSource();
  unmarked.cells[1] = code("function f() { return 1; }", nbgrader("f", { solution: true }));
  assert.match(refusal(unmarked), /cell 1 \(grade_id "f"\): is a solution cell without a BEGIN SOLUTION/);

  const inLocked = goodSource();
  inLocked.cells.push(code("// BEGIN SOLUTION\nconst secret = 1;\n// END SOLUTION", nbgrader("helpers", { locked: true })));
  assert.match(refusal(inLocked), /cell 4 \(grade_id "helpers"\), line 1: has SOLUTION markers but is not a solution cell/);

  const badCase = goodSource();
  badCase.cells[2] = code(
    '// BEGIN HIDDEN TESTS\nhiddenTest("x", () => double([1]), { kind: "relative-error", threshold: tol });\n// END HIDDEN TESTS',
    nbgrader("test_double", { grade: true, locked: true, points: 2 }),
  );
  assert.match(refusal(badCase), /cell 2 \(grade_id "test_double"\), line 2: hiddenTest\("x"\): "tol" is not a literal/);
});

test("workbook assign generate: exit code 1 and the cell named on stderr for a bad source; files written for a good one", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assign-"));
  const bad = goodSource();
  bad.cells[2] = code("double([1]);", nbgrader("test_double", { grade: true, locked: true }));
  fs.writeFileSync(path.join(dir, "bad.source.ipynb"), JSON.stringify(bad));
  const errors: string[] = [];
  const original = console.error;
  console.error = (...parts: unknown[]) => void errors.push(parts.join(" "));
  let code1: number;
  try {
    code1 = await main(["generate", path.join(dir, "bad.source.ipynb")]);
  } finally {
    console.error = original;
  }
  assert.equal(code1, 1);
  assert.match(errors.join("\n"), /bad\.source\.ipynb: 1 problem in the source notebook:\n {2}cell 2 \(grade_id "test_double"\): is graded/);

  fs.writeFileSync(path.join(dir, "good.source.ipynb"), JSON.stringify(goodSource()));
  const originalLog = console.log;
  console.log = () => undefined;
  try {
    assert.equal(await main(["generate", path.join(dir, "good.source.ipynb"), "--out", path.join(dir, "out"), "--no-run"]), 0);
  } finally {
    console.log = originalLog;
  }
  assert.ok(fs.existsSync(path.join(dir, "out", "good.ipynb")));
  const spec = JSON.parse(fs.readFileSync(path.join(dir, "out", "good.grading.json"), "utf8")) as { sourceNotebook: string };
  assert.equal(spec.sourceNotebook, path.join("..", "good.source.ipynb"));
  fs.rmSync(dir, { recursive: true, force: true });
});

test("nbgrader checksum: same md5 as nbgrader's compute_checksum (Python float and bool strings)", () => {
  assert.deepEqual([3, 0.5, 1e-5, 12.25, 1e16, 100].map(pythonFloatString), ["3.0", "0.5", "1e-05", "12.25", "1e+16", "100.0"]);
  const cells: ICell[] = [
    code("x = 1\n", nbgrader("a", { grade: true, locked: true, points: 3 })),
    code("é ünïcode\n", nbgrader("b", { solution: true })),
    markdown("answer", nbgrader("c", { solution: true, grade: true, points: 0.5 })),
    markdown("read only", nbgrader("d", { locked: true })),
  ];
  const ours = cells.map((c) => computeChecksum(c));
  // nbgrader.utils.compute_checksum, restated in Python so Python's own str(float) and str(bool) are used.
  const python = `
import hashlib, json, sys
def checksum(cell):
    nb = cell["metadata"]["nbgrader"]
    grade, solution = nb.get("grade", False), nb.get("solution", False)
    locked = False if solution else (True if grade else nb.get("locked", False))
    m = hashlib.md5()
    for part in [cell["source"], cell["cell_type"], str(grade), str(solution), str(locked), nb["grade_id"]]:
        m.update(part.encode("utf-8"))
    if grade:
        m.update(str(float(nb["points"])).encode("utf-8"))
    return m.hexdigest()
print(json.dumps([checksum(c) for c in json.load(sys.stdin)]))
`;
  const result = spawnSync("/usr/bin/python3", ["-c", python], { input: JSON.stringify(cells), encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(ours, JSON.parse(result.stdout));
});

test("computeExpected runs the source in our kernel: records each hidden call's result, and refuses a source that fails its own tests", async () => {
  const helper = code(
    "function hiddenTest(name: string, call: () => unknown, compare: unknown, weight = 1): void {\n  console.log(name, weight, JSON.stringify(compare), JSON.stringify(call()));\n}",
    nbgrader("helpers", { locked: true }),
  );
  const tests = code(
    'if (double([1, 2]).join() !== "2,4") throw new Error("double([1, 2]) should be [2, 4], got " + double([1, 2]));\n// BEGIN HIDDEN TESTS\nhiddenTest("negative numbers", () => double([-1.5, 3]), { kind: "relative-error", threshold: 1e-9 });\n// END HIDDEN TESTS',
    nbgrader("test_double", { grade: true, locked: true, points: 2 }),
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assign-run-"));
  try {
    const solution = SOLUTION.replace("export ", "");
    const good = notebook([helper, code(solution, nbgrader("double", { solution: true })), tests]);
    const file = path.join(dir, "double.source.ipynb");
    const { spec } = generateAssignment(good, file, dir);
    await computeExpected(spec, good, file);
    assert.deepEqual(spec.autograded[0].hiddenCases[0].expected, [-3, 6]);

    const wrong = notebook([helper, code(solution.replace("2 * v", "2 * v + 1"), nbgrader("double", { solution: true })), tests]);
    const generated = generateAssignment(wrong, file, dir);
    await assert.rejects(computeExpected(generated.spec, wrong, file), /cell 2 of the source notebook fails \(Error: double\(\[1, 2\]\) should be \[2, 4\], got 3,5\)/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
