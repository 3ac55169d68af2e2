/** The snapshot's module resolutions: answered again while they hold, made afresh as soon as anything they depend on may have changed. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as TS from "typescript";
import { tslabTypeScript } from "../typescript";
import { packageUnchangeable, pathStamp, ResolutionStore, unreadablePaths } from "./resolutions";
import type { Resolution } from "./resolutions";

const ts = tslabTypeScript();
const OPTIONS: TS.CompilerOptions = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10, allowJs: true, resolveJsonModule: true };

/** A package folder: lib/a.d.ts imports "dep" (node_modules/dep, typed by its package.json) and "./b". */
function makePackage(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "workbook-resolutions-")));
  const write = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write("lib/a.d.ts", 'export { x } from "dep";\nexport { y } from "./b";\n');
  write("lib/b.d.ts", "export declare const y: number;\n");
  write("node_modules/dep/package.json", JSON.stringify({ name: "dep", types: "main.d.ts" }));
  write("node_modules/dep/main.d.ts", "export declare const x: number;\n");
  write("node_modules/dep/other.d.ts", "export declare const x: string;\n");
  return root;
}

/** A store that recorded the resolutions of lib/a.d.ts's imports, and a counter of the resolutions made afresh since. */
function recorded(root: string, unchangeable = false, unreadable = false): { store: ResolutionStore; resolve: (name: string, options?: TS.CompilerOptions) => Resolution; fresh: () => number } {
  const store = new ResolutionStore(root, { unchangeable: () => unchangeable, unreadable: () => unreadable });
  const from = path.join(root, "lib", "a.d.ts");
  let fresh = 0;
  const resolve = (name: string, options = OPTIONS): Resolution =>
    store.resolve(name, from, options, undefined, undefined, () => {
      fresh++;
      return ts.resolveModuleName(name, from, options, ts.sys);
    });
  resolve("dep");
  resolve("./b");
  resolve("not-installed-anywhere");
  store.finish(ts, OPTIONS);
  fresh = 0;
  return { store, resolve, fresh: () => fresh };
}

test("a resolution recorded in the package is answered from the store, as a fresh object each time", () => {
  const root = makePackage();
  try {
    const { store, resolve, fresh } = recorded(root);
    assert.equal(store.size, 3);
    const first = resolve("dep");
    const second = resolve("dep");
    assert.equal(first.resolvedModule?.resolvedFileName, path.join(root, "node_modules", "dep", "main.d.ts"));
    assert.equal(resolve("./b").resolvedModule?.resolvedFileName, path.join(root, "lib", "b.d.ts"));
    assert.notEqual(first, second);
    assert.notEqual(first.failedLookupLocations, second.failedLookupLocations);
    assert.equal(fresh(), 0);
    assert.equal(store.hits, 3);
    assert.equal(store.valid, true);
    // a lookup that walked above the package (node_modules folders up to /) is made afresh by a process that can see those places
    resolve("not-installed-anywhere");
    assert.equal(fresh(), 1);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a lookup that failed above the package is answered from the store where the process can read nothing there", () => {
  const root = makePackage();
  try {
    const { store, resolve, fresh } = recorded(root, false, true);
    const failed = resolve("not-installed-anywhere");
    assert.equal(failed.resolvedModule, undefined);
    assert.ok(failed.failedLookupLocations?.includes("/node_modules/not-installed-anywhere.d.ts"), String(failed.failedLookupLocations));
    assert.deepEqual([fresh(), store.hits], [0, 1]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a file appearing where a recorded resolution looked makes every resolution afresh", () => {
  const root = makePackage();
  try {
    const { store, resolve, fresh } = recorded(root);
    // resolving "dep" from lib/ looked in lib/node_modules first (absent then)
    fs.mkdirSync(path.join(root, "lib", "node_modules", "dep"), { recursive: true });
    fs.writeFileSync(path.join(root, "lib", "node_modules", "dep", "index.d.ts"), "export declare const x: boolean;\n");
    assert.equal(resolve("dep").resolvedModule?.resolvedFileName, path.join(root, "lib", "node_modules", "dep", "index.d.ts"));
    assert.equal(resolve("./b").resolvedModule?.resolvedFileName, path.join(root, "lib", "b.d.ts"));
    assert.equal(store.valid, false);
    assert.equal(store.hits, 0);
    assert.equal(fresh(), 2);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a changed package.json that a recorded resolution read makes it afresh", () => {
  const root = makePackage();
  try {
    const { store, resolve } = recorded(root);
    fs.writeFileSync(path.join(root, "node_modules", "dep", "package.json"), JSON.stringify({ name: "dep", types: "other.d.ts" }));
    assert.equal(resolve("dep").resolvedModule?.resolvedFileName, path.join(root, "node_modules", "dep", "other.d.ts"));
    assert.equal(store.valid, false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("imports are resolved afresh from within the kernel's own folder and under other resolution options", () => {
  const root = makePackage();
  const before = process.cwd();
  try {
    const { store, resolve, fresh } = recorded(root);
    resolve("dep", { ...OPTIONS, resolveJsonModule: false });
    assert.equal(fresh(), 1);
    // options that do not change resolution (typeRoots: type reference directives only) keep the store
    resolve("dep", { ...OPTIONS, typeRoots: ["/elsewhere"] });
    assert.equal(fresh(), 1);
    process.chdir(root);
    resolve("dep");
    assert.equal(fresh(), 2);
    assert.equal(store.hits, 1);
  } finally {
    process.chdir(before);
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("where nothing can change the package, kept resolutions come without the places they looked at, so none is watched", () => {
  const root = makePackage();
  try {
    const watched = recorded(root).resolve("dep");
    assert.ok((watched.failedLookupLocations?.length ?? 0) > 0 && (watched.affectingLocations?.length ?? 0) > 0);
    const { store, resolve } = recorded(root, true);
    const unwatched = resolve("dep");
    assert.equal(unwatched.resolvedModule?.resolvedFileName, watched.resolvedModule?.resolvedFileName);
    assert.equal(unwatched.failedLookupLocations, undefined);
    assert.equal(unwatched.affectingLocations, undefined);
    assert.equal(store.hits, 1);
    // and a resolution made afresh (here: one that looked above the package, which this process may read) keeps them all
    assert.ok((resolve("not-installed-anywhere").failedLookupLocations?.length ?? 0) > 0);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("packageUnchangeable: only under Node's permission model, with the package not writable and the kernel's folder outside it", () => {
  // this test process runs without the permission model: anything may change
  assert.equal(packageUnchangeable(process.cwd()), false);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-unchangeable-"));
  try {
    const script = [
      `const { packageUnchangeable, unreadablePaths } = require(${JSON.stringify(require.resolve("./resolutions"))});`,
      `console.log(JSON.stringify([packageUnchangeable(${JSON.stringify(path.dirname(__dirname))}), packageUnchangeable(process.cwd()), packageUnchangeable(${JSON.stringify(dir)}),`,
      `  unreadablePaths(["/node_modules/x.d.ts", "/usr/node_modules/x.d.ts"]), unreadablePaths(["/node_modules/x.d.ts", ${JSON.stringify(path.join(dir, "x.d.ts"))}])]));`,
    ].join("\n");
    // the package (this test's own files) and its folder, as the grader's sandbox lets a kernel read
    const readable = [path.resolve(__dirname, "..", "..", ".."), dir];
    const run = spawnSync(process.execPath, ["--experimental-permission", "--no-warnings", ...readable.map((p) => `--allow-fs-read=${p}`), `--allow-fs-write=${dir}`, "-e", script], {
      cwd: dir,
      encoding: "utf8",
    });
    assert.equal(run.status, 0, run.stderr);
    // a package it may not write: unchangeable; its own folder (writable, and where it runs): not;
    // places it may not read: unseen; its own folder: seen
    assert.deepEqual(JSON.parse(run.stdout), [true, false, false, true, false]);
    assert.equal(unreadablePaths(["/node_modules/x.d.ts"]), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("pathStamp changes when a file is written again with text of the same size, and when a folder gains an entry", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-stamp-"));
  try {
    const file = path.join(dir, "a.d.ts");
    fs.writeFileSync(file, "export declare const a: 1;\n");
    const [fileBefore, dirBefore] = [pathStamp(file), pathStamp(dir)];
    assert.equal(pathStamp(file), fileBefore);
    // a write within the same millisecond still moves ctime's nanoseconds on; wait past the clock's tick all the same
    const until = Date.now() + 5;
    while (Date.now() < until);
    fs.writeFileSync(file, "export declare const a: 2;\n");
    assert.notEqual(pathStamp(file), fileBefore);
    fs.writeFileSync(path.join(dir, "b.d.ts"), "");
    assert.notEqual(pathStamp(dir), dirBefore);
    assert.equal(pathStamp(path.join(dir, "missing")), "absent");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
