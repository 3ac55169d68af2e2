/**
 * The prebuilt JupyterLab 4 extensions this package installs beside the kernelspec, as
 * `<data dir>/share/jupyter/labextensions/<name>/` with their package.json (the `_build` metadata
 * Lab reads), static/ (remoteEntry and chunks), schemas/ where they have settings, and an
 * install.json saying where they came from. scripts/build-labextension.js builds them:
 *
 * - `dl-workbook-labextension` (lab/extension): the course's Plotly renderer;
 * - `@jupyter-widgets/jupyterlab-manager`: Jupyter widgets for a JupyterLab without the
 *   jupyterlab_widgets Python package.
 *
 * Any JupyterLab 4 whose data path includes that directory loads them at startup (jupyterlab_server
 * lists them in the page config's `federated_extensions`), a student's own pip-installed
 * JupyterLab included, with no Python package.
 */
import * as fs from "fs";
import * as path from "path";
import { PACKAGE_ROOT } from "./info";

/** The course extension's package name, which is also its directory name under labextensions/. */
export const LABEXTENSION_NAME = "dl-workbook-labextension";
/** The widget manager's package name. */
export const WIDGETS_LABEXTENSION_NAME = "@jupyter-widgets/jupyterlab-manager";

/** What install.json says about the copies this package installs (uninstall removes only those). */
const INSTALL_JSON = {
  packageManager: "npm",
  packageName: "dl-workbook",
  uninstallInstructions: "Run `npx workbook kernel uninstall` with the scope it was installed with (--user, --sys-prefix or --prefix DIR)",
};

/** Where the build puts an extension inside this package. */
export function builtLabextensionDir(name: string = LABEXTENSION_NAME): string {
  return name === LABEXTENSION_NAME ? path.join(PACKAGE_ROOT, "lab", "extension", "labextension") : path.join(PACKAGE_ROOT, "lab", "extension", "jupyterlab-manager", "labextension");
}

/** The fields of a built extension's package.json that say it is complete. */
interface BuiltLabextension {
  name: string;
  version: string;
  jupyterlab?: { _build?: { load?: string } };
}

/** A built extension's metadata, or undefined when it has not been built (or only half). */
export function builtLabextension(name: string = LABEXTENSION_NAME): BuiltLabextension | undefined {
  const dir = builtLabextensionDir(name);
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as BuiltLabextension;
    const load = pkg.jupyterlab?._build?.load;
    return load && fs.existsSync(path.join(dir, load)) ? pkg : undefined;
  } catch {
    return undefined;
  }
}

/** Copies one built extension into `<dataDir>/labextensions/<name>/`, replacing an older copy. */
function installOne(name: string, dataDir: string, quiet: boolean): string | undefined {
  const pkg = builtLabextension(name);
  if (!pkg) {
    if (!quiet)
      console.warn(`dl-workbook: the JupyterLab extension ${name} is not built (${builtLabextensionDir(name)}); run "npm run build:labextension" in the dl-workbook clone, then "workbook kernel install" again`);
    return undefined;
  }
  const from = builtLabextensionDir(name);
  const dir = path.join(dataDir, "labextensions", name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(from, "package.json"), path.join(dir, "package.json"));
  for (const sub of ["static", "schemas"]) if (fs.existsSync(path.join(from, sub))) fs.cpSync(path.join(from, sub), path.join(dir, sub), { recursive: true });
  // install.json: what Lab's extension manager shows about where the extension came from.
  fs.writeFileSync(path.join(dir, "install.json"), JSON.stringify(INSTALL_JSON, null, 2) + "\n");
  if (!quiet) console.log(`Installed the JupyterLab extension ${name} ${pkg.version} in ${dir}`);
  return dir;
}

/**
 * Copies the built extensions into `<dataDir>/labextensions/`; returns the course extension's
 * directory, or undefined (with a warning unless `quiet`) when this package holds no build of it
 * (a clone installed without dev dependencies).
 * @example installLabextension("/tmp/env/share/jupyter") // "/tmp/env/share/jupyter/labextensions/dl-workbook-labextension"
 */
export function installLabextension(dataDir: string, options: { quiet?: boolean } = {}): string | undefined {
  const dir = installOne(LABEXTENSION_NAME, dataDir, options.quiet ?? false);
  installOne(WIDGETS_LABEXTENSION_NAME, dataDir, options.quiet ?? false);
  return dir;
}

/**
 * Removes the extensions this package installed from `<dataDir>/labextensions/` (a widget manager
 * that jupyterlab_widgets put there stays); returns the course extension's directory when it was
 * removed.
 */
export function uninstallLabextension(dataDir: string, options: { quiet?: boolean } = {}): string | undefined {
  let removed: string | undefined;
  for (const name of [LABEXTENSION_NAME, WIDGETS_LABEXTENSION_NAME]) {
    const dir = path.join(dataDir, "labextensions", name);
    let ours = false;
    try {
      ours = (JSON.parse(fs.readFileSync(path.join(dir, "install.json"), "utf8")) as { packageName?: string }).packageName === INSTALL_JSON.packageName;
    } catch {
      // not there, or not installed by this package
    }
    if (!ours) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    if (!options.quiet) console.log(`Removed ${dir}`);
    if (name === LABEXTENSION_NAME) removed = dir;
  }
  return removed;
}
