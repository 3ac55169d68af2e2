/**
 * The `dl-workbook` kernelspec, written in pure Node (no Python needed):
 * `<kernels dir>/dl-workbook/kernel.json` plus the logo files, and beside it the course's
 * prebuilt JupyterLab extension in `<data dir>/labextensions/` (kernel/labextension.ts).
 *
 * Kernels directories (Jupyter's own rules, jupyter_core.paths):
 * - user: $JUPYTER_DATA_DIR/kernels, else ~/.local/share/jupyter/kernels (Linux, $XDG_DATA_HOME
 *   honoured), ~/Library/Jupyter/kernels (macOS), %APPDATA%\jupyter\kernels (Windows);
 * - sys-prefix: <prefix of the Python environment running Jupyter>/share/jupyter/kernels;
 * - prefix: <DIR>/share/jupyter/kernels.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACKAGE_ROOT } from "./info";
import { installLabextension, uninstallLabextension } from "./labextension";
import { ensureKernelspecSnapshot, kernelspecPointerFile, launcherScript, statArguments } from "./snapshot/launcher";

/** The kernelspec's name (the directory name Jupyter lists). */
export const KERNEL_NAME = "dl-workbook";
/** What front ends show in their kernel menu. */
export const DISPLAY_NAME = "TypeScript (DL Workbook)";

/** Where to install. */
export interface KernelspecOptions {
  scope: "user" | "sys-prefix" | "prefix";
  /** The prefix directory, for scope "prefix". */
  prefix?: string;
  /** No message on stdout. */
  quiet?: boolean;
  /** Also install the course's JupyterLab extension into `<data dir>/labextensions/` (default true). */
  labextension?: boolean;
  /**
   * Start kernels from the V8 startup snapshot (default true, except on Windows): build it now for
   * this Node binary and write the launcher `start-kernel.sh` that the kernelspec runs. False: the
   * kernelspec runs `node dist/kernel/main.js` directly.
   */
  snapshot?: boolean;
}

/** kernel.json (Jupyter's kernelspec format). */
export interface KernelJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "message" | "signal";
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

const LOGOS = ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"];
const KERNEL_MAIN = path.join(PACKAGE_ROOT, "dist", "kernel", "main.js");
const KERNEL_RELAY = path.join(PACKAGE_ROOT, "dist", "kernel", "relay.js");

/** The user's Jupyter data directory's kernels folder. */
export function userKernelsDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return path.join(process.env.JUPYTER_DATA_DIR, "kernels");
  if (process.platform === "darwin") return path.join(os.homedir(), "Library", "Jupyter", "kernels");
  if (process.platform === "win32") return path.join(process.env.APPDATA ?? path.join(os.homedir(), "AppData", "Roaming"), "jupyter", "kernels");
  return path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), ".local", "share"), "jupyter", "kernels");
}

/** The active Python environment's prefix: $CONDA_PREFIX, $VIRTUAL_ENV, or the one holding `jupyter` on PATH. */
export function sysPrefix(): string | undefined {
  const fromEnv = process.env.CONDA_PREFIX || process.env.VIRTUAL_ENV;
  if (fromEnv) return fromEnv;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, process.platform === "win32" ? "jupyter.exe" : "jupyter");
    if (dir && fs.existsSync(candidate)) {
      const real = fs.realpathSync(candidate);
      return path.dirname(path.dirname(real)); // <prefix>/bin/jupyter
    }
  }
  return undefined;
}

/** The kernels directory for a scope. Throws, saying what to do, when it cannot be found. */
export function kernelsDir(opts: KernelspecOptions): string {
  if (opts.scope === "user") return userKernelsDir();
  if (opts.scope === "prefix") {
    if (!opts.prefix) throw new Error('installKernelspec: scope "prefix" needs a prefix directory (workbook kernel install --prefix DIR)');
    return path.join(path.resolve(opts.prefix), "share", "jupyter", "kernels");
  }
  const prefix = sysPrefix();
  if (!prefix) throw new Error("installKernelspec: cannot find the Python environment (no $CONDA_PREFIX, $VIRTUAL_ENV, or jupyter on PATH); use --user or --prefix DIR instead of --sys-prefix");
  return path.join(prefix, "share", "jupyter", "kernels");
}

/** The launcher's file name in the kernelspec folder. */
export const LAUNCHER_NAME = "start-kernel.sh";

/**
 * The kernel.json this package installs, message-mode interrupts. With `launcher` (the path of
 * start-kernel.sh): `/bin/sh <launcher> {connection_file}`, which starts from the snapshot when it
 * matches this Node; without: the absolute node and kernel script paths.
 * @example kernelJson().argv // ["/usr/bin/node", ".../dist/kernel/main.js", "{connection_file}"]
 */
export function kernelJson(launcher?: string): KernelJson {
  return {
    argv: launcher ? ["/bin/sh", launcher, "{connection_file}"] : [process.execPath, KERNEL_MAIN, "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: "message",
    metadata: { debugger: false },
  };
}

/** The Jupyter data directory of a scope (the parent of its kernels/ and labextensions/). */
export function dataDir(opts: KernelspecOptions): string {
  return path.dirname(kernelsDir(opts));
}

/**
 * Writes the kernelspec (kernel.json and logos) and the course's JupyterLab extension; returns the
 * kernelspec's directory. Idempotent.
 * @example installKernelspec({ scope: "prefix", prefix: "/tmp/env" }) // "/tmp/env/share/jupyter/kernels/dl-workbook"
 */
export function installKernelspec(opts: KernelspecOptions): string {
  const dir = path.join(kernelsDir(opts), KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const launcher = (opts.snapshot ?? process.platform !== "win32") ? writeLauncher(dir, opts) : undefined;
  if (!launcher) fs.rmSync(path.join(dir, LAUNCHER_NAME), { force: true });
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(kernelJson(launcher), null, 2) + "\n");
  for (const logo of LOGOS) {
    const from = path.join(PACKAGE_ROOT, "kernel", "logo", logo);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(dir, logo));
  }
  if (!opts.quiet) console.log(`Installed the Jupyter kernel "${DISPLAY_NAME}" (${KERNEL_NAME}) in ${dir}`);
  if (opts.labextension ?? true) installLabextension(dataDir(opts), { quiet: opts.quiet });
  return dir;
}

/**
 * Builds the snapshot for this Node (a few seconds the first time) and writes the launcher into
 * the kernelspec folder; returns its path. When the snapshot cannot be built the launcher is
 * written all the same (it starts from the script until a kernel has rebuilt the snapshot).
 */
function writeLauncher(dir: string, opts: KernelspecOptions): string {
  try {
    const snapshot = ensureKernelspecSnapshot();
    if (!opts.quiet && snapshot.buildMs > 0) console.log(`Built the kernel's startup snapshot in ${(snapshot.buildMs / 1000).toFixed(1)} s (${snapshot.declarationFiles} declaration files)`);
  } catch (err) {
    console.warn(`dl-workbook: kernels will start without the startup snapshot for now (about a second slower): ${(err as Error).message}`);
  }
  const file = path.join(dir, LAUNCHER_NAME);
  fs.writeFileSync(file, launcherScript({ node: process.execPath, kernelMain: KERNEL_MAIN, relay: KERNEL_RELAY, pointer: kernelspecPointerFile(), statArgs: statArguments() }), { mode: 0o755 });
  return file;
}

/** Removes the kernelspec and the course's JupyterLab extension from a scope; returns the kernelspec directory removed, or undefined when none was there. */
export function uninstallKernelspec(opts: KernelspecOptions): string | undefined {
  const dir = path.join(kernelsDir(opts), KERNEL_NAME);
  uninstallLabextension(dataDir(opts), { quiet: opts.quiet });
  if (!fs.existsSync(path.join(dir, "kernel.json"))) {
    if (!opts.quiet) console.log(`No ${KERNEL_NAME} kernelspec in ${path.dirname(dir)}`);
    return undefined;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  if (!opts.quiet) console.log(`Removed ${dir}`);
  return dir;
}

/** One installed copy of the kernelspec. */
export interface InstalledKernelspec {
  dir: string;
  spec: KernelJson;
}

/** Every kernels directory Jupyter searches: $JUPYTER_PATH entries, user, sys-prefix, system. */
export function searchedKernelsDirs(): string[] {
  const dirs = (process.env.JUPYTER_PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((d) => path.join(d, "kernels"));
  dirs.push(userKernelsDir());
  const prefix = sysPrefix();
  if (prefix) dirs.push(path.join(prefix, "share", "jupyter", "kernels"));
  if (process.platform !== "win32") dirs.push("/usr/local/share/jupyter/kernels", "/usr/share/jupyter/kernels");
  return [...new Set(dirs)];
}

/** Lists installed copies of the dl-workbook kernelspec. */
export function listKernelspecs(): InstalledKernelspec[] {
  const found: InstalledKernelspec[] = [];
  for (const dir of searchedKernelsDirs()) {
    const file = path.join(dir, KERNEL_NAME, "kernel.json");
    try {
      found.push({ dir: path.dirname(file), spec: JSON.parse(fs.readFileSync(file, "utf8")) as KernelJson });
    } catch {
      // not installed there
    }
  }
  return found;
}
