/**
 * The kernel under Node's permission model (--experimental-permission with reads limited to the
 * package and the temporary directory, no writes, workers and addons allowed), as the grader
 * starts it: kernel/test/test_sandboxed.py.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as os from "os";
import * as path from "path";
import { runPythonTests, testJupyter } from "./test/python";
import { PACKAGE_ROOT } from "./info";

test("the kernel runs cells under Node's permission model with reads limited to the package and cwd", () => {
  const flags = ["--experimental-permission", `--allow-fs-read=${PACKAGE_ROOT}${path.sep}*`, `--allow-fs-read=${os.tmpdir()}${path.sep}*`, "--allow-worker", "--allow-addons"];
  const run = runPythonTests("test_sandboxed.py", testJupyter(flags));
  assert.equal(run.status, 0, run.output);
});
