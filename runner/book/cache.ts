/**
 * The book's cache: a notebook whose code and library did not change since its last clean run
 * is not run again. The key is sha256(code cells' sources, package version, compiled library,
 * the workload's environment); only a run in which every cell passed (every claim held) is kept;
 * Markdown does not change what runs, so an edited explanation re-renders the page from the
 * cached outputs without running the notebook again.
 */
import * as fs from "fs";
import * as path from "path";
import { createHash } from "crypto";
import type { ICell, ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import { sourceText } from "../../notebook/notebook";

/** The package root (dist/runner/book/../../..). */
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");

/** What the cache file remembers about one notebook. */
export interface CacheRecord {
  hash: string;
  /** ISO time of the run that produced the cached executed notebook. */
  ranAt: string;
}

/** The cache file: `<out>/.book-cache.json`. */
export interface CacheFile {
  version: 1;
  notebooks: Record<string, CacheRecord>;
}

let libraryFingerprintMemo: string | undefined;

/**
 * The library as notebooks see it: the package version plus a hash of every compiled file under
 * dist/lib and dist/kernel (so a library change without a version bump still invalidates the cache).
 */
export function libraryFingerprint(root = PACKAGE_ROOT): string {
  if (libraryFingerprintMemo !== undefined && root === PACKAGE_ROOT) return libraryFingerprintMemo;
  const hash = createHash("sha256");
  try {
    hash.update(String((JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version?: string }).version));
  } catch {
    hash.update("no package.json");
  }
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".js") && !entry.name.endsWith(".test.js")) {
        hash.update(path.relative(root, full));
        hash.update(fs.readFileSync(full));
      }
    }
  };
  walk(path.join(root, "dist", "lib"));
  walk(path.join(root, "dist", "kernel"));
  const fingerprint = hash.digest("hex");
  if (root === PACKAGE_ROOT) libraryFingerprintMemo = fingerprint;
  return fingerprint;
}

/**
 * The environment that picks a notebook's workload, as part of the cache key: notebooks read
 * `process.env.CI` to choose small runs, so a run at CI's size (where a claim may be checked in a
 * weaker form) must not stand in for one at the student's size, nor the other way round.
 *
 * @example
 * workloadKey({ CI: "true" }); // 'CI="true"'
 */
export function workloadKey(env: NodeJS.ProcessEnv = process.env): string {
  return `CI=${env.CI === undefined ? "(unset)" : JSON.stringify(env.CI)}`;
}

/**
 * The cache key of a notebook: its code cells' sources (not Markdown, outputs or metadata) and the
 * library fingerprint.
 *
 * @example
 * notebookHash(readNotebook("notebooks/01-adam.ipynb"), libraryFingerprint()); // "3f2a…"
 */
export function notebookHash(notebook: INotebookContent, library: string): string {
  const hash = createHash("sha256");
  hash.update(library);
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "code") continue;
    hash.update("\u0000code\u0000");
    hash.update(sourceText(cell.source));
  }
  return hash.digest("hex");
}

/**
 * The current notebook with the outputs of its cached run: every cell (Markdown and its
 * attachments included) comes from `current`, each code cell's outputs and execution count from
 * the code cell in the same place of `cached`. Both have the same code cells (their keys match).
 */
export function withCachedOutputs(current: INotebookContent, cached: INotebookContent): INotebookContent {
  const ranCells = cached.cells.filter((cell): cell is ICodeCell => cell.cell_type === "code");
  let next = 0;
  const cells = current.cells.map((cell): ICell => {
    if (cell.cell_type !== "code") return cell;
    const ran = ranCells[next++];
    return ran ? { ...cell, outputs: ran.outputs, execution_count: ran.execution_count } : cell;
  });
  return { ...current, cells };
}

/** Reads `<outDir>/.book-cache.json`; a missing or unreadable file is an empty cache. */
export function readCache(outDir: string): CacheFile {
  try {
    const parsed = JSON.parse(fs.readFileSync(cacheFilePath(outDir), "utf8")) as CacheFile;
    if (parsed.version === 1 && typeof parsed.notebooks === "object") return parsed;
  } catch {
    // no cache yet
  }
  return { version: 1, notebooks: {} };
}

/** Writes the cache file atomically (a crash mid-write leaves the old one). */
export function writeCache(outDir: string, cache: CacheFile): void {
  const file = cacheFilePath(outDir);
  fs.writeFileSync(file + ".tmp", JSON.stringify(cache, null, 2) + "\n");
  fs.renameSync(file + ".tmp", file);
}

/** Where the cache file of a book in `outDir` lives: `<outDir>/.book-cache.json`. */
export function cacheFilePath(outDir: string): string {
  return path.join(outDir, ".book-cache.json");
}
