/**
 * Cells are type checked by the TypeScript this package pins (package.json `typescript`, installed
 * in place of tslab's 5.0 fork by `overrides`), so language features since 5.0 work in cells.
 */
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { Executor } from "./executor";
import type { CellOutcome } from "./executor";
import { PACKAGE_ROOT } from "./info";
import { tslabTypeScript } from "./typescript";

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

test("cells get the TypeScript package.json pins, not tslab's fork", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; overrides: Record<string, string> };
  const pinned = pkg.dependencies.typescript;
  assert.equal(pkg.overrides["@tslab/typescript-for-tslab"], `npm:typescript@${pinned}`, "overrides names the pinned version");
  assert.equal(tslabTypeScript().version, pinned);
});

test("NoInfer (TypeScript 5.4) keeps a default from widening the inferred type", async () => {
  await value("function pick<T extends string>(choices: T[], fallback: NoInfer<T>): T { return choices[0] ?? fallback; }");
  assert.equal(await value('pick(["adam", "sgd"], "sgd")'), "adam");
  const widened = await run('pick(["adam", "sgd"], "rmsprop")');
  assert.equal(widened.status, "error");
  assert.match(widened.status === "error" ? widened.evalue : "", /Argument of type '"rmsprop"' is not assignable to parameter of type '"adam" \| "sgd"'/);
});

test("an inferred type predicate (TypeScript 5.5) narrows filter's result", async () => {
  assert.deepEqual(await value("const present: number[] = [1, undefined, 3].filter((v) => v !== undefined);\npresent"), [1, 3]);
});

test("`using` (TypeScript 5.2) disposes at the end of its block", async () => {
  assert.equal(await value("let disposed = false;\n{\n  using resource = { [Symbol.dispose]() { disposed = true; } };\n}\ndisposed"), true);
});

test("top-level await, inspect and completion work on the pinned TypeScript", async () => {
  assert.equal(await value("const loaded = await Promise.resolve(42);\nloaded"), 42);
  const info = executor.inspect("loaded", 2);
  assert.ok(info.found);
  assert.match(info.text, /const loaded: number/);
  assert.ok(executor.complete("loaded.toFix", 12).candidates.includes("toFixed"));
});
