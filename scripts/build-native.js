// Builds the native kernels (native/*.cc -> build/Release/workbook_native.node) with node-gyp during
// `npm install`. It never fails the install: when a compiler, node-gyp or the local Node headers are
// missing, or anything else goes wrong (a log it cannot write included), it prints one line, exits 0,
// and dl-workbook uses the next best backend (WASM). It never downloads: node-gyp gets --nodedir
// pointing at the headers installed with Node itself.
// node-gyp's output goes to build/native-build.log in the package (the installing user's own folder),
// or, when that folder cannot be written, to a new private folder under the temporary directory
// (fs.mkdtemp: per user and per run, so a log left by another user never gets in the way).
// WORKBOOK_SKIP_NATIVE=1 skips the build.
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.join(__dirname, "..");
const notice = (why) => console.log(`dl-workbook: native kernels not built (${why}); training will use the WASM backend.`);

function findNodeGyp() {
  const candidates = [];
  try {
    candidates.push(require.resolve("node-gyp/bin/node-gyp.js", { paths: [root] }));
  } catch {
    // node-gyp is not installed beside this package; try npm's own copy below.
  }
  if (process.env.npm_execpath) candidates.push(path.join(path.dirname(process.env.npm_execpath), "..", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  const prefix = path.dirname(path.dirname(process.execPath));
  candidates.push(path.join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  candidates.push(path.join(path.dirname(process.execPath), "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  return candidates.find((c) => fs.existsSync(c));
}

function findNodeDir() {
  const prefix = path.dirname(path.dirname(process.execPath));
  const candidates = [process.env.npm_config_nodedir, prefix, "/usr", "/usr/local"].filter(Boolean);
  return candidates.find((dir) => fs.existsSync(path.join(dir, "include", "node", "node_api.h")));
}

/**
 * Writes `text` to build/native-build.log, else to <tmpdir>/dl-workbook-native-XXXXXX/build.log;
 * returns the file written, or undefined when neither could be written (never throws).
 */
function writeLog(text) {
  const places = [
    () => {
      const dir = path.join(root, "build");
      fs.mkdirSync(dir, { recursive: true });
      return path.join(dir, "native-build.log");
    },
    () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dl-workbook-native-")), "build.log"),
  ];
  for (const place of places) {
    try {
      const file = place();
      fs.writeFileSync(file, text);
      return file;
    } catch {
      // not writable here: try the next place
    }
  }
  return undefined;
}

function main() {
  if (process.env.WORKBOOK_SKIP_NATIVE === "1") return notice("WORKBOOK_SKIP_NATIVE=1");
  const gyp = findNodeGyp();
  if (!gyp) return notice("node-gyp not found");
  const nodedir = findNodeDir();
  if (!nodedir) return notice("the Node headers (include/node/node_api.h) are not installed locally");
  const started = Date.now();
  const result = spawnSync(process.execPath, [gyp, "rebuild", `--nodedir=${nodedir}`, `--jobs=${Math.max(1, os.cpus().length)}`], { cwd: root, encoding: "utf8" });
  const output = `${result.stdout ?? ""}\n${result.stderr ?? ""}\n${result.error ? String(result.error) : ""}`;
  const log = writeLog(output);
  if (result.status !== 0) {
    if (log) return notice(`node-gyp failed, see ${log}`);
    const tail = output.trim().split("\n").slice(-3).join(" | ");
    return notice(`node-gyp failed and its log could not be written: ${tail}`);
  }
  console.log(`dl-workbook: native kernels built in ${((Date.now() - started) / 1000).toFixed(1)} s (build/Release/workbook_native.node${log ? `; log in ${log}` : ""}).`);
}

try {
  main();
} catch (err) {
  notice(`unexpected error: ${err && err.message ? err.message : String(err)}`);
}
process.exitCode = 0;
