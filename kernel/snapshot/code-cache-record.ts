/**
 * What the code cache (code-cache.ts) is recorded from: run in a child started from the kernel's
 * snapshot with the kernels' V8 flags (blob.ts), it loads what a kernel loads at start and what
 * cells import, runs a little of the course library and tfjs so their lazily compiled functions
 * are compiled too, and writes the cache.
 *
 * ```ts
 * recordKernelCodeCache("/pkg/build/kernel-snapshot/kernel-<key>.jscache", ["/pkg/dist/lib/index", "@tensorflow/tfjs"]);
 * ```
 */
import * as fs from "fs";
import * as path from "path";
import Module from "module";
import { PACKAGE_ROOT } from "../info";
import { startCodeCacheRecording } from "./code-cache";

/** The kernel's own module: loading it loads every module a kernel needs to start (it starts nothing). */
const KERNEL_MODULE = path.join(__dirname, "..", "kernel.js");

/** The kernel's TypeScript side (tslab's converter). */
const TYPESCRIPT_MODULE = path.join(__dirname, "..", "typescript.js");

/** The course library's root, `dl-workbook`. */
const LIBRARY = path.join(__dirname, "..", "..", "lib", "index.js");

/** The subset of the course library the warm-up runs, as a first graded cell does. */
interface Library {
  asNDArray(x: number[][], fnName?: string, argName?: string): { shape: number[] };
  linspace(start: number, stop: number, num: number): unknown;
  zeros(...shape: number[]): unknown;
  rng(seed: number): unknown;
}

/** tfjs's few functions the warm-up runs. */
interface Tfjs {
  tidy<T>(fn: () => T): T;
  tensor2d(values: number[][]): { matMul(b: unknown): { add(b: number): { relu(): { sum(): { dataSync(): Float32Array } } } } };
}

/**
 * Records the modules a kernel and its cells load into cache file `out` (specifiers or absolute
 * paths in `imports`: the package's entry points and tfjs); returns how many and the file's size.
 * @example recordKernelCodeCache(out, ["/pkg/dist/lib/index", "@tensorflow/tfjs"]).modules // about 140
 */
export function recordKernelCodeCache(out: string, imports: readonly string[]): { modules: number; bytes: number } {
  const recorder = startCodeCacheRecording();
  const requireFromPackage = Module.createRequire(KERNEL_MODULE);
  requireFromPackage(KERNEL_MODULE);
  // tslab's converter, which a kernel creates at start and runs on every cell (with the modules it requires)
  const { createConverter } = requireFromPackage(TYPESCRIPT_MODULE) as typeof import("../typescript");
  const converter = createConverter();
  // a first cell, importing the library by its package name (read, not written here: kernel/client/imports.test.ts lists the kernel's imports)
  const { name } = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { name: string };
  converter.convert("", `import { asNDArray } from ${JSON.stringify(name)};\nconst a = asNDArray([[1, 2]], "warmUp", "a");\na.shape;`);
  converter.close();
  for (const specifier of imports) requireFromPackage(specifier);
  // a first cell's work: arrays, the seeded generator, and tfjs ops on the selected backend
  const library = requireFromPackage(LIBRARY) as Library;
  library.asNDArray(
    [
      [1, 2],
      [3, 4],
    ],
    "warmUp",
    "x",
  );
  library.linspace(0, 1, 5);
  library.zeros(2, 3);
  library.rng(0);
  const tf = requireFromPackage("@tensorflow/tfjs") as Tfjs;
  tf.tidy(() =>
    tf
      .tensor2d([
        [1, 2],
        [3, 4],
      ])
      .matMul(tf.tensor2d([[1], [1]]))
      .add(1)
      .relu()
      .sum()
      .dataSync(),
  );
  const modules = recorder.modules;
  return { modules, bytes: recorder.write(out) };
}
