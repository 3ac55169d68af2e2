/**
 * `workbook run <notebooks...> [--out DIR] [--timeout-cell S] [--continue-on-error] [--cwd DIR]`:
 * executes notebooks through the kernel and writes the executed copies (nbformat 4.5, checked
 * against the schema). Ctrl-C interrupts the running cell and writes what finished.
 */
import * as fs from "fs";
import * as path from "path";
import { runNotebook, RunNotebookResult } from "./run-notebook";
import { writeNotebook } from "../notebook/notebook";
import { validateNotebook } from "./schema";
import { TerminalProgress } from "./progress";
import { EXIT, parseCommandLine, positiveNumber, runCommand, usageError } from "../cli/args";
import { onInterrupt } from "../cli/interrupt";

const USAGE = `Usage: workbook run <notebooks...> [options]

Executes each notebook top to bottom in a fresh dl-workbook kernel and writes the executed
copy (outputs filled in, valid nbformat 4.5) to the output folder under the same file name.
A folder argument means every .ipynb file in it.

Options:
  --out DIR             where to write executed notebooks (default: ./executed)
  --timeout-cell S      stop a cell that runs longer than S seconds (default: no limit)
  --continue-on-error   run the remaining cells after a failing cell (default: stop the notebook)
  --cwd DIR             the kernel's working directory (default: each notebook's folder)
  -h, --help            show this help

Exit status: 0 when every cell ran, 1 when a cell failed or a notebook could not be run,
2 for a usage error, 130 when interrupted (Ctrl-C; the finished cells are written).`;

/** The parsed command line of `workbook run`. */
export interface RunArgs {
  notebooks: string[];
  out: string;
  timeoutCellS?: number;
  continueOnError: boolean;
  cwd?: string;
}

/** The options of `workbook run`. */
const OPTIONS = { out: { type: "string" }, "timeout-cell": { type: "string" }, "continue-on-error": { type: "boolean" }, cwd: { type: "string" } } as const;

/** Parses `workbook run` arguments; throws a UsageError that names the bad one. */
export function parseRunArgs(args: string[]): RunArgs {
  const { values, positionals } = parseCommandLine("run", args, OPTIONS);
  if (positionals.length === 0) throw usageError("run", 'name at least one notebook, e.g. "workbook run notebooks/01-adam.ipynb".');
  const parsed: RunArgs = { notebooks: positionals, out: values.out ?? "executed", continueOnError: values["continue-on-error"] === true };
  if (values["timeout-cell"] !== undefined) parsed.timeoutCellS = positiveNumber("run", "--timeout-cell", values["timeout-cell"]);
  if (values.cwd !== undefined) parsed.cwd = values.cwd;
  return parsed;
}

/** Expands folders into their .ipynb files (sorted) and checks that every file exists. */
export function expandNotebooks(paths: string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!fs.existsSync(p)) throw usageError("run", `no such notebook or folder: ${p}`);
    if (fs.statSync(p).isDirectory()) {
      const inside = fs
        .readdirSync(p)
        .filter((f) => f.endsWith(".ipynb"))
        .sort();
      if (inside.length === 0) throw usageError("run", `the folder ${p} has no .ipynb files.`);
      files.push(...inside.map((f) => path.join(p, f)));
    } else files.push(p);
  }
  const seen = new Map<string, string>();
  for (const file of files) {
    const name = path.basename(file);
    const other = seen.get(name);
    if (other !== undefined) throw usageError("run", `${other} and ${file} would both be written as ${name} in the output folder; run them with different --out folders.`);
    seen.set(name, file);
  }
  return files;
}

/** Runs `workbook run`; resolves with the exit status. */
export function main(args: string[]): Promise<number> {
  return runCommand(USAGE, args, () => {
    const parsed = parseRunArgs(args);
    return runAll(parsed, expandNotebooks(parsed.notebooks));
  });
}

/** Runs each notebook in turn and writes its executed copy; Ctrl-C stops the running cell. */
async function runAll(parsed: RunArgs, files: string[]): Promise<number> {
  fs.mkdirSync(parsed.out, { recursive: true });
  const progress = new TerminalProgress();
  const interrupt = onInterrupt(() => progress.message("Interrupted: stopping the running cell and writing what finished (press Ctrl-C again to quit at once)."));
  const { signal } = interrupt;
  let failed = 0;
  try {
    for (let i = 0; i < files.length; i++) {
      if (signal.aborted) break;
      const file = files[i];
      let result: RunNotebookResult;
      try {
        result = await runNotebook(file, {
          cwd: parsed.cwd,
          timeoutCellMs: parsed.timeoutCellS !== undefined ? parsed.timeoutCellS * 1000 : undefined,
          continueOnError: parsed.continueOnError,
          progress,
          batch: { index: i, total: files.length },
          signal,
        });
      } catch (err) {
        progress.message(`${file}: could not be run: ${(err as Error).message}`);
        failed++;
        continue;
      }
      const target = path.join(parsed.out, path.basename(file));
      const problems = validateNotebook(result.notebook);
      if (problems.length > 0) {
        progress.message(
          `${file}: the executed notebook does not match the nbformat 4.5 schema:\n` +
            problems
              .slice(0, 5)
              .map((p) => `  ${p.path}: ${p.message}`)
              .join("\n"),
        );
        failed++;
      }
      writeNotebook(target, result.notebook);
      if (result.failures.length > 0) failed++;
      progress.message(`wrote ${target}${result.interrupted ? " (partial: interrupted)" : ""}`);
    }
  } finally {
    interrupt.release();
    progress.close();
  }
  if (signal.aborted) return EXIT.interrupted;
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
