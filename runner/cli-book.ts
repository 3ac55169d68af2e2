/**
 * `workbook book [--out DIR] [--notebooks DIR]`: runs the lecture notebooks and renders them as a
 * static HTML site (`npm start`). Unchanged notebooks are not run again.
 */
import * as path from "path";
import { pathToFileURL } from "url";
import { buildBook } from "./book/build";
import { TerminalProgress } from "./progress";
import { optionValue, timeoutCellSeconds } from "./args";

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

/** Parses `workbook book` arguments; throws an Error naming the bad one. */
export function parseBookArgs(args: string[]): BookArgs {
  const parsed: BookArgs = { out: "book-out", notebooks: "notebooks", timeoutCellS: 600, force: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => optionValue("book", arg, args[++i]);
    if (arg === "--out") parsed.out = value();
    else if (arg === "--notebooks") parsed.notebooks = value();
    else if (arg === "--force") parsed.force = true;
    else if (arg === "--timeout-cell") parsed.timeoutCellS = timeoutCellSeconds("book", value());
    else throw new Error(`workbook book: unknown argument "${arg}". Run "workbook book --help" for the options.`);
  }
  return parsed;
}

/** Runs `workbook book`; resolves with the exit status. */
export async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  let parsed: BookArgs;
  try {
    parsed = parseBookArgs(args);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  const progress = new TerminalProgress();
  const controller = new AbortController();
  let sigints = 0;
  const onSigint = () => {
    sigints++;
    if (sigints === 1) {
      progress.message("Interrupted: stopping the running cell and writing the pages of what finished (press Ctrl-C again to quit at once).");
      controller.abort();
    } else process.exit(130);
  };
  // SIGTERM (a CI job cancelled): leave at once; the exit hook of kernel/client kills the kernels
  const onSigterm = () => process.exit(143);
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
  try {
    const result = await buildBook({
      notebooksDir: parsed.notebooks,
      outDir: parsed.out,
      timeoutCellMs: parsed.timeoutCellS * 1000,
      force: parsed.force,
      progress,
      signal: controller.signal,
    });
    progress.close();
    const failed = result.entries.filter((e) => e.status === "failed" || (e.status === "not run" && e.failures.length > 0));
    console.log(`Book: ${result.entries.length} notebooks (${result.ran} run, ${result.cached} from the cache${failed.length ? `, ${failed.length} failed` : ""}).`);
    for (const entry of failed) for (const f of entry.failures) console.log(`  ${f}`);
    console.log(`Open ${pathToFileURL(path.resolve(result.indexFile)).href}`);
    if (result.interrupted) return 130;
    return failed.length > 0 ? 1 : 0;
  } catch (err) {
    progress.close();
    console.error((err as Error).message);
    return 1;
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
  }
}
