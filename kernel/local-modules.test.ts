/** Cells import the notebook folder's own .ts files: type checked, compiled with the cell, loaded without a .js on disk. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startKernel } from "./client";

test("a cell imports the folder's own TypeScript files, their imports of each other, a folder's index, and edits to them", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-local-modules-"));
  const write = (name: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  };
  write("scaling.ts", "export function twice(x: number): number {\n  return 2 * x;\n}\n");
  write("report.ts", 'import { twice } from "./scaling";\nexport const four = twice(2);\nexport function label(name: string): string {\n  return `run ${name}`;\n}\n');
  write("shapes/index.ts", "export const sides = { triangle: 3, square: 4 };\n");
  write("version.ts", "export const version = 1;\n");
  const kernel = await startKernel({ cwd: dir });
  const run = async (code: string): Promise<{ status: string; text: string }> => {
    const r = await kernel.execute(code, { timeoutMs: 60_000 });
    const result = r.outputs.find((o) => o.output_type === "execute_result") as { data: Record<string, string> } | undefined;
    return { status: r.status, text: r.status === "error" ? (r.error?.evalue ?? "") : (result?.data["text/plain"] ?? "") };
  };
  try {
    assert.deepEqual(await run('import { twice } from "./scaling";\ntwice(21)'), { status: "ok", text: "42" });
    assert.deepEqual(await run('import { four, label } from "./report";\n[four, label("a")]'), { status: "ok", text: "[ 4, 'run a' ]" });
    assert.deepEqual(await run('import { sides } from "./shapes";\nsides.square'), { status: "ok", text: "4" });
    // the same module object for every cell that imports it
    assert.deepEqual(await run('import * as again from "./scaling";\nagain.twice === twice'), { status: "ok", text: "true" });
    // type errors in the cell's use of a local file, and inside the file itself (named by the file)
    const missing = await run('import { thrice } from "./scaling";');
    assert.equal(missing.status, "error");
    assert.match(missing.text, /has no exported member 'thrice'/);
    write("broken.ts", 'export const n: number = "one";\n');
    const broken = await run('import { n } from "./broken";\nn');
    assert.equal(broken.status, "error");
    assert.match(broken.text, /broken\.ts line 1.*not assignable to type 'number'/);
    // an edited file is compiled and loaded again by the next cell that imports it
    assert.deepEqual(await run('import { version } from "./version";\nversion'), { status: "ok", text: "1" });
    write("version.ts", 'export const version = 2;\nexport const note = "edited";\n');
    let edited = await run('import { version as v, note } from "./version";\n[v, note]');
    for (let i = 0; i < 20 && edited.text !== "[ 2, 'edited' ]"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      edited = await run('import { version as v, note } from "./version";\n[v, note]');
    }
    assert.deepEqual(edited, { status: "ok", text: "[ 2, 'edited' ]" });
  } finally {
    await kernel.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
