/**
 * The assignment format: what an instructor's source notebook carries, and the grading spec that
 * `workbook assign generate` writes beside the student notebook.
 *
 * Layout of one assignment (topic N):
 * ```
 * assignments/01-adam/01-adam.source.ipynb    instructor source: solutions and hidden tests marked
 * assignments/01-adam/01-adam.ipynb           student notebook (generated; hand this out)
 * assignments/01-adam/01-adam.grading.json    grading spec (generated; never hand this out)
 * ```
 *
 * Cell metadata follows nbgrader's schema v3, so nbgrader's own tools read our notebooks:
 * - solution cell (students write code here): `{ solution: true, grade: false, locked: false }`
 * - autograded test cell (public tests, hidden tests): `{ grade: true, solution: false, locked: true, points }`
 * - manually graded answer (markdown or code): `{ solution: true, grade: true, locked: false, points }`
 * - read-only cell (instructions, helpers): `{ locked: true, grade: false, solution: false }`
 * - manually graded task: `{ task: true, grade: false, solution: false, locked: true, points }`
 *
 * Markers inside cell sources (each on a line of its own):
 * - `// BEGIN SOLUTION` ... `// END SOLUTION` in a solution cell: replaced in the student copy by
 *   `throw new Error("Not implemented: <name>")`, where <name> is the enclosing function's name.
 *   In markdown cells: `BEGIN SOLUTION` ... `END SOLUTION` lines (any comment style), replaced by
 *   `YOUR ANSWER HERE`.
 * - `// BEGIN HIDDEN TESTS` ... `// END HIDDEN TESTS` in a test cell: removed from the student copy.
 *   Each hidden test case inside is written as a call of the notebook's helper
 *   `hiddenTest(name, () => <call expression>, <comparison literal>, <weight>?)`; `generate` reads
 *   these calls statically (the comparison must be a literal) and records them in the spec.
 */
import type { ICell, INotebookContent } from "@jupyterlab/nbformat";

/** The nbgrader schema version we write and accept. */
export const NBGRADER_SCHEMA_VERSION = 3;

/** The version of {@link GradingSpec} written by this code. */
export const GRADING_SPEC_VERSION = 1;

/** Marker lines. Matching ignores leading whitespace and the comment leader (`//`, `#`, `<!--`). */
export const MARKERS = {
  beginSolution: "BEGIN SOLUTION",
  endSolution: "END SOLUTION",
  beginHiddenTests: "BEGIN HIDDEN TESTS",
  endHiddenTests: "END HIDDEN TESTS",
} as const;

/** What a markdown solution region becomes in the student copy (nbgrader's wording). */
export const MARKDOWN_ANSWER_PLACEHOLDER = "YOUR ANSWER HERE";

/**
 * nbgrader's cell metadata, schema v3 (`cell.metadata.nbgrader`).
 *
 * @example
 * const meta: NbgraderCellMetadata = {
 *   grade: true, grade_id: "test-adam_step", locked: true, points: 3,
 *   schema_version: 3, solution: false, task: false,
 * };
 */
export type NbgraderCellMetadata = {
  /** True for cells that earn points (autograded test cells, manually graded answers). */
  grade: boolean;
  /** Unique id of the cell within the notebook; nbgrader requires one on every nbgrader cell. */
  grade_id: string;
  /** True when students may not edit the cell (nbgrader restores it from the source when grading). */
  locked: boolean;
  /** Points the cell is worth; required when `grade` or `task` is true. */
  points?: number;
  /** Always 3. */
  schema_version: typeof NBGRADER_SCHEMA_VERSION;
  /** True for cells where students write their answer. */
  solution: boolean;
  /** True for manually graded tasks spanning several cells. */
  task?: boolean;
  /** nbgrader's md5 checksum of the cell as released (see grader/assign/checksum.ts). */
  checksum?: string;
};

/** The metadata of a cell that may carry nbgrader's fields. */
export interface CellMetadataWithNbgrader {
  nbgrader?: NbgraderCellMetadata;
  [key: string]: unknown;
}

/**
 * How a hidden test's result (computed in the student's kernel) is compared with the expected
 * value (computed from the instructor's solution). Values are plain JSON data: numbers, nested
 * arrays of numbers, objects of those, strings, booleans.
 *
 * - `relative-error`: CS231n's relative error, `max_i |x_i - y_i| / max(1e-8, |x_i| + |y_i|)`, over
 *   every numeric leaf; shapes (array lengths, object keys) must match. Full credit when the error
 *   is at most `threshold`; with `bands`, the credit of the first band whose `maxRelativeError` the
 *   error does not exceed (bands in increasing order; none matched: 0).
 * - `gradient-check`: the call returns `{ analytic, numeric }` (a backward pass and a numeric
 *   gradient of the forward pass at the same inputs, e.g. from dl-workbook/gradcheck), as in the
 *   notebook's public tests. At generation the solution's two must agree within the first band, and
 *   the solution's `numeric` becomes `expected`; grading compares the student's `analytic` with it
 *   by relative error, with bands. The student's own `numeric` is never trusted: it is computed in
 *   the student's kernel, where a patched forward pass or gradient helper could make it anything.
 * - `exact`: deep equality of JSON values (numbers compared with ===).
 */
export type Comparison = { kind: "relative-error"; threshold: number; bands?: CreditBand[] } | { kind: "gradient-check"; bands: CreditBand[] } | { kind: "exact" };

/** A step of partial credit: error at most `maxRelativeError` earns `credit` (0..1) of the case. */
export interface CreditBand {
  maxRelativeError: number;
  credit: number;
}

/** A JSON value, as results travel between kernel and grader. */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * One hidden test case: a call of the student's function with test inputs.
 *
 * @example
 * const c: HiddenTestCase = {
 *   name: "step 5 from non-zero moments",
 *   call: "adamStep([1, -2], [0.1, 0.3], { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, m: [0.01, 0.02], v: [1e-4, 2e-4], t: 4 }).nextW",
 *   compare: { kind: "relative-error", threshold: 1e-7 },
 *   weight: 1,
 *   expected: [0.99, -2.01],
 * };
 */
export interface HiddenTestCase {
  /** Shown to the student in feedback (never the call or the expected value). */
  name: string;
  /**
   * A TypeScript expression evaluated in the student's kernel after all the student's cells ran.
   * It uses only names the student notebook defines (the graded functions, imports, helpers) and
   * literal inputs, and it evaluates (after `await`) to plain JSON data.
   */
  call: string;
  compare: Comparison;
  /** Relative weight of this case within its graded function (default 1). */
  weight: number;
  /**
   * The instructor solution's result for `call`, recorded by `generate` from running the source
   * notebook; for `gradient-check` cases, the solution's numeric gradient.
   */
  expected?: JsonValue;
}

/**
 * One graded function: an autograded test cell and the hidden cases it owns.
 * Score = points * (publicTestsWeight * [test cell ran without error] * hidden + sum_i weight_i * credit_i)
 *                / (publicTestsWeight + sum_i weight_i), with hidden = sum_i weight_i * credit_i / sum_i weight_i
 * (see scoreSubmission: the public share counts only as far as the hidden cases confirm it).
 */
export interface GradedFunction {
  /** grade_id of the autograded test cell. */
  gradeId: string;
  /** The student-facing name, e.g. "adam": the test cell's grade_id without its `test_` prefix (`test_adam`). */
  name: string;
  /** Points of the test cell (nbgrader `points`). */
  points: number;
  /** Index of the test cell in the student notebook. */
  cellIndex: number;
  /** Weight of "the public tests in the test cell ran without error" (default 1). */
  publicTestsWeight: number;
  hiddenCases: HiddenTestCase[];
}

/** A manually graded answer or task: scored by a person, listed so totals add up. */
export interface ManuallyGradedCell {
  gradeId: string;
  points: number;
  cellIndex: number;
  kind: "answer" | "task";
}

/**
 * The grading spec written by `workbook assign generate` as `<stem>.grading.json`.
 * Paths are relative to the spec file's folder.
 */
export interface GradingSpec {
  specVersion: typeof GRADING_SPEC_VERSION;
  /** Assignment name: the source notebook's stem without `.source`, e.g. "01-adam". */
  assignment: string;
  /** The instructor source notebook (solutions and hidden tests), relative to this file. */
  sourceNotebook: string;
  /** The student notebook, relative to this file. */
  studentNotebook: string;
  /** Sum of all points (autograded and manual). */
  totalPoints: number;
  autograded: GradedFunction[];
  manual: ManuallyGradedCell[];
  /**
   * grade_id -> nbgrader checksum of every nbgrader cell in the student notebook, so a grader can
   * tell a locked cell the student changed (restore it) and a solution cell left untouched.
   */
  checksums: Record<string, string>;
  /** sha256 of the source notebook file, so a stale spec is detected. */
  sourceSha256: string;
}

/** A notebook read from disk, typed by nbformat. */
export type Notebook = INotebookContent;

/** A cell of a notebook. */
export type Cell = ICell;

/** The source of a cell as one string (nbformat allows a list of lines). */
export { cellSource } from "../../notebook/notebook";

/** The nbgrader metadata of a cell, or undefined for an ordinary cell. */
export function nbgraderMetadata(cell: ICell): NbgraderCellMetadata | undefined {
  return (cell.metadata as CellMetadataWithNbgrader).nbgrader;
}

/** The default weight of the public tests of a graded function. */
export const DEFAULT_PUBLIC_TESTS_WEIGHT = 1;
