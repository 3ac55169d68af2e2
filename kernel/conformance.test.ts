/**
 * The Debian jupyter_kernel_test suite against this kernel: kernel_info, stdout, stderr,
 * completion, is_complete, error, execute_result, display_data, history (tail, range, search),
 * inspect, clear_output. The pager test is skipped (TypeScript has no pager). It runs against the
 * kernelspec as installed (the launcher starts the relay, kernel/relay.ts, in front of the kernel
 * started from the snapshot) and against the script start (WORKBOOK_KERNEL_NO_SNAPSHOT=1: no relay).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import { runPythonTests, testJupyter } from "./test/python";
import { NO_SNAPSHOT_VARIABLE } from "./snapshot/launcher";

function assertSuitePasses(env: Record<string, string>): void {
  const jupyter = testJupyter();
  try {
    const run = runPythonTests("test_conformance.py", { ...jupyter, env: { ...jupyter.env, ...env } });
    assert.equal(run.status, 0, run.output);
    // Every test but the pager ran (skips are reported as "skipped").
    const skipped = run.output.split("\n").filter((line) => /\.\.\. skipped/.test(line));
    assert.deepEqual(
      skipped.map((line) => line.split(" ")[0]),
      ["test_pager"],
      run.output,
    );
  } finally {
    fs.rmSync(jupyter.dir, { recursive: true, force: true });
  }
}

test("jupyter_kernel_test suite passes against the dl-workbook kernelspec as installed (relay, snapshot)", () => {
  assertSuitePasses({});
});

test("jupyter_kernel_test suite passes against the dl-workbook kernelspec's script start", () => {
  assertSuitePasses({ [NO_SNAPSHOT_VARIABLE]: "1" });
});
