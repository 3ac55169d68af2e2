/**
 * `workbook lab [DIR] [--port P] [--no-browser]`: JupyterLab 4 (built from the npm `@jupyterlab/*`
 * packages on first use, lab/bundle.ts) served by Debian's jupyter_server + jupyterlab_server
 * (lab/server.ts) with the dl-workbook kernel and the course's Plotly renderer. Prints the URL with
 * its token; Ctrl-C stops the server and its kernels. `workbook lab --build-only [--out DIR]` only
 * bundles the front end (into DIR itself, readable by all, for JupyterHub's servers).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT, parseCommandLine, runCommand, usageError } from "../cli/args";
import { buildLabAppInto, ensureLabApp, labCacheDir } from "./bundle";
import { startLabServer } from "./server";

const USAGE = `Usage: workbook lab [DIR] [--port P] [--no-browser]
       workbook lab --build-only [--out DIR]

Starts JupyterLab on DIR (default: the current directory) with the dl-workbook kernel.
  --port P       listen on 127.0.0.1:P (default: a free port)
  --no-browser   print the URL only; do not open a browser
  --build-only   bundle the front end and exit (starts no server)
  --out DIR      with --build-only: put the built front end in DIR itself, readable by every
                 account, for servers that others run (JupyterHub: deploy/jupyterhub/README.md)

Needs Debian's python3-jupyter-server and python3-jupyterlab-server (or WORKBOOK_PYTHON pointing
at a Python that has jupyter_server 1.23+ and jupyterlab_server 2.16+). The front end is bundled
once per version into ${path.join("~", ".cache", "dl-workbook", "lab")} (WORKBOOK_LAB_CACHE overrides).`;

/** Parsed command line. */
export interface LabArgs {
  dir: string;
  port?: number;
  browser: boolean;
  /** `--build-only`: bundle the front end (into `out` when given) and exit. */
  buildOnly?: boolean;
  out?: string;
}

const OPTIONS = {
  port: { type: "string" },
  "no-browser": { type: "boolean" },
  "build-only": { type: "boolean" },
  out: { type: "string" },
} as const;

/**
 * Parses the arguments; throws a UsageError ("workbook lab: ...; see workbook lab --help") on anything wrong.
 * @example parseLabArgs(["notebooks", "--port", "8890", "--no-browser"]) // { dir: "notebooks", port: 8890, browser: false }
 */
export function parseLabArgs(args: string[]): LabArgs {
  const { values, positionals } = parseCommandLine("lab", args, OPTIONS, 1);
  const parsed: LabArgs = { dir: positionals[0] ?? ".", browser: !values["no-browser"] };
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port < 1 || port > 65535) throw usageError("lab", `--port needs a port number from 1 to 65535, got "${values.port}"; see workbook lab --help`);
    parsed.port = port;
  }
  if (values["build-only"]) {
    const ignored = [positionals.length > 0 ? "DIR" : "", values.port !== undefined ? "--port" : "", values["no-browser"] ? "--no-browser" : ""].filter(Boolean);
    if (ignored.length > 0) throw usageError("lab", `--build-only starts no server, so ${ignored.join(", ")} would do nothing; see workbook lab --help`);
    parsed.buildOnly = true;
    if (values.out !== undefined) parsed.out = values.out;
  } else if (values.out !== undefined) throw usageError("lab", "--out is for --build-only (workbook lab --build-only --out DIR); see workbook lab --help");
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

/** `workbook lab --build-only [--out DIR]`: bundles the front end (once per version) and says where it is. */
async function buildOnly(out: string | undefined): Promise<number> {
  const log = (line: string): void => console.log(line);
  const app = out === undefined ? await ensureLabApp({ log }) : await buildLabAppInto(out, { log });
  console.log(`workbook lab: the front end is ${app.built ? "built" : "up to date"} in ${app.dir}${out === undefined ? ` (the cache, ${labCacheDir()})` : ""}`);
  return EXIT.ok;
}

/** `workbook lab`: see the file comment. Resolves with the exit code once the server has stopped. */
export async function main(args: string[]): Promise<number> {
  return runCommand(USAGE, args, async () => {
    const options = parseLabArgs(args);
    if (options.buildOnly) return buildOnly(options.out);
    return serve(options);
  });
}

/** Starts the server on `options.dir` and waits for Ctrl-C or SIGTERM. */
async function serve(options: LabArgs): Promise<number> {
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
