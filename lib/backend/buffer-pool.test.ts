// The "workbook" backend's output-buffer pool (buffer-pool.ts): buffers are reused once tfjs disposes
// their tensor, and never while a dataSync()/data() array, a contiguous slice or a reshape may still
// see them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf, useBackend, nativeKernels, workbookTuning } from "./index";
import { BufferPool, PooledBackendCPU } from "./buffer-pool";

const skip = nativeKernels ? false : "native addon not built";
const N = 4096; // above the pool's minimum size

function backend(): PooledBackendCPU {
  const b = tf.backend();
  assert.ok(b instanceof PooledBackendCPU, "the workbook backend is a PooledBackendCPU");
  return b;
}

/** The ArrayBuffer behind a tensor's values on the workbook backend. */
function bufferOf(t: tf.Tensor): ArrayBufferLike {
  return (backend().data.get(t.dataId).values as Float32Array).buffer;
}

/** Runs many same-sized kernels whose outputs are disposed at once, so freed buffers get refilled. */
function churn(x: tf.Tensor): void {
  for (let i = 0; i < 20; i++) tf.tidy(() => tf.relu(tf.mul(x, -1 - i)).add(i));
}

test("a disposed output's buffer is reused by the next output of its size", { skip }, async () => {
  await useBackend("workbook");
  workbookTuning.pool = true;
  const x = tf.randomNormal([N], 0, 1, "float32", 1);
  const a = tf.relu(x);
  const buffer = bufferOf(a);
  a.dispose();
  const b = tf.relu(x);
  assert.equal(bufferOf(b), buffer, "the second relu writes into the first one's buffer");
  tf.dispose([x, b]);
});

test("arrays from dataSync() and data() keep their values after the tensor is disposed", { skip }, async () => {
  await useBackend("workbook");
  workbookTuning.pool = true;
  const x = tf.randomNormal([N], 0, 1, "float32", 2);
  const a = tf.relu(x);
  const b = tf.relu(x.neg());
  const viewA = a.dataSync() as Float32Array;
  const viewB = (await b.data()) as Float32Array;
  const [copyA, copyB] = [viewA.slice(), viewB.slice()];
  const [bufA, bufB] = [bufferOf(a), bufferOf(b)];
  tf.dispose([a, b]);
  churn(x);
  const c = tf.relu(x);
  assert.notEqual(bufferOf(c), bufA, "a buffer read through dataSync() must not be reused");
  assert.notEqual(bufferOf(c), bufB, "a buffer read through data() must not be reused");
  assert.deepEqual(viewA, copyA, "dataSync() array changed after its tensor was disposed");
  assert.deepEqual(viewB, copyB, "data() array changed after its tensor was disposed");
  tf.dispose([x, c]);
});

test("a contiguous slice and a reshape keep the buffer out of the pool until they are disposed", { skip }, async () => {
  await useBackend("workbook");
  workbookTuning.pool = true;
  const x = tf.randomNormal([4, N / 4], 0, 1, "float32", 3);
  const a = tf.relu(x);
  const slice = tf.slice(a, [1, 0], [2, N / 4]); // contiguous: tfjs makes it a view of a's values
  const reshaped = a.reshape([N]);
  assert.equal(bufferOf(slice), bufferOf(a), "tfjs's contiguous slice is a view of the same buffer (the case under test)");
  const expectSlice = Array.from(
    x
      .slice([1, 0], [2, N / 4])
      .relu()
      .dataSync(),
  );
  const expectReshaped = Array.from(x.reshape([N]).relu().dataSync());
  const buffer = bufferOf(a);
  a.dispose();
  churn(x);
  // reading through dataSync would protect the buffer itself: compare the backend's values instead
  const own = (t: tf.Tensor) => Array.from(backend().data.get(t.dataId).values as Float32Array);
  assert.deepEqual(own(slice), expectSlice, "slice values changed while the slice was alive");
  assert.deepEqual(own(reshaped), expectReshaped, "reshape values changed while the reshape was alive");
  reshaped.dispose();
  churn(x);
  assert.deepEqual(own(slice), expectSlice, "slice values changed after the reshape was disposed");
  slice.dispose();
  const reused = tf.relu(x);
  assert.equal(bufferOf(reused), buffer, "once the last view is disposed the buffer returns to the pool");
  tf.dispose([x, reused]);
});

test("with the pool off every output gets a new buffer", { skip }, async () => {
  await useBackend("workbook");
  workbookTuning.pool = false;
  try {
    const x = tf.randomNormal([N], 0, 1, "float32", 4);
    const a = tf.relu(x);
    const buffer = bufferOf(a);
    a.dispose();
    const b = tf.relu(x);
    assert.notEqual(bufferOf(b), buffer);
    tf.dispose([x, b]);
  } finally {
    workbookTuning.pool = true;
  }
});

test("kernels that get a reused (dirty) buffer overwrite all of it: matMul and conv2d equal tfjs CPU's", { skip }, async () => {
  await useBackend("workbook");
  workbookTuning.pool = true;
  const a = tf.randomUniform([64, 96], 0.1, 1, "float32", 7);
  const b = tf.randomUniform([96, 64], 0.1, 1, "float32", 8);
  const x = tf.randomUniform([2, 8, 8, 4], 0.1, 1, "float32", 9);
  const w = tf.randomUniform([3, 3, 4, 64], 0.1, 1, "float32", 10);
  // leave buffers of the outputs' sizes (64 x 64 and 2 x 8 x 8 x 64) full of NaN in the pool
  tf.dispose([tf.fill([64, 64], NaN).add(0), tf.fill([2, 8, 8, 64], NaN).add(0)]);
  const product = tf.matMul(a, b);
  const conv = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same");
  const ours = [Array.from(backend().data.get(product.dataId).values as Float32Array), Array.from(backend().data.get(conv.dataId).values as Float32Array)];
  await useBackend("cpu");
  const cpu = [Array.from(tf.matMul(a, b).dataSync()), Array.from(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same").dataSync())];
  await useBackend("workbook");
  // CS231n relative error max |x - y| / max(1e-8, |x| + |y|) < 1e-5 (NaN fails it); inputs in [0.1, 1)
  // keep sums away from cancellation, so float32 rounding stays far below the threshold
  ours.forEach((o, k) => {
    const worst = o.reduce((m, v, i) => Math.max(m, Math.abs(v - cpu[k][i]) / Math.max(1e-8, Math.abs(v) + Math.abs(cpu[k][i]))), 0);
    assert.ok(worst < 1e-5, `${k === 0 ? "matMul" : "conv2d"}: relative error ${worst} against tfjs CPU`);
  });
  tf.dispose([a, b, x, w, product, conv]);
});

test("when the pool is full, the sizes used longest ago give way: a validation pass's large buffers do not keep training's out", () => {
  const [large, small] = [4096, 2048];
  const pool = new BufferPool(4 * large * 4); // room for four large buffers
  const handOut = (n: number): Float32Array => {
    const values = pool.alloc(n, false);
    pool.retain(values);
    return values;
  };
  // A validation pass fills the pool with its sizes, then training releases a batch's outputs.
  for (const values of [1, 2, 3, 4].map(() => handOut(large))) pool.release(values);
  assert.equal(pool.freeBytes, pool.maxFreeBytes, "four large buffers fill the pool");
  const trainingOutputs = [handOut(small), handOut(small)];
  for (const values of trainingOutputs) pool.release(values);
  assert.ok(pool.freeBytes <= pool.maxFreeBytes, `free bytes ${pool.freeBytes} over the limit ${pool.maxFreeBytes}`);
  const before = pool.stats.reused;
  const again = [handOut(small), handOut(small)];
  assert.equal(pool.stats.reused - before, 2, "both training outputs came from the pool, not from fresh allocations");
  assert.deepEqual(new Set(again), new Set(trainingOutputs), "the released training buffers were the ones reused");
  // A large buffer that was kept is still served.
  assert.equal(pool.alloc(large, false).length, large);
  assert.equal(pool.stats.reused - before, 3, "a large buffer was still free");
});
