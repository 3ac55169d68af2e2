/**
 * Builds the course book: runs each lecture notebook (unless its cached run is still good),
 * keeps the executed copies, and renders the static site.
 */
import * as fs from "fs";
import * as path from "path";
import type { INotebookContent } from "@jupyterlab/nbformat";
import { KernelDiedError, StartKernelOptions } from "../../kernel/client";
import { readNotebook, upgradeNotebook, writeNotebook } from "../../notebook/notebook";
import { runNotebook } from "../run-notebook";
import type { RunProgress } from "../progress";
import { copyAssets } from "./assets";
import { libraryFingerprint, notebookHash, readCache, withCachedOutputs, workloadKey, writeCache } from "./cache";
import { BookEntry, notebookTitle, renderIndexPage, renderNotebookPage } from "./page";

/** A notebook's cells other than code (Markdown with its attachments, raw), to tell whether they changed. */
function prose(notebook: INotebookContent): string {
  return JSON.stringify(notebook.cells.filter((cell) => cell.cell_type !== "code"));
}

/** Options of {@link buildBook}. */
export interface BuildBookOptions {
  /** Folder of the lecture notebooks (*.ipynb, in file-name order). */
  notebooksDir: string;
  /** Where the site goes (index.html, one page per notebook, assets/, notebooks/ with the executed copies). */
  outDir: string;
  /** Per-cell time limit in milliseconds. */
  timeoutCellMs?: number;
  /** Run every notebook even when its cache is valid. */
  force?: boolean;
  progress?: RunProgress;
  /** Aborting stops the running notebook; the pages of everything finished are still written. */
  signal?: AbortSignal;
  kernel?: StartKernelOptions;
  title?: string;
}

/** What {@link buildBook} did. */
export interface BuildBookResult {
  entries: BookEntry[];
  indexFile: string;
  ran: number;
  cached: number;
  failed: number;
  interrupted: boolean;
}

const DEFAULT_TITLE = "Deep Learning Workbook";

const INTRO = `The lecture notebooks, run top to bottom by \`workbook book\`. Each page shows the code and what it printed and drew; the executed notebooks are in [notebooks/](notebooks/).`;

/**
 * Runs and renders the book. Returns the entries with their status; never throws for a failing
 * notebook (its page shows the failure and the index marks it).
 *
 * @example
 * const result = await buildBook({ notebooksDir: "notebooks", outDir: "book-out" });
 * console.log(`open ${result.indexFile}`);
 */
export async function buildBook(options: BuildBookOptions): Promise<BuildBookResult> {
  if (!fs.existsSync(options.notebooksDir) || !fs.statSync(options.notebooksDir).isDirectory()) {
    throw new Error(`workbook book: the notebooks folder ${options.notebooksDir} does not exist; pass --notebooks DIR.`);
  }
  const sources = fs
    .readdirSync(options.notebooksDir)
    .filter((f) => f.endsWith(".ipynb"))
    .sort();
  if (sources.length === 0) throw new Error(`workbook book: the folder ${options.notebooksDir} has no .ipynb notebooks.`);
  const executedDir = path.join(options.outDir, "notebooks");
  fs.mkdirSync(executedDir, { recursive: true });
  copyAssets(options.outDir);

  const cache = readCache(options.outDir);
  // the library and the workload the kernel will pick (CI's or the student's)
  const library = `${libraryFingerprint()}\u0000${workloadKey(options.kernel?.env ?? process.env)}`;
  const entries: BookEntry[] = [];
  let ran = 0;
  let cached = 0;
  let failed = 0;
  /** The notebook at which the kernel failed to start; later notebooks are not tried. */
  let kernelBroken: string | undefined;
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i];
    const sourcePath = path.join(options.notebooksDir, source);
    const executedPath = path.join(executedDir, source);
    const page = source.replace(/\.ipynb$/, ".html");
    const original = upgradeNotebook(readNotebook(sourcePath));
    const hash = notebookHash(original, library);
    const record = cache.notebooks[source];
    let notebook: INotebookContent;
    let status: BookEntry["status"];
    let failures: string[] = [];
    if (!options.force && record?.hash === hash && fs.existsSync(executedPath)) {
      // the code is unchanged; Markdown edits since that run show without running it again
      const ran = upgradeNotebook(readNotebook(executedPath));
      notebook = withCachedOutputs(original, ran);
      if (prose(notebook) !== prose(ran)) writeNotebook(executedPath, notebook);
      status = "cached";
      cached++;
      options.progress?.message(`[${i + 1}/${sources.length}] ${source}: unchanged since ${record.ranAt}, using the cached run`);
    } else if (options.signal?.aborted || kernelBroken !== undefined) {
      notebook = original;
      status = "not run";
      if (kernelBroken !== undefined) failures = [`${sourcePath}: not run, because the kernel could not start (see ${kernelBroken}).`];
    } else {
      let result: Awaited<ReturnType<typeof runNotebook>>;
      try {
        result = await runNotebook(sourcePath, {
          cwd: options.notebooksDir,
          timeoutCellMs: options.timeoutCellMs,
          progress: options.progress,
          batch: { index: i, total: sources.length },
          signal: options.signal,
          kernel: options.kernel,
        });
      } catch (err) {
        // the kernel could not start, or the notebook could not be read: show it, go on with the next
        const message = `${sourcePath}: could not be run: ${(err as Error).message}`;
        options.progress?.message(message);
        if (err instanceof KernelDiedError || /did not become ready/.test((err as Error).message)) kernelBroken = source;
        failed++;
        delete cache.notebooks[source];
        entries.push({ source, page, title: notebookTitle(original, source.replace(/\.ipynb$/, "")), notebook: original, status: "failed", failures: [message] });
        continue;
      }
      ran++;
      notebook = result.notebook;
      failures = result.failures.map((f) => f.message);
      status = result.interrupted ? "interrupted" : failures.length > 0 ? "failed" : "ok";
      writeNotebook(executedPath, notebook);
      if (status === "ok") {
        cache.notebooks[source] = { hash, ranAt: new Date().toISOString() };
      } else {
        delete cache.notebooks[source];
        if (status === "failed") failed++;
      }
      writeCache(options.outDir, cache);
    }
    entries.push({ source, page, title: notebookTitle(notebook, source.replace(/\.ipynb$/, "")), notebook, status, failures });
  }

  const title = options.title ?? DEFAULT_TITLE;
  entries.forEach((entry, i) => {
    fs.writeFileSync(path.join(options.outDir, entry.page), renderNotebookPage(entry, title, entries[i - 1], entries[i + 1]));
  });
  const indexFile = path.join(options.outDir, "index.html");
  fs.writeFileSync(indexFile, renderIndexPage(entries, title, INTRO));
  return { entries, indexFile, ran, cached, failed, interrupted: options.signal?.aborted ?? false };
}
