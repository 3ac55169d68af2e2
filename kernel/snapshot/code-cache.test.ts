/**
 * The code cache (code-cache.ts): modules served from it behave as Node loads them (exports,
 * `this`, the `require` they get, errors' stack positions, hashbangs, dynamic import); a changed
 * file and data V8 refuses go to Node's own compile. Each case runs in a child process, since the
 * hook replaces the loader's compile for the whole process.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { codeCacheIsCurrent, installCodeCache } from "./code-cache";

const CODE_CACHE = path.join(__dirname, "code-cache.js");

/** Modules that use what Node's loader gives them; b.js throws on its first line, where the wrapper's prefix would shift columns. */
const MODULES: Record<string, string> = {
  "a.js": [
    '"use strict";',
    'const b = require("./b");',
    "exports.value = b.twice(21);",
    "exports.thisIsExports = this === module.exports;",
    "exports.names = [path.basename(__filename), path.basename(__dirname)];",
    'exports.resolved = path.basename(require.resolve("./b"));',
    'exports.resolvedFrom = path.basename(require.resolve("./b", { paths: [__dirname] }));',
    'exports.lookup = require.resolve.paths("x").length;',
    "exports.inCache = require.cache[__filename] === module;",
    "exports.main = require.main === process.mainModule;",
    "exports.extensions = Object.keys(require.extensions);",
    "exports.requireNames = [require.name, require.resolve.name, require.resolve.paths.name];",
    "exports.badResolve = (() => { try { require.resolve(42); } catch (e) { return `${e.code}: ${e.message}`; } })();",
    'exports.missing = (() => { try { require("./nope"); } catch (e) { return e.code; } })();',
    "exports.parentIsMain = module.parent === require.main;",
    'exports.fail = function fail() { throw new RangeError("from a"); };',
  ].join("\n"),
  "b.js": ['exports.twice = (x) => x * 2; exports.first = () => { throw new Error("first line"); };', "exports.nullRead = () => {", "  return null.x;", "};"].join("\n"),
  "top.js": ["// throws while loading", "const x = 1;", 'if (x) throw new TypeError("at the top");'].join("\n"),
  "bang.js": "#!/usr/bin/env node\nexports.bang = typeof require;",
  "dyn.js": 'exports.load = () => import("./esm.mjs");',
  "esm.mjs": "export const x = 5;",
};

/** The driver each child runs: records, serves or plainly loads the modules, and prints what it saw. */
const DRIVER = `
const path = require("path");
globalThis.path = path;
const cc = require(${JSON.stringify(CODE_CACHE)});
const [mode, cacheFile] = process.argv.slice(2);
const recorder = mode === "record" ? cc.startCodeCacheRecording() : undefined;
const stats = mode === "serve" ? cc.installCodeCache(cacheFile) : undefined;
const frames = (e) => e.stack.split("\\n").filter((l) => l.includes(__dirname)).map((l) => l.replace(__dirname, "DIR"));
const a = require("./a");
const b = require("./b");
const seen = { ...a, fail: undefined };
for (const [name, f] of Object.entries({ fail: a.fail, first: b.first, nullRead: b.nullRead })) try { f(); } catch (e) { seen[name] = [e.constructor.name, e.message, ...frames(e)]; }
try { require("./top"); } catch (e) { seen.top = [e.message, ...frames(e)]; seen.topCached = require.cache[path.join(__dirname, "top.js")] !== undefined; }
seen.bang = require("./bang").bang;
require("./dyn").load().then((m) => {
  seen.dyn = m.x;
  if (recorder) recorder.write(cacheFile);
  process.stdout.write(JSON.stringify({ seen, stats: stats && { ...stats, file: undefined } }));
});
`;

interface Run {
  seen: Record<string, unknown>;
  stats?: { entries: number; served: number; rejected: number; changed: number };
}

function run(dir: string, mode: "record" | "serve" | "plain", cacheFile: string, flags: string[] = []): Run {
  const child = spawnSync(process.execPath, [...flags, path.join(dir, "driver.js"), mode, cacheFile], { cwd: dir, encoding: "utf8" });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as Run;
}

function fixture(): { dir: string; cacheFile: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-code-cache-"));
  for (const [name, text] of Object.entries(MODULES)) fs.writeFileSync(path.join(dir, name), text);
  fs.writeFileSync(path.join(dir, "driver.js"), DRIVER);
  return { dir, cacheFile: path.join(dir, "modules.jscache") };
}

test("modules served from the code cache behave as Node loads them, errors included", () => {
  const { dir, cacheFile } = fixture();
  try {
    const plain = run(dir, "plain", cacheFile);
    const recorded = run(dir, "record", cacheFile);
    assert.deepEqual(recorded.seen, plain.seen);
    assert.ok(codeCacheIsCurrent(cacheFile));
    const served = run(dir, "serve", cacheFile);
    assert.deepEqual(served.seen, plain.seen);
    // every module but the driver (the main module), dyn.js (it calls import(): left to Node) and the ES module
    assert.deepEqual(served.stats, { entries: 4, served: 4, rejected: 0, changed: 0 });
    // the positions Node reports, first line included
    assert.deepEqual(plain.seen.first, ["Error", "first line", "    at exports.first (DIR/b.js:1:61)", "    at Object.<anonymous> (DIR/driver.js:12:103)"]);
    assert.equal((plain.seen.top as string[])[1], "    at Object.<anonymous> (DIR/top.js:3:14)");
    assert.equal(plain.seen.dyn, 5);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a module changed since the cache was recorded is compiled from its new source", () => {
  const { dir, cacheFile } = fixture();
  try {
    run(dir, "record", cacheFile);
    // same length, so only the content hash can tell
    const file = path.join(dir, "b.js");
    fs.writeFileSync(file, MODULES["b.js"].replace("x * 2", "x * 3"));
    assert.equal(codeCacheIsCurrent(cacheFile), false);
    const plain = run(dir, "plain", cacheFile);
    const served = run(dir, "serve", cacheFile);
    assert.equal(served.seen.value, 63);
    assert.deepEqual(served.seen, plain.seen);
    assert.deepEqual(served.stats, { entries: 4, served: 3, rejected: 0, changed: 1 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("cached code V8 refuses (other V8 flags) falls back to Node's compile, and the cache is dropped after two refusals", () => {
  const { dir, cacheFile } = fixture();
  try {
    run(dir, "record", cacheFile);
    const flags = ["--max-lazy"];
    const plain = run(dir, "plain", cacheFile, flags);
    const served = run(dir, "serve", cacheFile, flags);
    assert.deepEqual(served.seen, plain.seen);
    assert.deepEqual(served.stats, { entries: 4, served: 0, rejected: 2, changed: 0 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a cache file that is missing, malformed or from another Node is not used", () => {
  const { dir, cacheFile } = fixture();
  try {
    assert.equal(installCodeCache(cacheFile), undefined);
    fs.writeFileSync(cacheFile, "not a cache");
    assert.equal(installCodeCache(cacheFile), undefined);
    assert.equal(codeCacheIsCurrent(cacheFile), false);
    run(dir, "record", cacheFile);
    const bytes = fs.readFileSync(cacheFile);
    const length = bytes.readUInt32LE(8);
    const index = bytes.subarray(12, 12 + length).toString("utf8");
    // same length, so the data offsets stay right: only the Node version differs
    const other = index.replace(`"node":"${process.version}"`, `"node":"${process.version.replace(/\d/g, "0")}"`);
    assert.notEqual(other, index);
    fs.writeFileSync(cacheFile, Buffer.concat([bytes.subarray(0, 12), Buffer.from(other, "utf8"), bytes.subarray(12 + length)]));
    assert.equal(installCodeCache(cacheFile), undefined);
    assert.equal(codeCacheIsCurrent(cacheFile), false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
