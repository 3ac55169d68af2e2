/**
 * Starts the `workbook lab` server: Debian's jupyter_server 1.23 running jupyterlab_server 2.16's
 * LabServerApp (`python3 -m jupyterlab_server`), pointed by configuration alone at the front end
 * lab/bundle.ts built, with the dl-workbook kernelspec on JUPYTER_PATH. No server code of ours.
 */
import type { ChildProcess } from "child_process";
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { freePort, startJupyterProcess } from "./jupyter-process";
import { installKernelspec } from "../kernel/kernelspec";
import { builtLabextension, builtLabextensionDir, LABEXTENSION_NAME } from "../kernel/labextension";

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
  /**
   * A Jupyter prefix that already holds the kernelspec and the course's Lab extension
   * (`workbook kernel install --prefix DIR`), put first on JUPYTER_PATH; when left out, both are
   * installed into `<stateDir>/prefix`.
   */
  prefix?: string;
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

/**
 * The environment for the server: the prefix holding the kernelspec and the course's Lab extension
 * first on JUPYTER_PATH (so jupyterlab_server lists that copy of the extension), Jupyter's own dirs
 * under stateDir.
 */
export function labEnvironment(stateDir: string, extra: NodeJS.ProcessEnv = {}, installedPrefix?: string): NodeJS.ProcessEnv {
  const prefix = installedPrefix ? path.resolve(installedPrefix) : path.join(stateDir, "prefix");
  if (installedPrefix) {
    const ext = path.join(prefix, "share", "jupyter", "labextensions", LABEXTENSION_NAME, "package.json");
    if (!fs.existsSync(ext)) throw new Error(`workbook lab: ${prefix} holds no ${LABEXTENSION_NAME} (${ext} is missing); run "workbook kernel install --prefix ${prefix}" first`);
  } else {
    if (!builtLabextension())
      throw new Error(`workbook lab: the course's JupyterLab extension is not built (${builtLabextensionDir()}); run "npm run build:labextension" in the dl-workbook clone, or reinstall dl-workbook`);
    installKernelspec({ scope: "prefix", prefix, quiet: true });
  }
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
  const env = labEnvironment(stateDir, options.env, options.prefix);
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
  const base = `http://127.0.0.1:${port}`;
  const server = await startJupyterProcess({
    command: [labPython(), ...args],
    readyUrl: `${base}/api/status?token=${token}`,
    name: "workbook lab: the Jupyter server",
    env,
    cwd: root,
    onLog: options.onLog,
    hint: (log) =>
      /No module named jupyterlab_server|No module named 'jupyter_server'/.test(log)
        ? " (install Debian's python3-jupyterlab-server and python3-jupyter-server, or set WORKBOOK_PYTHON to a Python that has them)"
        : "",
  });
  return { base, port, token, url: `${base}/lab?token=${token}`, process: server.process, log: () => server.log(), stop: () => server.stop() };
}
