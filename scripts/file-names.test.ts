/**
 * File names in one case style (issue 17): every TypeScript source under the project's TypeScript
 * folders is kebab-case (`grad-check.ts`, `cs231n-fixtures.test.ts`), so an import path is never a
 * guess between `gradCheck`, `grad_check` and `grad-check`. Python files keep Python's snake_case
 * and are not listed here. The files are the ones git tracks (a stray build output does not count);
 * outside a git checkout the folders are walked instead.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
/** The folders whose TypeScript sources the rule covers. */
const FOLDERS = ["lib", "kernel", "grader", "runner", "projects", "bench", "bin", "cli", "deploy", "lab", "notebook", "scripts"];
/** Folders that hold generated or installed files, skipped when walking. */
const SKIPPED = new Set(["node_modules", "dist", "build", "labextension"]);

/** kebab-case: lower-case letters and digits in words joined by single hyphens. */
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Whether a TypeScript file's name is kebab-case, ignoring its `.ts`, `.test.ts` or `.d.ts` ending.
 * @example isKebabCaseSource("lib/rnn/lstm-step.ts"); // true; "lib/rnn/lstmStep.ts" is false
 */
function isKebabCaseSource(file: string): boolean {
  const stem = path.posix.basename(file).replace(/(\.test|\.d)?\.ts$/, "");
  return KEBAB.test(stem);
}

/** Every file under `dir` (relative to ROOT, with "/"), skipping generated folders. */
function walk(dir: string): string[] {
  const full = path.join(ROOT, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const child = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : walk(child);
    return [child];
  });
}

/** The TypeScript sources in FOLDERS: git's tracked files, or the folders walked outside a checkout. */
function typeScriptSources(): string[] {
  const git = spawnSync("git", ["ls-files", "-z", "--", ...FOLDERS], { cwd: ROOT, encoding: "utf8" });
  const files = git.status === 0 ? git.stdout.split("\0").filter(Boolean) : FOLDERS.flatMap(walk);
  return files.filter((file) => file.endsWith(".ts"));
}

test("the kebab-case check accepts kebab-case names and rejects camelCase, snake_case and capitals", () => {
  for (const good of ["lib/rnn/lstm-step.ts", "lib/gradcheck/cs231n-fixtures.test.ts", "lab/types.d.ts", "bench/train-profile.ts", "lib/index.ts"]) {
    assert.ok(isKebabCaseSource(good), `${good} is kebab-case`);
  }
  for (const bad of ["lib/rnn/lstmStep.ts", "lib/ndarray/asNDArray.ts", "bench/train_profile.ts", "lib/rnn/tfjsParity.test.ts", "lib/Index.ts", "lib/a--b.ts"]) {
    assert.ok(!isKebabCaseSource(bad), `${bad} is not kebab-case`);
  }
});

test("every TypeScript source in lib, kernel, grader, runner, projects, bench and the other TypeScript folders has a kebab-case name", () => {
  const sources = typeScriptSources();
  assert.ok(
    sources.some((file) => file.startsWith("lib/")),
    `found the library's sources (${sources.length} files listed)`,
  );
  const wrong = sources.filter((file) => !isKebabCaseSource(file));
  assert.deepEqual(wrong, [], `rename these to kebab-case with git mv (lstmStep.ts -> lstm-step.ts) and update their imports: ${wrong.join(", ")}`);
});
