import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  SgdOptimizer,
  SgdMomentumOptimizer,
  NesterovOptimizer,
  AdagradOptimizer,
  RmspropOptimizer,
  AdamOptimizer,
  AdamwOptimizer,
  AdamLectureOptimizer,
  WorkbookOptimizer,
  adamLecture,
  adamw,
  AdamConfig,
} from "./index";
import { relError } from "../gradcheck";
import { rng, NDArray } from "../ndarray";

const STEPS = 5;
const w0 = rng(11).randn(3, 4);
const target = rng(12).randn(3, 4);

/** Minimizes sum((w - target)^3 ... ) a non-quadratic loss for STEPS steps and returns w. */
function runTf(optimizer: tf.Optimizer): NDArray {
  const w = tf.variable(tf.tensor(Array.from(w0.data), w0.shape, "float32"));
  const t = tf.tensor(Array.from(target.data), target.shape, "float32");
  for (let step = 0; step < STEPS; step++) {
    // loss = sum((w - target)^2) + 0.1 sum(w^4): gradients change from step to step
    optimizer.minimize(() => tf.add<tf.Scalar>(tf.sum(tf.square(tf.sub(w, t))), tf.mul(0.1, tf.sum(tf.pow(w, 4)))));
  }
  const out = new NDArray(w0.shape, Float64Array.from(w.dataSync()));
  w.dispose();
  t.dispose();
  optimizer.dispose();
  return out;
}

const pairs: [string, () => tf.Optimizer, () => tf.Optimizer][] = [
  ["sgd", () => new SgdOptimizer({ learningRate: 0.05 }), () => tf.train.sgd(0.05)],
  ["sgdMomentum", () => new SgdMomentumOptimizer({ learningRate: 0.05, momentum: 0.9 }), () => tf.train.momentum(0.05, 0.9)],
  ["nesterov", () => new NesterovOptimizer({ learningRate: 0.05, momentum: 0.9 }), () => tf.train.momentum(0.05, 0.9, true)],
  ["adagrad", () => new AdagradOptimizer({ learningRate: 0.1, initialCache: 0.1 }), () => tf.train.adagrad(0.1, 0.1)],
  ["rmsprop", () => new RmspropOptimizer({ learningRate: 0.01, decayRate: 0.9, epsilon: 1e-7 }), () => tf.train.rmsprop(0.01, 0.9, 0, 1e-7)],
  ["adam", () => new AdamOptimizer({ learningRate: 0.01, epsilon: 1e-7 }), () => tf.train.adam(0.01, 0.9, 0.999, 1e-7)],
];

for (const [name, ours, theirs] of pairs) {
  test(`${name} as a tfjs optimizer matches tf.train's rule over ${STEPS} steps (rel error <= 1e-5)`, () => {
    const a = runTf(ours());
    const b = runTf(theirs());
    const e = relError(a, b);
    assert.ok(e <= 1e-5, `rel error ${e}`);
    assert.ok(relError(a, w0) > 1e-3, "the weights moved");
  });
}

test("AdamW and the slide's Adam as tfjs optimizers match the float64 rules (rel error <= 1e-5)", () => {
  for (const [opt, rule] of [
    [new AdamwOptimizer({ learningRate: 0.01, weightDecay: 0.1 }), adamw],
    [new AdamLectureOptimizer({ learningRate: 0.01 }), adamLecture],
  ] as const) {
    const got = runTf(opt);
    let w = w0;
    let config: Partial<AdamConfig> & { weightDecay?: number } = { learningRate: 0.01, weightDecay: 0.1 };
    for (let step = 0; step < STEPS; step++) {
      // d/dw [sum((w - t)^2) + 0.1 sum(w^4)] = 2 (w - t) + 0.4 w^3
      const dw = w.sub(target).mul(2).add(w.pow(3).mul(0.4));
      ({ nextW: w, config } = rule(w, dw, config));
    }
    const e = relError(got, w);
    assert.ok(e <= 1e-5, `${opt.getClassName()}: rel error ${e}`);
  }
});

test("the tfjs optimizers train a model through model.compile, save their state, and serialize", async () => {
  const r = rng(21);
  const xs = tf.tensor2d(Array.from(r.randn(64, 3).data), [64, 3]);
  const ys = tf.tensor2d(Array.from(r.randn(64, 1).data), [64, 1]);
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: "tanh", kernelInitializer: "glorotUniform" }), tf.layers.dense({ units: 1 })] });
  const optimizer = new AdamOptimizer({ learningRate: 0.02 });
  model.compile({ optimizer, loss: "meanSquaredError" });
  const history = await model.fit(xs, ys, { epochs: 15, batchSize: 64, verbose: 0 });
  const losses = history.history.loss as number[];
  assert.ok(losses[losses.length - 1] < losses[0], `loss went from ${losses[0]} to ${losses[losses.length - 1]}`);
  assert.equal(optimizer.iterations, 15);
  const weights = await optimizer.getWeights();
  assert.equal(weights.length, 1 + 2 * 4, "iterations + m and v for 2 kernels and 2 biases");
  // serialization round trip through tfjs's registry
  const json = optimizer.getConfig();
  const registered = tf.serialization.SerializationMap.getMap().classNameMap["WorkbookAdam"];
  assert.ok(registered, "WorkbookAdam is registered");
  const [cls, fromConfig] = registered;
  const again = fromConfig(cls, json) as WorkbookOptimizer;
  assert.ok(again instanceof AdamOptimizer);
  assert.equal(again.learningRate, 0.02);
  const restored = new AdamOptimizer({ learningRate: 0.02 });
  await restored.setWeights(weights);
  assert.equal(restored.iterations, 15);
  model.dispose();
  xs.dispose();
  ys.dispose();
  optimizer.dispose();
  restored.dispose();
});
