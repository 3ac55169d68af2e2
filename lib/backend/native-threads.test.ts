/**
 * The native addon called from several JavaScript threads at once (worker_threads: a student's
 * notebook may start some). The addon's kernels share one pool of worker threads; a call that finds
 * it taken starts threads of its own (native/gemm.cc, Pool). Here two workers and the main thread
 * each run a GEMM and a convolution large enough to be split over 2 threads, 20 times while the
 * others do the same, and every result must be bitwise the one a worker computed alone.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Worker } from "worker_threads";
import { join } from "path";
import { nativeKernels, type NativeKernels } from "./native";

const skip = nativeKernels ? false : "the native addon is not built";
const NATIVE_JS = join(__dirname, "native.js");

interface Outcome {
  /** Repeated calls whose result differed bitwise from the first. */
  differed: number;
  /** The first result's bytes (GEMM, then convolution with bias and relu), base64. */
  first: string;
}

/**
 * Computes C = A B (150x173x523) and y = relu(conv(x, w) + bias) (x[24,14,14,16], w[5,5,16,32]) on
 * fixed inputs `rounds` times. Self-contained: the workers run its source text.
 */
function products(native: NativeKernels, rounds: number): Outcome {
  let s = 11;
  const rand = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  };
  const vec = (n: number): Float32Array => Float32Array.from({ length: n }, rand);
  const [M, N, K] = [150, 173, 523];
  const A = vec(M * K);
  const B = vec(K * N);
  const x = vec(24 * 14 * 14 * 16);
  const w = vec(5 * 5 * 16 * 32);
  const bias = vec(32);
  const once = (): Buffer => {
    const C = new Float32Array(M * N);
    const y = new Float32Array(24 * 14 * 14 * 32);
    native.gemm(A, B, C, [M, N, K, K, 1, N, 1, N], true);
    native.conv2d(x, w, y, [24, 14, 14, 16, 5, 5, 32, 14, 14, 1, 1, 1, 1, 2, 2], bias, true);
    return Buffer.concat([Buffer.from(C.buffer), Buffer.from(y.buffer)]);
  };
  const first = once();
  let differed = 0;
  for (let i = 1; i < rounds; i++) if (!once().equals(first)) differed++;
  return { differed, first: first.toString("base64") };
}

/** Runs `products` in a new worker thread (which loads the addon itself). */
function inWorker(rounds: number): Promise<Outcome> {
  const script = `
const { parentPort, workerData } = require("worker_threads");
const { nativeKernels } = require(${JSON.stringify(NATIVE_JS)});
parentPort.postMessage((${products.toString()})(nativeKernels, workerData.rounds));
`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { eval: true, workerData: { rounds } });
    worker.once("message", (m: Outcome) => resolve(m));
    worker.once("error", reject);
  });
}

test("the addon called from two worker threads and the main thread at once gives each the result it gets alone", { skip }, async () => {
  const native = nativeKernels!;
  native.setThreads(2);
  try {
    const alone = await inWorker(1);
    const workers = Promise.all([inWorker(20), inWorker(20)]);
    // this thread computes meanwhile (synchronously: the workers run in parallel with it)
    const here = products(native, 20);
    const [first, second] = await workers;
    for (const [name, outcome] of [
      ["main thread", here],
      ["worker 1", first],
      ["worker 2", second],
    ] as const) {
      assert.equal(outcome.differed, 0, `${name}: ${outcome.differed} of 19 repeated calls differed from its first result`);
      assert.equal(outcome.first, alone.first, `${name}: its result differs from the one a worker computed alone`);
    }
  } finally {
    native.setThreads(0);
  }
});
