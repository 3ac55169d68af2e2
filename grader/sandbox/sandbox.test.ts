import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  DEFAULT_LIMITS,
  Protections,
  SandboxLimits,
  findProgram,
  kernelStartArgs,
  makePrivate,
  makeScratch,
  probeProtections,
  readablePaths,
  removeScratch,
  sandboxCommand,
  sandboxEnv,
  secretPaths,
  thisInstall,
  withOwnUser,
} from "./index";

// Each test runs a small Node program inside the sandbox exactly as the kernel is run, and checks
// that one limit holds. A layer the machine lacks is reported by probeProtections().lost and the
// test of that layer asserts the loss is reported instead.

const protections = probeProtections();
const install = thisInstall();

/** A folder of the grader's that is readable by everyone (like an assignment folder left at mode 755): only the mount hides it. */
const publicSecretDir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-grader-public-"));
fs.chmodSync(publicSecretDir, 0o755);
fs.writeFileSync(path.join(publicSecretDir, "01-adam.grading.json"), '{"expected": 42}');
fs.chmodSync(path.join(publicSecretDir, "01-adam.grading.json"), 0o644);

/** The namespaces a kernel gets its own of under bubblewrap (user too, when not root). */
const NAMESPACES = ["pid", "net", "mnt", "ipc", "uts"];
const bubblewrap = protections.isolation === "bubblewrap";

/** Runs `code` confined as a kernel is; `layers` switches layers off, to test one alone. */
function runSandboxed(code: string, limits: Partial<SandboxLimits> = {}, layers: Partial<Protections> = {}): { status: number | null; signal: string | null; out: string; scratch: string } {
  const scratch = makeScratch("sandbox-test", protections);
  const hide = secretPaths(install, [publicSecretDir]);
  const argv = sandboxCommand(["-e", code], { limits: { ...DEFAULT_LIMITS, ...limits }, protections: { ...protections, ...layers }, install, scratch, hide });
  const result = spawnSync(argv[0], argv.slice(1), { cwd: scratch, env: sandboxEnv(scratch), encoding: "utf8", timeout: 30_000 });
  return { status: result.status, signal: result.signal, out: `${result.stdout}${result.stderr}`, scratch };
}

/** A private folder of the grader's, with a secret file in it (stands for hidden tests or the gradebook). */
function graderSecret(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-grader-secret-"));
  makePrivate(dir);
  const file = path.join(dir, "hidden-tests.json");
  fs.writeFileSync(file, '{"expected": 42}');
  return { dir, file };
}

test("the sandbox reports every protection layer it cannot use", () => {
  assert.equal(Array.isArray(protections.lost), true);
  const complete =
    (protections.unprivilegedUser !== null || protections.noNestedUserns === true) &&
    protections.pidNamespace &&
    protections.networkNamespace &&
    protections.mountNamespace &&
    (protections.unprivilegedUser !== null || protections.userNamespace) &&
    protections.resourceLimits &&
    protections.nodePermissions;
  assert.equal(protections.lost.length === 0, complete, protections.lost.join("\n"));
  if (findProgram("bwrap") && process.platform === "linux") assert.equal(protections.isolation, "bubblewrap", "bubblewrap is installed, so the probe must use it");
});

test(
  "under bubblewrap a kernel has a PID, network, mount, IPC and UTS namespace of its own, and sees only its own processes",
  { skip: !bubblewrap ? "no bubblewrap here (reported in protections.lost)" : false },
  () => {
    const mine = Object.fromEntries(NAMESPACES.map((ns) => [ns, fs.readlinkSync(`/proc/self/ns/${ns}`)]));
    const code = `
    const fs = require("fs");
    for (const ns of ${JSON.stringify(NAMESPACES)}) console.log("NS " + ns + " " + fs.readlinkSync("/proc/self/ns/" + ns));
    console.log("PIDS " + fs.readdirSync("/proc").filter((e) => /^\\d+$/.test(e)).join(","));
    try { process.kill(${process.pid}, 0); console.log("SEES grader"); } catch (e) { console.log("GRADER " + e.code); }`;
    const run = runSandboxed(code, {}, { nodePermissions: false });
    removeScratch(run.scratch);
    for (const ns of NAMESPACES) {
      const inside = new RegExp(`^NS ${ns} (.*)$`, "m").exec(run.out)?.[1];
      assert.ok(inside, run.out);
      assert.notEqual(inside, mine[ns], `${ns} namespace must not be the grader's`);
    }
    // bubblewrap's init (1) and the program (2): nothing of the grader's or of other kernels
    assert.deepEqual(/^PIDS (.*)$/m.exec(run.out)?.[1].split(",").map(Number).sort(), [1, 2], run.out);
    assert.match(run.out, /GRADER ESRCH/);
  },
);

test(
  "under bubblewrap the kernel's file system holds only /usr, the package, Node, the grader's liveness pipe and its scratch folder, read-only but for the scratch folder",
  { skip: !bubblewrap ? "no bubblewrap here (reported in protections.lost)" : false },
  () => {
    const code = `
    const fs = require("fs");
    console.log("ROOT " + fs.readdirSync("/").sort().join(","));
    for (const f of ${JSON.stringify([path.join(install.packageRoot, "package.json.evil"), "/usr/evil", "/evil"])}) {
      try { fs.writeFileSync(f, "x"); console.log("WROTE " + f); } catch (e) { console.log("REFUSED " + e.code); }
    }
    fs.writeFileSync("mine.txt", "ok"); console.log("SCRATCH ok");`;
    const run = runSandboxed(code, {}, { nodePermissions: false });
    removeScratch(run.scratch);
    const top = (p: string): string => p.split(path.sep)[1];
    const allowed = new Set([
      "bin",
      "sbin",
      "lib",
      "lib32",
      "lib64",
      "libx32",
      "usr",
      "etc",
      "proc",
      "dev",
      "run",
      top(install.packageRoot),
      top(fs.realpathSync(process.execPath)),
      top(fs.realpathSync(os.tmpdir())),
    ]);
    const root = /^ROOT (.*)$/m.exec(run.out)?.[1].split(",") ?? [];
    assert.ok(root.length > 0, run.out);
    for (const entry of root) assert.ok(allowed.has(entry), `/${entry} must not be in the sandbox: ${run.out}`);
    assert.doesNotMatch(run.out, /WROTE/, run.out);
    assert.equal((run.out.match(/REFUSED (EROFS|EACCES|ENOENT)/g) ?? []).length, 3, run.out);
    assert.match(run.out, /SCRATCH ok/);
  },
);

test("a sandboxed program cannot read the grader's files, assignments/, or anything outside the package and its scratch", () => {
  const secret = graderSecret();
  const worldReadable = path.join(os.tmpdir(), `workbook-public-${process.pid}.json`);
  fs.writeFileSync(worldReadable, "{}");
  fs.chmodSync(worldReadable, 0o644);
  const code = `
    const fs = require("fs");
    for (const f of ${JSON.stringify([secret.file, worldReadable, "/etc/passwd", path.join(publicSecretDir, "01-adam.grading.json")])}) {
      try { fs.readFileSync(f); console.log("READ " + f); } catch (e) { console.log("DENIED " + (e.code || e.message)); }
    }
    for (const d of ${JSON.stringify([path.join(install.packageRoot, "assignments"), publicSecretDir, os.tmpdir(), secret.dir, "/etc"])}) {
      try { fs.readdirSync(d); console.log("LISTED " + d); } catch (e) { console.log("DENIED list " + e.code); }
    }`;
  const run = runSandboxed(code);
  removeScratch(run.scratch);
  fs.rmSync(secret.dir, { recursive: true });
  fs.rmSync(worldReadable);
  assert.doesNotMatch(run.out, /READ |LISTED/, run.out);
  // Node 20's permission model lets "/" itself be listed (top-level folder names only) when the
  // allowed paths span three top-level folders; nothing below the root can be listed or read.
  assert.equal((run.out.match(/^DENIED/gm) ?? []).length, 9, run.out);
});

test("a sandboxed program writes only into its own scratch folder", () => {
  const secret = graderSecret();
  const code = `
    const fs = require("fs");
    fs.writeFileSync("note.txt", "mine"); console.log("WROTE scratch");
    try { fs.writeFileSync(${JSON.stringify(path.join(secret.dir, "grades.csv"))}, "A+"); console.log("WROTE grader"); } catch (e) { console.log("DENIED " + e.code); }
    try { fs.writeFileSync("/tmp/escape-${process.pid}.txt", "x"); console.log("WROTE tmp"); } catch (e) { console.log("DENIED " + e.code); }`;
  const run = runSandboxed(code);
  const wroteNote = fs.existsSync(path.join(run.scratch, "note.txt"));
  removeScratch(run.scratch);
  fs.rmSync(secret.dir, { recursive: true });
  assert.match(run.out, /WROTE scratch/);
  assert.equal(wroteNote, true);
  assert.doesNotMatch(run.out, /WROTE (grader|tmp)/, run.out);
  assert.equal(fs.existsSync(`/tmp/escape-${process.pid}.txt`), false);
});

test(
  "a native addon cannot step around the permission model to open the gradebook",
  { skip: protections.unprivilegedUser === null && !protections.mountNamespace ? "needs root for setpriv, or a mount namespace (reported in protections.lost)" : false },
  () => {
    const secret = graderSecret();
    const gradebook = path.join(secret.dir, "gradebook.sqlite");
    const code = `
    const Database = require(${JSON.stringify(path.join(install.packageRoot, "node_modules", "better-sqlite3"))});
    try { const db = new Database(${JSON.stringify(gradebook)}); db.exec("create table hacked(x)"); console.log("OPENED"); } catch (e) { console.log("DENIED " + e.message); }`;
    const run = runSandboxed(code);
    removeScratch(run.scratch);
    const created = fs.existsSync(gradebook);
    fs.rmSync(secret.dir, { recursive: true });
    assert.doesNotMatch(run.out, /OPENED/, run.out);
    assert.equal(created, false);
  },
);

test("a sandboxed program cannot start child processes or workers", () => {
  const code = `
    try { require("child_process").execSync("id"); console.log("SPAWNED"); } catch (e) { console.log("DENIED " + e.code); }
    try { new (require("worker_threads").Worker)("1", { eval: true }); console.log("WORKER"); } catch (e) { console.log("DENIED " + e.code); }`;
  const run = runSandboxed(code);
  removeScratch(run.scratch);
  assert.doesNotMatch(run.out, /SPAWNED|WORKER/, run.out);
  assert.equal((run.out.match(/DENIED ERR_ACCESS_DENIED/g) ?? []).length, 2, run.out);
});

test("a sandboxed program has no network: sockets and fetch fail", { skip: !protections.networkNamespace ? "no network namespace here (reported in protections.lost)" : false }, () => {
  const code = `
    const net = require("net");
    const s = net.connect({ host: "1.1.1.1", port: 80 });
    s.on("connect", () => console.log("CONNECTED"));
    s.on("error", (e) => console.log("NONET socket " + e.code));
    fetch("http://1.1.1.1/").then(() => console.log("FETCHED"), (e) => console.log("NONET fetch " + (e.cause && e.cause.code)));
    setTimeout(() => process.exit(0), 5000);`;
  const run = runSandboxed(code);
  removeScratch(run.scratch);
  assert.doesNotMatch(run.out, /CONNECTED|FETCHED/, run.out);
  assert.match(run.out, /NONET socket ENETUNREACH/, run.out);
  assert.match(run.out, /NONET fetch ENETUNREACH/, run.out);
});

test("a memory bomb is stopped at the memory cap", () => {
  const code = `const hoard = []; for (;;) hoard.push(new Array(1e6).fill(Math.random()));`;
  const run = runSandboxed(code, { memoryMB: 256 });
  removeScratch(run.scratch);
  assert.notEqual(run.status, 0);
  assert.notEqual(run.signal, "SIGTERM", "the cap, not the test's timeout, must stop it");
  assert.match(run.out, /heap out of memory|Allocation failed|ERR_MEMORY|Cannot allocate/i, run.out.slice(-500));
});

test("a file bigger than the file-size cap cannot be written", { skip: !protections.resourceLimits ? "no prlimit here (reported in protections.lost)" : false }, () => {
  const code = `
    process.on("SIGXFSZ", () => {});
    const fs = require("fs"); const chunk = Buffer.alloc(1 << 20, 97);
    try { for (let i = 0; i < 8; i++) fs.appendFileSync("big.bin", chunk); console.log("WROTE 8MB"); } catch (e) { console.log("STOPPED " + e.code); }`;
  const run = runSandboxed(code, { fileMB: 2 });
  const size = fs.existsSync(path.join(run.scratch, "big.bin")) ? fs.statSync(path.join(run.scratch, "big.bin")).size : 0;
  removeScratch(run.scratch);
  assert.doesNotMatch(run.out, /WROTE 8MB/, run.out);
  assert.ok(size <= 2 * 1024 * 1024, `file grew to ${size} bytes`);
});

test(
  "the process cap holds each kernel alone: a thread bomb in one leaves a second free to start threads",
  { skip: protections.unprivilegedUser === null || !protections.resourceLimits ? "needs root for setpriv and prlimit (reported in protections.lost)" : false },
  async () => {
    // 24 threads per sandbox user; a 16 GiB heap cap (virtual: each worker reserves address space
    // for its code) so that the address-space cap is not what stops the bomb
    const limits = { ...DEFAULT_LIMITS, processes: 24, memoryMB: 16384 };
    const start = (code: string): { argv: string[]; scratch: string; uid: number } => {
      const own = withOwnUser(protections);
      const scratch = makeScratch("sandbox-test", own);
      return { argv: sandboxCommand(["-e", code], { limits, protections: own, install, scratch, allowWorker: true }), scratch, uid: own.unprivilegedUser!.uid };
    };
    const bomb = start(`
    const { Worker } = require("worker_threads"); const held = [];
    try { for (let i = 0; i < 1000; i++) held.push(new Worker("setInterval(() => {}, 1000)", { eval: true })); } catch (e) { console.log("CAPPED " + (e.code || e.message)); }
    console.log("HOLDING " + held.length);
    setTimeout(() => process.exit(0), 60000);`);
    const child = spawn(bomb.argv[0], bomb.argv.slice(1), { cwd: bomb.scratch, env: sandboxEnv(bomb.scratch) });
    let bombOut = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        bombOut += d.toString();
        if (/HOLDING \d+/.test(bombOut)) resolve();
      });
      child.on("exit", () => reject(new Error(`the bomb ended before it held its threads: ${bombOut}`)));
    });
    const neighbour = start(`
    const { Worker } = require("worker_threads");
    const ws = [1, 2, 3, 4].map(() => new Worker("require('worker_threads').parentPort.postMessage(process.getuid())", { eval: true }));
    Promise.all(ws.map((w) => new Promise((r) => w.once("message", r)))).then((uids) => { console.log("NEIGHBOUR OK " + uids.join(",")); process.exit(0); });`);
    const run = spawnSync(neighbour.argv[0], neighbour.argv.slice(1), { cwd: neighbour.scratch, env: sandboxEnv(neighbour.scratch), encoding: "utf8", timeout: 60_000 });
    child.kill("SIGKILL");
    removeScratch(bomb.scratch);
    removeScratch(neighbour.scratch);
    assert.match(bombOut, /CAPPED/, "the bomb must hit the cap");
    assert.ok(Number(/HOLDING (\d+)/.exec(bombOut)![1]) < 24, bombOut);
    assert.notEqual(bomb.uid, neighbour.uid);
    assert.match(run.stdout, new RegExp(`NEIGHBOUR OK ${[1, 2, 3, 4].map(() => neighbour.uid).join(",")}`), `${run.stdout}${run.stderr}`);
  },
);

test("kernels start from the snapshot file while it exists, and from the kernel's script once it is gone", () => {
  const blob = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "workbook-blob-")), "kernel.blob");
  fs.writeFileSync(blob, "");
  assert.deepEqual(kernelStartArgs({ ...install, snapshotBlob: blob }), ["--snapshot-blob", blob]);
  fs.rmSync(path.dirname(blob), { recursive: true });
  assert.deepEqual(kernelStartArgs({ ...install, snapshotBlob: blob }), [install.kernelMain]);
  assert.deepEqual(kernelStartArgs(install), [install.kernelMain]);
});

test("kernels may read the code cache beside the snapshot, and still resolve the package's own name under Node's permission model", () => {
  const inside = path.join(install.packageRoot, "build", "kernel-snapshot", "kernel-x.jscache");
  const outside = path.join(os.tmpdir(), "dl-workbook-kernel-snapshot-0", "kernel-x.jscache");
  const scratch = os.tmpdir();
  // inside the package it is readable already; granted again, Node 20 found no "dl-workbook" from the package
  assert.deepEqual(readablePaths({ ...install, codeCache: inside }, scratch), readablePaths(install, scratch));
  assert.ok(readablePaths({ ...install, codeCache: outside }, scratch).includes(outside));
  const grants = readablePaths({ ...install, codeCache: inside }, scratch).map((p) => `--allow-fs-read=${p}`);
  const resolve = `console.log(require("module").createRequire(${JSON.stringify(path.join(install.packageRoot, "__cell__.js"))}).resolve("dl-workbook"))`;
  const run = spawnSync(process.execPath, ["--experimental-permission", "--no-warnings", ...grants, "-e", resolve], { encoding: "utf8" });
  assert.equal(run.stdout.trim(), path.join(install.packageRoot, "dist", "lib", "index.js"), run.stderr);
});

test("the grader's liveness pipe opens for writing while its process lives, and fails (ENXIO) once it is gone", { skip: process.platform !== "linux" ? "Linux only" : false }, () => {
  const ALIVE = path.join(__dirname, "alive.js");
  // a second process makes its pipe, then ends (its kernel closes the reading end)
  const child = spawnSync(
    process.execPath,
    [
      "-e",
      `const p = require(${JSON.stringify(ALIVE)}).graderAlivePipe(); const fs = require("fs"); fs.closeSync(fs.openSync(p, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)); console.log(p); process.removeAllListeners("exit");`,
    ],
    { encoding: "utf8" },
  );
  const pipe = child.stdout.trim();
  assert.equal(child.status, 0, child.stderr);
  assert.equal(fs.statSync(pipe).isFIFO(), true);
  assert.throws(() => fs.openSync(pipe, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK), /ENXIO/);
  fs.rmSync(path.dirname(pipe), { recursive: true, force: true });
});
