// Registers the "dl-workbook" Jupyter kernelspec for the current user after `npm install`.
// Set WORKBOOK_SKIP_KERNEL_INSTALL=1 to skip. Runs again from `prepare` once the TypeScript is compiled.
const fs = require("fs");
const path = require("path");

if (process.env.WORKBOOK_SKIP_KERNEL_INSTALL === "1") process.exit(0);
const entry = path.join(__dirname, "..", "dist", "kernel", "kernelspec.js");
// A fresh clone has no dist/ yet: `prepare` compiles and then runs this script again.
if (!fs.existsSync(entry)) process.exit(0);
try {
  require(entry).installKernelspec({ scope: "user", quiet: true });
} catch (err) {
  console.warn(`dl-workbook: could not register the Jupyter kernel (${err.message}); run "npx workbook kernel install --user" later.`);
}
