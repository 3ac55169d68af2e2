// Memory of the "workbook" backend outside tfjs's tensor tracking. Output buffers used to come from
// a pool refilled by Node-API finalizers, which Node runs only from a setImmediate after GC: a
// synchronous training loop never gave one back, and RSS grew by each step's activations
// (hundreds of MB per batch) while tf.memory() stayed flat.
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf, useBackend, nativeKernels } from "./index";

test("synchronous conv training steps on the workbook backend keep RSS bounded", { skip: nativeKernels ? false : "native addon not built" }, async () => {
  await useBackend("workbook");
  // A small CNN step on digit-strip-sized images: about 18 MB of activations and gradients per step.
  const x = tf.randomNormal<tf.Rank.R4>([16, 28, 112, 1], 0, 1, "float32", 1);
  const w1 = tf.variable(tf.randomNormal<tf.Rank.R4>([3, 3, 1, 16], 0, 0.1, "float32", 2));
  const w2 = tf.variable(tf.randomNormal<tf.Rank.R4>([3, 3, 16, 16], 0, 0.1, "float32", 3));
  const loss = (): tf.Scalar => {
    const h1 = tf.relu(tf.conv2d(x, w1, 1, "same"));
    const h2 = tf.relu(tf.conv2d(h1, w2, 1, "same"));
    return tf.maxPool(h2, 2, 2, "valid").sum();
  };
  const optimizer = tf.train.sgd(1e-6);
  const step = (): void => tf.tidy(() => optimizer.applyGradients(tf.variableGrads(loss).grads));
  // Warm up (first allocations, JIT), then run steps without yielding to the event loop, as a training loop does.
  for (let i = 0; i < 5; i++) step();
  const before = process.memoryUsage().rss;
  const tensorsBefore = tf.memory().numTensors;
  const steps = 60;
  for (let i = 0; i < steps; i++) step();
  const grownMB = (process.memoryUsage().rss - before) / 1e6;
  assert.equal(tf.memory().numTensors, tensorsBefore, "tensors leaked inside tfjs");
  // With the leak RSS grows by ~18 MB a step (> 1 GB over 60 steps); bounded memory stays far below 300 MB.
  assert.ok(grownMB < 300, `RSS grew by ${grownMB.toFixed(0)} MB over ${steps} synchronous training steps (limit 300 MB): output buffers are not being freed`);
  tf.dispose([x, w1, w2]);
});
