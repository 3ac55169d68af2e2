/**
 * Expected values for the hidden tests: the source notebook (the instructor's solution) runs in
 * a fresh kernel; every cell must pass, then each hidden case's call is evaluated there and its
 * result recorded in the spec. A gradient-check case's solution must pass its own check (analytic
 * against numeric, full credit); its numeric gradient is what students' gradients are graded against.
 */
import * as path from "path";
import { startKernel } from "../../kernel/client";
import { compareResult } from "./compare";
import { evaluateCall, runNotebookCells } from "./execute";
import type { GradingSpec, Notebook } from "./format";

/** Options of {@link computeExpected}. */
export interface ComputeExpectedOptions {
  /** Per-cell limit in ms (default 300 000). */
  timeoutMs?: number;
  /** Called before each cell and each case, e.g. for a progress line. */
  onProgress?: (what: string) => void;
}

/**
 * Runs the source notebook and fills `expected` of every hidden case in `spec` (in place).
 *
 * @throws when a source cell fails (naming file, cell and error) or a call fails.
 * @example
 * const { spec } = generateAssignment(nb, file, outDir);
 * await computeExpected(spec, nb, file);
 */
export async function computeExpected(spec: GradingSpec, source: Notebook, sourceFile: string, options: ComputeExpectedOptions = {}): Promise<GradingSpec> {
  const kernel = await startKernel({ cwd: path.dirname(path.resolve(sourceFile)) });
  try {
    options.onProgress?.(`running ${path.basename(sourceFile)}`);
    const runs = await runNotebookCells(kernel, source, { timeoutMs: options.timeoutMs });
    const failed = runs.find((r) => r.status !== "ok");
    if (failed) {
      throw new Error(`${sourceFile}: cell ${failed.cellIndex} of the source notebook fails (${failed.error}); the instructor's solution must pass all its tests before students get the assignment.`);
    }
    for (const graded of spec.autograded) {
      for (const testCase of graded.hiddenCases) {
        options.onProgress?.(`${graded.gradeId}: ${testCase.name}`);
        let value;
        try {
          value = await evaluateCall(kernel, testCase.call, options.timeoutMs);
        } catch (err) {
          throw new Error(`${sourceFile}: hidden test "${testCase.name}" of ${graded.gradeId} (cell ${graded.cellIndex}): ${(err as Error).message}`);
        }
        if (testCase.compare.kind === "gradient-check") {
          const numeric = value !== null && typeof value === "object" && !Array.isArray(value) ? value.numeric : undefined;
          const outcome = compareResult(value, numeric, testCase.compare);
          if (numeric === undefined || outcome.credit < 1)
            throw new Error(`${sourceFile}: hidden test "${testCase.name}" of ${graded.gradeId}: the solution itself fails its gradient check (${outcome.message}).`);
          testCase.expected = numeric;
        } else {
          testCase.expected = value;
        }
      }
    }
    return spec;
  } finally {
    await kernel.shutdown();
  }
}
