import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConversionCache, ConversionRecorder, conversionContext } from "./conversion-cache";
import type { ConversionsFile } from "./conversion-cache";
import { Executor } from "./executor";
import type { CellOutcome } from "./executor";

// Conversions recorded by one executor and taken by another (what grading kernels share, see
// conversion-cache.ts): the same outcomes, a hit for each cell whose declarations and code are the
// same, a fresh conversion for any other, and nothing taken from a file of another Node or package.
// Budget: three executors in this process, each type checking a few cells: about 10 s on 2 cores.

const CELLS = ['import { zeros } from "dl-workbook";\nfunction double(x: number): number {\n  let y = 0;\n  for (let i = 0; i < 2; i++) y += x;\n  return y;\n}', "const z = zeros(2, 3);\ndouble(z.shape[1])"];

async function runAll(executor: Executor, cells: string[]): Promise<CellOutcome[]> {
  const outcomes: CellOutcome[] = [];
  for (const [i, code] of cells.entries()) outcomes.push(await executor.run(code, i + 1, () => false));
  return outcomes;
}

test("conversions recorded by one executor are taken by another, by declarations and code, with the same outcomes", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-conversions-test-"));
  const file = path.join(dir, "conversions.json");
  const recording = new Executor(process.cwd(), undefined, undefined, { recorder: new ConversionRecorder(file) });
  const executors: Executor[] = [recording];
  try {
    const recorded = await runAll(recording, CELLS);
    assert.deepEqual(recorded, [
      { status: "ok", hasValue: false },
      { status: "ok", hasValue: true, value: 6 },
    ]);
    const written = JSON.parse(fs.readFileSync(file, "utf8")) as ConversionsFile;
    assert.equal(written.conversions.length, 2);
    assert.equal(written.context, conversionContext());
    // the loop checks are recorded with the conversion, so a kernel taking it does not transpile the cell again
    assert.match(written.conversions[0].result.checkedOutput ?? "", /for \(let i = 0; i < 2; i\+\+\) \{\s*__dlwb__\.checkInterrupt\(\);/);
    assert.equal(written.conversions[1].result.checkedOutput, written.conversions[1].result.output);

    // primed with what the second cell sees, as a grading kernel is
    const cache = new ConversionCache(written.conversions, written.conversions[1].declarations);
    const taking = new Executor(process.cwd(), undefined, undefined, { cache });
    executors.push(taking);
    assert.deepEqual(await runAll(taking, CELLS), recorded);
    assert.deepEqual([cache.hits, cache.misses], [2, 0]);

    // another second cell: converted afresh (and type checked: its error is its own)
    const other = new Executor(process.cwd(), undefined, undefined, { cache });
    executors.push(other);
    const outcomes = await runAll(other, [CELLS[0], "double(zeros(4).shape[0]) + 1", "double('x')"]);
    assert.deepEqual(outcomes.slice(0, 2), [
      { status: "ok", hasValue: false },
      { status: "ok", hasValue: true, value: 9 },
    ]);
    assert.equal(outcomes[2].status === "error" && outcomes[2].ename, "TypeScriptError");
    assert.deepEqual([cache.hits, cache.misses], [3, 2]);

    // a file made by another Node, TypeScript or package is not used
    fs.writeFileSync(file, JSON.stringify({ ...written, context: "another kernel" }));
    const warnings: string[] = [];
    assert.equal(
      ConversionCache.load(file, (w) => warnings.push(w)),
      undefined,
    );
    assert.match(warnings[0], /another Node, TypeScript or package/);
    assert.ok(ConversionCache.load(path.join(dir, "missing.json"), (w) => warnings.push(w)) === undefined && /cannot read/.test(warnings[1]));
  } finally {
    for (const e of executors) e.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
