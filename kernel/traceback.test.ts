/** Mapping emitted JavaScript lines and runtime stacks back to cell lines: the rules, then real cells. */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { alignLines, mapStack, SourceMapper, cellFileName } from "./traceback";
import { Executor } from "./executor";

test("alignLines follows statements through removed types and blank lines", () => {
  const source = ["interface P { x: number }", "", "function norm(p: P): number {", "  return Math.abs(p.x);", "}", "", "const value: number = norm({ x: -3 });"].join("\n");
  const emitted = ["function norm(p) {", "    return Math.abs(p.x);", "}", "const value = norm({ x: -3 });", "exports.value = value;"].join("\n");
  const lines = alignLines(source, emitted);
  assert.deepEqual(lines.slice(0, 4), [2, 3, -1, 6]);
});

test("mapStack names cell and line, keeps the code line, drops kernel frames", () => {
  const mapper = new SourceMapper();
  const source = "function inner(n: number) {\n  throw new Error('bad ' + n);\n}\ninner(2);";
  const emitted = "function inner(n) {\n    throw new Error('bad ' + n);\n}\ninner(2);";
  mapper.register(cellFileName(4), source, emitted, 1);
  const stack = [
    "Error: bad 2",
    `    at inner (${cellFileName(4)}:3:11)`,
    `    at ${cellFileName(4)}:5:1`,
    "    at Script.runInThisContext (node:vm:137:12)",
    "    at Executor.run (/x/dist/kernel/executor.js:80:20)",
  ].join("\n");
  assert.equal(mapStack(stack, mapper), ["Error: bad 2", "    at inner (cell [4], line 2)", "        throw new Error('bad ' + n);", "    at cell [4], line 4"].join("\n"));
});

test("alignLines sets the converter's own lines aside, so they cannot pull later lines out of place", () => {
  // The converter's output for a cell (tslab 1.0.22): `exports.check = exports.values = ...` looks most like the last line.
  const source = ["const values = [1, 2, 3];", "const check = (v: number) => {", '  if (v === 3) throw new RangeError("three");', "  return v;", "};", "values.map(check);"].join("\n");
  const emitted = [
    'Object.defineProperty(exports, "__esModule", { value: true });',
    "exports.check = exports.values = exports.tsLastExpr = void 0;",
    "const values = [1, 2, 3];",
    "exports.values = values;",
    "const check = (v) => {",
    "    if (v === 3)",
    '        throw new RangeError("three");',
    "    return v;",
    "};",
    "exports.check = check;",
    "exports.tsLastExpr = values.map(check);",
  ].join("\n");
  assert.deepEqual(alignLines(source, emitted), [-1, -1, 0, -1, 1, 2, 2, 3, -1, -1, 5]);
});

test("alignLines pairs a line with the cell line most like it, not the first one that shares its tokens", () => {
  const source = ["function risky(n: number): number {", "  const doubled = n * 2;", '  if (doubled > 5) throw new Error("too big: " + doubled);', "  return doubled;", "}"].join("\n");
  const emitted = ["function risky(n) {", "    const doubled = n * 2;", "    if (doubled > 5)", '        throw new Error("too big: " + doubled);', "    return doubled;", "}"].join("\n");
  assert.deepEqual(alignLines(source, emitted), [0, 1, 2, 2, 3, -1]);
});

// Real cells through the converter: one executor for the tests below.
const executor = new Executor(process.cwd());
after(() => executor.dispose());
let cellNumber = 100;

/** Runs cells in order; returns the last one's number and traceback (the others must succeed). */
async function tracebackOf(...cells: string[]): Promise<{ cell: number; traceback: string[] }> {
  for (let i = 0; i < cells.length; i++) {
    cellNumber += 1;
    const outcome = await executor.run(cells[i], cellNumber, () => false);
    if (i < cells.length - 1) assert.equal(outcome.status, "ok", `cell ${cells[i]} failed: ${outcome.status === "error" ? outcome.evalue : ""}`);
    else if (outcome.status === "error") return { cell: cellNumber, traceback: outcome.traceback };
  }
  throw new Error(`the last cell did not throw: ${cells[cells.length - 1]}`);
}

test("a function from an earlier cell names its own cell and line, then the calling line, each frame once", async () => {
  const define = ["function risky(n: number): number {", "  const doubled = n * 2;", '  if (doubled > 5) throw new Error("too big: " + doubled);', "  return doubled;", "}"].join("\n");
  const { cell, traceback } = await tracebackOf(define, "const a = 1;\nconst b = risky(a);\nconst c = risky(b + 5);");
  assert.deepEqual(traceback, ["Error: too big: 14", `    at risky (cell [${cell - 1}], line 3)`, '        if (doubled > 5) throw new Error("too big: " + doubled);', `    at cell [${cell}], line 3`]);
});

test("an error inside an arrow function names the arrow's line and the line that called it", async () => {
  const stored = ["const values = [1, 2, 3];", "const check = (v: number) => {", '  if (v === 3) throw new RangeError("three");', "  return v;", "};", "values.map(check);"].join("\n");
  const first = await tracebackOf(stored);
  assert.deepEqual(first.traceback, [
    "RangeError: three",
    `    at check (cell [${first.cell}], line 3)`,
    '        if (v === 3) throw new RangeError("three");',
    "    at Array.map (<anonymous>)",
    `    at cell [${first.cell}], line 6`,
  ]);
  const inline = [
    "interface Item { v: number }",
    "const items: Item[] = [{ v: 1 }, { v: 3 }];",
    "",
    "const out = items.map((item) => {",
    "  const w: number = item.v * 10;",
    "  if (w > 20) throw new Error(`w is ${w}`);",
    "  return w;",
    "});",
  ].join("\n");
  const second = await tracebackOf(inline);
  assert.equal(second.traceback[1], `    at cell [${second.cell}], line 6`);
  assert.equal(second.traceback[2], "        if (w > 20) throw new Error(`w is ${w}`);");
  assert.equal(second.traceback[4], `    at cell [${second.cell}], line 4`);
  assert.equal(second.traceback.length, 5, second.traceback.join("\n"));
});

test("an arrow function from an earlier cell, called from a later cell's arrow function", async () => {
  const define = ["const parse = (text: string): number => {", "  const n = Number(text);", "  if (Number.isNaN(n)) throw new TypeError(`not a number: ${text}`);", "  return n;", "};"].join("\n");
  const { cell, traceback } = await tracebackOf(define, 'const total = ["1", "x"]\n  .map((t) => parse(t))\n  .reduce((a, b) => a + b, 0);');
  assert.deepEqual(traceback, [
    "TypeError: not a number: x",
    `    at parse (cell [${cell - 1}], line 3)`,
    "        if (Number.isNaN(n)) throw new TypeError(`not a number: ${text}`);",
    `    at cell [${cell}], line 2`,
    "    at Array.map (<anonymous>)",
    `    at cell [${cell}], line 2`,
  ]);
});
