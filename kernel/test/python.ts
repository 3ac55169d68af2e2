/**
 * Runs the kernel's Python protocol tests (kernel/test/*.py) with Debian's /usr/bin/python3,
 * against the kernelspec installed into a temporary prefix (JUPYTER_PATH points there), with the
 * history file and Jupyter's runtime files in the same temporary directory.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { installKernelspec } from "../kernelspec";
import type { KernelJson } from "../kernelspec";
import { PACKAGE_ROOT } from "../info";

/** A temporary Jupyter environment with the dl-workbook kernelspec installed. */
export interface TestJupyter {
  dir: string;
  env: NodeJS.ProcessEnv;
}

/**
 * Installs the kernelspec into a fresh temporary prefix and returns the environment to use it.
 * `nodeFlags` go before the kernel's script in argv (e.g. Node permission flags, as the grader uses).
 */
export function testJupyter(nodeFlags: string[] = []): TestJupyter {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-kernel-test-"));
  // Node flags need the plain `node <flags> main.js` argv; without them, the launcher (snapshot start) as installed
  const specDir = installKernelspec({ scope: "prefix", prefix: dir, quiet: true, snapshot: nodeFlags.length === 0 ? undefined : false });
  if (nodeFlags.length > 0) {
    const specFile = path.join(specDir, "kernel.json");
    const spec = JSON.parse(fs.readFileSync(specFile, "utf8")) as KernelJson;
    spec.argv.splice(1, 0, ...nodeFlags);
    fs.writeFileSync(specFile, JSON.stringify(spec, null, 2));
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: path.join(dir, "share", "jupyter"),
    JUPYTER_RUNTIME_DIR: path.join(dir, "runtime"),
    JUPYTER_DATA_DIR: path.join(dir, "data"),
    JUPYTER_CONFIG_DIR: path.join(dir, "config"),
    WORKBOOK_HISTORY_FILE: path.join(dir, "history.jsonl"),
    PYTHONDONTWRITEBYTECODE: "1",
  };
  return { dir, env };
}

/** The result of one Python test file. */
export interface PythonRun {
  status: number | null;
  output: string;
}

/** Runs `python3 -m unittest -v kernel/test/<file>` (from the package root) and returns its exit status and output. */
export function runPythonTests(file: string, jupyter: TestJupyter, timeoutMs = 480_000): PythonRun {
  const result = spawnSync("/usr/bin/python3", ["-m", "unittest", "-v", path.join("kernel", "test", file)], {
    cwd: PACKAGE_ROOT,
    env: jupyter.env,
    encoding: "utf8",
    timeout: timeoutMs,
  });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? `\n${result.error.message}` : ""}` };
}
