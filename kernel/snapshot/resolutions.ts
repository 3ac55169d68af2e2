/**
 * The module resolutions of the declaration files' imports, made while the kernel snapshot is
 * built (builder.ts) and handed out again to the kernel's programs, so that a kernel started from
 * the snapshot does not walk node_modules again for the ~900 files a dl-workbook import brings in.
 * Built-in modules only: the snapshot builder loads this file without a package `require`.
 *
 * ```ts
 * const store = new ResolutionStore("/pkg");                 // recording: resolve() asks `fresh` and keeps the answer
 * ts.createProgram(["/pkg/warm.ts"], options, host);           // TypeScript's resolveModuleName calls store.resolve (config.ts)
 * store.finish(ts, options);                                   // later resolve() calls answer from the store while it holds
 * ```
 */
import * as fs from "fs";
import * as path from "path";
import type * as TS from "typescript";

/** What TypeScript's resolveModuleName returns, with the internal fields a resolution carries. */
export type Resolution = TS.ResolvedModuleWithFailedLookupLocations & {
  failedLookupLocations?: string[];
  affectingLocations?: string[];
  resolutionDiagnostics?: unknown[];
  alternateResult?: string;
};

/**
 * The compiler options a node10 module resolution depends on: TypeScript's own list of the options
 * that affect module resolution, less typeRoots (which only type reference directives use), plus
 * those that pick the extensions tried, and tracing (a traced resolution is made afresh).
 */
export function resolutionOptionsKey(ts: typeof TS, options: TS.CompilerOptions): string {
  const declared = (ts as typeof TS & { moduleResolutionOptionDeclarations: readonly { name: string }[] }).moduleResolutionOptionDeclarations.map((o) => o.name);
  const names = [...declared.filter((name) => name !== "typeRoots"), "allowJs", "allowArbitraryExtensions", "noDtsResolution", "preserveSymlinks", "traceResolution"];
  return JSON.stringify(names.map((name) => options[name] ?? null));
}

/**
 * A resolution as TypeScript's resolver returns it: a fresh object each time (the watch program
 * marks the objects it is given). `withoutLocations`: without the places it looked at, which the
 * watch program would otherwise watch for changes (see {@link packageUnchangeable}).
 */
function copyResolution(r: Resolution, withoutLocations: boolean): Resolution {
  if (withoutLocations) return { resolvedModule: r.resolvedModule && { ...r.resolvedModule } };
  const copy: Resolution = {
    resolvedModule: r.resolvedModule && { ...r.resolvedModule },
    failedLookupLocations: r.failedLookupLocations?.slice(),
    affectingLocations: r.affectingLocations?.slice(),
    alternateResult: r.alternateResult,
  };
  const node10Result = (r as { node10Result?: string }).node10Result;
  return node10Result === undefined ? copy : Object.assign(copy, { node10Result });
}

/**
 * `ino:size:mtime:ctime` of a path ("absent" when there is none): a file's change whenever it is
 * written (ctime cannot be set back), a folder's whenever an entry is added to it, removed or renamed.
 * @example pathStamp("/pkg/dist/lib/index.d.ts") // "1234:5678:1733224611000.123:1733224611000.123"
 */
export function pathStamp(p: string): string {
  const s = fs.statSync(p, { throwIfNoEntry: false });
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}` : "absent";
}

/** The part of Node's permission model the store asks (`process.permission`, defined only while the model is on). */
interface PermissionModel {
  has(scope: "fs.read" | "fs.write", reference?: string): boolean;
}

/**
 * Whether nothing this process runs can change the package `root`: Node's permission model is on,
 * and it may not write to the package, nor is its own folder inside it (the grader's sandbox: the
 * package is mounted read-only, the kernel writes to its scratch folder alone). Then no file can
 * appear where a kept resolution looked, and watching those places, which the permission model
 * makes TypeScript skip anyway (kernel/typescript.ts, skipForbiddenWatches), is not even set up.
 */
export function packageUnchangeable(root: string): boolean {
  const permission = (process as NodeJS.Process & { permission?: PermissionModel }).permission;
  return permission !== undefined && !permission.has("fs.write", root) && !(process.cwd() + "/").startsWith(root + "/");
}

/**
 * Whether this process can see none of `paths`: Node's permission model is on and lets it read
 * none of them (the grader's sandbox: the kernel reads the package and its scratch folder alone).
 * A lookup there fails whatever is there, as it did when it was recorded.
 */
export function unreadablePaths(paths: readonly string[]): boolean {
  const permission = (process as NodeJS.Process & { permission?: PermissionModel }).permission;
  return permission !== undefined && paths.every((p) => !permission.has("fs.read", p));
}

/** What the store asks of the process it serves (once, in the kernel); tests give their own answers. */
export interface StoreEnvironment {
  /** See {@link packageUnchangeable}. */
  unchangeable(root: string): boolean;
  /** See {@link unreadablePaths}. */
  unreadable(paths: readonly string[]): boolean;
}

const PROCESS_ENVIRONMENT: StoreEnvironment = { unchangeable: packageUnchangeable, unreadable: unreadablePaths };

/**
 * Module resolutions (moduleResolution node10) recorded once and answered again while they hold.
 *
 * Kept: a resolution made from a folder of the package whose every location (each place looked
 * at and not found, each package.json read, the file found) lies in the package. Such a resolution
 * changes only when an entry appears in or leaves one of the folders holding those locations, or
 * a package.json it read changes: the store keeps a stamp (inode, size, mtime, ctime) of each, and
 * the first resolution asked of it checks them all; if any differs, every import is resolved afresh.
 * An import whose locations reach into the kernel's own folder is also resolved afresh (the kernel
 * redirects `<cwd>/node_modules` to the package, kernel/typescript.ts, and a student's files live
 * there), and so is every import under compiler options other than those it was recorded with.
 *
 * Also kept, for a process that can read nothing outside the package: a resolution that looked,
 * in vain, in node_modules folders above it (@types/node's `import ... from "node:fs"`, which
 * ambient declarations answer). A process that may read any of those places resolves it afresh.
 */
export class ResolutionStore {
  private readonly entries = new Map<string, { result: Resolution; paths: string[]; outside: boolean }>();
  /** While true, resolve() asks `fresh` and keeps the answer; finish() ends it. */
  recording = true;
  /** How many resolutions were answered from the store. */
  hits = 0;
  /** Whether every stamp still matches: undefined until the first resolution after finish() asks. */
  valid: boolean | undefined;
  private ts?: typeof TS;
  private optionsKey = "";
  private stamps: [string, string][] = [];
  private readonly checkedOptions = new WeakMap<TS.CompilerOptions, boolean>();

  /** Whether kept resolutions are handed out without their lookup locations; asked once, with the stamps. */
  private withoutLocations?: boolean;
  /** The places outside the package where kept resolutions looked in vain, and whether the process can see none of them (asked once). */
  private outsideLookups: string[] = [];
  private outsideUnseen?: boolean;

  /** `root`: the package (see the class comment for what is kept); `environment`: what is asked of the process, once, in the kernel. */
  constructor(
    private readonly root: string,
    private readonly environment: StoreEnvironment = PROCESS_ENVIRONMENT,
  ) {}

  private static key(name: string, containingFile: string, mode: unknown): string {
    return `${containingFile.slice(0, containingFile.lastIndexOf("/"))}\u0000${String(mode)}\u0000${name}`;
  }

  /** TypeScript's resolveModuleName for node10, through the store (the patch in config.ts); `fresh` resolves as TypeScript would. */
  resolve(name: string, containingFile: string, options: TS.CompilerOptions, redirected: unknown, mode: unknown, fresh: () => Resolution): Resolution {
    if (this.recording) {
      const result = fresh();
      if (!redirected) this.record(name, containingFile, mode, result);
      return result;
    }
    if (redirected || !this.usable(options)) return fresh();
    const entry = this.entries.get(ResolutionStore.key(name, containingFile, mode));
    const cwd = process.cwd() + "/";
    if (!entry || (entry.outside && !this.outsideUnseen) || entry.paths.some((p) => p.startsWith(cwd))) return fresh();
    this.hits++;
    return copyResolution(entry.result, this.withoutLocations === true);
  }

  private record(name: string, containingFile: string, mode: unknown, result: Resolution): void {
    const found = result.resolvedModule;
    const paths = [containingFile, ...(result.failedLookupLocations ?? []), ...(result.affectingLocations ?? [])];
    // a file found through a symbolic link: where the link is (TypeScript keeps it beside the real path)
    const originalPath = (found as { originalPath?: string } | undefined)?.originalPath;
    if (found) paths.push(found.resolvedFileName, ...(originalPath ? [originalPath] : []));
    if (result.alternateResult) paths.push(result.alternateResult);
    const inside = (p: string): boolean => p.startsWith(this.root + "/");
    // what was found or read must lie in the package; places looked at in vain may lie above it
    const outside = (result.failedLookupLocations ?? []).filter((p) => !inside(p));
    if (result.resolutionDiagnostics?.length || !paths.every((p) => inside(p) || outside.includes(p))) return;
    this.entries.set(ResolutionStore.key(name, containingFile, mode), { result: copyResolution(result, false), paths, outside: outside.length > 0 });
    this.outsideLookups.push(...outside);
  }

  /** Ends the recording: the options the resolutions were made under, and the stamps of what they depend on. */
  finish(ts: typeof TS, options: TS.CompilerOptions): void {
    this.recording = false;
    this.ts = ts;
    this.optionsKey = resolutionOptionsKey(ts, options);
    const nearest = new Map<string, string>();
    const existing = (dir: string): string => {
      let known = nearest.get(dir);
      if (known === undefined) {
        known = dir === this.root || dir === path.dirname(dir) || fs.existsSync(dir) ? dir : existing(path.dirname(dir));
        nearest.set(dir, known);
      }
      return known;
    };
    const stamped = new Set<string>();
    for (const { result, paths } of this.entries.values()) {
      for (const p of paths) if (p.startsWith(this.root + "/")) stamped.add(existing(path.dirname(p)));
      for (const p of result.affectingLocations ?? []) stamped.add(fs.existsSync(p) ? p : existing(path.dirname(p)));
    }
    this.stamps = [...stamped].map((p) => [p, pathStamp(p)]);
    this.outsideLookups = [...new Set(this.outsideLookups)];
  }

  /** How many resolutions the store holds. */
  get size(): number {
    return this.entries.size;
  }

  /** The folders and package.json files whose stamps the resolutions depend on. */
  stampedPaths(): string[] {
    return this.stamps.map(([p]) => p);
  }

  private usable(options: TS.CompilerOptions): boolean {
    if (!this.ts) return false;
    let same = this.checkedOptions.get(options);
    if (same === undefined) {
      same = resolutionOptionsKey(this.ts, options) === this.optionsKey;
      this.checkedOptions.set(options, same);
    }
    this.valid ??= this.stamps.every(([p, expected]) => pathStamp(p) === expected);
    this.withoutLocations ??= this.environment.unchangeable(this.root);
    this.outsideUnseen ??= this.environment.unreadable(this.outsideLookups);
    return same && this.valid;
  }
}
