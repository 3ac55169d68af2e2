/**
 * The kernelspec's relay (kernel/relay.ts) through jupyter_client (kernel/test/relay_check.py):
 * kernel_info answered before the kernel behind it is ready, requests that waited reach the kernel
 * in order, one session id, a SIGKILLed relay takes its kernel along, restart and shutdown leave
 * no process and no private folder. Cells, stdin, interrupts and comms through the relay:
 * kernel/protocol.test.ts and kernel/conformance.test.ts (the installed kernelspec starts the relay).
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { testJupyter } from "./test/python";
import type { TestJupyter } from "./test/python";
import { KERNEL_NAME } from "./kernelspec";
import type { KernelJson } from "./kernelspec";
import { PACKAGE_ROOT } from "./info";
import { privateConnection, removeStaleFolders } from "./relay";
import { processExists } from "./parent-poller";
import { createOrdinaryUser } from "../grader/hostile/ordinary-user";
import type { OrdinaryUser } from "../grader/hostile/ordinary-user";

/** How long the slow kernel sleeps before any of its code runs (a stand-in for deserializing the snapshot). */
const SLOW_START_MS = 3000;
const SLOW_KERNEL = "dl-workbook-slow";

/** What relay_check.py prints (each scenario fills its own fields). */
interface CheckResult {
  first_reply_ms: number;
  second_reply_ms: number;
  statuses: string[];
  kernel_children: number;
  heartbeat: boolean;
  cell_status: string;
  result: string | null;
  type_error_status: string;
  cell_ms: number;
  relay_info: unknown;
  kernel_info: unknown;
  sessions: string[];
  kernel_pids: number[];
  kernel_gone_s: number | null;
  before: string | null;
  after_count: number;
  old: number[];
  old_gone_s: number | null;
  new: number[];
  new_gone_s: number | null;
}

/** Runs one scenario of relay_check.py against kernelspec `kernel` (as `user` when given) and returns what it printed. */
function check(scenario: string, kernel: string, jupyter: TestJupyter, user?: OrdinaryUser): CheckResult {
  const python = ["/usr/bin/python3", path.join("kernel", "test", "relay_check.py"), scenario, kernel];
  const [command, ...args] = user ? ["runuser", "-u", user.name, "--", ...python] : python;
  const home = user
    ? { HOME: user.home, JUPYTER_RUNTIME_DIR: path.join(user.home, "runtime"), JUPYTER_DATA_DIR: path.join(user.home, "data"), WORKBOOK_HISTORY_FILE: path.join(user.home, "history.jsonl") }
    : {};
  const run = spawnSync(command, args, {
    cwd: PACKAGE_ROOT,
    env: { ...jupyter.env, WORKBOOK_SNAPSHOT_REFRESH: "0", ...home },
    encoding: "utf8",
    timeout: 240_000,
  });
  assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").pop() ?? "") as CheckResult;
}

/** The installed kernelspec plus `dl-workbook-slow`: the relay in front of a script-start kernel that first sleeps SLOW_START_MS. */
function jupyterWithSlowKernel(): TestJupyter {
  const jupyter = testJupyter();
  const sleep = path.join(jupyter.dir, "sleep.js");
  // the main thread only: a preload runs in worker threads too, the kernel's wire thread included
  fs.writeFileSync(sleep, `if (require("worker_threads").isMainThread) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${SLOW_START_MS});\n`);
  const dir = path.join(jupyter.dir, "share", "jupyter", "kernels", SLOW_KERNEL);
  fs.mkdirSync(dir, { recursive: true });
  const dist = path.join(PACKAGE_ROOT, "dist", "kernel");
  const spec: KernelJson = {
    argv: [process.execPath, path.join(dist, "relay.js"), "-r", sleep, path.join(dist, "main.js"), "{connection_file}"],
    display_name: SLOW_KERNEL,
    language: "typescript",
    interrupt_mode: "message",
  };
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec));
  return jupyter;
}

/** The relays' private folders of these process ids still on disk. */
function leftFolders(pids: number[]): string[] {
  return fs.readdirSync(os.tmpdir()).filter((name) => pids.some((pid) => name.startsWith(`dl-workbook-relay-${pid}-`)));
}

test("the relay answers kernel_info while the kernel behind it is not ready; the cell sent meanwhile runs in the kernel, one session throughout", () => {
  const jupyter = jupyterWithSlowKernel();
  try {
    const r = check("early-reply", SLOW_KERNEL, jupyter);
    assert.ok(r.first_reply_ms < SLOW_START_MS, `first reply after ${r.first_reply_ms} ms`);
    assert.ok(r.second_reply_ms < SLOW_START_MS, `second reply after ${r.second_reply_ms} ms`);
    assert.deepEqual(r.statuses, ["busy", "idle"], "the relay's kernel_info_reply comes with busy and idle on iopub");
    assert.equal(r.kernel_children, 1, "the relay has started the kernel");
    assert.equal(r.heartbeat, true, "the relay echoes heartbeats while the kernel starts");
    assert.equal(r.cell_status, "ok");
    assert.equal(r.result, "42");
    assert.equal(r.type_error_status, "error", "type checking is on");
    assert.ok(r.cell_ms >= SLOW_START_MS, `the cell finished ${r.cell_ms} ms after the start: the kernel cannot have run it`);
    assert.deepEqual(r.relay_info, r.kernel_info, "the relay's kernel_info_reply differs from the kernel's");
    assert.equal(new Set(r.sessions).size, 1, `sessions ${JSON.stringify(r.sessions)}`);
  } finally {
    fs.rmSync(jupyter.dir, { recursive: true, force: true });
  }
});

test("a kernel that fails to start from the snapshot (here: no such blob) is started again from its script", () => {
  const jupyter = testJupyter();
  try {
    const dir = path.join(jupyter.dir, "share", "jupyter", "kernels", "dl-workbook-bad-blob");
    fs.mkdirSync(dir, { recursive: true });
    const spec: KernelJson = {
      argv: [process.execPath, path.join(PACKAGE_ROOT, "dist", "kernel", "relay.js"), "--snapshot-blob", path.join(jupyter.dir, "missing.blob"), "{connection_file}"],
      display_name: "bad blob",
      language: "typescript",
      interrupt_mode: "message",
    };
    fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec));
    const r = check("early-reply", "dl-workbook-bad-blob", jupyter);
    assert.equal(r.cell_status, "ok");
    assert.equal(r.result, "42");
    assert.equal(r.type_error_status, "error");
  } finally {
    fs.rmSync(jupyter.dir, { recursive: true, force: true });
  }
});

test("a SIGKILLed relay takes its kernel along within 2 s, once the kernel ran a cell and while it is still starting", () => {
  const jupyter = jupyterWithSlowKernel();
  try {
    const after = check("kill-relay", KERNEL_NAME, jupyter);
    assert.equal(after.kernel_pids.length, 1);
    assert.ok(after.kernel_gone_s !== null && after.kernel_gone_s < 2.5, `the kernel outlived its relay by ${String(after.kernel_gone_s)} s`);
    const early = check("kill-early", KERNEL_NAME, jupyter);
    assert.equal(early.kernel_pids.length, 1);
    assert.ok(early.kernel_gone_s !== null && early.kernel_gone_s < 2.5, `the starting kernel outlived its relay by ${String(early.kernel_gone_s)} s`);
    // killed in its sleep: the kernel finds its relay gone when it starts watching, SLOW_START_MS later
    const slow = check("kill-early", SLOW_KERNEL, jupyter);
    assert.ok(slow.kernel_gone_s !== null && slow.kernel_gone_s < SLOW_START_MS / 1000 + 2.5, `the slow kernel outlived its relay by ${String(slow.kernel_gone_s)} s`);
  } finally {
    fs.rmSync(jupyter.dir, { recursive: true, force: true });
  }
});

test("restart ends the old relay and kernel, shutdown the new ones, and no private folder stays", () => {
  const jupyter = testJupyter();
  try {
    const r = check("shutdown", KERNEL_NAME, jupyter);
    assert.equal(r.before, "1");
    assert.equal(r.after_count, 1, "the restarted kernel is a fresh one");
    assert.equal(r.old.length, 2, `relay and kernel: ${JSON.stringify(r.old)}`);
    assert.notEqual(r.old_gone_s, null, `the old relay or kernel still runs after the restart: ${JSON.stringify(r.old)}`);
    assert.equal(r.new.length, 2, `relay and kernel: ${JSON.stringify(r.new)}`);
    assert.notEqual(r.new_gone_s, null, `the relay or kernel still runs after shutdown: ${JSON.stringify(r.new)}`);
    assert.deepEqual(leftFolders([...r.old, ...r.new]), []);
  } finally {
    fs.rmSync(jupyter.dir, { recursive: true, force: true });
  }
});

/** Why the ordinary-user test cannot run here, or undefined. */
function noOrdinaryUser(): string | undefined {
  if (process.getuid?.() !== 0) return "needs root (useradd)";
  for (const tool of ["useradd", "userdel", "runuser"]) if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `needs ${tool}`;
  return undefined;
}

test("as an ordinary user with a HOME of their own, the relay answers early, the kernel behind it runs cells, and nothing of theirs runs after shutdown", { skip: noOrdinaryUser() }, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "relay-user-"));
  fs.chmodSync(work, 0o755);
  const jupyter = jupyterWithSlowKernel();
  fs.chmodSync(jupyter.dir, 0o755); // the kernelspec and sleep.js, readable by the user
  const user = createOrdinaryUser(work, `wbrl${process.pid % 100000}`);
  try {
    const r = check("early-reply", SLOW_KERNEL, jupyter, user);
    assert.ok(r.first_reply_ms < SLOW_START_MS, `first reply after ${r.first_reply_ms} ms`);
    assert.equal(r.kernel_children, 1);
    assert.equal(r.result, "42");
    assert.equal(r.type_error_status, "error");
    const restarted = check("shutdown", KERNEL_NAME, jupyter, user);
    assert.equal(restarted.old.length, 2, `relay and kernel from the snapshot's launcher: ${JSON.stringify(restarted.old)}`);
    assert.equal(restarted.after_count, 1);
    assert.notEqual(restarted.new_gone_s, null);
    assert.deepEqual(user.processes(), [], "the user still runs processes");
    assert.deepEqual(leftFolders([...restarted.old, ...restarted.new]), []);
  } finally {
    user.remove();
    fs.rmSync(jupyter.dir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
});

test("the kernel behind the relay listens on ipc sockets in the private folder, with the front end's key", () => {
  const info = { transport: "tcp" as const, ip: "127.0.0.1", shell_port: 5001, iopub_port: 5002, stdin_port: 5003, control_port: 5004, hb_port: 5005, key: "k3y", signature_scheme: "hmac-sha256" };
  const kernelSide = privateConnection(info, "/tmp/dl-workbook-relay-1-abc");
  assert.deepEqual(kernelSide, { ...info, transport: "ipc", ip: "/tmp/dl-workbook-relay-1-abc/k", shell_port: 1, iopub_port: 2, stdin_port: 3, control_port: 4, hb_port: 5 });
});

test("removeStaleFolders removes the folders of relays that are gone and keeps those of running ones", () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "relay-folders-"));
  try {
    const gonePid = spawnSync(process.execPath, ["-e", "0"]).pid;
    assert.equal(processExists(gonePid), false);
    const gone = path.join(base, `dl-workbook-relay-${gonePid}-abc123`);
    const live = path.join(base, `dl-workbook-relay-${process.pid}-def456`);
    const other = path.join(base, "dl-workbook-relay-notapid-x");
    for (const dir of [gone, live, other]) fs.mkdirSync(dir);
    fs.writeFileSync(path.join(gone, "kernel.json"), "{}");
    assert.deepEqual(removeStaleFolders(base), [gone]);
    assert.deepEqual(fs.readdirSync(base).sort(), [path.basename(other), path.basename(live)].sort());
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});
