// Compiles the TypeScript sources with this package's own TypeScript (package.json pins it).
// Not `tsc` from node_modules/.bin: two packages install a `tsc` (typescript, and tslab's
// @tslab/typescript-for-tslab, which package.json's overrides makes the same version), and the
// link may point at either, or be missing after an install that replaced tslab's fork.
const { spawnSync } = require("child_process");
const path = require("path");

const tsc = require.resolve("typescript/lib/tsc.js", { paths: [path.join(__dirname, "..")] });
const result = spawnSync(process.execPath, [tsc, "-p", path.join(__dirname, "..", "tsconfig.json"), ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
