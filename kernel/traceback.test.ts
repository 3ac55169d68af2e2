/** Mapping emitted JavaScript lines and runtime stacks back to cell lines. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { alignLines, mapStack, SourceMapper, cellFileName } from "./traceback";

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
