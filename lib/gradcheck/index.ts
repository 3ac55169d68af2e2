/**
 * `dl-workbook/gradcheck`: CS231n's relative error, numerical gradients by centered differences,
 * and a gradient-check report that displays as a table in the notebook.
 */
export { relError } from "./rel-error";
export { evalNumericalGradient, evalNumericalGradientArray } from "./numerical-gradient";
export { gradCheck, GradCheckReport, GradCheckRow, GradCheckSpec } from "./grad-check";
export { loadCs231nFixtures, cs231nFixturesCandidates, Cs231nFixtures } from "./cs231n-fixtures";
