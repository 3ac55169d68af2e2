/**
 * A V8 code cache of the CommonJS modules a kernel loads (dist/ and node_modules: the kernel's own
 * files, dl-workbook and the 7 MB of tfjs bundles its first cell imports), so that a kernel
 * deserializes their compiled bytecode instead of parsing and compiling them again.
 *
 * Built once beside the kernel's startup snapshot (blob.ts), in a child started from that snapshot
 * with the kernels' own V8 flags (V8 refuses a cache made under other flags), after loading and
 * briefly running what a cell loads, so lazily compiled functions are in it too. Kernels started
 * from the snapshot install {@link installCodeCache} before anything else: Node's
 * `Module.prototype._compile` is wrapped, and a module whose source has the recorded hash is
 * compiled with the cached data; any other module, a changed file, or data V8 rejects goes to
 * Node's own `_compile`. A stale cache changes speed, never behaviour.
 *
 * ```ts
 * const recorder = startCodeCacheRecording();   // in the builder child
 * require("dl-workbook");                       // ... load and run what kernels load
 * recorder.write("kernel-<key>.jscache");
 * installCodeCache("kernel-<key>.jscache");       // in each kernel, before its modules load
 * ```
 *
 * File format: the 8 bytes `WBJSCC01`, a 32-bit little-endian length, a small JSON index of that
 * length ({@link CacheIndex}: Node version, architecture, and per module its path, source hash, and
 * where its data lies), then the modules' V8 cached data back to back.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import Module from "module";

/** What Node's `Module.prototype._compile` takes (Node 20: content, filename, format). */
type Compile = (this: Module, content: string, filename: string, format?: string) => unknown;

/** The loader internals this file uses, all present in Node 20's `module`. */
interface ModuleInternals {
  prototype: { _compile: Compile };
  wrap: (script: string) => string;
  wrapper: readonly string[];
  _cache: NodeJS.Require["cache"];
  _extensions: NodeJS.Require["extensions"];
  _resolveFilename(request: string, parent: Module, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: Module): string[] | null;
}

const Loader = Module as unknown as ModuleInternals;

/** Node's own `Module.wrap`: while it is in place, Node compiles modules as functions, as this file does. */
const originalWrap = Loader.wrap;

/** The `(exports, require, module, __filename, __dirname)` function a module's code becomes. */
type ModuleWrapper = (this: unknown, exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => unknown;

const MAGIC = Buffer.from("WBJSCC01", "latin1");

/** Node's CommonJS wrapper (Module.wrapper); code is compiled inside it as a script. */
const WRAPPER = ["(function (exports, require, module, __filename, __dirname) { ", "\n});"] as const;

/** The property of `process` on which a kernel exposes its {@link CodeCacheStats}. */
export const CODE_CACHE_MARK = Symbol.for("dl-workbook.codeCache");

/** The index at the head of a cache file. */
export interface CacheIndex {
  node: string;
  arch: string;
  /** [module path, source hash, offset of its data after the index, data length, file size, file mtimeMs when recorded] */
  entries: [string, string, number, number, number, number][];
}

/** What a kernel counts while it serves modules from the cache (on `process[CODE_CACHE_MARK]`). */
export interface CodeCacheStats {
  file: string;
  /** Modules in the cache. */
  entries: number;
  /** Modules compiled with their cached data. */
  served: number;
  /** Modules whose cached data V8 refused (other V8 flags or version): compiled by Node as usual. */
  rejected: number;
  /** Modules in the cache whose source has changed since: compiled by Node as usual. */
  changed: number;
}

/**
 * Code that may call `import()`, itself or through `eval` or `Function`: such a module is never
 * recorded, so Node compiles it and its dynamic imports reach Node's loader (a script compiled by
 * `vm` reaches it in Node 20 only through vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER, which prints
 * an experimental warning). A mere mention (a comment, `x.import(`) only costs that module's speed.
 */
const MAY_IMPORT = /(?<![.\w$])(?:import|eval|Function)\s*\(/;

/** The hash a module's source is recorded under: SHA-256 of its UTF-16 code units (exact for any JS string). */
export function sourceHash(content: string): string {
  return crypto.createHash("sha256").update(content, "utf16le").digest("hex");
}

/** The loader's symbol that marks a module whose code is running (Node 20 reads it for require(esm) cycles); found on this module. */
const IS_EXECUTING = Object.getOwnPropertySymbols(module).find((s) => s.description === "kIsExecuting");

/**
 * The module's code compiled as Node compiles it, with `cachedData` when given. Undefined when this
 * module must go to Node's own `_compile`: an ES module, the main module (--inspect-brk pauses on
 * its first line), source maps on, a patched wrapper, or code that does not compile as a script.
 */
function compileModule(mod: Module, content: string, filename: string, format: string | undefined, cachedData?: Buffer): vm.Script | undefined {
  if (format === "module" || mod === require.main || process.sourceMapsEnabled) return undefined;
  if (Loader.wrapper[0] !== WRAPPER[0] || Loader.wrapper[1] !== WRAPPER[1] || Loader.wrap !== originalWrap) return undefined;
  // a hashbang is valid only at the very start of a script: the same length as a comment keeps every position
  const code = content.startsWith("#!") ? `//${content.slice(2)}` : content;
  try {
    return new vm.Script(WRAPPER[0] + code + WRAPPER[1], {
      filename,
      // positions on the first line as Node reports them, without the wrapper's prefix
      columnOffset: -WRAPPER[0].length,
      cachedData,
    });
  } catch {
    return undefined;
  }
}

/** The `require` Node gives a module (lib/internal/modules/helpers.js makeRequireFunction, without a policy). */
function makeRequire(mod: Module): NodeJS.Require {
  const require = function require(id: string): unknown {
    return mod.require(id);
  } as NodeJS.Require;
  // Node's own argument errors, from a require it made
  const checked = (request: unknown): string => (typeof request === "string" ? request : (Module.createRequire(mod.filename).resolve(request as string), ""));
  function resolve(request: string, options?: { paths?: string[] }): string {
    return Loader._resolveFilename(checked(request), mod, false, options);
  }
  function paths(request: string): string[] | null {
    return Loader._resolveLookupPaths(checked(request), mod);
  }
  resolve.paths = paths;
  require.resolve = resolve;
  Object.defineProperty(require, "main", { configurable: true, enumerable: true, value: process.mainModule, writable: true });
  require.extensions = Loader._extensions;
  require.cache = Loader._cache;
  return require;
}

/** Runs a compiled module as Node's `_compile` does: `this` is module.exports, the loader's executing mark set while it runs. */
function runModule(mod: Module, script: vm.Script, filename: string): unknown {
  const wrapper = script.runInThisContext({ displayErrors: true }) as ModuleWrapper;
  const exports: unknown = mod.exports;
  const marked = mod as unknown as Record<symbol, boolean>;
  if (IS_EXECUTING) marked[IS_EXECUTING] = true;
  const result = Reflect.apply(wrapper, exports, [exports, makeRequire(mod), mod, filename, path.dirname(filename)]);
  if (IS_EXECUTING) marked[IS_EXECUTING] = false;
  return result;
}

/** Reads a cache file's index; undefined when it is missing, unreadable, malformed or for another Node. */
function readIndex(fd: number): { index: CacheIndex; dataStart: number } | undefined {
  const head = Buffer.alloc(MAGIC.length + 4);
  if (fs.readSync(fd, head, 0, head.length, 0) !== head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const length = head.readUInt32LE(MAGIC.length);
  const json = Buffer.alloc(length);
  if (fs.readSync(fd, json, 0, length, head.length) !== length) return undefined;
  const index = JSON.parse(json.toString("utf8")) as CacheIndex;
  if (index.node !== process.version || index.arch !== process.arch) return undefined;
  return { index, dataStart: head.length + length };
}

/**
 * True when cache file `file` is for this Node and every module in it still has the size and
 * modification time it had when recorded (blob.ts records it again otherwise; a kernel checks
 * each module's hash whatever this says). Example: `codeCacheIsCurrent(file) || rebuild()`.
 */
export function codeCacheIsCurrent(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, "r");
    const found = readIndex(fd);
    if (!found || found.index.entries.length === 0) return false;
    return found.index.entries.every(([name, , , , size, mtimeMs]) => {
      const stat = fs.statSync(name, { throwIfNoEntry: false });
      return stat !== undefined && stat.size === size && stat.mtimeMs === mtimeMs;
    });
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Serves the modules in cache file `file` from their cached code from now on (kernel start).
 * Returns the counts it keeps (also on `process[CODE_CACHE_MARK]`), or undefined when the file is
 * missing, unreadable (outside what the sandbox lets the kernel read) or for another Node: then
 * nothing changes. Never throws.
 * @example installCodeCache("/pkg/build/kernel-snapshot/kernel-<key>.jscache")?.served
 */
export function installCodeCache(file: string): CodeCacheStats | undefined {
  let fd: number;
  let found: ReturnType<typeof readIndex>;
  try {
    fd = fs.openSync(file, "r");
    found = readIndex(fd);
  } catch {
    return undefined;
  }
  if (!found) {
    fs.closeSync(fd);
    return undefined;
  }
  const { index, dataStart } = found;
  const entries = new Map(index.entries.map(([name, hash, offset, length]) => [name, { hash, offset, length }]));
  const stats: CodeCacheStats = { file, entries: entries.size, served: 0, rejected: 0, changed: 0 };
  const original = Loader.prototype._compile;
  const compileFromCache: Compile = function (this: Module, content: string, filename: string, format?: string): unknown {
    const entry = entries.get(filename);
    // data V8 refused twice before any was taken (other flags, another V8): stop reading it
    if (!entry || (stats.rejected >= 2 && stats.served === 0)) return original.call(this, content, filename, format);
    if (sourceHash(content) !== entry.hash) {
      stats.changed++;
      return original.call(this, content, filename, format);
    }
    const data = Buffer.alloc(entry.length);
    if (fs.readSync(fd, data, 0, entry.length, dataStart + entry.offset) !== entry.length) return original.call(this, content, filename, format);
    const script = compileModule(this, content, filename, format, data);
    if (!script) return original.call(this, content, filename, format);
    if (script.cachedDataRejected === true) {
      stats.rejected++;
      return original.call(this, content, filename, format);
    }
    stats.served++;
    return runModule(this, script, filename);
  };
  Loader.prototype._compile = compileFromCache;
  Object.defineProperty(process, CODE_CACHE_MARK, { value: stats, configurable: true });
  return stats;
}

/** Records the modules loaded while it is installed, to write them with their compiled code. */
export interface CodeCacheRecorder {
  /** Modules recorded so far. */
  readonly modules: number;
  /** Writes the cache file (under a temporary name, then renamed); returns its size in bytes. Stops recording. */
  write(file: string): number;
}

/**
 * From now on compiles CommonJS modules as {@link installCodeCache} does (without cached data),
 * keeping each script so that its code, including the functions that have run since, can be written.
 * @example const recorder = startCodeCacheRecording(); require("dl-workbook"); recorder.write(out);
 */
export function startCodeCacheRecording(): CodeCacheRecorder {
  const scripts: { filename: string; hash: string; script: vm.Script }[] = [];
  const original = Loader.prototype._compile;
  const record: Compile = function (this: Module, content: string, filename: string, format?: string): unknown {
    const script = MAY_IMPORT.test(content) ? undefined : compileModule(this, content, filename, format);
    if (!script) return original.call(this, content, filename, format);
    scripts.push({ filename, hash: sourceHash(content), script });
    return runModule(this, script, filename);
  };
  Loader.prototype._compile = record;
  return {
    get modules() {
      return scripts.length;
    },
    write(file: string): number {
      if (Loader.prototype._compile === record) Loader.prototype._compile = original;
      const entries: CacheIndex["entries"] = [];
      const data: Buffer[] = [];
      let offset = 0;
      for (const { filename, hash, script } of scripts) {
        const cached = script.createCachedData();
        const stat = fs.statSync(filename);
        entries.push([filename, hash, offset, cached.length, stat.size, stat.mtimeMs]);
        data.push(cached);
        offset += cached.length;
      }
      const json = Buffer.from(JSON.stringify({ node: process.version, arch: process.arch, entries } satisfies CacheIndex), "utf8");
      const length = Buffer.alloc(4);
      length.writeUInt32LE(json.length);
      const partial = `${file}.${process.pid}.partial`;
      fs.writeFileSync(partial, Buffer.concat([MAGIC, length, json, ...data]), { mode: 0o644 });
      // readable by the sandboxed kernels, which run as users of their own, whatever the umask
      fs.chmodSync(partial, 0o644);
      fs.renameSync(partial, file);
      return MAGIC.length + 4 + json.length + offset;
    },
  };
}
