// Builds the native kernels (native/*.cc -> build/Release/workbook_native.node) with node-gyp during
// `npm install`. It never fails the install: when a compiler, node-gyp or the local Node headers are
// missing, it prints one line and dl-workbook uses the next best backend (WASM). It never downloads:
// node-gyp gets --nodedir pointing at the headers installed with Node itself.
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
  } catch {}
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

function main() {
  if (process.env.WORKBOOK_SKIP_NATIVE === "1") return notice("WORKBOOK_SKIP_NATIVE=1");
  const gyp = findNodeGyp();
  if (!gyp) return notice("node-gyp not found");
  const nodedir = findNodeDir();
  if (!nodedir) return notice("the Node headers (include/node/node_api.h) are not installed locally");
  const started = Date.now();
  const result = spawnSync(process.execPath, [gyp, "rebuild", `--nodedir=${nodedir}`, `--jobs=${Math.max(1, os.cpus().length)}`], { cwd: root, encoding: "utf8" });
  const log = path.join(os.tmpdir(), "dl-workbook-native-build.log");
  fs.writeFileSync(log, `${result.stdout ?? ""}\n${result.stderr ?? ""}\n${result.error ? String(result.error) : ""}`);
  if (result.status !== 0) return notice(`node-gyp failed, see ${log}`);
  console.log(`dl-workbook: native kernels built in ${((Date.now() - started) / 1000).toFixed(1)} s (build/Release/workbook_native.node).`);
}

main();
