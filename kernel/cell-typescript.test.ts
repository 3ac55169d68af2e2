/**
 * Cells are type checked and compiled by the TypeScript this package pins (package.json
 * `typescript`, installed in place of tslab's 5.0 fork by `overrides`), so language features since
 * 5.0 work in cells; and TypeScript's CommonJS transform, which compiles every cell, is loaded with
 * the kernel's fix (snapshot/config.ts, TYPESCRIPT_CELL_FIXES).
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Module from "module";
import { Executor } from "./executor";
import type { CellOutcome } from "./executor";
import { PACKAGE_ROOT } from "./info";
import { createConverter, tslabTypeScript } from "./typescript";

const executor = new Executor(process.cwd());
after(() => executor.dispose());
let cellNumber = 0;

async function run(code: string): Promise<CellOutcome> {
  cellNumber += 1;
  return executor.run(code, cellNumber, () => false);
}

async function value(code: string): Promise<unknown> {
  const outcome = await run(code);
  assert.equal(outcome.status, "ok", `cell failed: ${code}\n${outcome.status === "error" ? outcome.evalue : ""}`);
  return outcome.status === "ok" ? outcome.value : undefined;
}

async function typeError(code: string): Promise<string> {
  const outcome = await run(code);
  assert.equal(outcome.status, "error", `cell ran, a type error was expected: ${code}`);
  return outcome.status === "error" ? outcome.evalue : "";
}

test("cells get the TypeScript package.json pins, the very copy tslab's converter requires", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; overrides: Record<string, string> };
  const pinned = pkg.dependencies.typescript;
  assert.equal(pinned, "5.9.3");
  assert.equal(pkg.overrides["@tslab/typescript-for-tslab"], `npm:typescript@${pinned}`, "overrides names the pinned version");
  createConverter().close();
  // what `require("@tslab/typescript-for-tslab")` in tslab's dist/converter.js returns
  const tslabDir = path.dirname(require.resolve("tslab/package.json", { paths: [PACKAGE_ROOT] }));
  const seenByConverter = Module.createRequire(path.join(tslabDir, "dist", "converter.js"))("@tslab/typescript-for-tslab") as typeof import("typescript");
  assert.equal(seenByConverter.version, pinned);
  assert.equal(seenByConverter, tslabTypeScript(), "the converter gets the kernel's copy, loaded with its fixes");
});

test("a destructuring assignment to an element and a top-level name compiles (TypeScript 5.9's CommonJS transform crashed on it)", async () => {
  // notebooks/06: for (let t = 0; t < T; t++) [ys[t], hState] = f1(x.take(1, t), hState);
  assert.deepEqual(await value("let h = 0; const ys: number[] = [];\nfor (let t = 0; t < 3; t++) [ys[t], h] = [10 * t, h + 1];\n[ys, h]"), [[0, 10, 20], 3]);
  assert.deepEqual(await value("const o = { p: 0 }; let k = 0; let a = 0;\n({ x: o.p, y: a } = { x: 1, y: 2 });\n[ys[k++], h] = [7, 8];\n[o.p, a, k, ys[0], h]"), [1, 2, 1, 7, 8]);
  // what the cell assigned is what later cells read (exports.k and exports.h were updated)
  assert.deepEqual(await value("[k, h, a]"), [1, 8, 2]);
});

test("NoInfer (TypeScript 5.4) keeps a default from widening the inferred type", async () => {
  await value("function pick<T extends string>(choices: T[], fallback: NoInfer<T>): T { return choices[0] ?? fallback; }");
  assert.equal(await value('pick(["adam", "sgd"], "sgd")'), "adam");
  assert.match(await typeError('pick(["adam", "sgd"], "rmsprop")'), /Argument of type '"rmsprop"' is not assignable to parameter of type '"adam" \| "sgd"'/);
});

test("an inferred type predicate (TypeScript 5.5) narrows filter's result", async () => {
  assert.deepEqual(await value('const isNum = (x: unknown) => typeof x === "number";\nconst nums: number[] = [1, "a", 2].filter(isNum);\nnums'), [1, 2]);
  assert.deepEqual(await value("const present: number[] = [1, undefined, 3].filter((v) => v !== undefined);\npresent"), [1, 3]);
  // without the inferred predicate the result stays (string | number)[]
  assert.match(await typeError('const isNumBoolean = (x: unknown): boolean => typeof x === "number";\nconst wide: number[] = [1, "a"].filter(isNumBoolean);'), /not assignable to type 'number\[\]'/);
});

test("`using` and `await using` (TypeScript 5.2) dispose at the end of their block or cell", async () => {
  assert.equal(await value("let disposed: string[] = [];\n{\n  using resource = { [Symbol.dispose]() { disposed.push('block'); } };\n}\ndisposed.length"), 1);
  await value("using atCellEnd = { [Symbol.dispose]() { disposed.push('cell'); } };");
  await value("await using awaited = { async [Symbol.asyncDispose]() { await Promise.resolve(); disposed.push('async'); } };");
  assert.deepEqual(await value("disposed"), ["block", "cell", "async"]);
  assert.match(await typeError("using notDisposable = { close() {} };"), /Symbol\.dispose/);
});

test("`satisfies` checks a value against a type without widening it", async () => {
  assert.equal(await value('const config = { lr: 0.1, name: "adam" } satisfies Record<string, number | string>;\nconfig.lr.toFixed(2)'), "0.10");
  assert.match(await typeError('const wrong = { lr: "fast" } satisfies Record<string, number>;'), /Type 'string' is not assignable to type 'number'/);
});

test("top-level await, inspect and completion work on the pinned TypeScript", async () => {
  assert.equal(await value("const loaded = await Promise.resolve(42);\nloaded"), 42);
  const info = executor.inspect("loaded", 2);
  assert.ok(info.found);
  assert.match(info.text, /const loaded: number/);
  assert.ok(executor.complete("loaded.toFix", 12).candidates.includes("toFixed"));
});

test("cells see @types/node's globals but no other @types package's unless they import it", async () => {
  // JupyterLab's build installs @types/jquery and @types/lodash beside the package: their globals stay out of cells
  for (const name of ["jquery", "lodash"]) assert.ok(fs.existsSync(path.join(PACKAGE_ROOT, "node_modules", "@types", name)), `@types/${name} is installed (a dev dependency), so this test means something`);
  assert.equal(await value("typeof process.versions.node"), "string");
  assert.match(await typeError("const dollar: unknown = $;"), /Cannot find name '\$'/);
  assert.match(await typeError("const lodash: unknown = _;"), /Cannot find name '_'/);
});

/** A compiler host whose programs resolve modules through `cache`, as the watch program's host does (so its package.json cache outlives a program). */
function withCache(ts: typeof import("typescript"), options: import("typescript").CompilerOptions, cache: import("typescript").ModuleResolutionCache): import("typescript").CompilerHost {
  const host: import("typescript").CompilerHost = ts.createCompilerHost(options);
  host.getModuleResolutionCache = () => cache;
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, opts, file) =>
    literals.map((literal) => ts.resolveModuleName(literal.text, containingFile, opts, host, cache, redirected, ts.getModeForUsageLocation(file, literal, opts)));
  return host;
}

test("each file's module format is kept per package.json cache and gives what TypeScript's own walk gives, also after a package.json changes", () => {
  const fixed = tslabTypeScript();
  // the same TypeScript without the kernel's fixes (the root node_modules copy of the pinned version)
  const plain = Module.createRequire(path.join(PACKAGE_ROOT, "package.json"))("typescript") as typeof import("typescript");
  assert.equal(plain.version, fixed.version);
  assert.notEqual(plain, fixed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-formats-"));
  try {
    const write = (file: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    write("node_modules/esm-pkg/package.json", JSON.stringify({ name: "esm-pkg", type: "module", types: "index.d.ts" }));
    write("node_modules/esm-pkg/index.d.ts", "export declare const e: number;\n");
    write("node_modules/cjs-pkg/package.json", JSON.stringify({ name: "cjs-pkg", types: "lib/index.d.ts" }));
    write("node_modules/cjs-pkg/lib/index.d.ts", "export declare const c: number;\n");
    write("main.ts", 'import { e } from "esm-pkg";\nimport { c } from "cjs-pkg";\nexport const sum = e + c;\n');
    /** The module format of every package file in two programs in a row (the second reusing the first), with a package.json edit between them. */
    const formats = (ts: typeof import("typescript"), edit: (cache: import("typescript").ModuleResolutionCache) => void): string[][] => {
      const options: import("typescript").CompilerOptions = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10, noEmit: true, types: [] };
      const cache = ts.createModuleResolutionCache(dir, (f) => f, options);
      const host = withCache(ts, options, cache);
      const seen = (program: import("typescript").Program): string[] =>
        program
          .getSourceFiles()
          .filter((f) => f.fileName.startsWith(path.join(dir, "node_modules") + path.sep))
          .map((f) => `${path.relative(dir, f.fileName)} ${String(f.impliedNodeFormat)} ${(f as { packageJsonLocations?: string[] }).packageJsonLocations?.length ?? 0}`);
      const first = ts.createProgram({ rootNames: [path.join(dir, "main.ts")], options, host });
      const before = seen(first);
      edit(cache);
      return [before, seen(ts.createProgram({ rootNames: [path.join(dir, "main.ts")], options, host, oldProgram: first }))];
    };
    const makeCjsEsm = (cache: import("typescript").ModuleResolutionCache): void => {
      write("node_modules/cjs-pkg/package.json", JSON.stringify({ name: "cjs-pkg", type: "module", types: "lib/index.d.ts" }));
      // what TypeScript's watch does when a package.json changes: the cached lookup goes
      (cache.getPackageJsonInfoCache() as unknown as { getInternalMap(): Map<string, unknown> | undefined }).getInternalMap()?.delete(path.join(dir, "node_modules/cjs-pkg/package.json"));
    };
    const expected = formats(plain, makeCjsEsm);
    write("node_modules/cjs-pkg/package.json", JSON.stringify({ name: "cjs-pkg", types: "lib/index.d.ts" }));
    const got = formats(fixed, makeCjsEsm);
    assert.deepEqual(got, expected);
    assert.ok(
      expected[0].some((f) => f.startsWith("node_modules/esm-pkg/index.d.ts 99")),
      JSON.stringify(expected),
    );
    assert.ok(
      expected[1].some((f) => f.startsWith("node_modules/cjs-pkg/lib/index.d.ts 99")),
      `the edit is seen: ${JSON.stringify(expected)}`,
    );
    // the answers are kept: the fixed cache holds them for the program's options
    const options = { module: fixed.ModuleKind.ESNext, moduleResolution: fixed.ModuleResolutionKind.Node10, noEmit: true, types: [] };
    const cache = fixed.createModuleResolutionCache(dir, (f) => f, options);
    const host = withCache(fixed, options, cache);
    fixed.createProgram({ rootNames: [path.join(dir, "main.ts")], options, host });
    const kept = (cache.getPackageJsonInfoCache() as { workbookCreateOptions?: (o: object, m: unknown, d: string) => Map<string, unknown> }).workbookCreateOptions;
    assert.ok(kept && kept(options, host.jsDocParsingMode, host.getCurrentDirectory()).size > 0, "the module formats of the program's files are kept");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
