// Runs the compiled test files (dist/**/*.test.js) with Node's test runner.
//   node scripts/test.js           every test file (`npm test`)
//   node scripts/test.js --unit    the fast tier (`npm run test:unit`): the files in UNIT_TESTS below,
//                                  which need neither Python, Chromium nor a kernel process; one file
//                                  per core at a time (the full suite runs one at a time: its kernels,
//                                  browsers and timing checks share the machine)
// WORKBOOK_TEST_FILTER=<substring> keeps only the test files whose path contains it.
// Workloads: the tests run with CI=true, so notebooks and demos take their small workloads, whatever
// CI says in the caller's environment (a newcomer's `npm test` has none). WORKBOOK_FULL=1 removes CI
// instead, and everything runs at the student's size.
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.join(__dirname, "..", "dist");

/**
 * The fast tier, by source path without ".test.ts": in-process tests of the library, the grader's
 * pure parts, the kernel's parts that need no kernel process, and the book's renderer, each file a
 * few seconds at most at CI's size (`npm run test:unit`: see the README for its time). A test file
 * that starts a kernel, Python, Chromium or another process stays out, and so do training demos
 * and memory measurements (lib/rnn/demos, lib/backend/memory, lib/captioning/overfit, the grader's
 * hostile submissions): they run in `npm test`.
 */
const UNIT_TESTS = [
  "cli/args",
  "grader/assign/compare",
  "grader/autograde/late",
  "grader/autograde/sanitise",
  "grader/autograde/submissions",
  "grader/cli-grade",
  "grader/gradebook/gradebook",
  "kernel/client/imports",
  "kernel/display/bundle",
  "kernel/display/plotly",
  "kernel/history",
  "kernel/kernelspec",
  "kernel/loop-checks",
  "kernel/prompts",
  "kernel/snapshot/resolutions",
  "kernel/traceback",
  "kernel/tslab-fixes",
  "kernel/typescript",
  "lib/backend/backend",
  "lib/backend/kernels/conv-info",
  "lib/backend/native-errors",
  "lib/captioning/captioning-data",
  "lib/captioning/captioning-rnn",
  "lib/captioning/tf-captioning-model",
  "lib/claims/claim",
  "lib/cnn/design",
  "lib/cnn/train",
  "lib/compare/compare",
  "lib/data/data",
  "lib/display/display",
  "lib/gradcheck/cs231n-fixtures",
  "lib/gradcheck/gradcheck",
  "lib/ndarray/ndarray",
  "lib/optim/compare",
  "lib/optim/rules",
  "lib/optim/tfjs",
  "lib/plot/plot",
  "lib/random/random",
  "lib/rnn/architectures",
  "lib/rnn/captioning-loss",
  "lib/rnn/embedding-and-loss",
  "lib/rnn/lstm",
  "lib/rnn/rnn",
  "lib/rnn/tfjs-parity",
  "lib/rnn/training",
  "lib/seq/beam-search",
  "lib/seq/corpus",
  "lib/seq/date-translation",
  "lib/seq/min-char-rnn",
  "lib/seq/tf-models",
  "lib/widgets/widgets",
  "lib/text/bleu",
  "lib/text/vocabulary",
  "notebook/notebook",
  "projects/teams",
  "runner/book/render",
  "scripts/file-names",
  "scripts/layering",
];

function findTests(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith(".test.js")) found.push(full);
  }
  return found;
}

const unit = process.argv.includes("--unit");
const unknown = process.argv.slice(2).filter((arg) => arg !== "--unit");
if (unknown.length > 0) {
  console.error(`scripts/test.js: unknown argument ${unknown.join(" ")}; use --unit for the fast tier, WORKBOOK_TEST_FILTER=<substring> to pick files.`);
  process.exit(2);
}
if (!fs.existsSync(root)) {
  console.error(`No compiled tests: ${root} does not exist. Run "npm run build" first.`);
  process.exit(1);
}
const all = findTests(root);
const relative = (file) =>
  path
    .relative(root, file)
    .split(path.sep)
    .join("/")
    .replace(/\.test\.js$/, "");
if (unit) {
  const have = new Set(all.map(relative));
  const missing = UNIT_TESTS.filter((name) => !have.has(name));
  if (missing.length > 0) {
    console.error(`scripts/test.js: UNIT_TESTS names test files that are not built: ${missing.join(", ")}. Rebuild, or update the list if they were renamed.`);
    process.exit(1);
  }
}
const filter = process.env.WORKBOOK_TEST_FILTER;
const files = all
  .filter((f) => !unit || UNIT_TESTS.includes(relative(f)))
  .filter((f) => !filter || f.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`No test files found under ${root}${filter ? ` matching "${filter}"` : ""}. Run "npm run build" first.`);
  process.exit(1);
}

const full = process.env.WORKBOOK_FULL === "1";
const env = { ...process.env, WORKBOOK_SKIP_KERNEL_INSTALL: process.env.WORKBOOK_SKIP_KERNEL_INSTALL ?? "0" };
if (full) delete env.CI;
else env.CI = "true";
console.log(
  full
    ? `Running ${files.length} test files at the student's size (WORKBOOK_FULL=1: CI unset).`
    : `Running ${files.length} test files with CI's small workloads (CI=true); WORKBOOK_FULL=1 npm test runs them at the student's size.`,
);
const started = Date.now();
const concurrency = unit ? Math.max(1, os.cpus().length) : 1;
const result = spawnSync(process.execPath, ["--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...files], { stdio: "inherit", env });
console.log(`${unit ? "Unit tests" : "Tests"}: ${((Date.now() - started) / 1000).toFixed(1)} s.`);
process.exit(result.status ?? 1);
