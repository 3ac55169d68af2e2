/**
 * Starts the `workbook lab` server: Debian's jupyter_server 1.23 running jupyterlab_server 2.16's
 * LabServerApp (`python3 -m jupyterlab_server`), pointed by configuration alone at the front end
 * lab/bundle.ts built, with the dl-workbook kernelspec on JUPYTER_PATH. No server code of ours.
 */
import { spawn } from "child_process";
import type { ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { installKernelspec } from "../kernel/kernelspec";
import { builtLabextension, builtLabextensionDir } from "../kernel/labextension";

/** The Python that has Debian's jupyter_server and jupyterlab_server ($WORKBOOK_PYTHON overrides). */
export function labPython(): string {
  return process.env.WORKBOOK_PYTHON || "/usr/bin/python3";
}

/** Options of {@link startLabServer}. */
export interface LabServerOptions {
  /** The built app (ensureLabApp().dir). */
  appDir: string;
  /** The directory the file browser shows and notebooks are opened from. */
  root: string;
  /** Where the kernelspec, user settings, workspaces and Jupyter's runtime files go. */
  stateDir: string;
  /** TCP port on 127.0.0.1; a free one when left out. */
  port?: number;
  /** The access token; a random one when left out. */
  token?: string;
  /** Extra environment for the server and its kernels. */
  env?: NodeJS.ProcessEnv;
  /** Called with each chunk of the server's log. */
  onLog?: (text: string) => void;
}

/** A running server. */
export interface LabServer {
  /** http://127.0.0.1:PORT */
  base: string;
  port: number;
  token: string;
  /** The Lab page with the token, to open in a browser. */
  url: string;
  process: ChildProcess;
  /** The server's log so far. */
  log(): string;
  /** SIGTERM (jupyter_server then shuts its kernels down), SIGKILL after 15 s; resolves on exit. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * The environment for the server: the prefix holding the kernelspec and the course's Lab extension
 * first on JUPYTER_PATH (so jupyterlab_server lists that copy of the extension), Jupyter's own dirs
 * under stateDir.
 */
export function labEnvironment(stateDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  if (!builtLabextension()) throw new Error(`workbook lab: the course's JupyterLab extension is not built (${builtLabextensionDir()}); run "npm run build:labextension" in the dl-workbook clone, or reinstall dl-workbook`);
  const prefix = path.join(stateDir, "prefix");
  installKernelspec({ scope: "prefix", prefix, quiet: true });
  const jupyterPath = [path.join(prefix, "share", "jupyter"), ...(process.env.JUPYTER_PATH ?? "").split(path.delimiter).filter(Boolean)];
  return {
    ...process.env,
    JUPYTER_PATH: jupyterPath.join(path.delimiter),
    JUPYTER_RUNTIME_DIR: process.env.JUPYTER_RUNTIME_DIR ?? path.join(stateDir, "runtime"),
    PYTHONDONTWRITEBYTECODE: "1",
    ...extra,
  };
}

/**
 * Starts the server and resolves once it answers /api/status.
 * @example const server = await startLabServer({ appDir, root: "notebooks", stateDir: "/tmp/lab" }); console.log(server.url);
 */
export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const port = options.port ?? (await freePort());
  const token = options.token ?? randomBytes(24).toString("hex");
  const root = path.resolve(options.root);
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`workbook lab: ${root} is not a directory`);
  const stateDir = path.resolve(options.stateDir);
  fs.mkdirSync(stateDir, { recursive: true });
  const app = options.appDir;
  const env = labEnvironment(stateDir, options.env);
  const args = [
    "-m",
    "jupyterlab_server",
    "--ServerApp.ip=127.0.0.1",
    `--ServerApp.port=${port}`,
    "--ServerApp.port_retries=0",
    "--ServerApp.open_browser=False",
    `--ServerApp.root_dir=${root}`,
    `--ServerApp.token=${token}`,
    ...(process.getuid?.() === 0 ? ["--ServerApp.allow_root=True"] : []),
    `--LabServerApp.app_settings_dir=${path.join(app, "settings")}`,
    `--LabServerApp.schemas_dir=${path.join(app, "schemas")}`,
    `--LabServerApp.static_dir=${path.join(app, "static")}`,
    `--LabServerApp.templates_dir=${path.join(app, "templates")}`,
    `--LabServerApp.themes_dir=${path.join(app, "themes")}`,
    `--LabServerApp.user_settings_dir=${path.join(stateDir, "user-settings")}`,
    `--LabServerApp.workspaces_dir=${path.join(stateDir, "workspaces")}`,
  ];
  let log = "";
  // Its own process group: Ctrl-C reaches `workbook lab`, which stops the server with SIGTERM
  // (jupyter_server would otherwise ask "Shutdown this server (y/[n])?" on the terminal).
  const child = spawn(labPython(), args, { env, cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true });
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
  const base = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      const hint = /No module named jupyterlab_server|No module named 'jupyter_server'/.test(log)
        ? " (install Debian's python3-jupyterlab-server and python3-jupyter-server, or set WORKBOOK_PYTHON to a Python that has them)"
        : "";
      throw new Error(`workbook lab: the Jupyter server exited with ${child.exitCode}${hint}:\n${log}`);
    }
    try {
      const response = await fetch(`${base}/api/status?token=${token}`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`workbook lab: the Jupyter server did not answer at ${base} within 60 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { base, port, token, url: `${base}/lab?token=${token}`, process: child, log: () => log, stop };
}
