/**
 * The kernel under Node's permission model (--experimental-permission with reads limited to the
 * package and the temporary directory, no writes, workers and addons allowed), as the grader
 * starts it: kernel/test/test_sandboxed.py.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPythonTests, testJupyter } from "./test/python";
import { PACKAGE_ROOT } from "./info";

test("the kernel runs cells under Node's permission model with reads limited to the package and cwd", () => {
  const flags = ["--experimental-permission", `--allow-fs-read=${PACKAGE_ROOT}${path.sep}*`, `--allow-fs-read=${os.tmpdir()}${path.sep}*`, "--allow-worker", "--allow-addons"];
  const run = runPythonTests("test_sandboxed.py", testJupyter(flags));
  assert.equal(run.status, 0, run.output);
});

/** What {@link runCellsUnderPermissions} prints: each cell's outcome, and the paths `fs.watch` was called with. */
interface PermittedRun {
  outcomes: [string, unknown][];
  watched: string[];
}

/**
 * Runs `cells` with an Executor in a child Node under Node's permission model (`flags`), in
 * `notebookDir`, pausing `pauseMs` after each cell; a cell that throws (rather than failing) is
 * recorded as ["thrown", message]. Returns each cell's outcome and every path `fs.watch` was given.
 */
function runCellsUnderPermissions(cells: string[], notebookDir: string, flags: string[], pauseMs = 0): PermittedRun {
  const script = [
    "const fs = require('fs');",
    "const watched = [];",
    "const watch = fs.watch;",
    "fs.watch = (p, ...rest) => { watched.push(String(p)); return watch(p, ...rest); };",
    `const { Executor } = require(${JSON.stringify(path.join(__dirname, "executor.js"))});`,
    "const executor = new Executor(process.cwd());",
    `const cells = ${JSON.stringify(cells)};`,
    "(async () => {",
    "  const outcomes = [];",
    "  for (const [i, code] of cells.entries()) {",
    "    try { const r = await executor.run(code, i + 1, () => false); outcomes.push(r.status === 'ok' ? ['ok', r.value] : ['error', r.evalue]); }",
    "    catch (err) { outcomes.push(['thrown', String(err.message)]); }",
    `    await new Promise((resolve) => setTimeout(resolve, ${pauseMs}));`,
    "  }",
    "  console.log(JSON.stringify({ outcomes, watched }));",
    "  executor.dispose();",
    "  process.exit(0);",
    "})();",
  ].join("\n");
  const run = spawnSync(process.execPath, [...flags, "-e", script], { cwd: notebookDir, encoding: "utf8", timeout: 120_000 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as PermittedRun;
}

test("under the permission model, a cell importing a missing module gets its type error when the folders above the notebook cannot be read", () => {
  // the notebook's folder is readable, its parents are not: TypeScript 5.9 watches their missing node_modules
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-permission-"));
  const notebookDir = path.join(outside, "course", "notebook");
  fs.mkdirSync(notebookDir, { recursive: true });
  const cells = ['import * as nothing from "no-such-package-anywhere";', "const after: number = 6 * 7;\nafter"];
  const flags = ["--experimental-permission", "--allow-addons", `--allow-fs-read=${PACKAGE_ROOT}`, `--allow-fs-read=${notebookDir}`, `--allow-fs-write=${notebookDir}`];
  try {
    const { outcomes } = runCellsUnderPermissions(cells, notebookDir, flags);
    assert.equal(outcomes[0][0], "error", JSON.stringify(outcomes[0]));
    assert.match(String(outcomes[0][1]), /Cannot find module 'no-such-package-anywhere'/);
    assert.deepEqual(outcomes[1], ["ok", 42]);
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test("under the permission model, TypeScript watches nothing the kernel cannot change, and still sees a module written into the notebook's folder", () => {
  // the package is readable, not writable: its folders are not watched (each fs.watch of tfjs's many folders cost CPU in every grading kernel)
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-watch-"));
  const notebookDir = path.join(outside, "notebook");
  fs.mkdirSync(notebookDir);
  const cells = [
    'import * as tf from "@tensorflow/tfjs";\ntf.scalar(2).dataSync()[0]',
    'import { later } from "./later";\nlater',
    'require("fs").writeFileSync("later.ts", "export const later: number = 5;\\n");',
    'import { later } from "./later";\nlater + 1',
  ];
  const flags = ["--experimental-permission", "--allow-addons", "--allow-worker", `--allow-fs-read=${PACKAGE_ROOT}`, `--allow-fs-read=${notebookDir}`, `--allow-fs-write=${notebookDir}`];
  try {
    const { outcomes, watched } = runCellsUnderPermissions(cells, notebookDir, flags, 300);
    assert.deepEqual(outcomes[0], ["ok", 2]);
    assert.equal(outcomes[1][0], "error", JSON.stringify(outcomes[1]));
    assert.match(String(outcomes[1][1]), /Cannot find module '\.\/later'/);
    assert.deepEqual(outcomes[3], ["ok", 6], "the module written by a cell is found once it exists");
    const inPackage = watched.filter((p) => path.resolve(p).startsWith(PACKAGE_ROOT + path.sep) || path.resolve(p) === PACKAGE_ROOT);
    assert.deepEqual(inPackage, [], "no folder or file of the package is watched");
    assert.ok(
      watched.some((p) => path.resolve(p).startsWith(notebookDir)),
      `the notebook's folder is watched: ${JSON.stringify(watched)}`,
    );
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});
