/**
 * Cells that read earlier cells' variables through shorthand properties, renamed destructuring,
 * `await (p)` and `export`, and names that start with `__` (which TypeScript escapes internally).
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { Executor } from "./executor";
import type { CellOutcome } from "./executor";

// One executor for every test: creating the converter costs seconds on a busy machine.
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

test("shorthand properties and shorthand destructuring see earlier cells' variables", async () => {
  await value("let load = { a: 1 };");
  assert.deepEqual(await value("const o = { load }; o"), { load: { a: 1 } });
  assert.deepEqual(await value("function wrapLoad() { return { load }; } wrapLoad()"), { load: { a: 1 } });
  assert.equal(await value("({ load } = { load: { a: 5 } }); load.a"), 5);
  assert.equal(await value("({ load = { a: 7 } } = {} as { load?: { a: number } }); load.a"), 7);
});

test("renamed destructuring of a value typed in an earlier cell", async () => {
  await value("function makePair() { return { a: 1, b: 2 }; }");
  // inside a block: the block's last expression is not the cell's result, so it is copied out
  assert.equal(await value("let fromBlock = 0;\n{ const { a: renamed } = makePair(); fromBlock = renamed; }\nfromBlock"), 1);
  assert.equal(await value("const { b: second } = makePair(); second"), 2);
  assert.deepEqual(await value("const typed: ReturnType<typeof makePair> = { a: 3, b: 4 }; typed"), { a: 3, b: 4 });
});

test("a parenthesized top-level await runs the cell as async", async () => {
  assert.equal(await value("const awaited = await (Promise.resolve(4)); awaited"), 4);
  assert.equal(await value("function notTopLevel() { return 1; } await (Promise.resolve(notTopLevel() + 1))"), 2);
});

test("an exported function can be defined, and redefined by re-running its cell", async () => {
  await value("export function exportedTwice() { return 1; }");
  await value("export function exportedTwice() { return 2; }");
  assert.equal(await value("exportedTwice()"), 2);
});

test("type errors in a rewritten cell keep the cell's line and column", async () => {
  const outcome = await run("const shorthandHolder = { load };\nconst wrong: string = 1;");
  assert.equal(outcome.status, "error");
  if (outcome.status === "error") assert.match(outcome.evalue, /^line 2, column 7: Type 'number' is not assignable to type 'string'/);
  const second = await run("const q = { a: 1, load }; const bad: number = 'x';");
  assert.equal(second.status, "error");
  if (second.status === "error") assert.match(second.evalue, /^line 1, column 33:/);
});

test("names starting with two underscores are declared in one cell and used in later ones", async () => {
  assert.equal(await value("const __x = 1; __x"), 1);
  assert.equal(await value("__x + 1"), 2);
  assert.equal(await value("const ___y = 2; ___y"), 2);
  assert.equal(await value("___y * 10"), 20);
  await value("const __proto_like = 5;");
  assert.equal(await value("__proto_like"), 5);
  await value("function __double(__n: number): number { return 2 * __n; }");
  assert.equal(await value("__double(__x + ___y)"), 6);
  await value("const { a: __a, b: [__b], __c } = { a: 1, b: [2], __c: 3 };");
  assert.deepEqual(await value("[__a, __b, __c]"), [1, 2, 3]);
  assert.deepEqual(await value("({ __c, __x })"), { __c: 3, __x: 1 });
  assert.equal(await value("const __arrow = (__p: number) => __p + __a; __arrow(10)"), 11);
});

test("a variable named __proto__ is a cell variable, not the prototype of the variables", async () => {
  await value("let __proto__ = 7;");
  assert.equal(await value("__proto__"), 7);
  assert.equal(await value("__proto__ = 8; __proto__ + 1"), 9);
});

test("types, classes and imports named with two underscores reach later cells", async () => {
  await value("type __Point = { x: number }; interface __Holder { p: __Point }");
  assert.equal(await value("const __held: __Holder = { p: { x: 4 } }; __held.p.x"), 4);
  await value('import * as __path from "path";');
  assert.equal(await value('__path.basename("/a/b.txt")'), "b.txt");
  await value("class __Counter { n = 1 }");
  // re-using a class's name for a type keeps its value usable (tslab declares it as `let __Counter: any`)
  assert.equal(await value("type __Counter = number; const counted: __Counter = 2; counted"), 2);
  assert.equal(await value("new __Counter().n"), 1);
});

test("completion offers names that start with two underscores", async () => {
  await value("const __completeMe = 1;");
  assert.ok(executor.complete("__comp", 6).candidates.includes("__completeMe"));
});

test("what a cell defined before it threw stays defined for later cells, types included", async () => {
  const failed = await run(
    "function doubled(x: number) { return 2 * x; }\nclass Counter { constructor(public n: number) {} }\ninterface Pair { a: number; b: number }\nconst seven = 7;\nthrow new Error('a failing check after the definitions');",
  );
  assert.equal(failed.status, "error");
  assert.equal(await value("doubled(seven)"), 14);
  assert.equal(await value("new Counter(3).n"), 3);
  assert.deepEqual(await value("const pair: Pair = { a: 1, b: 2 }; pair"), { a: 1, b: 2 });
});

test("what an interrupted cell defined before the interrupt stays defined", async () => {
  cellNumber += 1;
  let interrupt = false;
  setTimeout(() => (interrupt = true), 50);
  const pending = executor.run("const trained = { weights: [1, 2] };\nawait new Promise((resolve) => setTimeout(resolve, 60_000));", cellNumber, () => interrupt);
  setTimeout(() => executor.interrupt(), 100);
  const outcome = await pending;
  assert.equal(outcome.status, "error");
  assert.deepEqual(await value("trained.weights"), [1, 2]);
});
