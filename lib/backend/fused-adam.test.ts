// FusedAdamOptimizer (one native pass per weight) against tfjs's AdamOptimizer (about ten kernels
// per weight), on the "workbook" backend: the same weights and moments after 25 steps, and the same
// losses training the lecture's reference CNN on MNIST batches. Relative error is CS231n's,
// max |x - y| / max(1e-8, |x| + |y|); thresholds: 1e-5 on weights and moments (float32 rounding of
// the fused kernel's multiply-adds), 1e-4 on CNN losses (5 steps of a full network amplify it).
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf, useBackend, nativeKernels, FusedAdamOptimizer } from "./index";
import { seededRandom } from "../data/random";
import { loadMnist, take } from "../data";
import { buildModel, referenceSpec, train } from "../cnn";

function relError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assert.equal(x.length, y.length, "sizes differ");
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1e-8, Math.abs(x[i]) + Math.abs(y[i])));
  return worst;
}

function signed(n: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  return Float32Array.from({ length: n }, () => rand() * 2 - 1);
}

/** 25 Adam steps on a least-squares loss sum((x W + b - y)^2); returns W, b, and the optimizer's weights (m, v, iterations). */
async function run(optimizer: tf.Optimizer, tag: string): Promise<Float32Array[]> {
  const W = tf.variable(tf.tensor2d(signed(13 * 7, 1), [13, 7]), true, `W_${tag}`);
  const b = tf.variable(tf.tensor1d(signed(7, 2)), true, `b_${tag}`);
  const x = tf.tensor2d(signed(20 * 13, 3), [20, 13]);
  const y = tf.tensor2d(signed(20 * 7, 4), [20, 7]);
  for (let step = 0; step < 25; step++) {
    optimizer.minimize(() => tf.sum<tf.Scalar>(tf.square(tf.sub(tf.add(tf.matMul(x, W), b), y))));
  }
  const state = await optimizer.getWeights();
  const out = [W.dataSync().slice() as Float32Array, b.dataSync().slice() as Float32Array, ...state.map((s) => s.tensor.dataSync().slice() as Float32Array)];
  tf.dispose([W, b, x, y]);
  optimizer.dispose();
  return out;
}

test("FusedAdamOptimizer gives tfjs Adam's weights and moments after 25 steps (rel. error < 1e-5)", async (t) => {
  if (!nativeKernels) return t.skip("the native addon is not built");
  await useBackend("workbook");
  const reference = await run(tf.train.adam(0.01), "ref");
  const fused = await run(new FusedAdamOptimizer(0.01), "fused");
  assert.equal(fused.length, reference.length); // W, b, iterations, then m and v of W and b
  assert.equal(fused.length, 7);
  for (let i = 0; i < fused.length; i++) assert.ok(relError(fused[i], reference[i]) < 1e-5, `array ${i}: rel. error ${relError(fused[i], reference[i])}`);
  // the weights did move (25 steps of lr 0.01), so the comparison is not of two untouched copies
  assert.ok(relError(fused[0], signed(13 * 7, 1)) > 1e-3);
});

test("FusedAdamOptimizer runs one native kernel per weight instead of tfjs's chain", async (t) => {
  if (!nativeKernels) return t.skip("the native addon is not built");
  await useBackend("workbook");
  const count = async (optimizer: tf.Optimizer, tag: string): Promise<number> => {
    const w = tf.variable(tf.tensor1d(signed(100, 5)), true, `w_${tag}`);
    const g = tf.tensor1d(signed(100, 6));
    optimizer.applyGradients({ [w.name]: g }); // first step creates m and v
    const info = await tf.profile(() => optimizer.applyGradients({ [w.name]: g }));
    tf.dispose([w, g]);
    optimizer.dispose();
    return info.kernels.length;
  };
  const unfused = await count(tf.train.adam(0.01), "ref");
  const fused = await count(new FusedAdamOptimizer(0.01), "fused");
  // tfjs: ~13 kernels per weight plus the beta powers; ours: only the two beta-power multiplies
  assert.ok(fused <= 2 && unfused >= 10, `kernels per step: fused ${fused}, tfjs ${unfused}`);
});

test("Training the reference CNN with FusedAdamOptimizer gives tfjs Adam's losses (5 MNIST batches, rel. error < 1e-4)", async (t) => {
  if (!nativeKernels) return t.skip("the native addon is not built");
  await useBackend("workbook");
  const mnist = loadMnist({ seed: 0 });
  const data = { train: take(mnist.train, 5 * 32) };
  const losses = async (optimizer: tf.Optimizer): Promise<number[]> => {
    const model = buildModel(referenceSpec(), { seed: 0 });
    const out: number[] = [];
    await train(model, data, {
      epochs: 1,
      batchSize: 32,
      display: false,
      seed: 1,
      optimizer,
      onBatch: ({ loss }) => {
        out.push(loss);
      },
    });
    model.dispose();
    optimizer.dispose();
    return out;
  };
  const reference = await losses(tf.train.adam(1e-3));
  const fused = await losses(new FusedAdamOptimizer(1e-3));
  assert.equal(fused.length, 5);
  assert.ok(relError(fused, reference) < 1e-4, `losses fused ${fused} vs tfjs ${reference}`);
  assert.ok(reference[4] !== reference[0], "the loss moved");
});

test("FusedAdamOptimizer updates a weight in place only when nothing else can see its values", { skip: nativeKernels ? false : "native addon not built" }, async () => {
  await useBackend("workbook");
  const backendValues = (t: tf.Tensor) => (tf.backend() as unknown as { data: { get(id: tf.DataId): { values: Float32Array } } }).data.get(t.dataId).values;
  const W = tf.variable(tf.tensor2d(signed(64 * 32, 5), [64, 32]), true, "W_inplace");
  const x = tf.tensor2d(signed(8 * 64, 6), [8, 64]);
  const optimizer = new FusedAdamOptimizer(1e-2);
  const step = () => optimizer.minimize(() => tf.sum<tf.Scalar>(tf.square(tf.matMul(x, W))));
  step(); // the first step moves W onto a pooled buffer of its own
  step();
  const buffer = backendValues(W).buffer;
  step();
  assert.equal(backendValues(W).buffer, buffer, "with nothing holding W, the step writes into W's own buffer");
  // a clone shares W's data entry: the step must leave the clone's values alone
  const snapshot = tf.clone(W);
  const before = Float32Array.from(backendValues(snapshot));
  step();
  assert.deepEqual(backendValues(snapshot), before, "a clone taken before the step changed");
  assert.notDeepEqual(backendValues(W), before, "W itself moved");
  snapshot.dispose();
  // an array handed out by dataSync must keep its values
  const handed = W.dataSync() as Float32Array;
  const copy = Float32Array.from(handed);
  step();
  assert.deepEqual(handed, copy, "an array from dataSync changed after the step");
  tf.dispose([W, x]);
  optimizer.dispose();
});
