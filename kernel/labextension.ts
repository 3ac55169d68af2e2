/**
 * The course's prebuilt JupyterLab extension (lab/extension, built by
 * scripts/build-labextension.js into lab/extension/labextension/) installed beside the
 * kernelspec: `<data dir>/share/jupyter/labextensions/dl-workbook-labextension/` with its
 * package.json (the `_build` metadata Lab reads), static/ (remoteEntry and chunks) and an
 * install.json saying where it came from. Any JupyterLab 4 whose data path includes that
 * directory loads it at startup (jupyterlab_server lists it in the page config's
 * `federated_extensions`), a student's own pip-installed JupyterLab included, with no Python
 * package.
 */
import * as fs from "fs";
import * as path from "path";
import { PACKAGE_ROOT } from "./info";

/** The extension's package name, which is also its directory name under labextensions/. */
export const LABEXTENSION_NAME = "dl-workbook-labextension";

/** Where the build puts the extension inside this package. */
export function builtLabextensionDir(): string {
  return path.join(PACKAGE_ROOT, "lab", "extension", "labextension");
}

/** The fields of the built extension's package.json that say it is complete. */
interface BuiltLabextension {
  name: string;
  version: string;
  jupyterlab?: { _build?: { load?: string } };
}

/** The built extension's metadata, or undefined when it has not been built (or only half). */
export function builtLabextension(): BuiltLabextension | undefined {
  const dir = builtLabextensionDir();
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as BuiltLabextension;
    const load = pkg.jupyterlab?._build?.load;
    return load && fs.existsSync(path.join(dir, load)) ? pkg : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Copies the built extension into `<dataDir>/labextensions/<name>/`, replacing an older copy;
 * returns that directory, or undefined (with a warning unless `quiet`) when this package holds no
 * build of it (a clone installed without dev dependencies).
 * @example installLabextension("/tmp/env/share/jupyter") // "/tmp/env/share/jupyter/labextensions/dl-workbook-labextension"
 */
export function installLabextension(dataDir: string, options: { quiet?: boolean } = {}): string | undefined {
  const pkg = builtLabextension();
  if (!pkg) {
    if (!options.quiet)
      console.warn(`dl-workbook: the course's JupyterLab extension is not built (${builtLabextensionDir()}); run "npm run build:labextension" in the dl-workbook clone, then "workbook kernel install" again`);
    return undefined;
  }
  const dir = path.join(dataDir, "labextensions", LABEXTENSION_NAME);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(builtLabextensionDir(), "package.json"), path.join(dir, "package.json"));
  fs.cpSync(path.join(builtLabextensionDir(), "static"), path.join(dir, "static"), { recursive: true });
  // install.json: what Lab's extension manager shows about where the extension came from.
  const install = { packageManager: "npm", packageName: "dl-workbook", uninstallInstructions: "Run `npx workbook kernel uninstall` with the scope it was installed with (--user, --sys-prefix or --prefix DIR)" };
  fs.writeFileSync(path.join(dir, "install.json"), JSON.stringify(install, null, 2) + "\n");
  if (!options.quiet) console.log(`Installed the JupyterLab extension ${LABEXTENSION_NAME} ${pkg.version} in ${dir}`);
  return dir;
}

/** Removes the extension from `<dataDir>/labextensions/`; returns the directory removed, or undefined when none was there. */
export function uninstallLabextension(dataDir: string, options: { quiet?: boolean } = {}): string | undefined {
  const dir = path.join(dataDir, "labextensions", LABEXTENSION_NAME);
  if (!fs.existsSync(path.join(dir, "package.json"))) return undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  if (!options.quiet) console.log(`Removed ${dir}`);
  return dir;
}
