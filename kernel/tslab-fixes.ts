/**
 * tslab's converter, loaded with fixes. Each fix below says what it repairs:
 * - names that start with two underscores. TypeScript stores such names escaped in its symbol
 *   tables (`__x` is kept as `___x`); tslab 1.0.22's converter wrote them back into TypeScript
 *   source without unescaping them, so `const __x = 1` became `export { ___x }` ("Cannot find
 *   name '___x'") and the name never reached later cells;
 * - a second whole program per cell, built only to learn the cell's top-level names, and the
 *   bookkeeping of TypeScript's BuilderProgram around each one;
 * - its timers for TypeScript's watch program, which broke every cell after a file appeared in a
 *   watched folder.
 *
 * tslab is pinned to one version (package.json), so each fix is an exact replacement in its
 * dist/converter.js that must match exactly once; if tslab changes, loading fails and says so.
 */
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import Module from "module";

/** One exact text replacement in a dependency's JavaScript, with the reason it is needed. */
export interface SourceFix {
  /** What the fix is for, shown when it no longer applies. */
  why: string;
  find: string;
  replace: string;
}

/** The fixes to tslab 1.0.22's dist/converter.js (see the file comment). */
export const CONVERTER_FIXES: readonly SourceFix[] = [
  {
    why:
      "convert() exports every top-level name of the cell with `export { <names> }`. It found the names by building a whole program " +
      "for the cell and then a second one with the export line (each with every declaration file); parsing and binding " +
      "the cell alone gives the same names, so one program per cell is enough. The names also came escaped (`___x` for `__x`)",
    find: [
      "        updateContent(prevDecl, src);",
      "        let declsFile = builder.getSourceFile(declFilename);",
      "        let srcFile = builder.getSourceFile(srcFilename);",
      "        const locals = srcFile.locals;",
      "        const keys = new Set();",
      "        if (locals) {",
      "            locals.forEach((_, key) => {",
      "                keys.add(key);",
      "            });",
      "        }",
      "        if (keys.size > 0) {",
      "            // Export all local variables.",
      '            // TODO: Disallow "export" in the input.',
      '            const suffix = "\\nexport {" + Array.from(keys).join(", ") + "}";',
      "            updateContent(prevDecl, src + suffix);",
      "            declsFile = builder.getSourceFile(declFilename);",
      "            srcFile = builder.getSourceFile(srcFilename);",
      "        }",
    ].join("\n"),
    replace: [
      "        const cellAlone = ts.createSourceFile(srcFilename, srcPrefix + src, transpileTarget, false, ts.ScriptKind.TS);",
      "        ts.bindSourceFile(cellAlone, {});",
      "        const keys = new Set();",
      "        if (cellAlone.locals) {",
      "            cellAlone.locals.forEach((_, key) => {",
      "                keys.add(ts.unescapeLeadingUnderscores(key));",
      "            });",
      "        }",
      '        updateContent(prevDecl, keys.size > 0 ? src + "\\nexport {" + Array.from(keys).join(", ") + "}" : src);',
      "        let declsFile = builder.getSourceFile(declFilename);",
      "        let srcFile = builder.getSourceFile(srcFilename);",
    ].join("\n"),
  },
  {
    why:
      "the converter ran TypeScript's watch program with room for one pending timer, the program update; when a file appeared " +
      "in a folder TypeScript watches (the notebook's folder, node_modules), TypeScript also scheduled its invalidation of failed " +
      'module lookups, and every cell after that failed with "Unexpected pending rebuildTimer" until the kernel was restarted. ' +
      "Pending timers now queue, and the converter runs them all, in order, before it reads the program",
    find: [
      "        if (rebuildTimer) {",
      '            throw new Error("Unexpected pending rebuildTimer");',
      "        }",
      "        rebuildTimer = {",
      "            callback: () => {",
      "                callback();",
      "                rebuildTimer = null;",
      "            },",
      "        };",
      "        return rebuildTimer;",
      "    };",
      "    sys.clearTimeout = (timeoutId) => {",
      "        if (rebuildTimer === timeoutId) {",
      "            rebuildTimer = null;",
      "            return;",
      "        }",
      '        throw new Error("clearing unexpected tiemr");',
      "    };",
    ].join("\n"),
    replace: [
      "        const timer = { callback };",
      "        pendingTimers.push(timer);",
      "        rebuildTimer = { callback: runPendingTimers };",
      "        return timer;",
      "    };",
      "    const pendingTimers = [];",
      "    function runPendingTimers() {",
      "        while (pendingTimers.length > 0) pendingTimers.shift().callback();",
      "        rebuildTimer = null;",
      "    }",
      "    sys.clearTimeout = (timeoutId) => {",
      "        const index = pendingTimers.indexOf(timeoutId);",
      "        if (index >= 0) pendingTimers.splice(index, 1);",
      "        if (pendingTimers.length === 0) rebuildTimer = null;",
      "    };",
    ].join("\n"),
  },
  {
    why:
      "the watch program wrapped each cell's program in a BuilderProgram, which records a dependency graph and signatures of " +
      "all the files a dl-workbook import brings in, on every cell; the converter gets a plain program (kernel/plain-program.ts)",
    find: "}, sys, null, function (d) {",
    replace: "}, sys, workbookCreateProgram, function (d) {",
  },
  {
    why: "remainingDecls() declares a class's value name that a later cell re-used as a type as `let <name>: any`; the name came escaped",
    find: "anyVarsDecls.push(`let ${name}: any;\\n`);",
    replace: "anyVarsDecls.push(`let ${ts.unescapeLeadingUnderscores(name)}: any;\\n`);",
  },
  {
    why:
      "the converter's first program held no declarations, so the first cell that imports a module rebuilt it with every file that " +
      "module brings in (a second whole program); a kernel that knows the declarations its cells will see (a grading kernel, " +
      "kernel/conversion-cache.ts) starts with them: `createConverter({ workbookInitialDeclarations })`",
    find: ['    let srcContent = "";', '    let declContent = "";'].join("\n"),
    replace: ['    let srcContent = "";', '    let declContent = (options && options.workbookInitialDeclarations) || "";'].join("\n"),
  },
  {
    why:
      "every cell's program took in every package under node_modules/@types (TypeScript's default when `types` is unset): with " +
      "JupyterLab's @types (jquery, lodash, react, d3, ...) installed, each cell checked against hundreds of declaration files more " +
      "than it needs and saw their globals (`$`, `_`); cells get @types/node's globals, and any other package's types when they import it",
    find: "        typeRoots: getTypeRoots(),",
    replace: ["        typeRoots: getTypeRoots(),", '        types: ["node"],'].join("\n"),
  },
  {
    why: "complete() matches candidates against the word being typed; the word came escaped, so `__x` never completed",
    find: "let name = id.escapedText.toString();",
    replace: "let name = ts.idText(id);",
  },
];

/**
 * The fixes that let tslab's converter run on the TypeScript package.json pins instead of tslab's
 * fork (`overrides` installs it as @tslab/typescript-for-tslab): each call of a function only the
 * fork exports goes to its equivalent on the public API (kernel/tslab-typescript.ts, the binding
 * `workbookTypeScript`), and the options TypeScript 5.5 removed are dropped.
 */
export const TYPESCRIPT_API_FIXES: readonly SourceFix[] = [
  {
    why: "getTypeRoots() called the fork's ts.getDefaultTypeRoots",
    find: ["        const typeRoots = ts.getDefaultTypeRoots(cwd, {", "            directoryExists: sys.directoryExists,", "        }) || [];"].join("\n"),
    replace: "        const typeRoots = workbookTypeScript.defaultTypeRoots(ts, cwd, sys.directoryExists) || [];",
  },
  {
    why: "inspect() called the fork's ts.getQuickInfoAtPosition(sourceFile, checker, ...)",
    find: "const info = ts.getQuickInfoAtPosition(srcFile, builder.getProgram().getTypeChecker(), cancellationToken, position + srcPrefix.length);",
    replace: "const info = workbookTypeScript.quickInfoAtPosition(ts, srcFile, builder.getProgram().getTypeChecker(), position + srcPrefix.length);",
  },
  {
    why: "the cell's transformers called the fork's ts.getNullTransformationContext()",
    find: "const nullTransformationContext = ts.getNullTransformationContext();",
    replace: "const nullTransformationContext = ts.nullTransformationContext;",
  },
  {
    why: "complete() called the fork's ts.Completions.getCompletionsAtPositionForTslab (getCompletionsAtPosition without a format context)",
    find: "return ts.Completions.getCompletionsAtPositionForTslab(host, program, log, sourceFile, position, preferences, triggerCharacter, ts.CompletionTriggerKind.Invoked, {",
    replace: "return ts.Completions.getCompletionsAtPosition(host, program, log, sourceFile, position, preferences, triggerCharacter, ts.CompletionTriggerKind.Invoked, {",
  },
  {
    why: "convert() called the fork's ts.getPreEmitDiagnosticsOfFiles",
    find: "return ts.getPreEmitDiagnosticsOfFiles(builder.getProgram(), files);",
    replace: "return workbookTypeScript.preEmitDiagnosticsOfFiles(ts, builder.getProgram(), files);",
  },
  {
    why: "the cells' compiler options set noImplicitUseStrict, an option TypeScript 5.5 removed (every cell would report it)",
    find: ["        // Remove 'use strict' from outputs.", "        noImplicitUseStrict: true,"].join("\n"),
    replace: "",
  },
  {
    why: 'esModuleToCommonJSModule() set noImplicitUseStrict, which TypeScript 5.5 removed; the "use strict" prologue it kept out is removed from the output instead',
    find: ["            // Remove 'use strict' from outputs.", "            noImplicitUseStrict: true,", "        },", "    }).outputText;"].join("\n"),
    replace: ["        },", '    }).outputText.replace(/^"use strict";\\n/, "");'].join("\n"),
  },
  {
    why:
      "the cells' compiler options set the fork's disableTopLevelAwait (TypeScript 5.9 has no such option, nor needs it: a cell is an ES module, " +
      "where top-level await is allowed). In its place libReplacement: false: TypeScript 5.8 and later look for @typescript/lib-* packages " +
      "in every node_modules from the notebook's folder up and watch those that are missing, which polled folders for nothing and, " +
      "in the grader's sandbox, asked Node to watch folders its permission model does not let the kernel read, so no cell ran",
    find: "        disableTopLevelAwait: true,",
    replace: "        libReplacement: false,",
  },
];

/** `source` with every fix applied; throws when a fix does not match exactly once (the dependency changed). */
export function applyFixes(source: string, fixes: readonly SourceFix[], file: string): string {
  let out = source;
  for (const fix of fixes) {
    const count = out.split(fix.find).length - 1;
    if (count !== 1) {
      throw new Error(
        `Cannot apply the kernel's fix to ${file}: expected the text ${JSON.stringify(fix.find)} once, found it ${count} times ` +
          `(fix: ${fix.why}). The installed tslab differs from the version package.json pins; reinstall with \`npm ci\`, ` +
          `or update its fixes (kernel/tslab-fixes.ts; kernel/snapshot/config.ts for TypeScript) for the new version.`,
      );
    }
    out = out.replace(fix.find, () => fix.replace);
  }
  return out;
}

const loaded = new Map<string, unknown>();

/**
 * Loads the CommonJS module `file` as `require` would, with `fixes` applied to its source; the
 * module's own `require` resolves from its real directory, and `bindings` are names in its scope
 * that the fixes refer to. Each file loads once per process.
 */
export function requireFixed(file: string, fixes: readonly SourceFix[], bindings: Record<string, unknown> = {}): unknown {
  const cached = loaded.get(file);
  if (cached !== undefined) return cached;
  const source = applyFixes(fs.readFileSync(file, "utf8"), fixes, file);
  const moduleObject: { exports: unknown } = { exports: {} };
  const names = Object.keys(bindings);
  const body = vm.compileFunction(source, ["exports", "require", "module", "__filename", "__dirname", ...names], { filename: file });
  body.call(moduleObject.exports, moduleObject.exports, Module.createRequire(file), moduleObject, file, path.dirname(file), ...names.map((n) => bindings[n]));
  loaded.set(file, moduleObject.exports);
  return moduleObject.exports;
}
