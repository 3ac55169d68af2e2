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
}

/** What a sandboxed kernel needs: the limits, the platform's layers, the package, and what to hide. */
export interface KernelSetup {
  limits: SandboxLimits;
  protections: Protections;
  install: KernelInstall;
  hide?: string[];
}

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
      env: sandboxEnv(scratch),
      command,
      connectionDir: scratch,
      transport: "ipc",
      startupTimeoutMs: STARTUP_MS,
      onProcessOutput: (text) => box.kernel?.onBytes(text.length),
    });
    const kernel: SandboxedKernel = { client, scratch, onBytes: () => undefined, startMs: 0 };
    box.kernel = kernel;
    client.on("exit", (exit: KernelExit) => {
      kernel.lastExit = exit;
    });
    const warm = await client.execute("0", { timeoutMs: STARTUP_MS, storeHistory: false });
    if (warm.status !== "ok") throw new Error(`the kernel's warm-up cell ended with "${warm.status}"${warm.error ? `: ${warm.error.evalue}` : ""}`);
    kernel.startMs = Date.now() - started;
    return kernel;
  } catch (err) {
    if (box.kernel) box.kernel.client.killNow();
    removeScratch(scratch);
    throw err;
  }
}

/** Kills a kernel at once (nothing in it is worth a graceful shutdown) and removes its scratch folder. */
export async function disposeKernel(kernel: SandboxedKernel): Promise<void> {
  const { client } = kernel;
  const exited = new Promise<void>((resolve) => (client.isAlive() ? client.once("exit", () => resolve()) : resolve()));
  client.killNow();
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
  await client.shutdown(0).catch(() => undefined);
  removeScratch(kernel.scratch);
}
