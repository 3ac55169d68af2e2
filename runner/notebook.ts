/** Reading and writing .ipynb files (nbformat 4.5) for the runner and the book. */
import * as fs from "fs";
import { randomBytes } from "crypto";
import type { ICell, ICodeCell, INotebookContent, MultilineString } from "@jupyterlab/nbformat";

/** A cell's source as one string (nbformat allows a string or a list of lines). */
export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** Splits text into nbformat's list-of-lines form, each line but the last keeping its "\n". */
export function toLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

/** True for a code cell. */
export function isCodeCell(cell: ICell): cell is ICodeCell {
  return cell.cell_type === "code";
}

/** The cell's tags (metadata.tags), e.g. "raises-exception" or "skip-execution". */
export function cellTags(cell: ICell): string[] {
  const tags = (cell.metadata as { tags?: unknown }).tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

/**
 * Reads a notebook and brings it to nbformat 4.5: every cell gets an `id` (required since 4.5),
 * code cells get `outputs` and `execution_count`. Errors name the file and what is wrong.
 *
 * @example
 * const nb = readNotebook("notebooks/01-adam.ipynb");
 * nb.cells.filter(isCodeCell).length;
 */
export function readNotebook(file: string): INotebookContent {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`Cannot read the notebook ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`The notebook ${file} is not valid JSON (${(err as Error).message}); open it in Jupyter or fix the file by hand.`);
  }
  const nb = parsed as Partial<INotebookContent>;
  if (typeof nb !== "object" || nb === null || !Array.isArray(nb.cells)) {
    throw new Error(`The notebook ${file} has no "cells" list; is it a Jupyter notebook?`);
  }
  if (nb.nbformat !== 4) {
    throw new Error(`The notebook ${file} is nbformat ${String(nb.nbformat)}; only nbformat 4 is supported (convert it with "jupyter nbconvert --to notebook").`);
  }
  const notebook = nb as INotebookContent;
  notebook.metadata = notebook.metadata ?? {};
  if ((notebook.nbformat_minor ?? 0) < 5) notebook.nbformat_minor = 5;
  const used = new Set<string>();
  for (const cell of notebook.cells) {
    if (typeof cell.id !== "string" || cell.id === "" || used.has(cell.id)) cell.id = newCellId(used);
    used.add(cell.id);
    cell.metadata = cell.metadata ?? {};
    if (isCodeCell(cell)) {
      cell.outputs = cell.outputs ?? [];
      cell.execution_count = cell.execution_count ?? null;
    }
  }
  return notebook;
}

/** A fresh 8-hex-digit cell id not in `used` (the form Jupyter writes). */
function newCellId(used: Set<string>): string {
  for (;;) {
    const id = randomBytes(4).toString("hex");
    if (!used.has(id)) return id;
  }
}

/** Writes a notebook the way Jupyter does: JSON with one-space indent and a final newline. */
export function writeNotebook(file: string, notebook: INotebookContent): void {
  fs.writeFileSync(file, JSON.stringify(notebook, null, 1) + "\n");
}
