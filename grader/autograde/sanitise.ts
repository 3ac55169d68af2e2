import type { ICell } from "@jupyterlab/nbformat";
import { cellSource } from "../../notebook/notebook";
import type { Notebook } from "../assign/format";
import { nbgraderMetadata } from "../assign/format";
import { isLocked } from "../assign/checksum";

/** The sanitised notebook and what had to be repaired (shown to the student in feedback). */
export interface Sanitised {
  notebook: Notebook;
  /** One line per repair, e.g. `locked cell "test-adam" was edited: restored`. */
  repairs: string[];
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Sanitises a submission against the released student notebook, as nbgrader's autograde does:
 * - locked cells (read-only and test cells) are restored from the release by grade_id, whatever
 *   the student did to their source or metadata;
 * - deleted nbgrader cells are put back after the cell that preceded them in the release;
 * - solution cells keep the student's source, with the release's metadata (edited points,
 *   flags or ids are ignored);
 * - cells claiming a grade_id the release does not have, or a duplicate one, lose the claim.
 * Outputs of the submission are dropped: everything is re-executed.
 *
 * The release is the student notebook from `workbook assign generate`, never the instructor source:
 * hidden tests and solutions are not in it and so never reach the student's kernel.
 */
export function sanitise(submission: Notebook, release: Notebook): Sanitised {
  const repairs: string[] = [];
  const released = new Map<string, { cell: ICell; index: number }>();
  release.cells.forEach((cell, index) => {
    const meta = nbgraderMetadata(cell);
    if (meta?.grade_id) released.set(meta.grade_id, { cell, index });
  });
  const seen = new Set<string>();
  const cells: ICell[] = [];
  for (const raw of submission.cells ?? []) {
    const cell = wellFormed(raw, repairs);
    if (!cell) continue;
    const meta = nbgraderMetadata(cell);
    const id = meta?.grade_id;
    const source = released.get(id ?? "");
    if (meta && (!id || !source || seen.has(id))) {
      repairs.push(`cell with grade_id "${id ?? "(none)"}" is not in the released assignment${id && seen.has(id) ? " (duplicate)" : ""}: kept as ordinary code, earns no points`);
      const plain = clone(cell);
      delete (plain.metadata as Record<string, unknown>).nbgrader;
      cells.push(plain);
      continue;
    }
    if (!id || !source) {
      cells.push(clone(cell));
      continue;
    }
    seen.add(id);
    if (isLocked(source.cell)) {
      const changed = JSON.stringify(cell.source) !== JSON.stringify(source.cell.source) && cellSource(cell) !== cellSource(source.cell);
      const metaChanged = JSON.stringify(meta) !== JSON.stringify(nbgraderMetadata(source.cell));
      if (changed || metaChanged || cell.cell_type !== source.cell.cell_type) repairs.push(`locked cell "${id}" was edited: restored from the assignment`);
      cells.push(clone(source.cell));
    } else {
      const kept = clone(source.cell);
      kept.source = clone(cell.source);
      if (JSON.stringify(meta) !== JSON.stringify(nbgraderMetadata(source.cell))) repairs.push(`metadata of cell "${id}" was edited: restored (points and flags come from the assignment)`);
      cells.push(kept);
    }
  }
  // Put back deleted cells, each after the nearest released cell before it that is present.
  release.cells.forEach((cell, index) => {
    const id = nbgraderMetadata(cell)?.grade_id;
    if (!id || seen.has(id)) return;
    let at = 0;
    for (let j = index - 1; j >= 0; j--) {
      const before = nbgraderMetadata(release.cells[j])?.grade_id;
      const pos = before ? cells.findIndex((c) => nbgraderMetadata(c)?.grade_id === before) : -1;
      if (pos >= 0) {
        at = pos + 1;
        break;
      }
    }
    cells.splice(at, 0, clone(cell));
    seen.add(id);
    repairs.push(`cell "${id}" was deleted: put back from the assignment`);
  });
  for (const cell of cells)
    if (cell.cell_type === "code") {
      (cell as { outputs: unknown[] }).outputs = [];
      (cell as { execution_count: number | null }).execution_count = null;
    }
  return { notebook: { ...clone(release), cells }, repairs };
}

/**
 * A submitted cell as nbformat says it must be, or null: a cell that is not an object is dropped,
 * a source that is not text becomes empty, an unknown cell type becomes a raw cell (never run).
 */
function wellFormed(raw: unknown, repairs: string[]): ICell | null {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    repairs.push("a cell that was not a notebook cell was dropped");
    return null;
  }
  const cell = raw as ICell & { metadata?: unknown };
  const source = cell.source;
  const okSource = typeof source === "string" || (Array.isArray(source) && source.every((line) => typeof line === "string"));
  const metadata = cell.metadata !== null && typeof cell.metadata === "object" && !Array.isArray(cell.metadata) ? cell.metadata : {};
  const type = cell.cell_type === "code" || cell.cell_type === "markdown" ? cell.cell_type : "raw";
  if (!okSource || type !== cell.cell_type) repairs.push("a malformed cell was repaired (its source or type was not valid nbformat)");
  const fixed = { ...cell, cell_type: type, source: okSource ? source : "", metadata } as ICell;
  return fixed;
}
