import type { SubmissionScore } from "../results";

/** One test in Gradescope's results.json. */
export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: "passed" | "failed";
  output: string;
  visibility: "visible" | "hidden" | "after_due_date" | "after_published";
}

/** Gradescope's results.json (the autograder specification's schema). */
export interface GradescopeResults {
  score: number;
  max_score: number;
  execution_time: number;
  output: string;
  visibility: "visible" | "hidden" | "after_due_date" | "after_published";
  tests: GradescopeTest[];
}

/**
 * Gradescope's results.json for one graded submission. Public tests are "visible"; hidden tests are
 * listed by name with their message ("after_published" by default, so students see them once
 * grades are published); neither the call nor the expected value ever appears.
 *
 * Example: JSON.stringify(toGradescope(score, 12.5, notes)) is what run_autograder writes.
 */
export function toGradescope(score: SubmissionScore, executionSeconds: number, notes: string[], hiddenVisibility: GradescopeTest["visibility"] = "after_published"): GradescopeResults {
  const lines = [`Autograded score: ${score.rawScore} / ${score.maxScore}`, `Late: ${score.late.message}`, ...notes];
  return {
    score: score.score,
    max_score: score.maxScore,
    execution_time: Math.round(executionSeconds * 1000) / 1000,
    output: lines.join("\n"),
    visibility: "visible",
    tests: score.tests.map((t) => ({
      name: t.name,
      score: Math.round(t.score * 1e6) / 1e6,
      max_score: Math.round(t.maxScore * 1e6) / 1e6,
      status: t.score >= t.maxScore && t.maxScore > 0 ? "passed" : t.status === "passed" ? "passed" : "failed",
      output: t.message,
      visibility: t.kind === "public" ? "visible" : hiddenVisibility,
    })),
  };
}
