/**
 * Submissions of the Adam assignment (assignments/01-adam) built from its instructor source, as
 * the grading tests and `npm run bench:grade` need them: the released notebook with chosen cells
 * replaced (and a cell appended).
 * Example: `const a = adamAnswers(); fs.writeFileSync("ada.ipynb", JSON.stringify(adamSubmission({ adam: a.adam, adamLecture: a.adamLecture })));`
 */
import * as fs from "fs";
import * as path from "path";
import type { Notebook } from "../assign/format";
import { cellSource, nbgraderMetadata } from "../assign/format";

/** The Adam assignment's folder (spec, released notebook, instructor source). */
export const ADAM_ASSIGNMENT = path.join(__dirname, "..", "..", "..", "assignments", "01-adam");

function readNotebook(name: string): Notebook {
  return JSON.parse(fs.readFileSync(path.join(ADAM_ASSIGNMENT, name), "utf8")) as Notebook;
}

/** The instructor's solution of a cell: the source cell with its BEGIN/END SOLUTION marker lines dropped. */
export function solutionOf(source: Notebook, gradeId: string): string {
  const cell = source.cells.find((c) => nbgraderMetadata(c)?.grade_id === gradeId);
  if (!cell) throw new Error(`adam-class: the Adam source notebook has no cell "${gradeId}"`);
  return cellSource(cell)
    .split("\n")
    .filter((line) => !/(BEGIN|END) SOLUTION/.test(line))
    .join("\n");
}

/** The cells a submission may hold: the instructor's answers, the released stub of adamLecture, and a wrong adam. */
export interface AdamAnswers {
  /** Kingma & Ba's Adam, as the instructor wrote it (6 / 6 with adamLecture). */
  adam: string;
  /** The slide's Adam, as the instructor wrote it. */
  adamLecture: string;
  /** adamLecture as released (throws "Not implemented"). */
  stubLecture: string;
  /** Kingma & Ba's signature with the slide's body: no bias correction (0 points for adam). */
  wrongAdam: string;
}

/** The answers, read from the assignment's instructor source and released notebook. */
export function adamAnswers(): AdamAnswers {
  const source = readNotebook("01-adam.source.ipynb");
  const release = readNotebook("01-adam.ipynb");
  const lecture = solutionOf(source, "adamLecture");
  const stub = release.cells.find((c) => nbgraderMetadata(c)?.grade_id === "adamLecture");
  if (!stub) throw new Error('adam-class: the released Adam notebook has no cell "adamLecture"');
  return { adam: solutionOf(source, "adam"), adamLecture: lecture, stubLecture: cellSource(stub), wrongAdam: lecture.replace("function adamLecture(", "function adam(") };
}

/** The released notebook with the cells named by grade id replaced by `answers`, and `extra` appended as a code cell. */
export function adamSubmission(answers: Record<string, string>, extra?: string): Notebook {
  const nb = readNotebook("01-adam.ipynb");
  for (const cell of nb.cells) {
    const id = nbgraderMetadata(cell)?.grade_id;
    if (id && answers[id] !== undefined) cell.source = answers[id];
  }
  if (extra) nb.cells.push({ cell_type: "code", source: extra, metadata: {}, outputs: [], execution_count: null });
  return nb;
}
