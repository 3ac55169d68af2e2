// The native kernels flush denormal floats (below 1.2e-38) to zero while they run, since denormals
// cost x86 cores about a hundred cycles per operation late in training; JavaScript on the same
// thread keeps IEEE denormals after every call (native/gemm.h's FlushDenormals restores the mode).
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf, useBackend, nativeKernels } from "./index";

const skip = nativeKernels ? false : "native addon not built";
const N = 4096; // large enough that Multiply runs on the native addon

test("a native kernel flushes denormal results to zero, where tfjs's CPU backend keeps them", { skip }, async () => {
  const run = async (backend: string): Promise<Float32Array> => {
    await useBackend(backend);
    const a = tf.fill([N], 1e-20);
    const product = tf.mul(a, a); // 1e-40: a float32 denormal
    const values = product.dataSync() as Float32Array;
    tf.dispose([a, product]);
    return values;
  };
  const cpu = await run("cpu");
  assert.ok(cpu[0] > 0 && cpu[0] < 1.2e-38, `tfjs CPU keeps the denormal (got ${cpu[0]})`);
  const workbook = await run("workbook");
  assert.ok(
    workbook.every((x) => x === 0),
    `the native Multiply flushes it (got ${workbook[0]})`,
  );
});

test("JavaScript keeps IEEE denormals after native kernels ran on its thread", { skip }, async () => {
  await useBackend("workbook");
  const x = tf.randomNormal([64, 64], 0, 1, "float32", 3);
  tf.dispose([tf.matMul(x, x), tf.mul(x, x), x]);
  // the smallest normal double, from a string so that nothing is folded at compile time
  const smallestNormal = Number(["2.2250738585072014e-308"][0]);
  const quarter = smallestNormal / 4;
  assert.ok(quarter > 0, "a denormal double result was flushed to zero: the thread's floating-point mode was not restored");
  assert.ok(new Float32Array([1e-40])[0] > 0, "a denormal float32 was flushed on the JavaScript thread");
});
