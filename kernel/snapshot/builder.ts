/**
 * The entry script of `node --build-snapshot`: a V8 startup snapshot of a kernel whose TypeScript
 * compiler is already loaded and has already parsed and bound the declaration files every cell
 * needs (the ES2022 lib, @types/node, dl-workbook's and tfjs's .d.ts files).
 *
 * Without it each kernel pays that work on its first cells, most of what a graded submission
 * costs (the README's bench:kernel and bench:grade sections have the figures). Started from the snapshot (`node --snapshot-blob <blob> <connection file>`),
 * the kernel finds those source files in memory; its programs use them in place of parsing again.
 *
 * Node runs this file with a `require` that knows only built-in modules, so it imports nothing of
 * the package: TypeScript is loaded from its file with `vm`, and the paths come in the
 * WORKBOOK_SNAPSHOT_CONFIG environment variable (see {@link SnapshotConfig}, written by blob.ts).
 * So are config.js and ../tslab-fixes.js (whose applyFixes patches TypeScript), which need built-ins only.
 */
// A script, not a module: Node's snapshot builder gives it `require` but no `exports`, so these
// built-ins cannot be imported; each require is typed by its declared type.
/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-assignment -- see the line above */
const fs: typeof import("fs") = require("fs");
const path: typeof import("path") = require("path");
const v8: typeof import("v8") = require("v8");
const vm: typeof import("vm") = require("vm");
const CommonJsModule: typeof import("module") = require("module");
/* eslint-enable @typescript-eslint/no-require-imports, @typescript-eslint/no-unsafe-assignment */
type TS = typeof import("typescript");
type SourceFile = import("typescript").SourceFile & { externalModuleIndicator?: unknown };
type ScriptKind = import("typescript").ScriptKind;
type CompilerOptions = import("typescript").CompilerOptions;
type Config = typeof import("./config");
type SnapshotConfig = import("./config").SnapshotConfig;
type SnapshotStats = import("./config").SnapshotStats;
type BuiltManifest = import("./config").BuiltManifest;

/** A CommonJS file that requires only built-in modules, evaluated with this script's `require`. */
function loadBuiltinOnly<T>(file: string, extra: Record<string, unknown> = {}, source = fs.readFileSync(file, "utf8")): T {
  const names = Object.keys(extra);
  const wrapper = vm.compileFunction(source, ["exports", "require", "module", "__filename", "__dirname", ...names], { filename: file });
  const mod = { exports: {} as T };
  wrapper.call(mod.exports, mod.exports, require, mod, file, path.dirname(file), ...names.map((n) => extra[n]));
  return mod.exports;
}

const { SNAPSHOT_MARK, WARM_FILE_NAME, TYPESCRIPT_FIXES, CODE_CACHE_RECORD_VARIABLE } = loadBuiltinOnly<Config>(path.join(__dirname, "config.js"));
const { applyFixes } = loadBuiltinOnly<typeof import("../tslab-fixes")>(path.join(__dirname, "..", "tslab-fixes.js"));
const { ResolutionStore } = loadBuiltinOnly<typeof import("./resolutions")>(path.join(__dirname, "resolutions.js"));
type ResolutionStore = import("./resolutions").ResolutionStore;

/** The arguments of TypeScript's internal `createSourceFile`, and its parser without the store. */
type ParseArgs = [fileName: string, text: string, languageVersionOrOptions: import("typescript").ScriptTarget | import("typescript").CreateSourceFileOptions, setParentNodes?: boolean, scriptKind?: ScriptKind];
type Parse = (...args: ParseArgs) => SourceFile;

/** Declaration files parsed while the snapshot is built, handed out again to the kernel's programs. */
class SourceFileStore {
  readonly files = new Map<string, { file: SourceFile; setParentNodes: boolean; scriptKind?: ScriptKind }>();
  recording = true;
  hits = 0;
  /** Kept declaration files parsed afresh all the same, since their text or parse options differed. */
  readonly missed: string[] = [];

  /** TypeScript's createSourceFile, routed through the store (installed by the patch in config.ts). */
  parse(fileName: string, text: string, options: ParseArgs[2], setParentNodes = false, scriptKind: ScriptKind | undefined, fresh: Parse): SourceFile {
    if (!fileName.endsWith(".d.ts")) return fresh(fileName, text, options, setParentNodes, scriptKind);
    if (this.recording) {
      const file = fresh(fileName, text, options, setParentNodes, scriptKind);
      this.files.set(fileName, { file, setParentNodes, scriptKind });
      return file;
    }
    const kept = this.files.get(fileName);
    if (kept && kept.file.text === text && kept.setParentNodes === setParentNodes && kept.scriptKind === scriptKind && sameParse(kept.file, options)) {
      this.hits++;
      return kept.file;
    }
    if (kept) this.missed.push(fileName);
    return fresh(fileName, text, options, setParentNodes, scriptKind);
  }
}

/** Would parsing with `options` have produced the kept file: same language version, module format and module indicator? */
function sameParse(file: SourceFile, options: ParseArgs[2]): boolean {
  const { languageVersion, impliedNodeFormat, setExternalModuleIndicator } =
    typeof options === "object" ? options : { languageVersion: options, impliedNodeFormat: undefined, setExternalModuleIndicator: undefined };
  if (languageVersion !== file.languageVersion || impliedNodeFormat !== file.impliedNodeFormat || !setExternalModuleIndicator) return false;
  // the indicator depends on compiler options (moduleDetection, jsx): ask it on a probe that reads the kept file
  const probe = Object.create(file) as SourceFile;
  setExternalModuleIndicator(probe);
  return probe.externalModuleIndicator === file.externalModuleIndicator;
}

/** Loads TypeScript from its file (no package `require` here), with the stores patched into createSourceFile and resolveModuleName. */
function loadTypeScript(file: string, store: SourceFileStore, resolutions: ResolutionStore): TS {
  return loadBuiltinOnly<TS>(file, { workbookSourceFiles: store, workbookResolutions: resolutions }, applyFixes(fs.readFileSync(file, "utf8"), TYPESCRIPT_FIXES, file));
}

/**
 * Type checks a file that imports every module a cell may import, with the options of tslab's
 * converter that decide which files are read and how they are parsed; this parses and binds them.
 */
function warmUp(ts: TS, config: SnapshotConfig): CompilerOptions {
  const warmFile = path.join(config.packageRoot, WARM_FILE_NAME);
  const source = config.imports.map((specifier, i) => `import * as m${i} from ${JSON.stringify(specifier)};\nexport { m${i} };`).join("\n");
  const options: CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    typeRoots: [config.typeRoot],
    // as the cells' programs (kernel/tslab-fixes.ts): only @types/node's globals come in unimported
    types: ["node"],
    declaration: true,
    allowJs: true,
    checkJs: true,
    // as tslab's converter: the options module resolution depends on are the cells' (see ResolutionStore)
    resolveJsonModule: true,
    jsx: ts.JsxEmit.React,
    skipLibCheck: true,
    libReplacement: false,
    noEmit: true,
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (f) => (f === warmFile ? source : readFile(f));
  host.fileExists = (f) => f === warmFile || fileExists(f);
  const program = ts.createProgram([warmFile], options, host);
  const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  if (problems.length > 0) throw new Error(`the warm-up file does not type check:\n${problems.join("\n")}`);
  return options;
}

function readConfig(): SnapshotConfig {
  const text = process.env.WORKBOOK_SNAPSHOT_CONFIG;
  if (!text) throw new Error("WORKBOOK_SNAPSHOT_CONFIG is not set; build the snapshot with ensureKernelSnapshot() (kernel/snapshot/blob.ts)");
  return JSON.parse(text) as SnapshotConfig;
}

const config = readConfig();
const store = new SourceFileStore();
const resolutions = new ResolutionStore(config.packageRoot);
const ts = loadTypeScript(config.typescript, store, resolutions);
// the snapshot must not keep a ts.sys bound to this process's directory: TypeScript memoizes
// process.cwd() on first use, so the kernel would resolve modules from where the snapshot was built
const sysBefore = { ...ts.sys };
const warmOptions = warmUp(ts, config);
Object.assign(ts.sys, sysBefore, { getCurrentDirectory: () => process.cwd() });
store.recording = false;
resolutions.finish(ts, warmOptions);
if (config.manifest) fs.writeFileSync(config.manifest, JSON.stringify({ declarationFiles: [...store.files.keys()], resolutionStamps: resolutions.stampedPaths() } satisfies BuiltManifest));

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // Error.stackTraceLimit is undefined after deserialization (Node 20.20), and then no error has a
  // stack (an error in a cell showed its message and no cell lines): put back V8's default
  if (typeof Error.stackTraceLimit !== "number") Error.stackTraceLimit = 10;
  // `node --snapshot-blob <blob> <connection file>`: the kernel's main script reads argv[2]
  process.argv.splice(1, 0, config.kernelMain);
  const requireFromKernel = CommonJsModule.createRequire(config.kernelMain);
  // tslab's converter and the kernel `require` TypeScript: give them this one, with its parsed files
  const tsModule = new CommonJsModule(config.typescript);
  tsModule.filename = config.typescript;
  tsModule.exports = ts;
  tsModule.loaded = true;
  requireFromKernel.cache[config.typescript] = tsModule;
  const stats: SnapshotStats = {
    declarationFiles: store.files.size,
    hits: () => store.hits,
    missed: () => [...store.missed],
    resolutions: resolutions.size,
    resolutionHits: () => resolutions.hits,
    resolutionsValid: () => resolutions.valid,
  };
  Object.defineProperty(process, SNAPSHOT_MARK, { value: stats });
  const recordTo = process.env[CODE_CACHE_RECORD_VARIABLE];
  if (recordTo) {
    // blob.ts records the code cache in a process like the kernels: same snapshot, same V8 flags
    const { recordKernelCodeCache } = requireFromKernel(config.codeCacheRecorder) as typeof import("./code-cache-record");
    const recorded = recordKernelCodeCache(recordTo, config.imports);
    process.stdout.write(JSON.stringify(recorded));
    return;
  }
  // before the kernel's modules load, so they come from the code cache where it holds them
  (requireFromKernel(config.codeCacheModule) as typeof import("./code-cache")).installCodeCache(config.codeCache);
  requireFromKernel(config.kernelMain);
});
