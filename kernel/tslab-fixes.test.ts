/** Exact-text fixes to a pinned dependency: applied once each, or a clear error when the dependency changed. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { applyFixes, CONVERTER_FIXES, TYPESCRIPT_API_FIXES } from "./tslab-fixes";
import type { SourceFix } from "./tslab-fixes";
import { TYPESCRIPT_FIXES } from "./snapshot/config";
import { tslabTypeScriptPath } from "./typescript";

const fix: SourceFix = { why: "an example", find: "keys.add(key);", replace: "keys.add(unescape(key));" };

test("applyFixes replaces the text of each fix", () => {
  assert.equal(applyFixes("a; keys.add(key); b;", [fix], "x.js"), "a; keys.add(unescape(key)); b;");
});

test("applyFixes refuses a fix whose text is missing or repeated, naming the file and what to do", () => {
  assert.throws(() => applyFixes("nothing here", [fix], "/deps/converter.js"), /\/deps\/converter\.js.*found it 0 times.*an example.*npm ci/s);
  assert.throws(() => applyFixes("keys.add(key); keys.add(key);", [fix], "c.js"), /found it 2 times/);
});

test("every fix applies to the tslab converter that package.json pins", () => {
  const file = path.join(path.dirname(require.resolve("tslab/package.json")), "dist", "converter.js");
  const fixes = [...CONVERTER_FIXES, ...TYPESCRIPT_API_FIXES];
  const fixed = applyFixes(fs.readFileSync(file, "utf8"), fixes, file);
  for (const { replace } of fixes) assert.ok(fixed.includes(replace));
  // no call of a function only tslab's TypeScript fork had is left
  assert.doesNotMatch(
    fixed,
    /getDefaultTypeRoots|ts\.getQuickInfoAtPosition|getNullTransformationContext|getCompletionsAtPositionForTslab|getPreEmitDiagnosticsOfFiles|noImplicitUseStrict|disableTopLevelAwait/,
  );
});

test("the kernel's fixes to TypeScript (every kernel's and the snapshot builder's) apply to the TypeScript tslab's converter requires", () => {
  const file = tslabTypeScriptPath();
  const fixed = applyFixes(fs.readFileSync(file, "utf8"), TYPESCRIPT_FIXES, file);
  for (const { replace } of TYPESCRIPT_FIXES) assert.ok(fixed.includes(replace));
});
