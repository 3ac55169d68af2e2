/**
 * Kernels started by the installed kernelspec through jupyter_client (kernel/test/kernelspec_start.py):
 * from the startup snapshot when it was built by this Node binary, from the script when the blob is
 * missing or was built by another binary; type checking on either way.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { testJupyter } from "./test/python";
import type { TestJupyter } from "./test/python";
import { KERNEL_NAME, LAUNCHER_NAME } from "./kernelspec";
import type { KernelJson } from "./kernelspec";
import { PACKAGE_ROOT } from "./info";
import { POINTER_VARIABLE, kernelspecPointerFile, kernelspecSnapshotNeedsRefresh, launcherScript, nodeStamp, refreshKernelspecSnapshotInBackground, statArguments } from "./snapshot/launcher";

interface CellResult {
  status: string;
  result: string | null;
  error: string | null;
}

interface StartResult {
  ready_ms: number;
  cell: CellResult;
  type_error: CellResult;
  /** A RangeError thrown in a function: its traceback must name the cell's lines. */
  runtime_error: CellResult;
  /** Declaration files the kernel took from the snapshot; -1 when it started from its script. */
  snapshot_hits: number;
}

/** Starts the kernelspec installed in `jupyter` through jupyter_client; no background rebuild of the snapshot. */
function startThroughJupyter(jupyter: TestJupyter): StartResult {
  const run = spawnSync("/usr/bin/python3", [path.join("kernel", "test", "kernelspec_start.py")], {
    cwd: PACKAGE_ROOT,
    env: { ...jupyter.env, WORKBOOK_SNAPSHOT_REFRESH: "0" },
    encoding: "utf8",
    timeout: 240_000,
  });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  const line = run.stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as StartResult;
}

/** The kernel answered a cell and reported the type error: it works, with type checking on. */
function assertWorks(result: StartResult): void {
  assert.equal(result.cell.status, "ok", JSON.stringify(result.cell));
  assert.equal(result.cell.result, "[ 2, 2 ]");
  assert.equal(result.type_error.status, "error");
  assert.match(result.type_error.error ?? "", /not assignable to type 'number'/);
  assert.equal(result.runtime_error.status, "error");
  assert.match(result.runtime_error.error ?? "", /at inner \(cell \[\d+\], line 2\)/);
}

function launcherOf(jupyter: TestJupyter): string {
  return path.join(jupyter.dir, "share", "jupyter", "kernels", KERNEL_NAME, LAUNCHER_NAME);
}

/** Rewrites one `name='...'` line of the installed launcher. */
function setLauncherVariable(jupyter: TestJupyter, name: string, value: string): void {
  const file = launcherOf(jupyter);
  const text = fs.readFileSync(file, "utf8");
  const line = new RegExp(`^${name}='.*'$`, "m");
  assert.match(text, line);
  fs.writeFileSync(file, text.replace(line, `${name}='${value}'`));
}

test("the installed kernelspec runs the launcher, which starts the kernel from the snapshot built by this Node", () => {
  const jupyter = testJupyter();
  try {
    const spec = JSON.parse(fs.readFileSync(path.join(path.dirname(launcherOf(jupyter)), "kernel.json"), "utf8")) as KernelJson;
    assert.deepEqual(spec.argv, ["/bin/sh", launcherOf(jupyter), "{connection_file}"]);
    const launcher = fs.readFileSync(launcherOf(jupyter), "utf8");
    assert.ok(launcher.includes(`node='${process.execPath}'`), launcher);
    assert.ok(launcher.includes(`pointer='${kernelspecPointerFile()}'`), launcher);
    assert.ok(launcher.includes('exec "$node" "$relay" --snapshot-blob "$blob" "$@"'), launcher);
    assert.equal(kernelspecSnapshotNeedsRefresh(), false, "installKernelspec left the snapshot or its pointer stale");
    const result = startThroughJupyter(jupyter);
    assertWorks(result);
    assert.ok(result.snapshot_hits > 500, `only ${result.snapshot_hits} declaration files came from the snapshot`);
  } finally {
    fs.rmSync(jupyter.dir, { recursive: true, force: true });
  }
});

test("the launcher starts the kernel from its script when the pointer names a blob that is gone", () => {
  const jupyter = testJupyter();
  try {
    const pointer = path.join(jupyter.dir, "kernelspec.current");
    fs.writeFileSync(pointer, `${path.join(jupyter.dir, "deleted.blob")}\n${nodeStamp()}\n${process.version}\n`);
    setLauncherVariable(jupyter, "pointer", pointer);
    const result = startThroughJupyter(jupyter);
    assertWorks(result);
    assert.equal(result.snapshot_hits, -1, "the kernel claims a snapshot start");
  } finally {
    fs.rmSync(jupyter.dir, { recursive: true, force: true });
  }
});

test("the launcher starts the kernel from its script when the snapshot was built by another Node binary", () => {
  const jupyter = testJupyter();
  try {
    // another binary: a copy of this one (same version, new modification time), as after an upgrade in place
    const otherNode = path.join(jupyter.dir, "node");
    fs.copyFileSync(process.execPath, otherNode);
    fs.chmodSync(otherNode, 0o755);
    fs.utimesSync(otherNode, new Date(), new Date(Date.now() - 86_400_000));
    assert.notEqual(nodeStamp(otherNode), nodeStamp());
    setLauncherVariable(jupyter, "node", otherNode);
    // the pointer still names this Node's blob, as it would after the upgrade
    setLauncherVariable(jupyter, "pointer", kernelspecPointerFile());
    const result = startThroughJupyter(jupyter);
    assertWorks(result);
    assert.equal(result.snapshot_hits, -1, "the kernel claims a snapshot start");
  } finally {
    fs.rmSync(jupyter.dir, { recursive: true, force: true });
  }
});

test("launcherScript quotes its paths for sh and starts the script when there is no pointer", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "it's a launcher "));
  try {
    const script = path.join(dir, "start-kernel.sh");
    const main = path.join(dir, "print-args.js");
    fs.writeFileSync(main, "console.log(JSON.stringify(process.argv.slice(2)));\n");
    fs.writeFileSync(script, launcherScript({ node: process.execPath, kernelMain: main, relay: path.join(dir, "relay.js"), pointer: path.join(dir, "no pointer's here"), statArgs: statArguments() }));
    const run = spawnSync("/bin/sh", [script, "conn file.json"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), ["conn file.json"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a missing pointer makes the snapshot need a refresh, and refresh.js (what a kernel starts in the background) restores it", () => {
  const pointer = kernelspecPointerFile();
  const saved = fs.existsSync(pointer) ? fs.readFileSync(pointer, "utf8") : undefined;
  try {
    fs.rmSync(pointer, { force: true });
    assert.equal(kernelspecSnapshotNeedsRefresh(), true);
    const run = spawnSync(process.execPath, [path.join(__dirname, "snapshot", "refresh.js")], { encoding: "utf8", timeout: 240_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(kernelspecSnapshotNeedsRefresh(), false);
    const [blob, stamp, version] = fs.readFileSync(pointer, "utf8").split("\n");
    assert.ok(fs.existsSync(blob), blob);
    assert.equal(stamp, nodeStamp());
    assert.equal(version, process.version);
  } finally {
    if (saved !== undefined && !fs.existsSync(pointer)) fs.writeFileSync(pointer, saved);
  }
});

test("a kernel rebuilds only the snapshot its launcher reads: a student of a shared install starts no rebuild of their own", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launcher-pointer-"));
  const pointer = kernelspecPointerFile();
  const saved = fs.existsSync(pointer) ? fs.readFileSync(pointer, "utf8") : undefined;
  const savedVariable = process.env[POINTER_VARIABLE];
  try {
    // the launcher tells the kernel which pointer it reads
    const script = path.join(dir, "start-kernel.sh");
    const main = path.join(dir, "print-pointer.js");
    fs.writeFileSync(main, `console.log(process.env.${POINTER_VARIABLE});\n`);
    const installed = path.join(dir, "root's install", "kernelspec-abc.current");
    fs.writeFileSync(script, launcherScript({ node: process.execPath, kernelMain: main, relay: path.join(dir, "relay.js"), pointer: installed, statArgs: statArguments() }));
    const run = spawnSync("/bin/sh", [script, "conn.json"], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), installed);
    // a snapshot that needs a rebuild, but the launcher reads another user's pointer: no rebuild
    fs.rmSync(pointer, { force: true });
    assert.equal(kernelspecSnapshotNeedsRefresh(), true);
    process.env[POINTER_VARIABLE] = installed;
    assert.equal(refreshKernelspecSnapshotInBackground(true), false);
  } finally {
    if (savedVariable === undefined) delete process.env[POINTER_VARIABLE];
    else process.env[POINTER_VARIABLE] = savedVariable;
    if (saved !== undefined && !fs.existsSync(pointer)) fs.writeFileSync(pointer, saved);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
