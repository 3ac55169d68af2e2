/**
 * What a graded submission is made of, as the autograder produces it and feedback, the Gradescope
 * export and the gradebook read it. Types only: these folders import them from here, so none of
 * them imports the autograder (which imports them).
 */
import type { IOutput } from "@jupyterlab/nbformat";
import type { ExecuteResult } from "../kernel/client";

/** How one code cell of the sanitised notebook ran in the student's kernel. */
export interface CellRun {
  index: number;
  gradeId?: string;
  status: ExecuteResult["status"] | "skipped";
  /** The student's own outputs (text, plots), capped; shown back in feedback. */
  outputs: IOutput[];
  /** One line when the cell did not run cleanly: the error, the time limit, the crash. */
  problem?: string;
}

/** What the policy did to one submission. */
export interface LateVerdict {
  /** Seconds after the due date (0 when on time or within grace). */
  secondsLate: number;
  /** Started days late, counted after the grace period. */
  daysLate: number;
  /** Fraction of the score taken off, 0..1. */
  penalty: number;
  /** One line for feedback and the gradebook. */
  message: string;
}

/** One graded test as the student (and Gradescope) sees it. */
export interface TestScore {
  /** e.g. "adamStep: public tests" or "adamStep: step 5 from non-zero moments". */
  name: string;
  gradeId: string;
  kind: "public" | "hidden";
  score: number;
  maxScore: number;
  status: "passed" | "partial" | "failed";
  /** Why: the error, the relative error and worst element, the time limit. Never the expected value or the call. */
  message: string;
  relativeError?: number;
  worstElement?: string;
}

/** The autograded score of one submission, before and after the late penalty. */
export interface SubmissionScore {
  tests: TestScore[];
  /** Sum of test scores. */
  rawScore: number;
  /** Autograded points available. */
  maxScore: number;
  late: LateVerdict;
  /** rawScore * (1 - late.penalty), rounded to 1e-6. */
  score: number;
}
