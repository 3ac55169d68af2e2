/** Cells that read earlier cells' variables through shorthand properties, renamed destructuring, `await (p)` and `export`. */
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
