import * as fs from "fs";
import * as path from "path";
import { CONVERSIONS_VARIABLE, RECORD_CONVERSIONS_VARIABLE } from "../../kernel/conversion-cache";
import { startKernel, KernelClient, CONNECTION_FILE_PLACEHOLDER, KernelExit } from "../../kernel/client";
import { KernelInstall, Protections, SandboxLimits, kernelStartArgs, makeScratch, removeScratch, sandboxCommand, sandboxEnv, withOwnUser } from "../sandbox";

/**
 * How long a fresh kernel may take to start and warm up. TypeScript's first compile takes a few
 * CPU seconds, and on a 2-core machine shared with other jobs (load 20+) that becomes a minute.
 */
export const STARTUP_MS = 120_000;

/**
 * A kernel in its sandbox, with its own scratch folder, started and warmed up before it is given
 * to a submission (so its start overlaps the grading of the previous one). It serves exactly one
 * submission and is then killed; it never holds anything of a submission before it is taken.
 */
export interface SandboxedKernel {
  client: KernelClient;
  scratch: string;
  /** Counts the bytes the kernel process writes to its own stdout/stderr; the submission using it sets this. */
  onBytes: (n: number) => void;
  /** How the kernel process last ended (for "ran out of memory" and similar reasons). */
  lastExit?: KernelExit;
  /** Milliseconds it took to start and warm up. */
  startMs: number;
  /**
   * Under bubblewrap: the sandbox's init (bubblewrap's pid 1 in the kernel's PID namespace), as
   * seen from the grader. Killing it ends everything in the namespace, and its exit completes only
   * once they are all gone; see {@link stopSandbox}.
   */
  sandboxInit?: ProcessIdentity;
  /** CPU milliseconds its processes used (the sandbox's whole tree, read just before each kill: a killed process's time reaches no parent). */
  cpuMs: number;
}

/** A process by id and start time (field 22 of /proc/<pid>/stat), so that a reused id is never mistaken for it. */
export interface ProcessIdentity {
  pid: number;
  start: string;
}

/** pid, state, parent pid and start time of a process, from /proc/<pid>/stat; undefined when there is no such process. */
function procStat(pid: number): { state: string; ppid: number; start: string } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) is in parentheses and may hold spaces: fields start after its last ")"
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0], ppid: Number(fields[1]), start: fields[19] };
  } catch {
    return undefined;
  }
}

/** CPU milliseconds used by process `pid` and everything below it, with the children they reaped (utime, stime, cutime, cstime; USER_HZ is 100 on Linux). */
function treeCpuMs(pid: number): number {
  let ticks = 0;
  const seen = new Set<number>();
  const visit = (p: number): void => {
    if (seen.has(p)) return;
    seen.add(p);
    try {
      const text = fs.readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      for (const task of fs.readdirSync(`/proc/${p}/task`)) for (const child of fs.readFileSync(`/proc/${p}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) visit(Number(child));
    } catch {
      // gone meanwhile
    }
  };
  visit(pid);
  return ticks * 10;
}

/** The child of `outerPid` (bubblewrap's monitor process): the sandbox's init. Its parent is checked, so nothing a kernel prints can name another process. */
function findSandboxInit(outerPid: number | undefined): ProcessIdentity | undefined {
  if (outerPid === undefined) return undefined;
  try {
    for (const task of fs.readdirSync(`/proc/${outerPid}/task`)) {
      for (const child of fs.readFileSync(`/proc/${outerPid}/task/${task}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)) {
        const stat = procStat(child);
        if (stat && stat.ppid === outerPid) return { pid: child, start: stat.start };
      }
    }
  } catch {
    // the monitor is gone already
  }
  return undefined;
}

/** True while the process runs (not gone, not a zombie, and the same process by its start time). */
function running(p: ProcessIdentity): boolean {
  const stat = procStat(p.pid);
  return stat !== undefined && stat.start === p.start && stat.state !== "Z" && stat.state !== "X";
}

/**
 * Kills a kernel with its whole tree and waits until all of it is gone (at most 5 s). Under
 * bubblewrap the sandbox's init is killed first: the kernel then kills everything in the PID
 * namespace, whatever it forked or however it renamed itself, and only then lets the init exit.
 * Without that wait, a kernel started at once in the same scratch folder could meet the old one
 * still holding the sockets. Without bubblewrap the kernel is one process (an exec chain), killed directly.
 */
export async function stopSandbox(kernel: SandboxedKernel): Promise<void> {
  if (kernel.client.pid !== undefined) kernel.cpuMs += treeCpuMs(kernel.client.pid);
  const init = kernel.sandboxInit;
  if (init && running(init)) {
    try {
      process.kill(init.pid, "SIGKILL");
    } catch {
      // ended meanwhile
    }
  }
  kernel.client.killNow();
  const until = Date.now() + 5000;
  while (init && running(init) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** What a sandboxed kernel needs: the limits, the platform's layers, the package, and what to hide. */
export interface KernelSetup {
  limits: SandboxLimits;
  protections: Protections;
  install: KernelInstall;
  hide?: string[];
  /** The kernel records every conversion it makes into {@link RECORDED_CONVERSIONS} in its scratch folder (see conversions.ts). */
  record?: boolean;
}

/** The file in a recording kernel's scratch folder that holds its conversions. */
export const RECORDED_CONVERSIONS = "conversions.json";

/**
 * Starts a kernel confined by {@link sandboxCommand} (ipc sockets in its scratch folder, so it
 * needs no network) and runs one trivial cell, which pays TypeScript's first compile.
 * Example: `const k = await startSandboxedKernel(setup); await k.client.execute("1 + 1"); await disposeKernel(k);`
 */
export async function startSandboxedKernel(setup: KernelSetup): Promise<SandboxedKernel> {
  const started = Date.now();
  // a user of its own, so the process cap counts this kernel's threads alone
  const protections = withOwnUser(setup.protections);
  const scratch = makeScratch("kernel", protections);
  const command = sandboxCommand([...kernelStartArgs(setup.install), CONNECTION_FILE_PLACEHOLDER], {
    limits: setup.limits,
    protections,
    install: setup.install,
    scratch,
    allowWorker: true,
    handOver: CONNECTION_FILE_PLACEHOLDER,
    hide: setup.hide,
  });
  const box: { kernel?: SandboxedKernel } = {};
  try {
    const client = await startKernel({
      cwd: scratch,
      env: sandboxEnv(scratch, {
        ...(setup.install.conversions ? { [CONVERSIONS_VARIABLE]: setup.install.conversions } : {}),
        ...(setup.record ? { [RECORD_CONVERSIONS_VARIABLE]: path.join(scratch, RECORDED_CONVERSIONS) } : {}),
      }),
      command,
      connectionDir: scratch,
      transport: "ipc",
      startupTimeoutMs: STARTUP_MS,
      onProcessOutput: (text) => box.kernel?.onBytes(text.length),
    });
    const kernel: SandboxedKernel = { client, scratch, onBytes: () => undefined, startMs: 0, cpuMs: 0 };
    box.kernel = kernel;
    client.on("exit", (exit: KernelExit) => {
      kernel.lastExit = exit;
    });
    if (setup.protections.isolation === "bubblewrap") {
      kernel.sandboxInit = findSandboxInit(client.pid);
      client.on("restart", () => (kernel.sandboxInit = findSandboxInit(client.pid)));
    }
    const warm = await client.execute("0", { timeoutMs: STARTUP_MS, storeHistory: false });
    if (warm.status !== "ok") throw new Error(`the kernel's warm-up cell ended with "${warm.status}"${warm.error ? `: ${warm.error.evalue}` : ""}`);
    kernel.startMs = Date.now() - started;
    return kernel;
  } catch (err) {
    if (box.kernel) await stopSandbox(box.kernel);
    removeScratch(scratch);
    throw err;
  }
}

/** Kills a kernel at once (nothing in it is worth a graceful shutdown) and removes its scratch folder. */
export async function disposeKernel(kernel: SandboxedKernel): Promise<void> {
  const { client } = kernel;
  const exited = new Promise<void>((resolve) => (client.isAlive() ? client.once("exit", () => resolve()) : resolve()));
  await stopSandbox(kernel);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
  await client.shutdown(0).catch(() => undefined);
  removeScratch(kernel.scratch);
}
