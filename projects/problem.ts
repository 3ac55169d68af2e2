/**
 * A problem a check found, with where it is (a proposal's section and cell, a CSV line), so
 * that the student can go straight to it.
 */
export interface Problem {
  /** Where: "Literature review (cell 4)", "teams.csv line 7". */
  where: string;
  /** What is wrong and what to do. */
  message: string;
}

/** "where: message" lines, one per problem. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.where}: ${p.message}`).join("\n");
}
