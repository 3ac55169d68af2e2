/**
 * Every lecture notebook 1-9 in notebooks/ runs top to bottom in our kernel without an error.
 * Notebooks shrink their workloads when the CI environment variable is set (as in CI); the
 * budget is stated in each notebook (about 4 minutes for all nine together on a busy 2-core machine);
 * the per-cell limit of 10 minutes only catches hangs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { startKernel } from "../../kernel/client";
import { runNotebookCells } from "./execute";
import { readNotebook } from "./generate";

const NOTEBOOKS = path.resolve(__dirname, "..", "..", "..", "notebooks");
/** The lecture notebooks of this area: 01-...ipynb to 09-...ipynb (10 belongs to the projects). */
const LECTURE = /^0[1-9]-.*\.ipynb$/;

const notebooks = fs.existsSync(NOTEBOOKS)
  ? fs
      .readdirSync(NOTEBOOKS)
      .filter((f) => LECTURE.test(f))
      .sort()
  : [];

test("notebooks/ holds the lecture notebooks", () => {
  assert.ok(notebooks.length > 0, `no lecture notebooks 01-09 in ${NOTEBOOKS}`);
});

for (const name of notebooks) {
  test(`lecture notebook ${name} runs top to bottom without error`, async () => {
    const kernel = await startKernel({ cwd: NOTEBOOKS });
    try {
      const runs = await runNotebookCells(kernel, readNotebook(path.join(NOTEBOOKS, name)), { timeoutMs: 600_000 });
      const failed = runs.find((r) => r.status !== "ok");
      assert.equal(failed, undefined, failed && `${name}: cell ${failed.cellIndex} failed: ${failed.error}`);
      const errorOutputs = runs.flatMap((r) => r.outputs.filter((o) => o.output_type === "error").map(() => r.cellIndex));
      assert.deepEqual(errorOutputs, [], `${name}: error outputs in cells ${errorOutputs.join(", ")}`);
    } finally {
      await kernel.shutdown();
    }
  });
}
