/**
 * Reading and writing .ipynb files (nbformat 4), the one place the runner, the grader and the
 * projects check do it: a notebook is parsed and checked once here, so every command reports a
 * broken file the same way (the file, what is wrong, what to do).
 */
import * as fs from "fs";
import { randomBytes } from "crypto";
import type { ICell, ICodeCell, INotebookContent, MultilineString } from "@jupyterlab/nbformat";

/** A cell's source as one string (nbformat allows a string or a list of lines). */
export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join("") : source;
}

/** The source of a cell as one string: `sourceText(cell.source)`. */
export function cellSource(cell: { source: MultilineString }): string {
  return sourceText(cell.source);
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
 * Parses the text of a notebook and checks that it is one: JSON, an object with nbformat 4 and a
 * "cells" list. `file` names it in the errors (a path, or e.g. a submission's name). The notebook
 * is returned as it is; {@link upgradeNotebook} brings it to nbformat 4.5.
 *
 * @example
 * const nb = parseNotebook(fs.readFileSync("alice.ipynb", "utf8"), "alice.ipynb");
 * nb.cells.length;
 */
export function parseNotebook(text: string, file: string): INotebookContent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`The notebook ${file} is not valid JSON (${(err as Error).message}); open it in Jupyter and save it again, or fix the file by hand.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`The notebook ${file} is not a JSON object; is it a Jupyter notebook (.ipynb)?`);
  }
  const nb = parsed as Partial<INotebookContent>;
  if (nb.nbformat !== 4) {
    throw new Error(`The notebook ${file} is nbformat ${String(nb.nbformat)}; only nbformat 4 is supported (convert it with "jupyter nbconvert --to notebook").`);
  }
  if (!Array.isArray(nb.cells)) throw new Error(`The notebook ${file} has no "cells" list; save it again from Jupyter.`);
  return nb as INotebookContent;
}

/**
 * Reads a notebook file and checks it as {@link parseNotebook} does; errors name the file and say
 * what to do.
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
    throw new Error(`Cannot read the notebook ${file}: ${(err as Error).message}; check the path.`);
  }
  return parseNotebook(text, file);
}

/**
 * Brings a notebook to nbformat 4.5 in place: every cell gets a unique `id` (required since 4.5)
 * and `metadata`, code cells get `outputs` and `execution_count`.
 *
 * @example
 * const nb = upgradeNotebook(readNotebook("notebooks/01-adam.ipynb"));
 * nb.cells.every((cell) => typeof cell.id === "string"); // true
 */
export function upgradeNotebook(notebook: INotebookContent): INotebookContent {
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

/** A notebook's text the way Jupyter writes it: JSON with one-space indent and a final newline. */
export function notebookJson(notebook: INotebookContent): string {
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

/** Writes a notebook the way Jupyter does ({@link notebookJson}). */
export function writeNotebook(file: string, notebook: INotebookContent): void {
  fs.writeFileSync(file, notebookJson(notebook));
}
