/**
 * Assignments: the nbgrader-compatible format, `workbook assign generate`, and the pieces the
 * grader reuses (checksums, running notebook cells and hidden-test calls in a kernel, comparisons).
 *
 * @example
 * import { readNotebook, generateAssignment, computeExpected, writeAssignment } from "./assign";
 * const nb = readNotebook("assignments/01-adam/01-adam.source.ipynb");
 * const generated = generateAssignment(nb, "assignments/01-adam/01-adam.source.ipynb", "assignments/01-adam");
 * await computeExpected(generated.spec, nb, "assignments/01-adam/01-adam.source.ipynb");
 * writeAssignment(generated, "assignments/01-adam"); // 01-adam.ipynb and 01-adam.grading.json
 */
export * from "./format";
export { computeChecksum, isGrade, isLocked, isSolution, pythonFloatString } from "./checksum";
export { assignmentName, checkSource, generateAssignment, gradedFunctionName, notebookJson, readNotebook, writeAssignment, GeneratedAssignment, TEST_GRADE_ID_PREFIX } from "./generate";
export { computeExpected, ComputeExpectedOptions } from "./expected";
export { bandCredit, compareResult, relativeError, CaseVerdict } from "./compare";
export { evaluateCall, runNotebookCells, CellRun, RunCellsOptions } from "./execute";
export { extractHiddenTests, asComparison, HIDDEN_TEST_FUNCTION, ExtractedCase } from "./hidden-tests";
export { findRegions, markerOnLine, MarkerRegion, MarkerProblem, RegionKind } from "./markers";
export { enclosingFunctionName } from "./enclosing-function";
export { AssignmentSourceError, describeLocation, SourceLocation, SourceProblem } from "./problems";
