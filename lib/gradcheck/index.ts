/**
 * `dl-workbook/gradcheck`: CS231n's relative error, numerical gradients by centered differences,
 * and a gradient-check report that displays as a table in the notebook.
 */
export { relError } from "./relError";
export { evalNumericalGradient, evalNumericalGradientArray } from "./numericalGradient";
export { gradCheck, GradCheckReport, GradCheckRow, GradCheckSpec } from "./gradCheck";
export { loadCs231nFixtures, cs231nFixturesCandidates, Cs231nFixtures } from "./cs231nFixtures";
