/**
 * Both sides of every assignment in assignments/, through our kernel:
 * - the committed student notebook and grading spec are what `generate` makes of the source now;
 * - the source notebook (the instructor's solution) passes all its tests, public and hidden, and
 *   its hidden-test results match the committed expected values (relative error <= 1e-9);
 * - the student notebook runs with no error outside the graded test cells, and every graded test
 *   cell fails with "Not implemented".
 * Budget: about 20 s per assignment on 2 cores (two kernels each).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { startKernel } from "../../kernel/client";
import { compareResult } from "./compare";
import { runNotebookCells } from "./execute";
import { computeExpected } from "./expected";
import type { GradingSpec } from "./format";
import { generateAssignment, notebookJson, readNotebook } from "./generate";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const ASSIGNMENTS = path.join(ROOT, "assignments");

function sources(): string[] {
  if (!fs.existsSync(ASSIGNMENTS)) return [];
  return fs
    .readdirSync(ASSIGNMENTS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      fs
        .readdirSync(path.join(ASSIGNMENTS, d.name))
        .filter((f) => f.endsWith(".source.ipynb"))
        .map((f) => path.join(ASSIGNMENTS, d.name, f)),
    )
    .sort();
}

/** The assignments of topics 1-8, one folder each. */
const TOPICS = ["01-adam", "02-optimizers", "03-cnn-design", "04-rnn", "05-deep-rnns", "06-lstm", "07-captioning", "08-sequence-models"];

test("assignments/ holds the source, student notebook and grading spec of topics 1-8", () => {
  const names = sources().map((s) => path.basename(s));
  assert.deepEqual(
    names,
    TOPICS.map((t) => `${t}.source.ipynb`),
  );
  for (const t of TOPICS) {
    for (const file of [`${t}.ipynb`, `${t}.grading.json`]) assert.ok(fs.existsSync(path.join(ASSIGNMENTS, t, file)), `assignments/${t}/${file} is missing`);
  }
});

for (const source of sources()) {
  const dir = path.dirname(source);
  const name = path.basename(source).replace(/\.source\.ipynb$/, "");
  test(`assignment ${name}: committed student notebook and spec are up to date, the source passes, the student copy fails exactly the graded tests`, async () => {
    const nb = readNotebook(source);
    const generated = generateAssignment(nb, source, dir);
    const studentFile = path.join(dir, `${name}.ipynb`);
    const specFile = path.join(dir, `${name}.grading.json`);
    assert.equal(fs.readFileSync(studentFile, "utf8"), notebookJson(generated.student), `${studentFile} is stale: run "workbook assign generate ${path.relative(ROOT, source)}"`);
    const committed = JSON.parse(fs.readFileSync(specFile, "utf8")) as GradingSpec;
    // Nothing of the solutions or hidden tests reaches students.
    const studentText = fs.readFileSync(studentFile, "utf8");
    for (const leak of ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", 'hiddenTest(\\"']) {
      assert.ok(!studentText.includes(leak), `${studentFile} contains ${leak}`);
    }

    // The source passes all its tests, and its hidden-test results are the committed ones.
    await computeExpected(generated.spec, nb, source);
    assert.deepEqual(
      generated.spec.autograded.map((g) => ({ ...g, hiddenCases: g.hiddenCases.map((c) => ({ ...c, expected: undefined })) })),
      committed.autograded.map((g) => ({ ...g, hiddenCases: g.hiddenCases.map((c) => ({ ...c, expected: undefined })) })),
      `${specFile} is stale: run "workbook assign generate ${path.relative(ROOT, source)}"`,
    );
    generated.spec.autograded.forEach((g, i) =>
      g.hiddenCases.forEach((c, j) => {
        const stored = committed.autograded[i].hiddenCases[j].expected;
        if (c.expected === undefined) return assert.equal(stored, undefined);
        const outcome = compareResult(c.expected, stored, { kind: "relative-error", threshold: 1e-9 });
        assert.equal(outcome.credit, 1, `${g.gradeId} "${c.name}": recomputed expected value differs from ${specFile}: ${outcome.message}`);
      }),
    );
    assert.equal(committed.totalPoints, generated.spec.totalPoints);

    // The student notebook: only the graded test cells fail, each because of a stub.
    const kernel = await startKernel({ cwd: dir });
    try {
      const runs = await runNotebookCells(kernel, readNotebook(studentFile), { continueOnError: true });
      const failing = runs.filter((r) => r.status !== "ok");
      const graded = generated.spec.autograded.map((g) => g.cellIndex);
      assert.deepEqual(
        failing.map((r) => r.cellIndex),
        graded,
        `cells failing in the student notebook: ${failing.map((r) => `cell ${r.cellIndex}: ${r.error}`).join("; ")}`,
      );
      for (const r of failing) assert.match(r.error ?? "", /Not implemented: /, `cell ${r.cellIndex} should fail because of a stub, not: ${r.error}`);
    } finally {
      await kernel.shutdown();
    }
  });
}
