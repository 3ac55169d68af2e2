/**
 * Problems found in an instructor's source notebook, each naming the cell (index and grade_id)
 * and, where it helps, the line inside the cell, so the instructor can go straight to it.
 */
import type { ICell } from "@jupyterlab/nbformat";
import { nbgraderMetadata } from "./format";

/** Where in the source notebook a problem is: cell index (0-based, as nbformat counts) and line. */
export interface SourceLocation {
  cellIndex: number;
  gradeId?: string;
  /** 1-based line inside the cell. */
  line?: number;
}

/** One problem with a source notebook. */
export interface SourceProblem extends SourceLocation {
  message: string;
}

/** "cell 7 (grade_id "test_adamStep"), line 3" */
export function describeLocation(location: SourceLocation): string {
  const id = location.gradeId !== undefined ? ` (grade_id "${location.gradeId}")` : "";
  const line = location.line !== undefined ? `, line ${location.line}` : "";
  return `cell ${location.cellIndex}${id}${line}`;
}

/** The location of a whole cell. */
export function cellLocation(cell: ICell, cellIndex: number, line?: number): SourceLocation {
  return { cellIndex, gradeId: nbgraderMetadata(cell)?.grade_id, line };
}

/**
 * Thrown by `generate` when the source notebook cannot be turned into a student notebook.
 * The message lists every problem, one per line, each with its file and cell.
 */
export class AssignmentSourceError extends Error {
  constructor(
    readonly file: string,
    readonly problems: SourceProblem[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? "" : "s"} in the source notebook:\n` + problems.map((p) => `  ${describeLocation(p)}: ${p.message}`).join("\n"));
    this.name = "AssignmentSourceError";
  }
}
