/**
 * Starting a Python Jupyter server for a test or for `workbook lab`, one way: a free port on
 * 127.0.0.1, its own process group (Ctrl-C reaches the caller, which stops the server), the log
 * kept, readiness polled over HTTP, and stop() = SIGTERM, then SIGKILL after 15 s. lab/server.ts
 * (jupyterlab_server) and kernel/browser.test.ts (Notebook 6.4) use it; the benchmarks use
 * {@link freePort}.
 */
import { spawn } from "child_process";
import type { ChildProcess } from "child_process";

/** A free TCP port on 127.0.0.1 (the kernel client's, shared by the servers and benchmarks). */
export { freePort } from "../kernel/client/connection";

/** Options of {@link startJupyterProcess}. */
export interface JupyterProcessOptions {
  /** The server's argv: executable first. */
  command: string[];
  /** The URL that answers 200 once the server is ready (token included where one is set). */
  readyUrl: string;
  /** What the errors call the server, e.g. "workbook lab: the Jupyter server". */
  name: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with each chunk of the server's log. */
  onLog?: (text: string) => void;
  /** Adds a hint to the error when the server exits early (e.g. which Debian package is missing). */
  hint?: (log: string) => string;
}

/** A running server process. */
export interface JupyterProcess {
  process: ChildProcess;
  /** The server's log so far. */
  log(): string;
  /** SIGTERM (the server then shuts its kernels down), SIGKILL after 15 s; resolves on exit. */
  stop(): Promise<void>;
}

/**
 * Starts the server and resolves once `readyUrl` answers; throws with the log when it exits first
 * or does not answer within 60 s.
 * @example const server = await startJupyterProcess({ command: ["/usr/bin/jupyter-notebook", `--port=${port}`], readyUrl: `http://127.0.0.1:${port}/api`, name: "jupyter-notebook" });
 */
export async function startJupyterProcess(options: JupyterProcessOptions): Promise<JupyterProcess> {
  let log = "";
  const [executable, ...args] = options.command;
  // Its own process group: jupyter_server would otherwise ask "Shutdown this server (y/[n])?" on Ctrl-C.
  const child = spawn(executable, args, { env: options.env, cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const onData = (chunk: Buffer): void => {
    log += chunk.toString();
    options.onLog?.(chunk.toString());
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // In its own process group, the server would outlive a caller that exits without stop().
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  };
  process.once("exit", killOnExit);
  void exited.then(() => process.removeListener("exit", killOnExit));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  let failure: Error | undefined;
  child.once("error", (err) => (failure = err));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (failure) throw new Error(`${options.name} could not be started (${executable}): ${failure.message}`);
    if (child.exitCode !== null) throw new Error(`${options.name} exited with ${child.exitCode}${options.hint?.(log) ?? ""}:\n${log}`);
    try {
      const response = await fetch(options.readyUrl);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.name} did not answer at ${new URL(options.readyUrl).origin} within 60 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { process: child, log: () => log, stop };
}
