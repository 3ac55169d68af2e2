// Compiles the TypeScript sources with this package's own TypeScript (package.json pins it).
// Not `tsc` from node_modules/.bin: on a fresh install that link may point at the
// TypeScript fork that tslab ships (5.0), which infers types differently.
const { spawnSync } = require("child_process");
const path = require("path");

const tsc = require.resolve("typescript/lib/tsc.js", { paths: [path.join(__dirname, "..")] });
const result = spawnSync(process.execPath, [tsc, "-p", path.join(__dirname, "..", "tsconfig.json"), ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
