/**
 * `workbook lab [DIR] [--port P] [--no-browser]`: JupyterLab 4 (built from the npm `@jupyterlab/*`
 * packages on first use, lab/bundle.ts) served by Debian's jupyter_server + jupyterlab_server
 * (lab/server.ts) with the dl-workbook kernel and the course's Plotly renderer. Prints the URL with
 * its token; Ctrl-C stops the server and its kernels.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensureLabApp } from "./bundle";
import { startLabServer } from "./server";

const USAGE = `Usage: workbook lab [DIR] [--port P] [--no-browser]

Starts JupyterLab on DIR (default: the current directory) with the dl-workbook kernel.
  --port P       listen on 127.0.0.1:P (default: a free port)
  --no-browser   print the URL only; do not open a browser

Needs Debian's python3-jupyter-server and python3-jupyterlab-server (or WORKBOOK_PYTHON pointing
at a Python that has jupyter_server 1.23+ and jupyterlab_server 2.16+). The front end is bundled
once per version into ${path.join("~", ".cache", "dl-workbook", "lab")} (WORKBOOK_LAB_CACHE overrides).`;

/** Parsed command line. */
export interface LabArgs {
  dir: string;
  port?: number;
  browser: boolean;
}

/**
 * Parses the arguments; throws with the usage on anything unknown.
 * @example parseLabArgs(["notebooks", "--port", "8890", "--no-browser"]) // { dir: "notebooks", port: 8890, browser: false }
 */
export function parseLabArgs(args: string[]): LabArgs {
  const parsed: LabArgs = { dir: ".", browser: true };
  let dirSeen = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--no-browser") parsed.browser = false;
    else if (arg === "--port" || arg.startsWith("--port=")) {
      const value = arg === "--port" ? args[++i] : arg.slice("--port=".length);
      const port = Number(value);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`workbook lab: --port needs a port number from 1 to 65535, got "${value ?? ""}"\n\n${USAGE}`);
      parsed.port = port;
    } else if (arg.startsWith("-")) throw new Error(`workbook lab: unknown option "${arg}"\n\n${USAGE}`);
    else if (dirSeen) throw new Error(`workbook lab: one directory only (got "${parsed.dir}" and "${arg}")\n\n${USAGE}`);
    else {
      parsed.dir = arg;
      dirSeen = true;
    }
  }
  return parsed;
}

/** Where user settings, workspaces, the kernelspec prefix and the server log live: $WORKBOOK_LAB_STATE or ~/.local/share/dl-workbook/lab. */
export function labStateDir(): string {
  if (process.env.WORKBOOK_LAB_STATE) return path.resolve(process.env.WORKBOOK_LAB_STATE);
  return path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share"), "dl-workbook", "lab");
}

function openBrowser(url: string): void {
  const opener = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(opener, [url], { stdio: "ignore", detached: true });
  child.on("error", () => console.log(`workbook lab: could not start ${opener}; open the URL above yourself`));
  child.unref();
}

/** `workbook lab`: see the file comment. Resolves with the exit code once the server has stopped. */
export async function main(args: string[]): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  const options = parseLabArgs(args);
  const app = await ensureLabApp({ log: (line) => console.log(line) });
  const stateDir = labStateDir();
  fs.mkdirSync(stateDir, { recursive: true });
  const logFile = path.join(stateDir, "server.log");
  const log = fs.createWriteStream(logFile);
  const server = await startLabServer({ appDir: app.dir, root: options.dir, stateDir, port: options.port, onLog: (text) => log.write(text) });
  console.log(`DL Workbook Lab (JupyterLab with the dl-workbook kernel) on ${path.resolve(options.dir)}:\n\n    ${server.url}\n\nServer log: ${logFile}\nPress Ctrl-C to stop the server and its kernels.`);
  if (options.browser) openBrowser(server.url);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      console.log(`\nworkbook lab: ${signal}, shutting down the server and its kernels...`);
      void server.stop().then(() => {
        log.end();
        console.log("workbook lab: stopped.");
        resolve(0);
      });
    };
    process.on("SIGINT", () => stop("Ctrl-C"));
    process.on("SIGTERM", () => stop("SIGTERM"));
    server.process.once("exit", (code) => {
      if (stopping) return;
      log.end();
      console.error(`workbook lab: the Jupyter server exited on its own (code ${code}); see ${logFile}`);
      resolve(1);
    });
  });
}
