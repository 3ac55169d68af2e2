/**
 * Claims as checks, end to end: runner/fixtures/claim/01-claim.ipynb makes a claim that holds at the
 * student's size (20 steps) and not at CI's (10 steps). `workbook run` and `workbook book` run it in
 * child processes with the real kernel, CI set or unset for each run whatever the outer environment
 * says. A failing claim fails both commands (exit 1) with the claim's statement in the message, and
 * the book never caches it. About 40 s (seven kernel start-ups).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ICodeCell, INotebookContent } from "@jupyterlab/nbformat";
import { readNotebook } from "../notebook/notebook";
import { readCache } from "./book/cache";

const ROOT = path.resolve(__dirname, "..", "..");
const WORKBOOK = path.join(ROOT, "dist", "bin", "workbook.js");
const FIXTURE_DIR = path.join(ROOT, "runner", "fixtures", "claim");
const FIXTURE = path.join(FIXTURE_DIR, "01-claim.ipynb");
const FAILED_CLAIM = `cell 6, line 1: claim failed: the notebook's claim no longer holds: "the loss ends below 0.01" (loss = 0.01153, steps = 10)`;

const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-claims-"));
after(() => fs.rmSync(work, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `workbook <args>` with CI set to "true" (CI's workload) or removed (the student's). */
function workbook(args: string[], ci: boolean): Promise<Run> {
  const env = { ...process.env };
  delete env.CI;
  if (ci) env.CI = "true";
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WORKBOOK, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function codeCell(nb: INotebookContent, id: string): ICodeCell {
  const cell = nb.cells.find((c) => c.id === id);
  assert.ok(cell && cell.cell_type === "code", `cell ${id}`);
  return cell as ICodeCell;
}

test("the fixture's claims are code cells tagged claim, right after the Markdown they check", () => {
  const nb = readNotebook(FIXTURE);
  for (const id of ["falls-claim", "below-claim"]) {
    const index = nb.cells.findIndex((c) => c.id === id);
    assert.deepEqual(nb.cells[index].metadata.tags, ["claim"]);
    assert.equal(nb.cells[index - 1].cell_type, "markdown");
  }
});

test("workbook run: a claim that no longer holds fails the notebook (exit 1) and is named", async () => {
  const out = path.join(work, "run-ci");
  const run = await workbook(["run", FIXTURE, "--out", out], true);
  assert.equal(run.code, 1, run.stderr);
  assert.ok(run.stderr.includes(`${FIXTURE}, ${FAILED_CLAIM}`), run.stderr);
  const executed = readNotebook(path.join(out, "01-claim.ipynb"));
  // the claim that holds shows its tick and evidence; the failing one its ClaimError; nothing runs after it
  assert.deepEqual(codeCell(executed, "falls-claim").outputs[0].data, {
    "text/plain": "✓ the loss falls below its start (loss = 0.01153)",
    "text/html": '<div class="workbook-claim">&#10003; <b>the loss falls below its start</b> (loss = 0.01153)</div>',
  });
  const error = codeCell(executed, "below-claim").outputs[0];
  assert.equal(error.output_type, "error");
  assert.equal(error.ename, "ClaimError");
  assert.deepEqual(codeCell(executed, "after").outputs, []);
});

test("workbook run: at the student's size the same claims hold (exit 0)", async () => {
  const out = path.join(work, "run-full");
  const run = await workbook(["run", FIXTURE, "--out", out], false);
  assert.equal(run.code, 0, run.stderr);
  const executed = readNotebook(path.join(out, "01-claim.ipynb"));
  assert.equal((codeCell(executed, "below-claim").outputs[0].data as Record<string, unknown>)["text/plain"], "✓ the loss ends below 0.01 (loss = 1.33e-4, steps = 20)");
});

test("workbook book: a failing claim fails the build (exit 1), is named, and is never cached", async () => {
  const notebooks = path.join(work, "notebooks");
  fs.mkdirSync(notebooks);
  fs.copyFileSync(FIXTURE, path.join(notebooks, "01-claim.ipynb"));
  const site = path.join(work, "site");
  const book = (ci: boolean) => workbook(["book", "--notebooks", notebooks, "--out", site], ci);
  const notebookPath = path.join(notebooks, "01-claim.ipynb");

  const failing = await book(true);
  assert.equal(failing.code, 1, failing.stdout + failing.stderr);
  assert.match(failing.stdout, /Book: 1 notebooks \(1 run, 0 from the cache, 1 failed\)/);
  assert.ok(failing.stdout.includes(`  ${notebookPath}, ${FAILED_CLAIM}`), failing.stdout);
  assert.equal(readCache(site).notebooks["01-claim.ipynb"], undefined, "a failing claim is not cached");
  // the page says so too, above the cells
  assert.ok(
    fs
      .readFileSync(path.join(site, "01-claim.html"), "utf8")
      .includes(
        '<div class="failures"><strong>This notebook did not run cleanly:</strong><ul><li>' +
          `${notebookPath}, cell 6, line 1: claim failed: the notebook&#39;s claim no longer holds: &quot;the loss ends below 0.01&quot;`,
      ),
  );

  // unchanged notebook, same workload: run again (not served from the cache) and failing again
  const again = await book(true);
  assert.equal(again.code, 1);
  assert.match(again.stdout, /\(1 run, 0 from the cache, 1 failed\)/);

  // at the student's size the claim holds: exit 0 and cached
  const holding = await book(false);
  assert.equal(holding.code, 0, holding.stdout + holding.stderr);
  assert.ok(readCache(site).notebooks["01-claim.ipynb"], "a clean run is cached");
  const cached = await book(false);
  assert.match(cached.stdout, /\(0 run, 1 from the cache\)/);

  // CI's workload does not take the student-size run from the cache: it runs, and the claim fails
  const ciAfterFull = await book(true);
  assert.equal(ciAfterFull.code, 1, ciAfterFull.stdout);
  assert.match(ciAfterFull.stdout, /\(1 run, 0 from the cache, 1 failed\)/);
  assert.equal(readCache(site).notebooks["01-claim.ipynb"], undefined);
});
