// Builds the prebuilt (federated) JupyterLab 4 extensions this package installs beside its
// kernelspec (kernel/labextension.ts), with @jupyterlab/builder's build-labextension (webpack
// module federation). Each lands in <dir>/labextension/ (package.json with its _build metadata,
// static/remoteEntry.*.js and chunks, schemas/ where it has settings):
//
// - lab/extension: the course's own, dl-workbook-labextension (the Plotly renderer). Its
//   TypeScript (src/) becomes ES modules in lib/ first (esbuild, types stripped, imports kept),
//   so that webpack sees the imports it shares and splits plotly.js into its own chunk.
// - lab/extension/jupyterlab-manager: @jupyter-widgets/jupyterlab-manager from npm, staged with
//   its lib/ and schema/ and built as the jupyterlab_widgets Python package builds it (the
//   @jupyter-widgets packages shared as singletons), for a pip-installed JupyterLab that lacks
//   jupyterlab_widgets.
//
// build-labextension needs the core JupyterLab app's package.json (its dependencies and
// singletonPackages decide what an extension takes from the app instead of bundling):
// @jupyterlab/core-meta ships exactly that file, as core.package.json.
//
// Needs the devDependency @jupyterlab/builder (a git clone's `npm install`); an installed package
// ships the built output instead and this script is not run there. A build whose inputs (sources,
// this script, the versions of the builder, core-meta and the bundled packages) have not changed
// is kept (labextension/build-hash); --force rebuilds.
const { createHash } = require("crypto");
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.join(__dirname, "..");
const extDir = path.join(root, "lab", "extension");
const managerDir = path.join(extDir, "jupyterlab-manager");
const WIDGET_PACKAGES = ["@jupyter-widgets/base", "@jupyter-widgets/base-manager", "@jupyter-widgets/controls", "@jupyter-widgets/output"];

function versionOf(name) {
  return JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`, { paths: [root] }), "utf8")).version;
}

/** Files under dir, recursively, sorted. */
function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

/** True (and says so) when dir/labextension was built from these inputs. */
function upToDate(dir, inputs) {
  const hashFile = path.join(dir, "labextension", "build-hash");
  if (process.argv.includes("--force") || !fs.existsSync(hashFile) || fs.readFileSync(hashFile, "utf8").trim() !== inputs) return false;
  const built = JSON.parse(fs.readFileSync(path.join(dir, "labextension", "package.json"), "utf8"));
  if (!fs.existsSync(path.join(dir, "labextension", built.jupyterlab._build.load))) return false;
  console.log(`dl-workbook: the Lab extension ${built.name} is up to date (${built.jupyterlab._build.load}); --force rebuilds it`);
  return true;
}

function hashOf(files, packages) {
  const hash = createHash("sha256");
  for (const file of [__filename, ...files]) hash.update(path.relative(root, file)).update(fs.readFileSync(file));
  for (const name of ["@jupyterlab/builder", "@jupyterlab/core-meta", ...packages]) hash.update(`${name}@${versionOf(name)}`);
  return hash.digest("hex");
}

/** Runs build-labextension on the package in dir against core-meta's core package.json. */
function build(builder, dir, inputs) {
  const started = Date.now();
  const coreDir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-labext-core-"));
  try {
    fs.copyFileSync(require.resolve("@jupyterlab/core-meta/core.package.json", { paths: [root] }), path.join(coreDir, "package.json"));
    const result = spawnSync(process.execPath, [builder, "--core-path", coreDir, dir], { cwd: root, encoding: "utf8" });
    if (result.status !== 0) {
      process.stderr.write(result.stdout + result.stderr);
      console.error(`dl-workbook: building the Lab extension in ${path.relative(root, dir)} failed with exit ${result.status}; see the webpack output above`);
      process.exit(1);
    }
  } finally {
    fs.rmSync(coreDir, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(dir, "labextension", "build-hash"), inputs + "\n");
  const built = JSON.parse(fs.readFileSync(path.join(dir, "labextension", "package.json"), "utf8"));
  console.log(`dl-workbook: built the Lab extension ${built.name} (${built.jupyterlab._build.load}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The course's extension: src/*.ts -> lib/*.js, then the federated build. */
function buildCourseExtension(builder) {
  const inputs = hashOf([path.join(extDir, "package.json"), ...filesUnder(path.join(extDir, "src"))], ["plotly.js-dist"]);
  if (upToDate(extDir, inputs)) return;
  const esbuild = require(require.resolve("esbuild", { paths: [root] }));
  const sources = fs.readdirSync(path.join(extDir, "src")).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.endsWith(".test.ts"));
  fs.rmSync(path.join(extDir, "lib"), { recursive: true, force: true });
  // esbuild keeps "./index" as written; webpack resolves it to ./index.js.
  esbuild.buildSync({ entryPoints: sources.map((f) => path.join(extDir, "src", f)), outdir: path.join(extDir, "lib"), format: "esm", target: "es2022", bundle: false, logLevel: "error" });
  build(builder, extDir, inputs);
}

/** @jupyter-widgets/jupyterlab-manager, staged inside this package (so that its imports resolve from node_modules) and built. */
function buildWidgetManager(builder) {
  const from = path.dirname(require.resolve("@jupyter-widgets/jupyterlab-manager/package.json", { paths: [root] }));
  const inputs = hashOf([], ["@jupyter-widgets/jupyterlab-manager", ...WIDGET_PACKAGES]);
  if (upToDate(managerDir, inputs)) return;
  for (const sub of ["lib", "schema"]) {
    fs.rmSync(path.join(managerDir, sub), { recursive: true, force: true });
    fs.cpSync(path.join(from, sub), path.join(managerDir, sub), { recursive: true });
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(from, "package.json"), "utf8"));
  // As jupyterlab_widgets shares them: one copy of each widget package across all extensions.
  const sharedPackages = Object.fromEntries(WIDGET_PACKAGES.map((name) => [name, { bundled: true, singleton: true }]));
  pkg.jupyterlab = { ...pkg.jupyterlab, outputDir: "labextension", sharedPackages };
  delete pkg.scripts;
  delete pkg.devDependencies;
  fs.writeFileSync(path.join(managerDir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  build(builder, managerDir, inputs);
}

let builder;
try {
  builder = require.resolve("@jupyterlab/builder/lib/build-labextension.js", { paths: [root] });
} catch {
  console.warn('dl-workbook: @jupyterlab/builder is not installed (a devDependency); the Lab extensions are left as built before, if they were. Run "npm install" with dev dependencies to build them.');
  process.exit(0);
}
buildCourseExtension(builder);
buildWidgetManager(builder);
