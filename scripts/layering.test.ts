/**
 * The layering (issue 17): lib at the ground, kernel above it, grader, runner and projects on top,
 * nothing pointing back down-up; and inside the grader, its folders (autograde, feedback, export,
 * gradebook, queue, sandbox, ...) import each other in no loop, so each can be read, tested and
 * changed from the bottom up. Imports are read from the TypeScript sources git tracks (tests
 * aside: a test may reach anywhere); type-only imports count too, since a loop of types is still a
 * loop a reader must follow.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/** The project's TypeScript sources, tests excluded, relative to ROOT with "/". */
function sources(): string[] {
  const git = spawnSync("git", ["ls-files", "*.ts"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(git.status, 0, `git ls-files failed in ${ROOT}: ${git.stderr}`);
  return git.stdout.split("\n").filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts") && !f.startsWith("node_modules/"));
}

/** The files a source imports by relative path (`from "./x"`, `import("../y")`, `require("./z")`), as ROOT-relative paths without extension. */
function relativeImports(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)["'](\.{1,2}\/[^"']*)["']/g)].map((m) => m[1]);
  return specifiers.map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)));
}

/** The folder a file belongs to at `depth` path segments (`grader/autograde` for depth 2). */
function folderOf(file: string, depth: number): string {
  return file.split("/").slice(0, depth).join("/");
}

/** Edges between folders at `depth` under `prefix`: folder -> folders it imports from. */
function folderGraph(prefix: string, depth: number): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sources().filter((f) => f.startsWith(prefix) && f.split("/").length > depth)) {
    const from = folderOf(file, depth);
    for (const target of relativeImports(file)) {
      if (!target.startsWith(prefix) || target.split("/").length <= depth) continue;
      const to = folderOf(target, depth);
      if (to === from) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)?.add(to);
    }
  }
  return graph;
}

/** One loop in a graph, as the folders along it, or undefined when there is none (depth-first search). */
function findLoop(graph: Map<string, Set<string>>): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === "done") return undefined;
    if (state.get(node) === "open") return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const loop = visit(next);
      if (loop) return loop;
    }
    stack.pop();
    state.set(node, "done");
    return undefined;
  };
  for (const node of graph.keys()) {
    const loop = visit(node);
    if (loop) return loop;
  }
  return undefined;
}

test("the grader's folders import each other in no loop", () => {
  const graph = folderGraph("grader/", 2);
  assert.ok(graph.size >= 4, `expected the grader's folders to import each other somewhere, found ${graph.size}`);
  const loop = findLoop(graph);
  assert.equal(loop, undefined, `grader folders import each other in a loop: ${loop?.join(" -> ")}; move the shared types down (e.g. grader/results.ts)`);
});

test("lib imports nothing from the kernel, grader, runner or projects; the kernel nothing from those apps", () => {
  const above: Record<string, string[]> = { "lib/": ["kernel/", "grader/", "runner/", "projects/"], "kernel/": ["grader/", "runner/", "projects/"] };
  const wrong: string[] = [];
  for (const file of sources()) {
    const layer = Object.keys(above).find((prefix) => file.startsWith(prefix));
    if (!layer) continue;
    for (const target of relativeImports(file)) if (above[layer].some((up) => target.startsWith(up))) wrong.push(`${file} imports ${target}`);
  }
  assert.deepEqual(wrong, [], "a lower layer imports from a higher one");
});

test("the loop finder finds a loop and accepts a chain", () => {
  const chain = new Map([
    ["a", new Set(["b"])],
    ["b", new Set(["c"])],
  ]);
  assert.equal(findLoop(chain), undefined);
  const loop = new Map([
    ["a", new Set(["b"])],
    ["b", new Set(["c"])],
    ["c", new Set(["a"])],
  ]);
  assert.deepEqual(findLoop(loop), ["a", "b", "c", "a"]);
});
