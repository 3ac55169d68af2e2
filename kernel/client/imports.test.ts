/**
 * The layering of the client (issue 17): kernel/client talks to a kernel over the wire protocol and
 * shares only kernel/wire with the kernel server, so it never imports the server's modules (it took
 * PARENT_PID_VARIABLE from kernel/parent-poller before). And the packages the kernel and client
 * load are declared in package.json, not reached as another package's dependency (zeromq).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import { builtinModules } from "module";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** Module specifiers a TypeScript file imports: import/export ... from, import type, require(), import(); comments skipped. */
function specifiers(text: string): string[] {
  const source = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

/** The .ts file a relative specifier names (`./x` -> x.ts or x/index.ts), or undefined (a .json file, say). */
function resolveLocal(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => fs.existsSync(candidate));
}

/** Every local source file reached from `entries`, and every package imported on the way. */
function importGraph(entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of specifiers(fs.readFileSync(file, "utf8"))) {
      if (specifier.startsWith(".")) {
        const local = resolveLocal(file, specifier);
        if (local !== undefined) queue.push(local);
      } else packages.add(specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]);
    }
  }
  return { files, packages };
}

const clientDir = path.join(ROOT, "kernel", "client");
const clientSources = fs
  .readdirSync(clientDir)
  .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
  .map((f) => path.join(clientDir, f));

test("specifiers() sees every form of import", () => {
  assert.deepEqual(
    specifiers(
      `// import { x } from "./commented";\n/** import y from "./doc"; */\nimport * as a from "./a";\nimport type { B } from '../b';\nexport { c } from "./c";\nimport "./d";\nconst e = require("e");\nconst f = await import("@f/g/h");`,
    ).sort(),
    ["../b", "./a", "./c", "./d", "@f/g/h", "e"],
  );
});

test("kernel/client imports nothing of the kernel server: only kernel/client and kernel/wire", () => {
  const { files } = importGraph(clientSources);
  const allowed = [clientDir, path.join(ROOT, "kernel", "wire")].map((dir) => dir + path.sep);
  const outside = [...files].filter((file) => !allowed.some((dir) => file.startsWith(dir))).map((file) => path.relative(ROOT, file));
  assert.deepEqual(outside, [], "move what the client needs from the server into kernel/wire");
});

test("the packages the kernel and client import are declared dependencies of dl-workbook", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const kernelSources = ["kernel", path.join("kernel", "client"), path.join("kernel", "wire"), path.join("kernel", "display"), path.join("kernel", "snapshot")].flatMap((dir) =>
    fs
      .readdirSync(path.join(ROOT, dir))
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
      .map((f) => path.join(ROOT, dir, f)),
  );
  const { packages } = importGraph(kernelSources);
  const builtins = new Set(builtinModules);
  const undeclared = [...packages].filter((name) => !builtins.has(name) && !name.startsWith("node:") && pkg.dependencies[name] === undefined);
  assert.deepEqual(undeclared, [], "add them to dependencies at the version in node_modules");
  // zeromq at exactly the version installed (tslab's copy, deduplicated)
  const installed = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "zeromq", "package.json"), "utf8")) as { version: string }).version;
  assert.equal(pkg.dependencies.zeromq, installed);
});
