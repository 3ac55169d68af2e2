/** The kernel's startup snapshot: built once, then reused; a kernel started from it behaves as one started from its script. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONNECTION_FILE_PLACEHOLDER, startKernel } from "../client";
import { DEFAULT_LIMITS, kernelV8Flags } from "../../grader/sandbox";
import { ensureKernelSnapshot } from "./blob";

// the grader's flags, so these tests share the snapshot the grader tests use
const FLAGS = kernelV8Flags(DEFAULT_LIMITS);

test("ensureKernelSnapshot builds a snapshot once and then finds it current", () => {
  const first = ensureKernelSnapshot(FLAGS);
  assert.ok(fs.existsSync(first.blob), first.blob);
  assert.ok(first.declarationFiles > 500, `only ${first.declarationFiles} declaration files`);
  // and its code cache beside it (code-cache.ts), recorded from a kernel-like process
  assert.equal(first.codeCacheError, undefined);
  assert.ok(first.codeCache && fs.existsSync(first.codeCache), first.codeCache);
  const again = ensureKernelSnapshot(FLAGS);
  assert.equal(again.blob, first.blob);
  assert.equal(again.buildMs, 0);
  // a current blob whose code cache is gone (or stale) gets it recorded again, the blob kept
  fs.rmSync(first.codeCache, { force: true });
  const recorded = ensureKernelSnapshot(FLAGS);
  assert.equal(recorded.buildMs, 0);
  assert.ok(recorded.codeCache && fs.existsSync(recorded.codeCache), recorded.codeCacheError);
});

test("a kernel started from the snapshot takes its declaration files from it and resolves modules from its own folder", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-snapshot-"));
  fs.writeFileSync(path.join(dir, "shapes.d.ts"), "export interface Point {\n  x: number;\n  y: number;\n}\n");
  const snapshot = ensureKernelSnapshot(FLAGS);
  const kernel = await startKernel({ cwd: dir, command: [process.execPath, ...FLAGS, "--snapshot-blob", snapshot.blob, CONNECTION_FILE_PLACEHOLDER] });
  const value = async (code: string): Promise<string> => {
    const r = await kernel.execute(code, { timeoutMs: 60_000 });
    assert.equal(r.status, "ok", `${code}\n${r.error?.evalue ?? ""}`);
    const result = r.outputs.find((o) => o.output_type === "execute_result") as { data: Record<string, string> } | undefined;
    return result?.data["text/plain"] ?? "";
  };
  try {
    assert.equal(await value('import { asNDArray } from "dl-workbook";\nimport * as tf from "@tensorflow/tfjs";\nasNDArray([[1, 2], [3, 4]], "test", "x").shape'), "[ 2, 2 ]");
    // TypeScript must resolve "./shapes" from the kernel's folder, not from where the snapshot was built
    assert.equal(await value('import type { Point } from "./shapes";\nconst p: Point = { x: 1, y: 2 };\np.x + p.y'), "3");
    const typeError = await kernel.execute('const n: number = "text";', { timeoutMs: 60_000 });
    assert.equal(typeError.status, "error");
    assert.match(typeError.error?.evalue ?? "", /not assignable to type 'number'/);
    const hits = Number(await value('const stats = (process as any)[Symbol.for("dl-workbook.kernelSnapshot")];\nstats.hits()'));
    assert.ok(hits > 500, `only ${hits} declaration files came from the snapshot`);
    assert.equal(await value("stats.missed().length"), "0");
    // the package's modules (the kernel's and the library's with its tfjs) came from the code cache, none refused or stale
    const served = Number(await value('const codeCache = (process as any)[Symbol.for("dl-workbook.codeCache")];\ncodeCache.served'));
    assert.ok(served > 100, `only ${served} modules came from the code cache`);
    assert.equal(await value("codeCache.rejected + codeCache.changed"), "0");
    // the declaration files' imports were resolved when the snapshot was built (resolutions.ts), and those answers still hold
    assert.equal(await value("stats.resolutionsValid()"), "true");
    const resolved = Number(await value("stats.resolutionHits()"));
    assert.ok(resolved > 500, `only ${resolved} module resolutions came from the snapshot`);
    // errors carry stacks (Error.stackTraceLimit is restored after deserialization), so tracebacks name cell lines
    const thrown = await kernel.execute("function inner(n: number): number {\n  if (n > 2) throw new RangeError('too big: ' + n);\n  return n;\n}\ninner(5);", { timeoutMs: 60_000 });
    assert.equal(thrown.status, "error");
    assert.match((thrown.error?.traceback ?? []).join("\n"), /at inner \(cell \[\d+\], line 2\)/);
  } finally {
    await kernel.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("when Node cannot build a snapshot, the error says so with Node's own message", () => {
  assert.throws(() => ensureKernelSnapshot(["--no-such-flag-for-workbook"]), /building the kernel snapshot failed[\s\S]*bad option/);
});
