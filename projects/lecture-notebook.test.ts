import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readNotebook } from "../notebook/notebook";
import type { IOutput } from "@jupyterlab/nbformat";

const REPO = path.join(__dirname, "..", "..");

test("notebooks/10-project-proposal runs top to bottom in the kernel with CI set", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "lecture-10-"));
  try {
    const run = spawnSync(process.execPath, [path.join(REPO, "dist", "bin", "workbook.js"), "run", path.join(REPO, "notebooks", "10-project-proposal.ipynb"), "--out", out, "--timeout-cell", "120"], {
      encoding: "utf8",
      env: { ...process.env, CI: "1" },
    });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const executed = readNotebook(path.join(out, "10-project-proposal.ipynb"));
    const results = executed.cells.flatMap((cell) => (cell.outputs ?? []) as IOutput[]).filter((o) => o.output_type === "execute_result");
    const text = results.map((o) => JSON.stringify(o.data)).join("\n");
    // the comparison table (HTML with mean ± std, best in bold) and the grouped bar chart
    assert.match(text, /<table><caption>accuracy \(higher is better\), mean ± std over 3 seeds/);
    assert.match(text, /<b>1\.000 ± 0\.000<\/b>/, "3-NN separates the spiral's arms");
    assert.match(text, /application\/vnd\.plotly\.v1\+json/);
    assert.match(text, /MLP \(64 hidden\)/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
