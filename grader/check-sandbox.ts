/**
 * `workbook grade --check-sandbox`: prints the sandbox layers in force on this machine and attacks
 * each one from inside a sandbox, as a submission would: a socket to a listener of the check's
 * own, a read of a hidden folder and a write outside the scratch folder (with Node's permission
 * model switched off, so the OS layers stand alone), the permission model alone, a signal to a
 * process of the grader's user, a thread bomb, heap and address-space bombs, and a kernel that must
 * start and run a cell. Pass or fail per layer, each attack bounded by its own time limit.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { checkSandboxRunsKernel } from "./autograde/sandbox-check";
import { disposeKernel } from "./autograde/sandboxed-kernel";
import {
  DEFAULT_LIMITS,
  Protections,
  SandboxLimits,
  makeScratch,
  missingForGrading,
  probeProtections,
  removeScratch,
  runningAsRoot,
  sandboxCommand,
  sandboxEnv,
  secretPaths,
  thisInstall,
  withoutOsLayers,
  withKernelSnapshot,
  withOwnUser,
} from "./sandbox";

/** The outcome of one attack on one layer. */
export interface LayerResult {
  layer: string;
  attack: string;
  pass: boolean;
  /** What happened, in a line. */
  detail: string;
}

/** What a confined test program printed and how it ended. */
interface Confined {
  out: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

/** Runs `code` (a Node program) confined as a kernel would be, under `protections`, and waits for it (at most `timeoutMs`). */
function runConfined(code: string, protections: Protections, options: { limits?: Partial<SandboxLimits>; hide?: string[]; allowWorker?: boolean; timeoutMs?: number } = {}): Promise<Confined> {
  const own = withOwnUser(protections);
  const scratch = makeScratch("check", own);
  const install = thisInstall();
  const argv = sandboxCommand(["-e", code], {
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    protections: own,
    install,
    scratch,
    hide: secretPaths(install, options.hide ?? []),
    allowWorker: options.allowWorker,
  });
  return new Promise((resolve) => {
    let out = "";
    let timedOut = false;
    const child: ChildProcess = spawn(argv[0], argv.slice(1), { cwd: scratch, env: sandboxEnv(scratch), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 20_000);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      removeScratch(scratch);
      resolve({ out, code, signal, timedOut });
    });
    child.on("error", (err) => (out += `\ncould not start: ${err.message}`));
  });
}

/** The lines of `out` that start with `tag`, without it. */
function tagged(out: string, tag: string): string[] {
  return out
    .split("\n")
    .filter((l) => l.startsWith(tag))
    .map((l) => l.slice(tag.length).trim());
}

/** A socket to a listener on 127.0.0.1 started by the check, and to an outside address: both must fail, and the listener see nothing. */
async function checkNetwork(p: Protections): Promise<LayerResult> {
  const seen: net.Socket[] = [];
  const server = net.createServer((s) => {
    seen.push(s);
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  const code = `
    const net = require("net");
    let left = 2;
    const done = () => { if (--left === 0) process.exit(0); };
    for (const [host, port] of [["127.0.0.1", ${port}], ["10.1.2.3", 80]]) {
      const s = net.connect({ host, port });
      s.setTimeout(3000, () => { console.log("RESULT " + host + " timeout"); s.destroy(); done(); });
      s.on("connect", () => { console.log("RESULT " + host + " CONNECTED"); s.destroy(); done(); });
      s.on("error", (e) => { console.log("RESULT " + host + " " + e.code); done(); });
    }`;
  const run = await runConfined(code, p);
  await new Promise((resolve) => setTimeout(resolve, 200));
  server.close();
  const results = tagged(run.out, "RESULT");
  const pass = results.length === 2 && !results.some((r) => r.includes("CONNECTED")) && seen.length === 0;
  return {
    layer: "network namespace",
    attack: `a socket to 127.0.0.1:${port} (a listener of this check) and to 10.1.2.3:80`,
    pass,
    detail: `${results.join(", ") || run.out.trim().slice(0, 200)}; the listener saw ${seen.length} connection(s)`,
  };
}

/** Reads of a world-readable file in a folder of the grader's and of the package's assignments/, with Node's permission model off. */
async function checkHiddenRead(p: Protections, graderDir: string, secret: string): Promise<LayerResult> {
  const assignments = path.join(thisInstall().packageRoot, "assignments");
  const code = `
    const fs = require("fs");
    for (const f of ${JSON.stringify([secret, assignments, graderDir])}) {
      try { const st = fs.statSync(f); if (st.isDirectory()) { const n = fs.readdirSync(f); console.log("SAW " + f + " (" + n.length + " entries)"); } else { fs.readFileSync(f); console.log("SAW " + f); } }
      catch (e) { console.log("DENIED " + f + " " + e.code); }
    }`;
  const run = await runConfined(code, { ...p, nodePermissions: false }, { hide: [graderDir] });
  // an empty covering folder (unshare) shows no entries: only a file read or a listing with entries counts
  const saw = tagged(run.out, "SAW").filter((s) => !s.endsWith("(0 entries)"));
  const denied = tagged(run.out, "DENIED");
  return {
    layer: "mount namespace",
    attack: "reads a world-readable hidden file and lists assignments/ and a grader folder (Node's permission model off)",
    pass: saw.length === 0 && denied.length + tagged(run.out, "SAW").length === 3,
    detail: saw.length ? `read: ${saw.join("; ")}` : `denied: ${denied.map((d) => d.split(" ").pop()).join(", ") || run.out.trim().slice(0, 200)}`,
  };
}

/** A write into a world-writable folder outside the scratch folder, with Node's permission model off. */
async function checkWrite(p: Protections, openDir: string): Promise<LayerResult> {
  const target = path.join(openDir, "escaped.txt");
  const code = `
    const fs = require("fs");
    try { fs.writeFileSync("in-scratch.txt", "ok"); console.log("SCRATCH ok"); } catch (e) { console.log("SCRATCH " + e.code); }
    try { fs.writeFileSync(${JSON.stringify(target)}, "escaped"); console.log("WROTE"); } catch (e) { console.log("DENIED " + e.code); }`;
  const run = await runConfined(code, { ...p, nodePermissions: false });
  const escaped = fs.existsSync(target);
  return {
    layer: "writes only to scratch",
    attack: `writes into ${openDir} (mode 1777, outside the scratch folder; Node's permission model off)`,
    pass: !escaped && tagged(run.out, "SCRATCH")[0] === "ok",
    detail: escaped ? "the file was written" : `scratch write: ${tagged(run.out, "SCRATCH")[0] ?? "?"}; outside: ${tagged(run.out, "DENIED")[0] ?? run.out.trim().slice(0, 200)}`,
  };
}

/** Node's permission model alone (no OS layer): a read outside the package and a child process must be refused. */
async function checkNodePermissions(p: Protections, readable: string): Promise<LayerResult> {
  if (!p.nodePermissions) return { layer: "Node permission model", attack: "-", pass: false, detail: `Node ${process.versions.node} cannot use it (needs 20.16 or later)` };
  const alone: Protections = { ...withoutOsLayers(p), resourceLimits: false };
  const code = `
    try { require("fs").readFileSync(${JSON.stringify(readable)}); console.log("READ"); } catch (e) { console.log("DENIED " + e.code); }
    try { require("child_process").execFileSync("true"); console.log("SPAWNED"); } catch (e) { console.log("DENIED " + e.code); }`;
  const run = await runConfined(code, alone);
  const denied = tagged(run.out, "DENIED");
  return {
    layer: "Node permission model",
    attack: "reads a world-readable file outside the package and starts a child process (no OS layer)",
    pass: denied.length === 2 && denied.every((d) => d === "ERR_ACCESS_DENIED"),
    detail: denied.length ? denied.join(", ") : run.out.trim().slice(0, 200),
  };
}

/** Signals to a process of the grader's own user (a decoy) and to the grader itself (signal 0: only tests the right to signal). */
async function checkSignals(p: Protections): Promise<LayerResult> {
  const decoy = spawn("sleep", ["60"], { stdio: "ignore" });
  const decoyPid = decoy.pid as number;
  const code = `
    try { process.kill(${decoyPid}, "SIGKILL"); console.log("KILLED decoy"); } catch (e) { console.log("REFUSED decoy " + e.code); }
    try { process.kill(${process.pid}, 0); console.log("REACHED grader"); } catch (e) { console.log("REFUSED grader " + e.code); }`;
  const run = await runConfined(code, { ...p, nodePermissions: false });
  await new Promise((resolve) => setTimeout(resolve, 100));
  const alive = decoy.exitCode === null && decoy.signalCode === null;
  decoy.kill("SIGKILL");
  const refused = tagged(run.out, "REFUSED");
  const layer = p.pidNamespace ? "PID namespace" : "a user of its own";
  return {
    layer,
    attack: `SIGKILL to a process of the grader's user (pid ${decoyPid}) and signal 0 to the grader (pid ${process.pid})`,
    pass: alive && refused.length === 2,
    detail: `${alive ? "decoy alive" : "decoy KILLED"}; ${[...refused, ...tagged(run.out, "REACHED").map((r) => `reached ${r}`)].join(", ") || run.out.trim().slice(0, 200)}`,
  };
}

/** A thread bomb under a cap of 32 threads (processes are refused by the permission model). */
async function checkForkBomb(p: Protections): Promise<LayerResult> {
  const cap = 32;
  const code = `
    try { require("child_process").fork("-e"); console.log("FORKED"); } catch (e) { console.log("FORK " + e.code); }
    const { Worker } = require("worker_threads"); const held = [];
    try { for (let i = 0; i < 300; i++) held.push(new Worker("setInterval(() => {}, 1000)", { eval: true })); } catch (e) { console.log("CAPPED " + (e.code || e.message)); }
    console.log("HOLDING " + held.length); process.exit(0);`;
  // a large heap cap, so that the address-space cap is not what stops the bomb
  const run = await runConfined(code, p, { limits: { processes: cap, memoryMB: 16384 }, allowWorker: true, timeoutMs: 60_000 });
  const holding = Number(tagged(run.out, "HOLDING")[0] ?? NaN);
  const pass = p.resourceLimits && tagged(run.out, "CAPPED").length > 0 && holding < cap && !run.out.includes("FORKED");
  return {
    layer: "process cap (prlimit)",
    attack: `forks, then starts 300 threads under a cap of ${cap}`,
    pass,
    detail: `fork: ${tagged(run.out, "FORK")[0] ?? "allowed"}; threads started: ${Number.isNaN(holding) ? run.out.trim().slice(-200) : holding}${tagged(run.out, "CAPPED")[0] ? `, then ${tagged(run.out, "CAPPED")[0]}` : ""}`,
  };
}

/** A heap bomb under a 256 MB heap cap. */
async function checkHeapBomb(p: Protections): Promise<LayerResult> {
  const run = await runConfined("const hoard = []; for (;;) hoard.push(new Array(1e6).fill(Math.random()));", p, { limits: { memoryMB: 256 }, timeoutMs: 60_000 });
  const pass = !run.timedOut && run.code !== 0 && /heap out of memory|Allocation failed/i.test(run.out);
  return {
    layer: "memory cap (V8 heap)",
    attack: "fills the heap without end under a 256 MB cap",
    pass,
    detail: run.timedOut ? "still running after 60 s" : `ended: ${run.signal ?? `exit ${run.code}`}, ${/heap out of memory/i.test(run.out) ? "heap out of memory" : run.out.trim().split("\n").pop()}`,
  };
}

/** Off-heap memory (ArrayBuffers, untouched so they cost no real memory) under the address-space cap: 256 MB heap + 2 GiB. */
async function checkAddressSpaceBomb(p: Protections): Promise<LayerResult> {
  const code = `
    const hoard = [];
    try { for (let i = 0; i < 64; i++) hoard.push(new ArrayBuffer(1 << 28)); console.log("RESERVED 16 GiB"); } catch (e) { console.log("STOPPED at " + hoard.length * 256 + " MiB: " + e.message); }`;
  const run = await runConfined(code, p, { limits: { memoryMB: 256 } });
  const stopped = tagged(run.out, "STOPPED")[0];
  return {
    layer: "address-space cap (prlimit)",
    attack: "reserves 64 buffers of 256 MiB outside the heap",
    pass: p.resourceLimits && stopped !== undefined,
    detail: stopped ?? (tagged(run.out, "RESERVED").length ? "reserved all 16 GiB" : run.out.trim().slice(-200)),
  };
}

/** Every layer together: a kernel starts in the sandbox and runs a cell, as every grading run checks first. */
async function checkKernel(p: Protections, log: (line: string) => void): Promise<LayerResult> {
  const started = Date.now();
  try {
    const install = withKernelSnapshot(thisInstall(), DEFAULT_LIMITS, log);
    const kernel = await checkSandboxRunsKernel({ limits: DEFAULT_LIMITS, protections: p, install, hide: secretPaths(install) });
    await disposeKernel(kernel);
    return { layer: "kernel", attack: "starts a sandboxed kernel and runs 6 * 7", pass: true, detail: `answered 42 after ${((Date.now() - started) / 1000).toFixed(1)} s` };
  } catch (err) {
    return { layer: "kernel", attack: "starts a sandboxed kernel and runs 6 * 7", pass: false, detail: (err as Error).message.split("\n").slice(2).join(" | ") };
  }
}

/** The layers in force, one line each. */
export function describeLayers(p: Protections): string[] {
  const user = runningAsRoot() ? "root" : `${os.userInfo().username} (uid ${os.userInfo().uid})`;
  const lines = [`Sandbox layers on this machine (${process.platform}, grading as ${user}):`];
  if (p.isolation === "bubblewrap")
    lines.push(
      `  namespaces        bubblewrap (${p.bwrap}): a PID, network, mount, IPC and UTS namespace per kernel${p.userNamespace ? ", in a user namespace of its own" : ""}; only /usr, the package, Node and the scratch folder mounted`,
    );
  else if (p.isolation === "unshare") lines.push("  namespaces        unshare -n -m (root): a network and a mount namespace per kernel, the grader's folders covered by empty mounts");
  else lines.push("  namespaces        none");
  lines.push(
    `  user              ${p.unprivilegedUser ? "setpriv: each kernel as a user id of its own, group nogroup, no capabilities" : p.userNamespace ? "the grader's user, mapped into the kernel's user namespace (no capabilities outside it)" : "the grader's own user"}`,
  );
  lines.push(`  resource limits   ${p.resourceLimits ? "prlimit: address space, file size, processes/threads, CPU time" : "none (no prlimit)"}`);
  lines.push(`  Node permissions  ${p.nodePermissions ? "--experimental-permission: reads the package and scratch folder, writes the scratch folder, no child processes" : "not available"}`);
  for (const lost of p.lost) lines.push(`  missing: ${lost}`);
  return lines;
}

/**
 * Prints the layers in force (via `print`), runs every attack and prints pass or fail per layer;
 * true when all pass and a grading run may go ahead here.
 * Example: `await checkSandbox(console.log)` -> true on Linux with bubblewrap.
 */
export async function checkSandbox(print: (line: string) => void, protections: Protections = probeProtections()): Promise<boolean> {
  for (const line of describeLayers(protections)) print(line);
  print("Self-test (each attack runs in a sandbox as a submission would):");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "workbook-check-sandbox-"));
  const graderDir = path.join(work, "grader-folder");
  fs.mkdirSync(graderDir, { mode: 0o755 });
  const secret = path.join(graderDir, "hidden-tests.json");
  fs.writeFileSync(secret, '{"expected": 42}', { mode: 0o644 });
  const openDir = path.join(work, "open");
  fs.mkdirSync(openDir);
  fs.chmodSync(work, 0o755);
  fs.chmodSync(graderDir, 0o755);
  fs.chmodSync(openDir, 0o1777);
  const results: LayerResult[] = [];
  const show = (r: LayerResult): void => {
    results.push(r);
    print(`  ${r.pass ? "PASS" : "FAIL"}  ${r.layer.padEnd(28)} ${r.attack}: ${r.detail}`);
  };
  try {
    show(await checkNetwork(protections));
    show(await checkHiddenRead(protections, graderDir, secret));
    show(await checkWrite(protections, openDir));
    show(await checkNodePermissions(protections, secret));
    show(await checkSignals(protections));
    show(await checkForkBomb(protections));
    show(await checkHeapBomb(protections));
    show(await checkAddressSpaceBomb(protections));
    show(await checkKernel(protections, print));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.pass);
  const missing = missingForGrading(protections);
  if (failed.length === 0 && missing.length === 0) print("All layers hold: workbook grade may grade here.");
  else {
    if (failed.length > 0) print(`${failed.length} of ${results.length} checks failed: ${failed.map((r) => r.layer).join(", ")}.`);
    if (missing.length > 0) print(`workbook grade refuses to grade here without --unsafe-no-sandbox (missing: ${missing.map((m) => m.split(":")[0]).join("; ")}).`);
  }
  return failed.length === 0 && missing.length === 0;
}
