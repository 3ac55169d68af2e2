import { test } from "node:test";
import * as assert from "node:assert/strict";
import { cellSource, nbgraderMetadata } from "../assign/format";
import { ANSWERS, releaseNotebook, submission } from "../hostile/fixture";
import { sanitise } from "./sanitise";

test("an honest submission keeps its answers and needs no repairs", () => {
  const { notebook, repairs } = sanitise(submission(ANSWERS.scale, ANSWERS.sum), releaseNotebook());
  assert.deepEqual(repairs, []);
  assert.equal(cellSource(notebook.cells[1]), ANSWERS.scale);
  assert.equal(notebook.cells.length, 5);
});

test("edited locked cells and edited points are restored from the release", () => {
  const nb = submission(ANSWERS.scale, ANSWERS.sum, (cells) => {
    cells[2].source = "// pass";
    (cells[4].metadata as { nbgrader: { points: number } }).nbgrader.points = 99;
    (cells[1].metadata as { nbgrader: { points?: number; grade: boolean } }).nbgrader.grade = true;
  });
  const { notebook, repairs } = sanitise(nb, releaseNotebook());
  assert.equal(cellSource(notebook.cells[2]), cellSource(releaseNotebook().cells[2]));
  assert.equal(nbgraderMetadata(notebook.cells[4])?.points, 2);
  assert.equal(nbgraderMetadata(notebook.cells[1])?.grade, false);
  assert.equal(cellSource(notebook.cells[1]), ANSWERS.scale, "the student's answer stays");
  assert.equal(repairs.length, 3);
});

test("deleted cells are put back in place; foreign and duplicate grade ids lose their claim", () => {
  const nb = submission(ANSWERS.scale, ANSWERS.sum, (cells) => {
    cells.splice(4, 1); // test-sum
    cells.splice(2, 1); // test-scale
    cells.push({
      cell_type: "code",
      source: "// extra",
      metadata: { nbgrader: { grade: true, grade_id: "bonus", points: 50, locked: true, solution: false, schema_version: 3 } },
      outputs: [],
      execution_count: null,
    });
    cells.push({ ...cells[1], source: "// duplicate of scale" });
  });
  const { notebook, repairs } = sanitise(nb, releaseNotebook());
  const ids = notebook.cells.map((c) => nbgraderMetadata(c)?.grade_id ?? "-");
  assert.deepEqual(ids, ["intro", "scale", "test-scale", "sum", "test-sum", "-", "-"]);
  assert.equal(repairs.filter((r) => /was deleted: put back/.test(r)).length, 2);
  assert.ok(repairs.some((r) => /"bonus" is not in the released assignment/.test(r)));
  assert.ok(repairs.some((r) => /duplicate/.test(r)));
});

test("malformed cells are repaired or dropped, never crash the grader", () => {
  const nb = submission(ANSWERS.scale, ANSWERS.sum, (cells) => {
    (cells as unknown[]).push(42, { cell_type: "code", source: { evil: true }, metadata: null, outputs: [] }, { cell_type: "widget", source: "x", metadata: {} });
  });
  const { notebook, repairs } = sanitise(nb, releaseNotebook());
  assert.equal(notebook.cells.length, 7);
  assert.equal(cellSource(notebook.cells[5]), "");
  assert.equal(notebook.cells[6].cell_type, "raw");
  assert.equal(repairs.length, 3);
});
