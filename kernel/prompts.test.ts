/**
 * Jupyter front ends show an input()/password() prompt exactly as given, so `input("Your name?")`
 * reads "Your name?Ada" (issue 12). Every prompt the package writes (README, notebooks, assignments,
 * the kernel's own examples and tests, the library) ends with a space, as Python's prompts do.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { cellSource, readNotebook } from "../notebook/notebook";

const ROOT = path.resolve(__dirname, "..", "..");
const SELF = path.join("kernel", "prompts.test.ts");

/** A literal prompt: input("...") / password('...') / input(`...`), not `x.input(` (a client answering). */
const PROMPT = /(?<![.\w])(input|password)\(\s*(["'`])((?:(?!\2)[^\\]|\\.)*)\2/g;

/** The prompts in `text`, each with its line. */
function literalPrompts(text: string): { prompt: string; line: number }[] {
  const found: { prompt: string; line: number }[] = [];
  for (const match of text.matchAll(PROMPT)) {
    found.push({ prompt: match[3], line: text.slice(0, match.index).split("\n").length });
  }
  return found;
}

function files(dir: string, extensions: string[]): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(full, extensions));
    else if (extensions.some((ext) => entry.name.endsWith(ext))) out.push(full);
  }
  return out;
}

/** A notebook's code and Markdown as one text (its cells' sources, JSON escapes undone). */
function notebookText(file: string): string {
  return readNotebook(file).cells.map(cellSource).join("\n");
}

test("literalPrompts finds the prompts in cells, strings of cells and Python tests", () => {
  assert.deepEqual(
    literalPrompts(`const a = input("Your name?");\nkc.input("Ada")\nrun("password('key: ')")\ntf.input({ shape: [2] })`).map((p) => p.prompt),
    ["Your name?", "key: "],
  );
});

test("every prompt in the README, notebooks, assignments, kernel and library ends with a space", () => {
  const sources = [
    path.join(ROOT, "README.md"),
    ...["notebooks", "assignments", "projects"].flatMap((dir) => files(path.join(ROOT, dir), [".ipynb", ".md"])),
    ...["kernel", "lib", "runner", "grader", "projects", "bench"].flatMap((dir) => files(path.join(ROOT, dir), [".ts", ".py"])),
  ].filter((file) => path.relative(ROOT, file) !== SELF);
  let checked = 0;
  const bad: string[] = [];
  for (const file of sources) {
    const text = file.endsWith(".ipynb") ? notebookText(file) : fs.readFileSync(file, "utf8");
    for (const { prompt, line } of literalPrompts(text)) {
      checked++;
      if (prompt !== "" && !/\s$/.test(prompt)) bad.push(`${path.relative(ROOT, file)}${file.endsWith(".ipynb") ? "" : `:${line}`}: "${prompt}"`);
    }
  }
  assert.ok(checked >= 3, `found ${checked} prompts; the scan should see at least the kernel's stdin tests`);
  assert.deepEqual(bad, [], 'end these prompts with a space, e.g. input("Your name? ")');
});
