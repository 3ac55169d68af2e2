/**
 * scripts/test.js (`npm test`, `npm run test:unit`) and what gets published (issue 17):
 * the tests take CI's small workloads whatever CI says in the caller's environment, unless
 * WORKBOOK_FULL=1; --unit keeps to the fast tier; compiled tests stay out of the package.
 * The workload cases run scripts/test.js on this very file, whose probe prints the CI it was given.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const SCRIPT = path.join(ROOT, "scripts", "test.js");
/** In a probe run: the file the probe writes the CI it was given to. */
const PROBE_FILE = process.env.WORKBOOK_WORKLOAD_PROBE;
const PROBE = PROBE_FILE !== undefined;
const THIS_FILE = path.join("dist", "scripts", "test-runner.test.js");

test("probe: write down the CI variable this test process was given", { skip: !PROBE && "only inside the workload cases below" }, () => {
  fs.writeFileSync(PROBE_FILE!, JSON.stringify(process.env.CI ?? null));
});

/** The environment of a nested scripts/test.js: without node:test's marker, which would make it a silent child. */
function nestedEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

/** Runs scripts/test.js on this file in probe mode, with `callerEnv` instead of CI/WORKBOOK_FULL here. */
function probeCi(callerEnv: Record<string, string>): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-probe-"));
  try {
    const file = path.join(dir, "ci.json");
    const env = nestedEnv({ WORKBOOK_WORKLOAD_PROBE: file, WORKBOOK_TEST_FILTER: THIS_FILE, ...callerEnv });
    for (const name of ["CI", "WORKBOOK_FULL"]) if (!(name in callerEnv)) delete env[name];
    const run = spawnSync(process.execPath, [SCRIPT], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.ok(fs.existsSync(file), `the probe ran: ${run.stdout}`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as string | null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("tests run with CI=true whatever CI says, and without CI under WORKBOOK_FULL=1", { skip: PROBE && "inside a probe run" }, () => {
  assert.equal(probeCi({}), "true", "a newcomer's npm test (no CI) takes the small workloads");
  assert.equal(probeCi({ CI: "" }), "true");
  assert.equal(probeCi({ CI: "1" }), "true");
  assert.equal(probeCi({ WORKBOOK_FULL: "1" }), null, "WORKBOOK_FULL=1: the student's size");
  assert.equal(probeCi({ CI: "true", WORKBOOK_FULL: "1" }), null, "WORKBOOK_FULL=1 removes CI even when it is set");
});

test("--unit keeps to the fast tier; an unknown argument is a usage error", { skip: PROBE && "inside a probe run" }, () => {
  const env = nestedEnv({ WORKBOOK_TEST_FILTER: "dist/kernel/" });
  const listed = spawnSync(process.execPath, [SCRIPT, "--unit"], { cwd: ROOT, env, encoding: "utf8", timeout: 120_000 });
  assert.equal(listed.status, 0, listed.stdout + listed.stderr);
  const count = Number(/Running (\d+) test files/.exec(listed.stdout)?.[1]);
  // the kernel's unit files only: not client, protocol, browser, nbclient... (those start a kernel)
  assert.ok(count >= 5 && count <= 12, `ran ${count} kernel test files in the unit tier`);
  assert.doesNotMatch(listed.stdout, /input\(\) in a cell is answered by onInput/, "kernel/client's tests are not in the unit tier");
  const bad = spawnSync(process.execPath, [SCRIPT, "--fast"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown argument --fast; use --unit/);
});

test("npm pack leaves compiled tests, test helpers and test sources out", { skip: PROBE && "inside a probe run" }, () => {
  const pack = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  assert.equal(pack.status, 0, pack.stderr);
  const files = (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
  assert.deepEqual(
    files.filter((f) => /\.test\.(js|d\.ts|js\.map|ts)$|^dist\/grader\/hostile\/|^dist\/kernel\/test\//.test(f)),
    [],
  );
  for (const needed of ["dist/kernel/main.js", "dist/lib/index.js", "dist/bin/workbook.js", "scripts/build-native.js", "dist/grader/assign/hidden-tests.js", "projects/course.json"]) {
    assert.ok(files.includes(needed), `${needed} is published`);
  }
});
