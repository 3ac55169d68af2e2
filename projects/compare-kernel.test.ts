import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "path";
import { startKernel } from "../kernel/client";

const REPO = path.join(__dirname, "..", "..");

test("a prototype comparison interrupted in the kernel keeps its finished runs", async () => {
  const kernel = await startKernel({ cwd: path.join(REPO, "notebooks") });
  const updates: string[] = [];
  kernel.on("iopub", (message: { header: { msg_type: string }; content: unknown }) => {
    if (message.header.msg_type === "update_display_data") updates.push(JSON.stringify(message.content));
  });
  try {
    const imported = await kernel.execute('import { compare, lastComparison, kNearestNeighbours, nearestCentroid } from "dl-workbook/compare";');
    assert.equal(imported.status, "ok", JSON.stringify(imported.error));
    // far more runs than finish before the interrupt, which is sent once the progress shows 3 done
    let interrupted = false;
    const result = await kernel.execute('const table = await compare({ methods: [kNearestNeighbours(3), nearestCentroid()], datasets: ["spiral"], seeds: 5000, metric: "accuracy" }); table', {
      timeoutMs: 120_000,
      onOutput: (output) => {
        const text = JSON.stringify(output.data ?? {});
        const done = /\] (\d+)\/10000 /.exec(text);
        if (!interrupted && done && Number(done[1]) >= 3) {
          interrupted = true;
          void kernel.interrupt();
        }
      },
    });
    assert.ok(interrupted, "the progress bar reached the kernel");
    assert.equal(result.status, "error");
    assert.equal(result.error?.ename, "Interrupted");
    const after = await kernel.execute('const partial = lastComparison()!;\n[partial.interrupted, partial.runs.length > 0, partial.runs.length < 10000, partial.cell("3-NN", "spiral")!.n > 0]');
    assert.equal(after.status, "ok", JSON.stringify(after.error));
    assert.equal(JSON.stringify(after.outputs.map((o) => (o.data as Record<string, unknown> | undefined)?.["text/plain"])), JSON.stringify(["[ true, true, true, true ]"]));
    // the progress output turned into the partial results table: an update_display_data that
    // may reach the client after the interrupted cell's reply, so we look at every iopub message
    assert.ok(
      updates.some((text) => /interrupted after \d+ of 10000 runs/.test(text)),
      updates.slice(-2).join("\n"),
    );
  } finally {
    await kernel.shutdown();
  }
});
