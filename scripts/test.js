// Runs every compiled test file (dist/**/*.test.js) with Node's test runner.
// WORKBOOK_TEST_FILTER=<substring> runs only the test files whose path contains it.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..", "dist");
function findTests(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith(".test.js")) found.push(full);
  }
  return found;
}

const filter = process.env.WORKBOOK_TEST_FILTER;
const files = findTests(root).filter((f) => !filter || f.includes(filter)).sort();
if (files.length === 0) {
  console.error(`No test files found under ${root}${filter ? ` matching "${filter}"` : ""}. Run "npm run build" first.`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--test", "--test-concurrency=1", "--test-reporter=spec", ...files], {
  stdio: "inherit",
  env: { ...process.env, WORKBOOK_SKIP_KERNEL_INSTALL: process.env.WORKBOOK_SKIP_KERNEL_INSTALL ?? "0" },
});
process.exit(result.status ?? 1);
