/**
 * From an instructor's source notebook to the student notebook and the grading spec:
 * solution regions become `throw new Error("Not implemented: <name>")`, hidden tests are removed
 * (and recorded in the spec as calls), outputs are cleared, and nbgrader checksums are set.
 * Sources with unbalanced markers, duplicate grade ids or graded cells without points are
 * refused with every problem named by cell.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { ICell, ICodeCell } from "@jupyterlab/nbformat";
import { computeChecksum, isGrade, isLocked, isSolution } from "./checksum";
import { enclosingFunctionName } from "./enclosing-function";
import {
  cellSource,
  DEFAULT_PUBLIC_TESTS_WEIGHT,
  GRADING_SPEC_VERSION,
  GradedFunction,
  GradingSpec,
  HiddenTestCase,
  ManuallyGradedCell,
  MARKDOWN_ANSWER_PLACEHOLDER,
  NBGRADER_SCHEMA_VERSION,
  nbgraderMetadata,
  Notebook,
} from "./format";
import { extractHiddenTests } from "./hidden-tests";
import { findRegions, MarkerRegion } from "./markers";
import { AssignmentSourceError, cellLocation, SourceProblem } from "./problems";
import { notebookJson, writeNotebook } from "../../notebook/notebook";

export { notebookJson, readNotebook } from "../../notebook/notebook";

/** What {@link generateAssignment} produces (in memory; {@link writeAssignment} writes it). */
export interface GeneratedAssignment {
  student: Notebook;
  /** The spec; hidden cases have no `expected` yet (see computeExpected in ./expected). */
  spec: GradingSpec;
}

/** Prefix of autograded test cells' grade ids: `test_adamStep` grades the function `adamStep`. */
export const TEST_GRADE_ID_PREFIX = "test_";

/** The assignment name of a source file: `01-adam.source.ipynb` -> `01-adam`. */
export function assignmentName(sourceFile: string): string {
  return path
    .basename(sourceFile)
    .replace(/\.ipynb$/, "")
    .replace(/\.source$/, "");
}

/** Every problem of a source notebook's nbgrader metadata and markers. */
export function checkSource(nb: Notebook): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const seen = new Map<string, number>();
  nb.cells.forEach((cell, index) => {
    const meta = nbgraderMetadata(cell);
    const source = cellSource(cell);
    const { regions, problems: markerProblems } = findRegions(source);
    for (const p of markerProblems) problems.push({ ...cellLocation(cell, index, p.line), message: p.message });
    const at = (message: string, line?: number): void => void problems.push({ ...cellLocation(cell, index, line), message });
    if (!meta) {
      if (regions.length > 0)
        at(
          `has ${regions[0].kind === "solution" ? "SOLUTION" : "HIDDEN TESTS"} markers but no nbgrader metadata; make it a solution cell (solution markers) or an autograded test cell (hidden tests).`,
          regions[0].beginLine + 1,
        );
      return;
    }
    if (typeof meta.grade_id !== "string" || meta.grade_id.trim() === "") {
      at("has nbgrader metadata without a grade_id; give every nbgrader cell a unique grade_id.");
    } else if (seen.has(meta.grade_id)) {
      at(`duplicate grade_id "${meta.grade_id}" (also cell ${seen.get(meta.grade_id)}); grade ids must be unique in the notebook.`);
    } else {
      seen.set(meta.grade_id, index);
    }
    if (meta.schema_version !== NBGRADER_SCHEMA_VERSION) at(`nbgrader schema_version is ${String(meta.schema_version)}; this tool reads schema_version ${String(NBGRADER_SCHEMA_VERSION)} only.`);
    if ((meta.grade === true || meta.task === true) && !(typeof meta.points === "number" && meta.points > 0)) {
      at(`is graded (${meta.task === true ? "task" : "grade"}: true) but has no points; set metadata.nbgrader.points to a positive number.`);
    }
    for (const region of regions) {
      if (region.kind === "solution" && meta.solution !== true) at("has SOLUTION markers but is not a solution cell (nbgrader solution: false); the solution would reach students.", region.beginLine + 1);
      if (region.kind === "hidden-tests" && !(meta.grade === true && meta.solution !== true && cell.cell_type === "code")) {
        at("has HIDDEN TESTS markers but is not an autograded test cell (code, grade: true, solution: false).", region.beginLine + 1);
      }
    }
    if (meta.solution === true && cell.cell_type === "code" && !regions.some((r) => r.kind === "solution")) {
      at("is a solution cell without a BEGIN SOLUTION ... END SOLUTION region, so the whole solution would reach students; mark the solution lines.");
    }
    if (isGrade(cell) && !isSolution(cell) && cell.cell_type === "code") {
      for (const region of regions.filter((r) => r.kind === "hidden-tests")) {
        const text = source
          .split("\n")
          .slice(region.beginLine + 1, region.endLine)
          .join("\n");
        for (const c of extractHiddenTests(text, region.beginLine + 2)) if (!c.ok) at(c.message, c.line);
      }
    }
  });
  return problems;
}

/** Replaces (or removes, with `replacement` undefined) the lines of each region, last first. */
function rewriteRegions(source: string, regions: MarkerRegion[], replacement: (region: MarkerRegion) => string | undefined): string {
  const lines = source.split("\n");
  for (const region of [...regions].sort((a, b) => b.beginLine - a.beginLine)) {
    const text = replacement(region);
    lines.splice(region.beginLine, region.endLine - region.beginLine + 1, ...(text === undefined ? [] : [text]));
  }
  return lines.join("\n");
}

/** The student version of one cell (a copy; the source cell is not changed). */
function studentCell(cell: ICell): ICell {
  const copy = JSON.parse(JSON.stringify(cell)) as ICell;
  const meta = nbgraderMetadata(copy);
  const source = cellSource(cell);
  const { regions } = findRegions(source);
  let student = source;
  if (meta && isSolution(cell)) {
    const solutions = regions.filter((r) => r.kind === "solution");
    if (cell.cell_type === "code") {
      student = rewriteRegions(student, solutions, (r) => {
        const name = enclosingFunctionName(source, r.beginLine) ?? meta.grade_id;
        return `${r.indent}throw new Error(${JSON.stringify(`Not implemented: ${name}`)});`;
      });
    } else {
      student = solutions.length > 0 ? rewriteRegions(student, solutions, (r) => `${r.indent}${MARKDOWN_ANSWER_PLACEHOLDER}`) : MARKDOWN_ANSWER_PLACEHOLDER;
    }
  }
  const hidden = findRegions(student).regions.filter((r) => r.kind === "hidden-tests");
  student = rewriteRegions(student, hidden, () => undefined).replace(/\n+$/, "");
  copy.source = student;
  if (copy.cell_type === "code") {
    const code = copy as ICodeCell;
    code.outputs = [];
    code.execution_count = null;
  }
  if (meta && (isGrade(copy) || isSolution(copy) || isLocked(copy))) {
    delete meta.checksum;
    meta.checksum = computeChecksum(copy);
  }
  return copy;
}

/** The function a test cell grades: its grade_id without the `test_` prefix. */
export function gradedFunctionName(gradeId: string): string {
  return gradeId.startsWith(TEST_GRADE_ID_PREFIX) ? gradeId.slice(TEST_GRADE_ID_PREFIX.length) : gradeId;
}

/**
 * Checks the source and builds the student notebook and the grading spec (without expected
 * values). `sourceFile` is used in messages and for the spec's paths and sha256.
 *
 * @throws {@link AssignmentSourceError} listing every problem, each with its cell.
 * @example
 * const { student, spec } = generateAssignment(readNotebook(file), file, "assignments/01-adam");
 */
export function generateAssignment(nb: Notebook, sourceFile: string, outDir: string): GeneratedAssignment {
  const problems = checkSource(nb);
  if (problems.length > 0) throw new AssignmentSourceError(sourceFile, problems);
  const name = assignmentName(sourceFile);
  const student: Notebook = { ...nb, cells: nb.cells.map(studentCell) };
  const autograded: GradedFunction[] = [];
  const manual: ManuallyGradedCell[] = [];
  const checksums: Record<string, string> = {};
  nb.cells.forEach((cell, cellIndex) => {
    const meta = nbgraderMetadata(cell);
    if (!meta) return;
    const studentMeta = nbgraderMetadata(student.cells[cellIndex]);
    if (studentMeta?.checksum) checksums[meta.grade_id] = studentMeta.checksum;
    const points = meta.points ?? 0;
    if (meta.grade === true && meta.solution !== true && cell.cell_type === "code") {
      const source = cellSource(cell);
      const hiddenCases: HiddenTestCase[] = [];
      for (const region of findRegions(source).regions.filter((r) => r.kind === "hidden-tests")) {
        const text = source
          .split("\n")
          .slice(region.beginLine + 1, region.endLine)
          .join("\n");
        for (const c of extractHiddenTests(text, region.beginLine + 2)) if (c.ok) hiddenCases.push(c.testCase);
      }
      autograded.push({ gradeId: meta.grade_id, name: gradedFunctionName(meta.grade_id), points, cellIndex, publicTestsWeight: DEFAULT_PUBLIC_TESTS_WEIGHT, hiddenCases });
    } else if (meta.grade === true || meta.task === true) {
      manual.push({ gradeId: meta.grade_id, points, cellIndex, kind: meta.task === true ? "task" : "answer" });
    }
  });
  const totalPoints = [...autograded, ...manual].reduce((sum, g) => sum + g.points, 0);
  const spec: GradingSpec = {
    specVersion: GRADING_SPEC_VERSION,
    assignment: name,
    sourceNotebook: path.relative(outDir, sourceFile) || path.basename(sourceFile),
    studentNotebook: `${name}.ipynb`,
    totalPoints,
    autograded,
    manual,
    checksums,
    sourceSha256: createHash("sha256")
      .update(fs.existsSync(sourceFile) ? fs.readFileSync(sourceFile) : Buffer.from(notebookJson(nb)))
      .digest("hex"),
  };
  return { student, spec };
}

/** Writes `<out>/<name>.ipynb` and `<out>/<name>.grading.json`; returns their paths. */
export function writeAssignment(generated: GeneratedAssignment, outDir: string): { studentFile: string; specFile: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const studentFile = path.join(outDir, generated.spec.studentNotebook);
  const specFile = path.join(outDir, `${generated.spec.assignment}.grading.json`);
  writeNotebook(studentFile, generated.student);
  fs.writeFileSync(specFile, `${JSON.stringify(generated.spec, null, 2)}\n`);
  return { studentFile, specFile };
}
