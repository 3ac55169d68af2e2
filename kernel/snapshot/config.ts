/**
 * What the kernel snapshot's builder (builder.ts) and the code that builds and uses the snapshot
 * (blob.ts) agree on. Built-in modules only: the builder loads this file without a package `require`.
 */
import type { SourceFix } from "../tslab-fixes";

/** The paths the builder needs, passed as JSON in WORKBOOK_SNAPSHOT_CONFIG. */
export interface SnapshotConfig {
  /** tslab's TypeScript (lib/typescript.js), the compiler the kernel type checks cells with. */
  typescript: string;
  /** dist/kernel/main.js, which the snapshot runs after it is deserialized. */
  kernelMain: string;
  /** The package root; the warm-up file is placed there so package imports resolve as in a kernel. */
  packageRoot: string;
  /** Where automatic type packages come from (`<package>/node_modules/@types`, as the kernel redirects them). */
  typeRoot: string;
  /** Module specifiers (or absolute paths) the warm-up file imports: every public entry point. */
  imports: string[];
  /** Where the builder writes the paths it depends on ({@link BuiltManifest} as JSON), if set. */
  manifest?: string;
  /** The code cache file (code-cache.ts) kernels started from the snapshot serve modules from, built beside the blob. */
  codeCache: string;
  /** dist/kernel/snapshot/code-cache.js, installed before the kernel's modules load. */
  codeCacheModule: string;
  /** dist/kernel/snapshot/code-cache-record.js, run instead of the kernel when CODE_CACHE_RECORD_VARIABLE is set. */
  codeCacheRecorder: string;
}

/** Set to a file path, a process started from the snapshot records the code cache into it (code-cache-record.ts) instead of starting a kernel. */
export const CODE_CACHE_RECORD_VARIABLE = "WORKBOOK_CODE_CACHE_RECORD";

/** What the builder writes to {@link SnapshotConfig.manifest}: the paths whose state the snapshot depends on. */
export interface BuiltManifest {
  /** The declaration files parsed into it. */
  declarationFiles: string[];
  /** The folders and package.json files its module resolutions depend on (resolutions.ts). */
  resolutionStamps: string[];
}

/** What a kernel started from the snapshot reports on `process[SNAPSHOT_MARK]`. */
export interface SnapshotStats {
  /** Declaration files parsed and bound in the snapshot. */
  declarationFiles: number;
  /** How many times a program took a kept file. */
  hits(): number;
  /** Declaration files in the snapshot that were parsed afresh all the same: their text or parse options differed. */
  missed(): string[];
  /** Module resolutions kept in the snapshot (builder.ts, ResolutionStore). */
  resolutions: number;
  /** Module resolutions taken from the snapshot, and whether those it holds are still valid (undefined until a program asked). */
  resolutionHits(): number;
  resolutionsValid(): boolean | undefined;
}

/** The property of `process` on which a kernel started from the snapshot exposes {@link SnapshotStats}. */
export const SNAPSHOT_MARK = Symbol.for("dl-workbook.kernelSnapshot");

/** The name of the (virtual) file the warm-up type checks, in the package root. */
export const WARM_FILE_NAME = "__workbook_snapshot_warm_up__.ts";

const CREATE_OPTIONS = "  function getCreateSourceFileOptions(fileName, moduleResolutionCache2, host2, options2) {\n";
const PACKAGE_JSON_CACHE = [
  "  function clear2() {\n    cache = void 0;\n  }\n  function getInternalMap() {\n    return cache;\n  }",
  "  return { getPackageJsonInfo: getPackageJsonInfo2, setPackageJsonInfo, clear: clear2, getInternalMap };",
];

const CREATE_ALL_EXPORT_EXPRESSIONS = "  function createAllExportExpressions(name, value, location) {\n    const exportedNames = getExports(name);";

/**
 * The changes to TypeScript's source that every kernel loads it with, from the snapshot (builder.ts)
 * or not (kernel/typescript.ts), applied like the converter's fixes (tslab-fixes.ts). Exact text of
 * TypeScript 5.9.3, the version package.json pins (its `overrides` installs it for tslab).
 */
export const TYPESCRIPT_CELL_FIXES: readonly SourceFix[] = [
  {
    why:
      "TypeScript 5.9's CommonJS transform, which tslab's converter runs on every cell (ts.transpileModule), crashed on a destructuring " +
      "assignment that mixes another target with a top-level name, `[ys[t], h] = f(h)` ('Cannot read properties of undefined (reading " +
      "'escapedText')'): the callback that assigns each flattened target asked which exports the target names also for an element or " +
      "property access, which names none. Such a target is now assigned plainly, visited like the targets of a destructuring without exports",
    find: CREATE_ALL_EXPORT_EXPRESSIONS,
    replace: CREATE_ALL_EXPORT_EXPRESSIONS.replace(
      "\n",
      "\n    if (!isIdentifier(name)) return setTextRange(factory2.createAssignment(Debug.checkDefined(visitNode(name, visitor, isExpression)), value), location);\n",
    ),
  },
  {
    why:
      "every program TypeScript 5.9 builds asks, for each of its files, which module format the file has (getCreateSourceFileOptions): " +
      "since 5.6 also under moduleResolution node10 for a file in node_modules, which all of a cell's declaration files are, by walking up " +
      "its folders to the nearest package.json. The walks are answered from the package.json cache, and still cost about a quarter of a " +
      "trivial cell. The answers are kept per file beside that cache, for the same compiler options, and forgotten whenever " +
      "the cache is cleared or its map handed out (the only ways its entries change), so every answer is the one the walk would give",
    find: CREATE_OPTIONS,
    replace:
      CREATE_OPTIONS +
      [
        "    const packageJsonInfoCache = moduleResolutionCache2 == null ? void 0 : moduleResolutionCache2.getPackageJsonInfoCache();",
        "    const known = packageJsonInfoCache && !packageJsonInfoCache.isReadonly && packageJsonInfoCache.workbookCreateOptions ? packageJsonInfoCache.workbookCreateOptions(options2, host2.jsDocParsingMode, currentDirectory) : void 0;",
        "    const kept = known == null ? void 0 : known.get(fileName);",
        "    if (kept) return kept;",
        "    const created = getCreateSourceFileOptionsUncached(fileName, moduleResolutionCache2, host2, options2);",
        "    if (known) known.set(fileName, created);",
        "    return created;",
        "  }",
        "  function getCreateSourceFileOptionsUncached(fileName, moduleResolutionCache2, host2, options2) {",
        "",
      ].join("\n"),
  },
  {
    why: "the package.json cache keeps the answers of getCreateSourceFileOptions (the fix above) until it is cleared or its map is handed out",
    find: PACKAGE_JSON_CACHE[0],
    replace: [
      "  function workbookCreateOptions(options, jsDocParsingMode, directory) {",
      "    if (!workbookKnown || workbookKey.options !== options || workbookKey.jsDocParsingMode !== jsDocParsingMode || workbookKey.directory !== directory) {",
      "      workbookKnown = new Map();",
      "      workbookKey = { options, jsDocParsingMode, directory };",
      "    }",
      "    return workbookKnown;",
      "  }",
      "  function clear2() {\n    cache = void 0;\n    workbookKnown = void 0;\n  }\n  function getInternalMap() {\n    workbookKnown = void 0;\n    return cache;\n  }",
    ].join("\n"),
  },
  {
    why: "the package.json cache hands out the kept answers (the fixes above)",
    find: PACKAGE_JSON_CACHE[1],
    replace: "  let workbookKnown, workbookKey;\n  return { getPackageJsonInfo: getPackageJsonInfo2, setPackageJsonInfo, clear: clear2, getInternalMap, workbookCreateOptions };",
  },
];

const CREATE_SOURCE_FILE = "function createSourceFile(fileName, sourceText, languageVersionOrOptions, setParentNodes = false, scriptKind) {";

const NODE10_RESOLVE =
  "        result = nodeModuleNameResolver(moduleName, containingFile, compilerOptions, host, cache, redirectedReference, resolutionMode ? getConditions(compilerOptions, resolutionMode) : void 0);";

/**
 * The snapshot builder's changes to TypeScript's source: {@link TYPESCRIPT_CELL_FIXES}, and its
 * internal createSourceFile asking the builder's store (`workbookSourceFiles`, a parameter of the
 * module wrapper) before parsing.
 */
export const TYPESCRIPT_FIXES: readonly SourceFix[] = [
  ...TYPESCRIPT_CELL_FIXES,
  {
    why: "createSourceFile hands out the declaration files parsed while the snapshot was built",
    find: CREATE_SOURCE_FILE,
    replace:
      CREATE_SOURCE_FILE +
      "\n    return workbookSourceFiles.parse(fileName, sourceText, languageVersionOrOptions, setParentNodes, scriptKind, parseSourceFileUncached);\n  }\n  " +
      CREATE_SOURCE_FILE.replace("createSourceFile", "parseSourceFileUncached"),
  },
  {
    why:
      "resolveModuleName (moduleResolution node10, what cells use) hands out the resolutions of the declaration files' imports made while " +
      "the snapshot was built (`workbookResolutions`, builder.ts), while nothing they depend on has changed; any other import is resolved as always",
    find: NODE10_RESOLVE,
    replace: NODE10_RESOLVE.replace(
      "result = nodeModuleNameResolver(",
      "result = workbookResolutions.resolve(moduleName, containingFile, compilerOptions, redirectedReference, resolutionMode, () => nodeModuleNameResolver(",
    ).replace(/;$/, ");"),
  },
];
