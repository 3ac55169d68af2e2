/** Module resolution for cells: dl-workbook and @tensorflow/* come from this package, from any directory. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import { createCellRequire, redirectPath } from "./typescript";
import { PACKAGE_ROOT } from "./info";

const slash = (p: string) => p.replace(/\\/g, "/");

test("redirectPath sends dl-workbook and pinned packages to the package, others only when missing", () => {
  const cwd = "/some/notebooks";
  const nothing = () => false;
  assert.equal(redirectPath("/some/notebooks/node_modules/dl-workbook/package.json", cwd, nothing), slash(path.join(PACKAGE_ROOT, "package.json")));
  assert.equal(
    redirectPath("/some/notebooks/node_modules/@tensorflow/tfjs/package.json", cwd, () => true),
    slash(path.join(PACKAGE_ROOT, "node_modules", "@tensorflow", "tfjs", "package.json")),
  );
  assert.equal(
    redirectPath("/some/notebooks/node_modules/lodash/index.d.ts", cwd, () => true),
    undefined,
  );
  assert.equal(redirectPath("/some/notebooks/node_modules/lodash/index.d.ts", cwd, nothing), slash(path.join(PACKAGE_ROOT, "node_modules", "lodash", "index.d.ts")));
  assert.equal(redirectPath("/elsewhere/x.ts", cwd, nothing), undefined);
});

test("a cell's require finds dl-workbook subpaths and tfjs from a foreign directory", () => {
  const cellRequire = createCellRequire("/tmp");
  const display = cellRequire("dl-workbook/display") as { JUPYTER_DISPLAY: symbol };
  assert.equal(display.JUPYTER_DISPLAY, Symbol.for("Jupyter.display"));
  const tf = cellRequire("@tensorflow/tfjs") as { version: { "tfjs-core": string } };
  assert.match(tf.version["tfjs-core"], /^4\./);
  assert.throws(() => cellRequire("surely-not-a-package-xyz"), /Cannot find module/);
});
