/**
 * Prebuilt (federated) JupyterLab extensions in `workbook lab`, loaded the way JupyterLab's own
 * front end loads them: jupyterlab_server lists them in the page config (`federated_extensions`,
 * from the labextensions directories on the Jupyter data path); for each, the app loads its
 * remoteEntry script (a webpack module federation container, `window._JUPYTERLAB[name]`),
 * initialises it with a share scope that provides the app's own copies of the packages JupyterLab
 * shares (@jupyterlab/*, @lumino/*, react, yjs, ...), and gets its `extension`, `mimeExtension`
 * and `style` modules from it.
 *
 * The app is bundled by esbuild, not webpack, so it builds the share scope itself, in webpack 5's
 * format: `scope[package][version] = { get, from, eager, loaded }`, where `get()` resolves to a
 * factory that returns the module's exports (here through an `import()`, so a package the app
 * does not use itself is fetched only when an extension asks for it). lab/bundle.ts generates the list of shared modules
 * (`dl-workbook:shared-modules`) from @jupyterlab/core-meta's core package.json, the same list
 * `@jupyterlab/builder` marks as provided by the app when it builds an extension.
 */
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { PageConfig, URLExt } from "@jupyterlab/coreutils";
import { SHARED_MODULES } from "dl-workbook:shared-modules";

/** One entry of the page config's `federated_extensions` (jupyterlab_server's get_page_config). */
export interface FederatedExtensionData {
  name: string;
  /** The remoteEntry script, relative to the extension's directory. */
  load: string;
  extension?: string;
  mimeExtension?: string;
  style?: string;
}

/** webpack 5's provider of one version of a shared module. */
interface SharedProvider {
  get: () => Promise<() => unknown>;
  from: string;
  eager: boolean;
  loaded?: 1;
}

/** webpack 5's share scope: package name -> version -> provider. */
export type ShareScope = Record<string, Record<string, SharedProvider>>;

/** A webpack module federation container, as `@jupyterlab/builder` emits it (library type var, `_JUPYTERLAB[name]`). */
interface Container {
  init(shareScope: ShareScope): Promise<void> | void;
  get(module: string): Promise<() => unknown>;
}

/** The window with the containers that loaded remoteEntry scripts define. */
interface FederationWindow {
  _JUPYTERLAB?: Record<string, Container>;
}

/** What a federated extension brings: its plugins and mime extensions (disabled ones left out). */
export interface FederatedExtensions {
  /** Names of the extensions that loaded. */
  loaded: string[];
  plugins: JupyterFrontEndPlugin<unknown>[];
  mimeExtensions: IRenderMime.IExtension[];
  /** One line per extension that failed to load, naming it and why. */
  errors: string[];
}

/**
 * The app's share scope: every shared module this bundle holds (loaded on first request), marked
 * loaded so that an extension's own bundled copy never replaces it.
 * @example const scope = shareScope(); scope["@lumino/widgets"] // { "2.11.0": { get, from: "dl-workbook-lab", eager: false, loaded: 1 } }
 */
export function shareScope(): ShareScope {
  const scope: ShareScope = {};
  for (const [name, version, load] of SHARED_MODULES) {
    let module: Promise<unknown> | undefined;
    const exports = (): Promise<unknown> => (module ??= load().then(webpackExports));
    scope[name] = { [version]: { get: () => exports().then((value) => () => value), from: "dl-workbook-lab", eager: false, loaded: 1 } };
  }
  return scope;
}

/**
 * A module as webpack hands it to its importers. esbuild's `import()` of a CommonJS (or UMD)
 * module yields `{ default: module.exports }`: webpack gets `module.exports` itself, as it would
 * from its own bundle. An ES module's namespace gets `__esModule`, so that webpack's interop takes
 * `default` from it. (An ES module with a default export only comes out the same either way.)
 */
function webpackExports(ns: Record<string, unknown>): unknown {
  const keys = Object.keys(ns);
  return keys.length === 1 && keys[0] === "default" ? ns.default : { ...ns, __esModule: true };
}

/** Loads a classic script (a remoteEntry defines its container as a global). */
function loadScript(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${url}`));
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  });
}

/** A module's default export (or its exports, for CommonJS) as a list. */
function exportedList<T>(module: unknown): T[] {
  const exported = (module as { __esModule?: boolean; default?: unknown }).__esModule ? (module as { default: unknown }).default : module;
  return (Array.isArray(exported) ? exported : [exported]) as T[];
}

/** Loads one extension: its container, initialised with `scope`, then its modules. */
async function loadOne(data: FederatedExtensionData, scope: ShareScope, into: FederatedExtensions): Promise<void> {
  await loadScript(URLExt.join(PageConfig.getOption("fullLabextensionsUrl"), data.name, data.load));
  const container = (window as unknown as FederationWindow)._JUPYTERLAB?.[data.name];
  if (!container) throw new Error(`its remoteEntry defines no _JUPYTERLAB["${data.name}"]`);
  await container.init(scope);
  const get = async (module: string): Promise<unknown> => (await container.get(module))();
  if (data.style && !PageConfig.Extension.isDisabled(data.name)) await get(data.style);
  const enabled = <T extends { id: string }>(items: T[]): T[] => items.filter((item) => !PageConfig.Extension.isDisabled(item.id));
  if (data.extension) into.plugins.push(...enabled(exportedList<JupyterFrontEndPlugin<unknown>>(await get(data.extension))));
  if (data.mimeExtension) into.mimeExtensions.push(...enabled(exportedList<IRenderMime.IExtension>(await get(data.mimeExtension))));
  into.loaded.push(data.name);
}

/**
 * Loads every extension in the page config's `federated_extensions` but those named in
 * `builtIn` (packages the app holds itself); one that fails is reported in `errors` and left out,
 * as JupyterLab does.
 * @example const federated = await loadFederatedExtensions(new Set(["@jupyterlab/notebook-extension"])); federated.plugins // to register
 */
export async function loadFederatedExtensions(builtIn: ReadonlySet<string> = new Set()): Promise<FederatedExtensions> {
  const listed = (JSON.parse(PageConfig.getOption("federated_extensions") || "[]") as FederatedExtensionData[]).filter((data) => !builtIn.has(data.name));
  const scope = shareScope();
  const result: FederatedExtensions = { loaded: [], plugins: [], mimeExtensions: [], errors: [] };
  const settled = await Promise.allSettled(listed.map((data) => loadOne(data, scope, result)));
  settled.forEach((outcome, i) => {
    if (outcome.status === "rejected") console.error(`dl-workbook lab: ${listed[i].name} failed to load`, outcome.reason);
    if (outcome.status === "rejected") result.errors.push(`${listed[i].name}: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`);
  });
  return result;
}
