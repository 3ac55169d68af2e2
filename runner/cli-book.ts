/**
 * `workbook book [--out DIR] [--notebooks DIR]`: runs the lecture notebooks and renders them as a
 * static HTML site (`npm start`). Unchanged notebooks are not run again.
 */
import * as path from "path";
import { pathToFileURL } from "url";
import { buildBook } from "./book/build";
import { TerminalProgress } from "./progress";
import { EXIT, parseCommandLine, positiveNumber, runCommand } from "../cli/args";
import { onInterrupt } from "../cli/interrupt";

const USAGE = `Usage: workbook book [options]

Runs every lecture notebook (in file-name order) in a fresh dl-workbook kernel and renders the
course book as a static HTML site that works offline: an index, one page per notebook with
Markdown, LaTeX, highlighted code and every output (Plotly figures included). A notebook whose
cells and library did not change since its last clean run is not run again.

Options:
  --out DIR            where to write the site (default: ./book-out)
  --notebooks DIR      the lecture notebooks (default: ./notebooks)
  --timeout-cell S     stop a cell that runs longer than S seconds (default: 600)
  --force              run every notebook, ignoring the cache
  -h, --help           show this help

Exit status: 0 when every notebook ran cleanly, 1 when one failed, 2 for a usage error,
130 when interrupted (Ctrl-C; the finished pages are written).`;

/** The parsed command line of `workbook book`. */
export interface BookArgs {
  out: string;
  notebooks: string;
  timeoutCellS: number;
  force: boolean;
}

/** The options of `workbook book`. */
const OPTIONS = { out: { type: "string" }, notebooks: { type: "string" }, "timeout-cell": { type: "string" }, force: { type: "boolean" } } as const;

/** Parses `workbook book` arguments; throws a UsageError that names the bad one. */
export function parseBookArgs(args: string[]): BookArgs {
  const { values } = parseCommandLine("book", args, OPTIONS, 0);
  return {
    out: values.out ?? "book-out",
    notebooks: values.notebooks ?? "notebooks",
    timeoutCellS: values["timeout-cell"] === undefined ? 600 : positiveNumber("book", "--timeout-cell", values["timeout-cell"]),
    force: values.force === true,
  };
}

/** Runs `workbook book`; resolves with the exit status. */
export function main(args: string[]): Promise<number> {
  return runCommand(USAGE, args, () => buildWithProgress(parseBookArgs(args)));
}

/** Builds the book with a progress line; Ctrl-C stops the running cell and writes what finished. */
async function buildWithProgress(parsed: BookArgs): Promise<number> {
  const progress = new TerminalProgress();
  const interrupt = onInterrupt(() => progress.message("Interrupted: stopping the running cell and writing the pages of what finished (press Ctrl-C again to quit at once)."));
  try {
    const result = await buildBook({
      notebooksDir: parsed.notebooks,
      outDir: parsed.out,
      timeoutCellMs: parsed.timeoutCellS * 1000,
      force: parsed.force,
      progress,
      signal: interrupt.signal,
    });
    progress.close();
    const failed = result.entries.filter((e) => e.status === "failed" || (e.status === "not run" && e.failures.length > 0));
    console.log(`Book: ${result.entries.length} notebooks (${result.ran} run, ${result.cached} from the cache${failed.length ? `, ${failed.length} failed` : ""}).`);
    for (const entry of failed) for (const f of entry.failures) console.log(`  ${f}`);
    console.log(`Open ${pathToFileURL(path.resolve(result.indexFile)).href}`);
    if (result.interrupted) return EXIT.interrupted;
    return failed.length > 0 ? EXIT.failed : EXIT.ok;
  } catch (err) {
    progress.close();
    console.error((err as Error).message);
    return EXIT.failed;
  } finally {
    interrupt.release();
  }
}
