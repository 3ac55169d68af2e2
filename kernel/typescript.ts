/**
 * TypeScript for cells: tslab's converter (type checks across cells, top-level await,
 * re-declaration) made to resolve `dl-workbook`, `dl-workbook/rnn`, `@tensorflow/tfjs`, ...
 * from whatever directory the kernel runs in, to this package's own dist and node_modules.
 *
 * The converter reads files through TypeScript's `ts.sys`; we wrap `ts.sys` so that
 * `<cwd>/node_modules/dl-workbook/...` reads `<package>/...` and `<cwd>/node_modules/<name>/...`
 * reads `<package>/node_modules/<name>/...` when the notebook's directory does not have it.
 * `realpath` maps those paths to the real files, so a type reached two ways is one type.
 */
import * as path from "path";
import Module from "module";
import type * as TS from "typescript";
import { PACKAGE_ROOT } from "./info";
import type { LocalModules } from "./local-modules";
import { plainProgramFactory } from "./plain-program";
import { TYPESCRIPT_CELL_FIXES } from "./snapshot/config";
import { CONVERTER_FIXES, requireFixed, TYPESCRIPT_API_FIXES } from "./tslab-fixes";
import { defaultTypeRoots, preEmitDiagnosticsOfFiles, quickInfoAtPosition } from "./tslab-typescript";

/** The parts of tslab's converter the kernel uses (tslab/dist/converter.d.ts). */
export interface Diagnostic {
  start: { offset: number; line: number; character: number };
  end: { offset: number; line: number; character: number };
  messageText: string;
  category: number;
  code: number;
  fileName?: string;
}

export interface ConvertResult {
  output?: string;
  declOutput?: string;
  diagnostics: Diagnostic[];
  lastExpressionVar?: string;
  hasToplevelAwait?: boolean;
  sideOutputs?: { path: string; data: string }[];
  /** `output` with an interrupt check at the top of every loop body (the kernel's, kernel/loop-checks.ts; not tslab's). */
  checkedOutput?: string;
}

export interface CompletionInfo {
  start: number;
  end: number;
  candidates: string[];
}

export interface Converter {
  convert(prevDecl: string, src: string): ConvertResult;
  inspect(prevDecl: string, src: string, position: number): TS.QuickInfo | undefined;
  complete(prevDecl: string, src: string, position: number): CompletionInfo;
  close(): void;
}

interface TslabConverterModule {
  createConverter(options?: { isJS?: boolean; isBrowser?: boolean; workbookInitialDeclarations?: string }): Converter;
  isCompleteCode(content: string): { completed: boolean; indent?: string };
}

const TSLAB_DIR = path.dirname(require.resolve("tslab/package.json", { paths: [PACKAGE_ROOT] }));

/** tslab's converter module, with the kernel's fixes (tslab-fixes.ts). */
function tslabConverter(): TslabConverterModule {
  // loaded first, so that the converter's own require of TypeScript finds the fixed copy
  const ts = tslabTypeScript();
  return requireFixed(path.join(TSLAB_DIR, "dist", "converter.js"), [...CONVERTER_FIXES, ...TYPESCRIPT_API_FIXES], {
    workbookCreateProgram: plainProgramFactory(ts),
    workbookTypeScript: { defaultTypeRoots, quickInfoAtPosition, preEmitDiagnosticsOfFiles },
  }) as TslabConverterModule;
}

/** Packages that always come from this package, so cells see the versions the library was built with. */
const PINNED = ["dl-workbook", "@tensorflow/"];

/** Where `p` (a path TypeScript asks about) really lives, or undefined when it is not redirected. */
export function redirectPath(p: string, cwd: string, exists: (p: string) => boolean): string | undefined {
  const base = toSlashes(path.join(cwd, "node_modules")) + "/";
  const norm = toSlashes(p);
  if (!norm.startsWith(base)) return undefined;
  const rest = norm.slice(base.length);
  if (rest === "dl-workbook" || rest.startsWith("dl-workbook/")) return toSlashes(path.join(PACKAGE_ROOT, rest.slice("dl-workbook".length)));
  const pinned = PINNED.some((prefix) => rest.startsWith(prefix));
  if (!pinned && exists(p)) return undefined;
  if (toSlashes(cwd) === toSlashes(PACKAGE_ROOT)) return undefined;
  return toSlashes(path.join(PACKAGE_ROOT, "node_modules", rest));
}

function toSlashes(p: string): string {
  return p.replace(/\\/g, "/");
}

let patched = false;

/** Wraps tslab's `ts.sys` once so module resolution falls back to this package (see file comment). */
function patchSys(ts: typeof TS, cwd: string): void {
  if (patched) return;
  patched = true;
  const sys = ts.sys;
  const realFileExists = sys.fileExists.bind(sys);
  const realDirExists = sys.directoryExists.bind(sys);
  const exists = (p: string): boolean => realFileExists(p) || realDirExists(p);
  const to = (p: string): string => redirectPath(p, cwd, exists) ?? p;
  const readFile = sys.readFile.bind(sys);
  const readDirectory = sys.readDirectory.bind(sys);
  const getDirectories = sys.getDirectories.bind(sys);
  const realpath = sys.realpath?.bind(sys);
  sys.fileExists = (p) => realFileExists(to(p));
  sys.directoryExists = (p) => realDirExists(to(p));
  sys.readFile = (p, encoding) => readFile(to(p), encoding);
  sys.readDirectory = (p, ...rest) => readDirectory(to(p), ...rest);
  sys.getDirectories = (p) => getDirectories(to(p));
  sys.realpath = (p) => (realpath ? realpath(to(p)) : to(p));
  skipForbiddenWatches(sys);
}

/** What a watch TypeScript may not set up returns: it watches nothing. */
const NO_WATCH: TS.FileWatcher = { close: () => undefined };

/**
 * Makes `sys`'s watchers skip a file or folder that Node's permission model keeps from the kernel
 * (the grader's sandbox reads only the package and the kernel's scratch folder) instead of throwing
 * ERR_ACCESS_DENIED out of the cell: where a module is not found, TypeScript 5.9 watches the
 * missing node_modules folders above the notebook's folder (`/home/x/node_modules` for a notebook
 * in `/home/x/course`), and the first such cell, and every cell after it, failed. A folder the
 * kernel may not read cannot change what a cell sees, so not watching it loses nothing.
 *
 * Under the permission model, the same holds for what the kernel may read but not write (the
 * package and its node_modules, mounted read-only in the grader's sandbox): nothing in the kernel's
 * reach changes it, so those watches are skipped too. They were most of the first program's cost in
 * a grading kernel: TypeScript watches each package folder where a lookup failed (`x.ts` before
 * `x.d.ts`) recursively, one `fs.watch` per subfolder of tfjs's packages, in every
 * kernel. Folders the kernel may write, and those above them, are watched as before.
 */
function skipForbiddenWatches(sys: TS.System): void {
  const unchanging = unchangingUnderPermissions();
  const tolerant =
    <A extends [string, ...unknown[]]>(watch: (...args: A) => TS.FileWatcher) =>
    (...args: A): TS.FileWatcher => {
      if (unchanging?.(args[0])) return NO_WATCH;
      try {
        return watch(...args);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ERR_ACCESS_DENIED") return NO_WATCH;
        throw err;
      }
    };
  if (sys.watchFile) sys.watchFile = tolerant(sys.watchFile.bind(sys));
  if (sys.watchDirectory) sys.watchDirectory = tolerant(sys.watchDirectory.bind(sys));
}

/** The part of Node's permission model the kernel asks (`process.permission`, defined only while the model is on). */
interface PermissionModel {
  has(scope: "fs.write", reference?: string): boolean;
}

/**
 * Under Node's permission model: whether a path is one that nothing the kernel runs can change (it
 * may not write there, and it is not a folder above the kernel's folder, whose watch sees that
 * folder's entries). Undefined without the permission model, where anything may change.
 * @example unchangingUnderPermissions()?.("/pkg/node_modules/@tensorflow/tfjs-core") // true in the grader's sandbox
 */
export function unchangingUnderPermissions(cwd = process.cwd()): ((p: string) => boolean) | undefined {
  const permission = (process as NodeJS.Process & { permission?: PermissionModel }).permission;
  if (!permission) return undefined;
  const here = path.resolve(cwd);
  return (p) => {
    const target = path.resolve(p);
    const above = here === target || here.startsWith(target.endsWith(path.sep) ? target : target + path.sep);
    return !above && !permission.has("fs.write", target);
  };
}

/**
 * Where the TypeScript compiler tslab's converter requires lives (its lib/typescript.js): the
 * version package.json pins, which its `overrides` installs under the name of tslab's fork.
 */
export function tslabTypeScriptPath(): string {
  return require.resolve("@tslab/typescript-for-tslab", { paths: [TSLAB_DIR] });
}

/**
 * The TypeScript compiler that type checks and compiles cells, with the kernel's fixes to its
 * source (TYPESCRIPT_CELL_FIXES). Loaded once and put in `require`'s cache under its path, so that
 * tslab's converter, which requires it by name, gets this copy; a kernel started from the startup
 * snapshot finds the snapshot's copy (with the same fixes) there already.
 * @example tslabTypeScript().version // "5.9.3"
 */
export function tslabTypeScript(): typeof TS {
  const file = tslabTypeScriptPath();
  const cached = require.cache[file];
  if (cached?.loaded) return cached.exports as typeof TS;
  const ts = requireFixed(file, TYPESCRIPT_CELL_FIXES) as typeof TS;
  const entry = new Module(file);
  entry.filename = file;
  entry.exports = ts;
  entry.loaded = true;
  require.cache[file] = entry;
  return ts;
}

/**
 * Creates tslab's converter for the current directory, with resolution falling back to this package.
 * `initialDeclarations`: the declarations its first program is built with (by default none), so
 * that cells seeing declarations that import the same modules reuse that program whole.
 */
export function createConverter(initialDeclarations?: string): Converter {
  const ts = tslabTypeScript();
  patchSys(ts, process.cwd());
  return tslabConverter().createConverter(initialDeclarations ? { workbookInitialDeclarations: initialDeclarations } : {});
}

/** tslab's check of whether a cell's code is complete (used for is_complete_request). */
export function isCompleteCode(code: string): { completed: boolean; indent?: string } {
  return tslabConverter().isCompleteCode(code);
}

/**
 * `require` for cells: `dl-workbook` and `@tensorflow/*` from this package; other bare names from
 * the notebook's directory first, then from this package; relative paths from the notebook's
 * directory, where the folder's own TypeScript files come from `local` (compiled with the cells).
 * `cwd` is the folder relative paths start from (a local file's own folder, for its requires).
 */
export function createCellRequire(cwd: string, onLoad?: (id: string, exported: unknown) => void, local?: LocalModules): NodeJS.Require {
  const fromCwd = Module.createRequire(path.join(cwd, "__cell__.js"));
  const fromPackage = Module.createRequire(path.join(PACKAGE_ROOT, "__cell__.js"));
  const cellRequire = ((id: string): unknown => {
    let exported: unknown;
    const bare = !id.startsWith(".") && !path.isAbsolute(id);
    if (!bare) exported = local?.load(id, cwd, (dir) => createCellRequire(dir, onLoad, local)) ?? fromCwd(id);
    else if (PINNED.some((prefix) => id === prefix || id.startsWith(prefix))) exported = fromPackage(id);
    else {
      try {
        exported = fromCwd(id);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw err;
        exported = fromPackage(id);
      }
    }
    onLoad?.(id, exported);
    return exported;
  }) as NodeJS.Require;
  return Object.assign(cellRequire, { resolve: fromCwd.resolve, cache: fromCwd.cache, extensions: fromCwd.extensions, main: fromCwd.main });
}

/** True when `code` does not parse as TypeScript (tslab's converter keeps the parser's diagnostics internal). */
export function hasSyntaxErrors(code: string): boolean {
  const ts = tslabTypeScript();
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS) as TS.SourceFile & { parseDiagnostics?: unknown[] };
  return (file.parseDiagnostics?.length ?? 0) > 0;
}
