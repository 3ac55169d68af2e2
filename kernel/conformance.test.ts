/**
 * The Debian jupyter_kernel_test suite against this kernel: kernel_info, stdout, stderr,
 * completion, is_complete, error, execute_result, display_data, history (tail, range, search),
 * inspect, clear_output. The pager test is skipped (TypeScript has no pager).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { runPythonTests, testJupyter } from "./test/python";

test("jupyter_kernel_test suite passes against the dl-workbook kernelspec", () => {
  const run = runPythonTests("test_conformance.py", testJupyter());
  assert.equal(run.status, 0, run.output);
  // Every test but the pager ran (skips are reported as "skipped").
  const skipped = run.output.split("\n").filter((line) => /\.\.\. skipped/.test(line));
  assert.deepEqual(
    skipped.map((line) => line.split(" ")[0]),
    ["test_pager"],
    run.output,
  );
});
