/**
 * The kernel ends when the front end that started it dies (parent-poller.ts): the rules one by
 * one, then for real: a jupyter_client KernelManager in Python starts the kernel and is SIGKILLed.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parentPidFromEnv, processExists, watchParent } from "./parent-poller";
import type { ParentProbes } from "./parent-poller";
import { testJupyter } from "./test/python";
import { PACKAGE_ROOT } from "./info";

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`kill: ${code}`), { code });
}

/** Resolves with how many times `onGone` was called after `ms` of watching with `probes` (every 10 ms). */
async function watchFor(ms: number, parentPid: number, probes: ParentProbes): Promise<number> {
  let calls = 0;
  const watch = watchParent(parentPid, () => (calls += 1), 10, probes);
  await new Promise((resolve) => setTimeout(resolve, ms));
  watch.stop();
  return calls;
}

test("JPY_PARENT_PID names the process to watch; absent, malformed, 0, 1 or on Windows there is none", () => {
  assert.equal(parentPidFromEnv({ JPY_PARENT_PID: "4321" }, "linux"), 4321);
  assert.equal(parentPidFromEnv({ JPY_PARENT_PID: " 4321\n" }, "darwin"), 4321);
  assert.equal(parentPidFromEnv({}, "linux"), undefined);
  for (const bad of ["", "abc", "12abc", "-5", "0", "1", "1e3"]) assert.equal(parentPidFromEnv({ JPY_PARENT_PID: bad }, "linux"), undefined, bad);
  assert.equal(parentPidFromEnv({ JPY_PARENT_PID: "4321" }, "win32"), undefined);
});

test("a process exists unless kill(pid, 0) says ESRCH; EPERM (another user's process) exists", () => {
  assert.equal(processExists(process.pid), true);
  assert.equal(
    processExists(99, () => undefined),
    true,
  );
  assert.equal(
    processExists(99, () => {
      throw errno("EPERM");
    }),
    true,
  );
  assert.equal(
    processExists(99, () => {
      throw errno("ESRCH");
    }),
    false,
  );
  const child = spawnSync(process.execPath, ["-e", "0"]);
  assert.equal(processExists(child.pid), false, "an exited and reaped child is gone");
});

test("the watch fires once when the kernel is re-parented or the parent no longer exists, and never otherwise", async () => {
  let ppid = 500;
  const reparented: ParentProbes = { ppid: () => ppid, exists: () => true };
  setTimeout(() => (ppid = 1), 30);
  assert.equal(await watchFor(150, 500, reparented), 1);
  let alive = true;
  // the kernel was not the parent's child (a wrapper sat in between): only kill(pid, 0) can tell
  setTimeout(() => (alive = false), 30);
  assert.equal(await watchFor(150, 500, { ppid: () => 77, exists: () => alive }), 1);
  assert.equal(await watchFor(100, 500, { ppid: () => 500, exists: () => true }), 0);
});

test("a JPY_PARENT_PID that names no running process at start is not watched", async () => {
  const watch = watchParent(500, () => assert.fail("a parent that never existed cannot go"), 10, { ppid: () => 77, exists: () => false });
  assert.equal(watch.watching, false);
  await new Promise((resolve) => setTimeout(resolve, 50));
});

/** True when `pid` is no running process: kill says ESRCH, or it is a zombie nobody reaped yet. */
function ended(pid: number): boolean {
  if (!processExists(pid)) return true;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return !processExists(pid);
  }
}

/** Our own client as a front end: starts a kernel, runs `cell` if given, prints its pid and waits. */
const OUR_CLIENT_FRONT_END = `
const { startKernel } = require(${JSON.stringify(path.join(PACKAGE_ROOT, "dist", "kernel", "client"))});
(async () => {
  const kernel = await startKernel({ cwd: process.cwd() });
  if (process.argv[1]) void kernel.execute(process.argv[1]);
  console.log("kernel pid " + kernel.pid);
  setInterval(() => undefined, 1000);
})();`;

/**
 * Starts the kernel from a front end (Python's jupyter_client running kernel/test/start_kernel_and_wait.py,
 * or our own client), running `cell` if given, SIGKILLs the front end and checks that the kernel
 * ends by itself within 15 s.
 */
async function killFrontEndAndExpectKernelGone(cell?: string, frontEndKind: "jupyter_client" | "our client" = "jupyter_client"): Promise<void> {
  const jupyter = testJupyter();
  const script = path.join(PACKAGE_ROOT, "kernel", "test", "start_kernel_and_wait.py");
  const cellArgs = cell === undefined ? [] : [cell];
  const frontEnd =
    frontEndKind === "jupyter_client"
      ? spawn("/usr/bin/python3", [script, ...cellArgs], { cwd: jupyter.dir, env: jupyter.env, stdio: ["ignore", "pipe", "pipe"] })
      : spawn(process.execPath, ["-e", OUR_CLIENT_FRONT_END, ...cellArgs], { cwd: jupyter.dir, env: jupyter.env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  frontEnd.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  frontEnd.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const frontEndExited = new Promise<void>((resolve) => frontEnd.once("exit", () => resolve()));
  let kernelPid: number | undefined;
  try {
    // Start-up (TypeScript and zeromq loading on a busy machine) gets a generous minute or two.
    const started = Date.now();
    while (kernelPid === undefined && Date.now() - started < 120_000 && frontEnd.exitCode === null) {
      const match = /kernel pid (\d+)/.exec(output);
      if (match) kernelPid = Number(match[1]);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(kernelPid !== undefined, `the Python front end did not report a kernel:\n${output}`);
    assert.equal(ended(kernelPid), false, "the kernel runs while its front end does");
    frontEnd.kill("SIGKILL");
    await frontEndExited;
    const deadline = Date.now() + 15_000;
    while (!ended(kernelPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(ended(kernelPid), true, `the kernel (pid ${kernelPid}) still runs 15 s after its front end was killed:\n${output}`);
    // our client pipes the kernel's stderr to itself, so the kernel's goodbye dies with it
    // (through the kernelspec that is the relay, kernel/relay.ts, which ends the kernel behind it)
    if (frontEndKind === "jupyter_client") assert.match(output, /front end (that started this kernel )?\(process \d+, from JPY_PARENT_PID\) is gone; (shutting down|ending the kernel)/);
  } finally {
    if (frontEnd.exitCode === null && frontEnd.signalCode === null) frontEnd.kill("SIGKILL");
    if (kernelPid !== undefined && !ended(kernelPid)) process.kill(kernelPid, "SIGKILL");
    fs.rmSync(jupyter.dir, { recursive: true, force: true });
  }
}

test("the kernel shuts down by itself when the jupyter_client process that started it is killed", { skip: process.platform === "win32" }, async () => {
  await killFrontEndAndExpectKernelGone();
});

test("a kernel busy in `while (true) {}` also shuts down when its front end is killed", { skip: process.platform === "win32" }, async () => {
  await killFrontEndAndExpectKernelGone("let spins = 0;\nwhile (true) { spins++; }");
});

test("a kernel started by our own client (workbook run, the book, the grader) shuts down when that process is killed", { skip: process.platform === "win32" }, async () => {
  await killFrontEndAndExpectKernelGone("let spins = 0;\nwhile (true) { spins++; }", "our client");
});
