/**
 * The kernel's startup snapshot file: built once per Node binary and package state, reused by
 * every kernel started after that (the grader starts one per submission).
 *
 * ```ts
 * const flags = ["--max-old-space-size=1024"];                   // V8 flags must be the same when built and used
 * const snapshot = ensureKernelSnapshot(flags);                  // builds it the first time (a few seconds)
 * spawn(process.execPath, [...flags, "--snapshot-blob", snapshot.blob, connectionFile]);
 * ```
 *
 * The snapshot is rebuilt when Node, tslab's TypeScript, the builder, any declaration file it
 * holds, or a folder its module resolutions looked in has changed; a kernel never depends on it
 * being current, since a file whose text differs is parsed afresh, and a kernel whose resolutions
 * may no longer hold resolves every import afresh (resolutions.ts).
 */
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACKAGE_ROOT } from "../info";
import { tslabTypeScriptPath } from "../typescript";
import { codeCacheIsCurrent } from "./code-cache";
import { CODE_CACHE_RECORD_VARIABLE } from "./config";
import type { BuiltManifest, SnapshotConfig } from "./config";

/** A built snapshot: the blob to pass to `node --snapshot-blob`, and how it came to be. */
export interface KernelSnapshot {
  blob: string;
  /** Declaration files parsed into it. */
  declarationFiles: number;
  /** Milliseconds spent building it now; 0 when an up-to-date one was found. */
  buildMs: number;
  /**
   * The code cache beside it (code-cache.ts) that kernels started from it serve modules from;
   * undefined when it could not be recorded (kernels then compile as usual).
   */
  codeCache?: string;
  /** Why the code cache could not be recorded, when it could not. */
  codeCacheError?: string;
}

/** What {@link ensureKernelSnapshot} records next to the blob to tell whether it is still current. */
interface Manifest {
  key: string;
  /** Every declaration file in the snapshot: [size, mtimeMs]. */
  files: Record<string, [number, number]>;
  /** The folders and package.json files its module resolutions depend on: [size, mtimeMs] (a folder's mtime changes when an entry is added or removed). */
  stamps?: Record<string, [number, number]>;
}

const BUILDER = path.join(__dirname, "builder.js");
const KERNEL_MAIN = path.join(__dirname, "..", "main.js");
const CODE_CACHE_MODULE = path.join(__dirname, "code-cache.js");
const CODE_CACHE_RECORDER = path.join(__dirname, "code-cache-record.js");

/**
 * Entry points that are not for cells: `dl-workbook/client` drives kernels from Node scripts, and its
 * declarations bring in JupyterLab's (2 MB of the 6.6 MB of .d.ts text the snapshot would hold).
 */
const NOT_FOR_CELLS = new Set(["./client"]);

/** The package's public entry points (package.json `exports` types) and tfjs: what cells import. */
function warmImports(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { exports: Record<string, string | { types?: string }> };
  const entries = Object.entries(pkg.exports)
    .filter(([name]) => !NOT_FOR_CELLS.has(name))
    .map(([, e]) => (typeof e === "object" ? e.types : undefined))
    .filter((t): t is string => t !== undefined)
    .map((t) => path.join(PACKAGE_ROOT, t).replace(/\.d\.ts$/, ""));
  return [...entries, "@tensorflow/tfjs"];
}

/** Node, tslab's TypeScript and the builder: a snapshot is only valid for the same ones. */
function stateKey(typescript: string): string {
  const hash = crypto.createHash("sha256");
  const stamp = (f: string): string => {
    const s = fs.statSync(f);
    return `${f}:${s.size}:${s.mtimeMs}`;
  };
  for (const part of [
    process.version,
    process.arch,
    process.platform,
    process.execPath,
    stamp(process.execPath),
    stamp(typescript),
    stamp(BUILDER),
    stamp(path.join(__dirname, "config.js")),
    stamp(CODE_CACHE_MODULE),
    stamp(path.join(__dirname, "resolutions.js")),
    PACKAGE_ROOT,
  ])
    hash.update(part + "\n");
  return hash.digest("hex").slice(0, 16);
}

/** V8 refuses a snapshot built under other V8 flags (even another heap limit), so each set of flags has its own. */
function flagsKey(v8Flags: readonly string[]): string {
  return crypto.createHash("sha256").update(v8Flags.join("\n")).digest("hex").slice(0, 8);
}

/** The package's build/ folder when it is writable (a checkout, a local install), else one in the temporary folder. */
export function snapshotDir(): string {
  for (const dir of [path.join(PACKAGE_ROOT, "build", "kernel-snapshot"), path.join(os.tmpdir(), `dl-workbook-kernel-snapshot-${os.userInfo().uid}`)]) {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
      fs.accessSync(dir, fs.constants.W_OK);
      return dir;
    } catch {
      // not writable: try the next
    }
  }
  throw new Error(`cannot create a folder for the kernel snapshot in ${path.join(PACKAGE_ROOT, "build")} or ${os.tmpdir()}`);
}

function isCurrent(manifestFile: string, key: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as Manifest;
    if (manifest.key !== key) return undefined;
    for (const [file, [size, mtimeMs]] of [...Object.entries(manifest.files), ...Object.entries(manifest.stamps ?? {})]) {
      const s = fs.statSync(file);
      if (s.size !== size || s.mtimeMs !== mtimeMs) return undefined;
    }
    return manifest;
  } catch {
    return undefined;
  }
}

/** Where the snapshot for `v8Flags` of this Node and package state lives, and its keys. */
function locate(v8Flags: readonly string[]): { typescript: string; state: string; key: string; dir: string; blob: string; manifestFile: string; codeCache: string } {
  const typescript = tslabTypeScriptPath();
  const state = stateKey(typescript);
  const key = `${state}-${flagsKey(v8Flags)}`;
  const dir = snapshotDir();
  const blob = path.join(dir, `kernel-${key}.blob`);
  return { typescript, state, key, dir, blob, manifestFile: `${blob}.json`, codeCache: path.join(dir, `kernel-${key}.jscache`) };
}

/**
 * The blob {@link ensureKernelSnapshot} would return for `v8Flags`, when it exists and is current
 * (same Node binary, TypeScript, builder and declaration files); undefined when it would build one.
 * Builds nothing. Example: `currentKernelSnapshot([]) ?? "(none yet)"`.
 */
export function currentKernelSnapshot(v8Flags: readonly string[] = []): string | undefined {
  const { key, blob, manifestFile, codeCache } = locate(v8Flags);
  // a stale code cache is recorded again; none at all (recording failed) is not retried on every check
  const cacheCurrent = !fs.existsSync(codeCache) || codeCacheIsCurrent(codeCache);
  return fs.existsSync(blob) && isCurrent(manifestFile, key) && cacheCurrent ? blob : undefined;
}

/**
 * Records the code cache `codeCache` of `blob` again unless it is current: in a child started from
 * the blob with the kernels' V8 flags (V8 refuses cached code made under other flags), which loads
 * and runs what kernels load (code-cache-record.ts). Returns why it could not, or undefined.
 */
function ensureCodeCache(v8Flags: readonly string[], blob: string, codeCache: string): string | undefined {
  if (codeCacheIsCurrent(codeCache)) return undefined;
  const run = spawnSync(process.execPath, [...v8Flags, "--snapshot-blob", blob], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, [CODE_CACHE_RECORD_VARIABLE]: codeCache },
    encoding: "utf8",
    timeout: 120_000,
  });
  if (run.status === 0 && fs.existsSync(codeCache)) return undefined;
  // no stale cache is left behind (kernels would only miss in it)
  fs.rmSync(codeCache, { force: true });
  return `recording the code cache failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`}): ${(run.stderr ?? "").trim().split("\n").slice(-4).join("\n")}`;
}

/** The snapshot's fields about its code cache, recorded first when it is missing or stale. */
function withCodeCache(v8Flags: readonly string[], blob: string, codeCache: string): Pick<KernelSnapshot, "codeCache" | "codeCacheError"> {
  const error = ensureCodeCache(v8Flags, blob, codeCache);
  return error === undefined ? { codeCache } : { codeCacheError: error };
}

/**
 * Returns an up-to-date kernel snapshot for kernels started with `v8Flags` (such as
 * `--max-old-space-size=1024`), building it first when there is none (a few seconds).
 * Throws with the builder's own message when Node cannot build one; callers then start kernels
 * the ordinary way.
 */
export function ensureKernelSnapshot(v8Flags: readonly string[] = []): KernelSnapshot {
  const { typescript, state, key, dir, blob, manifestFile, codeCache } = locate(v8Flags);
  const current = fs.existsSync(blob) ? isCurrent(manifestFile, key) : undefined;
  if (current) {
    // the blob is current; its code cache is recorded again when a module in it has changed
    return { blob, declarationFiles: Object.keys(current.files).length, buildMs: 0, ...withCodeCache(v8Flags, blob, codeCache) };
  }

  const started = Date.now();
  // written under temporary names and renamed, so a grader running beside this one never reads half a file
  const partial = `${blob}.${process.pid}.partial`;
  const list = `${partial}.files`;
  const config: SnapshotConfig = {
    typescript,
    kernelMain: KERNEL_MAIN,
    packageRoot: PACKAGE_ROOT,
    typeRoot: path.join(PACKAGE_ROOT, "node_modules", "@types"),
    imports: warmImports(),
    manifest: list,
    codeCache,
    codeCacheModule: CODE_CACHE_MODULE,
    codeCacheRecorder: CODE_CACHE_RECORDER,
  };
  try {
    const run = spawnSync(process.execPath, [...v8Flags, "--snapshot-blob", partial, "--build-snapshot", "--no-warnings", BUILDER], {
      env: { ...process.env, WORKBOOK_SNAPSHOT_CONFIG: JSON.stringify(config) },
      encoding: "utf8",
    });
    if (run.status !== 0 || !fs.existsSync(partial)) {
      throw new Error(`building the kernel snapshot failed (${run.error?.message ?? `exit ${run.status ?? run.signal}`}):\n${(run.stderr ?? "").trim().split("\n").slice(-8).join("\n")}`);
    }
    const built = JSON.parse(fs.readFileSync(list, "utf8")) as BuiltManifest;
    const sizeAndTime = (paths: string[]): Record<string, [number, number]> => {
      const out: Record<string, [number, number]> = {};
      for (const file of paths) {
        const s = fs.statSync(file);
        out[file] = [s.size, s.mtimeMs];
      }
      return out;
    };
    const files = sizeAndTime(built.declarationFiles);
    const stamps = sizeAndTime(built.resolutionStamps);
    // readable by the sandboxed kernels, which run as users of their own
    fs.chmodSync(partial, 0o644);
    fs.renameSync(partial, blob);
    // snapshots of an earlier Node or package state are not used again
    for (const old of fs.readdirSync(dir)) if (/^kernel-.*\.(blob(\.json)?|jscache)$/.test(old) && !old.startsWith(`kernel-${state}-`)) fs.rmSync(path.join(dir, old), { force: true });
    fs.writeFileSync(manifestFile, JSON.stringify({ key, files, stamps } satisfies Manifest), { mode: 0o644 });
    // the code cache of an earlier blob may hold code this one's kernels would refuse: record it again
    fs.rmSync(codeCache, { force: true });
    const cache = withCodeCache(v8Flags, blob, codeCache);
    return { blob, declarationFiles: Object.keys(files).length, buildMs: Date.now() - started, ...cache };
  } finally {
    fs.rmSync(partial, { force: true });
    fs.rmSync(list, { force: true });
  }
}
