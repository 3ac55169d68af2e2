// Builds the course's prebuilt (federated) JupyterLab extension, lab/extension, with
// @jupyterlab/builder's build-labextension (webpack module federation) into
// lab/extension/labextension/ (package.json with its _build metadata, static/remoteEntry.*.js and
// chunks), which `workbook kernel install` copies into <data dir>/share/jupyter/labextensions/.
//
// 1. lab/extension/src/*.ts -> lab/extension/lib/*.js: esbuild strips the types and keeps ES
//    modules, so webpack sees the imports it shares and splits plotly.js into its own chunk.
// 2. build-labextension needs the core JupyterLab app's package.json (its dependencies and
//    singletonPackages decide what the extension takes from the app instead of bundling):
//    @jupyterlab/core-meta ships exactly that file, as core.package.json.
// Needs the devDependency @jupyterlab/builder (a git clone's `npm install`); an installed
// package ships the built output instead and this script is not run there. A build whose inputs
// (the sources, this script, the builder's, core-meta's and plotly.js-dist's versions) have not
// changed is kept (labextension/build-hash); --force rebuilds.
const { createHash } = require("crypto");
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.join(__dirname, "..");
const extDir = path.join(root, "lab", "extension");
const started = Date.now();

let builder;
try {
  builder = require.resolve("@jupyterlab/builder/lib/build-labextension.js", { paths: [root] });
} catch {
  const built = fs.existsSync(path.join(extDir, "labextension", "package.json"));
  console.warn(
    `dl-workbook: @jupyterlab/builder is not installed (a devDependency); the course's Lab extension is ${built ? "left as built before" : "not built"}. Run "npm install" with dev dependencies to build it.`,
  );
  process.exit(0);
}

const hash = createHash("sha256");
for (const file of [
  path.join(extDir, "package.json"),
  __filename,
  ...fs
    .readdirSync(path.join(extDir, "src"))
    .sort()
    .map((f) => path.join(extDir, "src", f)),
])
  hash.update(file).update(fs.readFileSync(file));
for (const name of ["@jupyterlab/builder", "@jupyterlab/core-meta", "plotly.js-dist"]) hash.update(`${name}@${require(require.resolve(`${name}/package.json`, { paths: [root] })).version}`);
const inputs = hash.digest("hex");
const hashFile = path.join(extDir, "labextension", "build-hash");
const previous = fs.existsSync(hashFile) ? fs.readFileSync(hashFile, "utf8").trim() : "";
if (previous === inputs && !process.argv.includes("--force")) {
  const built = JSON.parse(fs.readFileSync(path.join(extDir, "labextension", "package.json"), "utf8"));
  if (fs.existsSync(path.join(extDir, "labextension", built.jupyterlab._build.load))) {
    console.log(`dl-workbook: the course's Lab extension is up to date (${built.jupyterlab._build.load}); --force rebuilds it`);
    process.exit(0);
  }
}

// 1. TypeScript -> ES modules.
const esbuild = require(require.resolve("esbuild", { paths: [root] }));
const sources = fs.readdirSync(path.join(extDir, "src")).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.endsWith(".test.ts"));
fs.rmSync(path.join(extDir, "lib"), { recursive: true, force: true });
esbuild.buildSync({
  entryPoints: sources.map((f) => path.join(extDir, "src", f)),
  outdir: path.join(extDir, "lib"),
  format: "esm",
  target: "es2022",
  bundle: false,
  logLevel: "error",
});
// esbuild keeps "./index" as written; webpack resolves it to ./index.js.

// 2. The core package.json, from @jupyterlab/core-meta.
const coreDir = fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-labext-core-"));
try {
  const core = require.resolve("@jupyterlab/core-meta/core.package.json", { paths: [root] });
  fs.copyFileSync(core, path.join(coreDir, "package.json"));
  const result = spawnSync(process.execPath, [builder, "--core-path", coreDir, extDir], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    console.error(`dl-workbook: building the course's Lab extension (lab/extension) failed with exit ${result.status}; see the webpack output above`);
    process.exit(1);
  }
} finally {
  fs.rmSync(coreDir, { recursive: true, force: true });
}
fs.writeFileSync(hashFile, inputs + "\n");
const built = JSON.parse(fs.readFileSync(path.join(extDir, "labextension", "package.json"), "utf8"));
console.log(`dl-workbook: built the course's Lab extension ${built.name} (${built.jupyterlab._build.load}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
