import type { GradingSpec } from "../assign/format";
import { compareResult } from "../assign/compare";
import type { LateVerdict, SubmissionScore, TestScore } from "../results";
import type { SubmissionRun } from "./run-submission";

export type { SubmissionScore, TestScore };

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Scores a run against the spec, in the grader process. Per graded function:
 *
 *   hidden = sum_i weight_i * credit_i / sum_i weight_i          (1 when there are no hidden cases)
 *   score  = points * (publicWeight * [public tests ran] * hidden + sum_i weight_i * credit_i) / (publicWeight + sum_i weight_i)
 *
 * The public tests run in the student's kernel, where a student can redefine the helpers they
 * check with, so their share counts only as far as the hidden cases (compared here, in the
 * grader) confirm it. Split into one entry for the public tests and one per hidden case, so
 * partial credit shows.
 */
export function scoreSubmission(run: SubmissionRun, spec: GradingSpec, late: LateVerdict): SubmissionScore {
  const tests: TestScore[] = [];
  for (const graded of spec.autograded) {
    const totalWeight = graded.publicTestsWeight + graded.hiddenCases.reduce((sum, c) => sum + c.weight, 0);
    const unit = totalWeight > 0 ? graded.points / totalWeight : 0;
    const cell = run.cells.find((c) => c.gradeId === graded.gradeId);
    const publicOk = cell?.status === "ok";
    const publicEntry: TestScore | null =
      graded.publicTestsWeight > 0
        ? {
            name: `${graded.name}: public tests`,
            gradeId: graded.gradeId,
            kind: "public",
            score: 0,
            maxScore: unit * graded.publicTestsWeight,
            status: "failed",
            message: publicOk ? "the public tests in the notebook pass" : (cell?.problem ?? "the test cell did not run"),
          }
        : null;
    if (publicEntry) tests.push(publicEntry);
    graded.hiddenCases.forEach((testCase, caseIndex) => {
      const max = unit * testCase.weight;
      const caseRun = run.cases.find((c) => c.gradeId === graded.gradeId && c.caseIndex === caseIndex);
      const base = { name: `${graded.name}: ${testCase.name}`, gradeId: graded.gradeId, kind: "hidden" as const, maxScore: max };
      if (!caseRun || !caseRun.result.ok) {
        tests.push({ ...base, score: 0, status: "failed", message: caseRun && !caseRun.result.ok ? caseRun.result.reason : "not run" });
        return;
      }
      const verdict = compareResult(caseRun.result.value, testCase.expected, testCase.compare);
      tests.push({
        ...base,
        score: max * verdict.credit,
        status: verdict.credit >= 1 ? "passed" : verdict.credit > 0 ? "partial" : "failed",
        message: verdict.message,
        relativeError: verdict.relativeError,
        worstElement: verdict.worstElement,
      });
    });
    if (publicEntry && publicOk) {
      // hidden = sum_i weight_i * credit_i / sum_i weight_i, from the scores just computed
      const hiddenTests = tests.filter((t) => t.gradeId === graded.gradeId && t.kind === "hidden");
      const hiddenMax = hiddenTests.reduce((sum, t) => sum + t.maxScore, 0);
      const hidden = hiddenMax > 0 ? hiddenTests.reduce((sum, t) => sum + t.score, 0) / hiddenMax : 1;
      publicEntry.score = publicEntry.maxScore * hidden;
      publicEntry.status = hidden >= 1 ? "passed" : hidden > 0 ? "partial" : "failed";
      if (hidden < 1) publicEntry.message += `, but they count only as far as the hidden tests confirm them (${Math.round(hidden * 100)}%)`;
    }
  }
  const rawScore = round(tests.reduce((sum, t) => sum + t.score, 0));
  const maxScore = round(spec.autograded.reduce((sum, g) => sum + g.points, 0));
  return { tests, rawScore, maxScore, late, score: round(rawScore * (1 - late.penalty)) };
}
