/**
 * Builds the `workbook lab` front end: lab/app/index.ts bundled with esbuild (ES modules, with
 * the share scope that prebuilt extensions take JupyterLab's packages from), the light theme's CSS, the settings schemas of every extension,
 * the page template and the page config, laid out as jupyterlab_server's LabServerApp expects:
 *
 *   <appDir>/static      the bundle (served at /static/jupyterlab_server/)
 *   <appDir>/templates   index.html (the page config goes into it as JSON)
 *   <appDir>/schemas     <package>/<plugin>.json and package.json.orig (settings API)
 *   <appDir>/themes      @jupyterlab/theme-light-extension/index.css (themes API)
 *   <appDir>/settings    page_config.json (LabServerApp's app_settings_dir)
 *
 * The app is built once per content hash of its inputs (the app's sources and the versions of
 * the packages it bundles) into the cache directory, and reused after that.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACKAGE_ROOT } from "../kernel/info";

/** The extension packages whose settings schemas the app serves (keep in step with lab/app/index.ts). */
export const EXTENSION_PACKAGES = [
  "@jupyterlab/application-extension",
  "@jupyterlab/apputils-extension",
  "@jupyterlab/codemirror-extension",
  "@jupyterlab/completer-extension",
  "@jupyterlab/console-extension",
  "@jupyterlab/docmanager-extension",
  "@jupyterlab/documentsearch-extension",
  "@jupyterlab/filebrowser-extension",
  "@jupyterlab/launcher-extension",
  "@jupyterlab/mainmenu-extension",
  "@jupyterlab/markedparser-extension",
  "@jupyterlab/mathjax-extension",
  "@jupyterlab/notebook-extension",
  "@jupyterlab/rendermime-extension",
  "@jupyterlab/running-extension",
  "@jupyterlab/shortcuts-extension",
  "@jupyterlab/statusbar-extension",
  "@jupyterlab/theme-light-extension",
  "@jupyterlab/tooltip-extension",
  "@jupyterlab/translation-extension",
  "@jupyterlab/ui-components-extension",
  "@jupyter-widgets/jupyterlab-manager",
];

/**
 * Page config: closes the gaps between JupyterLab 4's front end and Debian's jupyter_server 1.23 /
 * jupyterlab_server 2.16 (see README, "JupyterLab"). jupyterlab_server merges this file into the
 * page's `jupyter-config-data`.
 */
export const PAGE_CONFIG = {
  appName: "DL Workbook Lab",
  appNamespace: "dl-workbook-lab",
  // window.jupyterapp, for the UI tests and for students poking at the app from the console.
  exposeAppInBrowser: true,
  disabledExtensions: [
    // Need packages this app leaves out: the language server (jupyter-lsp is no Debian package),
    // the file editor, the metadata form and the table of contents.
    "@jupyterlab/notebook-extension:language-server",
    "@jupyterlab/notebook-extension:update-raw-mimetype",
    "@jupyterlab/notebook-extension:toc",
    "@jupyterlab/tooltip-extension:files",
    // Asks about and fetches Jupyter news and updates: jupyterlab_server 2.16 has no
    // /lab/api/news, and nothing is fetched from the network.
    "@jupyterlab/apputils-extension:announcements",
  ],
};

/** Where a built app lives and whether it was built now. */
export interface LabApp {
  /** The directory laid out as in the file comment. */
  dir: string;
  /** True when this call bundled it; false when the cached build was reused. */
  built: boolean;
  /** Seconds the bundling took (0 when reused). */
  seconds: number;
}

/** The fields of a JupyterLab package's package.json that the bundle reads. */
interface LabPackageJson {
  name: string;
  version: string;
  jupyterlab?: { schemaDir?: string; themePath?: string };
}

/** The fields of @jupyterlab/core-meta's core.package.json (JupyterLab's own app) that the bundle reads. */
interface CorePackageJson {
  dependencies: Record<string, string>;
  resolutions?: Record<string, string>;
  jupyterlab: { singletonPackages: string[] };
}

function packageJsonOf(name: string): LabPackageJson {
  return JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`, { paths: [PACKAGE_ROOT] }), "utf8")) as LabPackageJson;
}

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`, { paths: [PACKAGE_ROOT] }));
}

/** The app's sources: lab/app/*.ts beside the package root (shipped in the package's files). */
function appSources(): string[] {
  const dir = path.join(PACKAGE_ROOT, "lab", "app");
  if (!fs.existsSync(dir)) throw new Error(`workbook lab: the front end's sources are missing (${dir}); reinstall dl-workbook`);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => path.join(dir, f));
}

/** A hash of everything the bundle depends on: the app's sources, this builder, the bundled packages' versions. */
export function appHash(): string {
  const hash = createHash("sha256");
  for (const file of appSources()) hash.update(file).update(fs.readFileSync(file));
  hash.update(fs.readFileSync(__filename));
  for (const name of [
    ...EXTENSION_PACKAGES,
    "@jupyterlab/application",
    "@jupyterlab/javascript-extension",
    "@jupyterlab/json-extension",
    "@jupyterlab/core-meta",
    "esbuild",
    "@jupyter-widgets/base",
    "@jupyter-widgets/controls",
    "@jupyter-widgets/output",
  ]) {
    hash.update(`${name}@${packageJsonOf(name).version}`);
  }
  return hash.digest("hex").slice(0, 16);
}

/** The cache directory for built apps: $WORKBOOK_LAB_CACHE, else $XDG_CACHE_HOME or ~/.cache, /dl-workbook/lab. */
export function labCacheDir(): string {
  if (process.env.WORKBOOK_LAB_CACHE) return path.resolve(process.env.WORKBOOK_LAB_CACHE);
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "dl-workbook", "lab");
}

const TEMPLATE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>DL Workbook Lab</title>
    {% set page_config_full = page_config.copy() %}
    {% set _ = page_config_full.update(baseUrl=base_url, wsUrl=ws_url) %}
    <script id="jupyter-config-data" type="application/json">{{ page_config_full | tojson }}</script>
    <link rel="stylesheet" href="{{ page_config['fullStaticUrl'] }}/index.css" />
    <script type="module" src="{{ page_config['fullStaticUrl'] }}/index.js"></script>
  </head>
  <body>
    <script>
      // The token has done its job once the page is loaded; keep it out of the address bar.
      (function () {
        var url = new URL(window.location.href);
        if (url.searchParams.get("token")) {
          url.searchParams.delete("token");
          window.history.replaceState({}, "", url.href);
        }
      })();
    </script>
  </body>
</html>
`;

/** A package's directory: the first node_modules/<name> from the package root upwards (also for packages whose exports hide package.json). */
function installedDir(name: string): string | undefined {
  for (let dir = PACKAGE_ROOT; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "node_modules", name, "package.json"))) return path.join(dir, "node_modules", name);
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Packages shared beyond JupyterLab's core: the Jupyter widgets packages, which widget extensions
 * (jupyterlab-manager and the extensions of widget libraries) share as singletons.
 */
const EXTRA_SHARED = ["@jupyter-widgets/base", "@jupyter-widgets/base-manager", "@jupyter-widgets/controls", "@jupyter-widgets/output"];

/**
 * The source of `dl-workbook:shared-modules` (lab/app/federated.ts): every package that
 * JupyterLab's own app provides to prebuilt extensions (the dependencies, resolutions and
 * singletons of @jupyterlab/core-meta's core.package.json, less the extension packages, which
 * nothing imports), plus EXTRA_SHARED, that is installed here, with its version and an `import()`
 * of it (esbuild splits what the app does not already hold into chunks, loaded only when an
 * extension asks for them).
 */
export function sharedModulesSource(): string {
  const core = JSON.parse(fs.readFileSync(require.resolve("@jupyterlab/core-meta/core.package.json", { paths: [PACKAGE_ROOT] }), "utf8")) as CorePackageJson;
  const names = new Set([...Object.keys(core.dependencies), ...Object.keys(core.resolutions ?? {}), ...core.jupyterlab.singletonPackages, ...EXTRA_SHARED]);
  const entries: string[] = [];
  for (const name of [...names].sort()) {
    if (/-extension$|^@jupyterlab\/(core-meta|metapackage|nbconvert-css)$/.test(name)) continue;
    const dir = installedDir(name);
    if (!dir) continue;
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as LabPackageJson;
    entries.push(`[${JSON.stringify(name)}, ${JSON.stringify(pkg.version)}, () => import(${JSON.stringify(name)})]`);
  }
  return `export const SHARED_MODULES = [\n${entries.join(",\n")}\n];\n`;
}

/** Bundles into `out` (a fresh directory). */
async function bundleInto(out: string): Promise<void> {
  const esbuild = await import("esbuild"); // loaded only when a bundle is built (esbuild ships its own types)
  const svgAsUrl: import("esbuild").Plugin = {
    // ui-components imports .svg files as strings (text loader) while CSS url()s need data URLs.
    // webpack's "~package/file" in CSS means a package path.
    // (JupyterLab's packages are written for webpack; this plugin gives esbuild the same meaning.)
    name: "jupyterlab-assets",
    setup(build) {
      build.onResolve({ filter: /^~/ }, (args) => build.resolve(args.path.slice(1), { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer }));
      build.onResolve({ filter: /\.svg$/ }, (args) => {
        if (args.kind !== "url-token") return undefined;
        return { path: path.resolve(args.resolveDir, args.path), namespace: "svg-url" };
      });
      // mathjax-full is CommonJS; esbuild's import() of it yields { default: exports } only, where
      // webpack yields the named exports too. The mathjax extension destructures named exports.
      build.onLoad({ filter: /mathjax-extension[\\/]lib[\\/]index\.js$/ }, (args) => ({
        contents: fs.readFileSync(args.path, "utf8").replace(/import\('(mathjax-full\/[^']+)'\)/g, "import('$1').then((m) => m.default ?? m)"),
        loader: "js",
      }));
      // The widget manager loads the controls with webpack's require.ensure (a lazy chunk); esbuild's
      // form of that is import(), which splits the controls into their own chunk just the same.
      build.onLoad({ filter: /jupyterlab-manager[\\/]lib[\\/]plugin\.js$/ }, (args) => {
        const source = fs.readFileSync(args.path, "utf8");
        const lazy = /require\.ensure\(\['@jupyter-widgets\/controls'\],[\s\S]*?'@jupyter-widgets\/controls'\);/;
        if (!lazy.test(source)) throw new Error(`${args.path}: no require.ensure of the controls found; update lab/bundle.ts's rewrite for this @jupyter-widgets/jupyterlab-manager`);
        return { contents: source.replace(lazy, "import('@jupyter-widgets/controls').then(resolve, reject);"), loader: "js" };
      });
      build.onLoad({ filter: /.*/, namespace: "svg-url" }, (args) => ({ contents: fs.readFileSync(args.path), loader: "dataurl" }));
      // The share scope's modules (lab/app/federated.ts), resolved from the app's directory.
      build.onResolve({ filter: /^dl-workbook:shared-modules$/ }, () => ({ path: "shared-modules", namespace: "dl-workbook" }));
      build.onLoad({ filter: /.*/, namespace: "dl-workbook" }, () => ({ contents: sharedModulesSource(), loader: "js", resolveDir: path.join(PACKAGE_ROOT, "lab", "app") }));
    },
  };
  const common: import("esbuild").BuildOptions = {
    bundle: true,
    minify: true,
    logLevel: "error",
    absWorkingDir: PACKAGE_ROOT,
    nodePaths: [path.join(PACKAGE_ROOT, "node_modules")],
    loader: { ".svg": "text", ".woff": "file", ".woff2": "file", ".ttf": "file", ".eot": "file", ".png": "file", ".gif": "file", ".md": "text", ".txt": "text" },
    plugins: [svgAsUrl],
  };
  const staticDir = path.join(out, "static");
  await esbuild.build({
    ...common,
    entryPoints: { index: path.join(PACKAGE_ROOT, "lab", "app", "index.ts") },
    outdir: staticDir,
    format: "esm",
    splitting: true,
    platform: "browser",
    target: "es2022",
    // What webpack (JupyterLab's own bundler) gives browser code: mathjax-full reads __dirname.
    define: { "process.env.NODE_ENV": '"production"', global: "globalThis", __dirname: '"/"', __filename: '"/index.js"' },
    chunkNames: "chunks/[name]-[hash]",
    assetNames: "assets/[name]-[hash]",
  });
  // The theme, as the themes API serves it (the light theme plugin loads <themesUrl>/<package>/index.css).
  const theme = "@jupyterlab/theme-light-extension";
  const themePath = packageJsonOf(theme).jupyterlab?.themePath ?? "style/theme.css";
  await esbuild.build({
    ...common,
    entryPoints: { index: path.join(packageDir(theme), themePath) },
    outdir: path.join(out, "themes", theme),
    assetNames: "[name]-[hash]",
  });
  // Settings schemas, where jupyterlab_server looks for them.
  for (const name of EXTENSION_PACKAGES) {
    const pkg = packageJsonOf(name);
    const schemaDir = pkg.jupyterlab?.schemaDir;
    if (!schemaDir) continue;
    const from = path.join(packageDir(name), schemaDir);
    const to = path.join(out, "schemas", name);
    fs.mkdirSync(to, { recursive: true });
    for (const file of fs.readdirSync(from).filter((f) => f.endsWith(".json"))) fs.copyFileSync(path.join(from, file), path.join(to, file));
    fs.writeFileSync(path.join(to, "package.json.orig"), JSON.stringify(pkg, null, 2));
  }
  fs.mkdirSync(path.join(out, "templates"), { recursive: true });
  fs.writeFileSync(path.join(out, "templates", "index.html"), TEMPLATE);
  fs.mkdirSync(path.join(out, "settings"), { recursive: true });
  fs.writeFileSync(path.join(out, "settings", "page_config.json"), JSON.stringify(PAGE_CONFIG, null, 2));
  fs.writeFileSync(
    path.join(out, "static", "package.json"),
    JSON.stringify({ name: "dl-workbook-lab", version: packageJsonOf("@jupyterlab/application").version, jupyterlab: { name: PAGE_CONFIG.appName } }, null, 2),
  );
}

/**
 * Returns the built app, bundling it first when the cache has no build for the current sources.
 * @example const app = await ensureLabApp(); // app.dir holds static/, templates/, schemas/, ...
 */
export async function ensureLabApp(options: { log?: (line: string) => void } = {}): Promise<LabApp> {
  const dir = path.join(labCacheDir(), appHash());
  if (fs.existsSync(path.join(dir, "static", "index.js")) && fs.existsSync(path.join(dir, "settings", "page_config.json"))) return { dir, built: false, seconds: 0 };
  fs.mkdirSync(labCacheDir(), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(labCacheDir(), "building-"));
  options.log?.("workbook lab: bundling the JupyterLab front end (once per version)...");
  const started = Date.now();
  try {
    await bundleInto(tmp);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`workbook lab: bundling the front end failed: ${(err as Error).message}`);
  }
  const seconds = (Date.now() - started) / 1000;
  options.log?.(`workbook lab: bundled in ${seconds.toFixed(1)} s into ${dir}`);
  return { dir, built: true, seconds };
}

/** The stamp `workbook lab --build-only --out DIR` leaves in DIR: the app's hash it holds. */
const STAMP = "dl-workbook-lab.json";

/** Makes `dir` and everything under it readable (and its folders enterable) by every account. */
function makeReadableByAll(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) makeReadableByAll(full);
    else fs.chmodSync(full, fs.statSync(full).mode | 0o444);
  }
}

/**
 * The built app placed in `out` itself (static/, templates/, ... directly under it) for a server
 * that every account runs, such as each student's server under JupyterHub: built into the cache
 * as {@link ensureLabApp} does (or reused from there), copied into `out` (replacing an older
 * copy) and made readable by all. Nothing is done when `out` already holds this version.
 * @example await buildLabAppInto("/usr/local/share/dl-workbook/lab"); // then LabServerApp.static_dir=/usr/local/share/dl-workbook/lab/static
 */
export async function buildLabAppInto(out: string, options: { log?: (line: string) => void } = {}): Promise<LabApp> {
  const dir = path.resolve(out);
  const hash = appHash();
  const stamp = path.join(dir, STAMP);
  const current = fs.existsSync(stamp) && (JSON.parse(fs.readFileSync(stamp, "utf8")) as { hash?: string }).hash === hash;
  if (current && fs.existsSync(path.join(dir, "static", "index.js"))) return { dir, built: false, seconds: 0 };
  // Only a folder this function wrote (its stamp inside), or an empty or new one, is replaced.
  if (fs.existsSync(dir) && !fs.existsSync(stamp) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
    throw new Error(`workbook lab: ${dir} exists and holds no earlier build (no ${STAMP} in it); give --out a new or empty folder, e.g. ${path.join(dir, "dl-workbook-lab")}`);
  }
  const cached = await ensureLabApp(options);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(path.dirname(dir), `.${path.basename(dir)}-`));
  try {
    fs.cpSync(cached.dir, tmp, { recursive: true });
    fs.writeFileSync(path.join(tmp, STAMP), JSON.stringify({ hash }, null, 2) + "\n");
    makeReadableByAll(tmp);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`workbook lab: placing the front end in ${dir} failed: ${(err as Error).message}`);
  }
  return { dir, built: cached.built, seconds: cached.seconds };
}
