// The training speed-ups give the results of the plain path: the fused conv + bias + relu layer and
// its registered gradient (fused-conv.ts), and the output-buffer pool (buffer-pool.ts).
// Relative error as CS231n defines it: max |x - y| / max(1e-8, |x| + |y|).
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf, useBackend, nativeKernels, workbookTuning, FusedAdamOptimizer, registerFusedConvGradient, type WorkbookBackendName } from "./index";
import { loadMnist, take } from "../data";
import { buildModel, referenceSpec, train, evaluate } from "../cnn";

const skip = nativeKernels ? false : "native addon not built";

function relError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assert.equal(x.length, y.length, "relError: lengths differ");
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1e-8, Math.abs(x[i]) + Math.abs(y[i])));
  return worst;
}

type Grads = { y: Float32Array; dx: Float32Array; dw: Float32Array; db: Float32Array };

/** y = act(conv(x, w) + b) and the gradients of sum(y * r), fused (FusedConv2D under the tape) or as tfjs-layers runs it in training. */
function convGrads(fused: boolean, activation: "relu" | "linear", strides: number, pad: "same" | "valid"): Grads {
  const x = tf.randomNormal<tf.Rank.R4>([3, 9, 8, 4], 0, 1, "float32", 11);
  const w = tf.randomNormal<tf.Rank.R4>([3, 3, 4, 8], 0, 0.5, "float32", 12);
  const b = tf.randomNormal<tf.Rank.R1>([8], 0, 0.5, "float32", 13);
  const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor): tf.Tensor => {
    if (fused) return tf.engine().runKernel<tf.Tensor>(tf.FusedConv2D, { x: xx, filter: ww, bias: bb }, { strides: [strides, strides], pad, dataFormat: "NHWC", dilations: [1, 1], activation });
    const z = tf.add(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, strides, pad), bb);
    return activation === "relu" ? tf.relu(z) : z;
  };
  const y = f(x, w, b);
  const r = tf.randomNormal(y.shape, 0, 1, "float32", 14);
  const [dx, dw, db] = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx, ww, bb), r)))([x, w, b]);
  const out = { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array, db: db.dataSync() as Float32Array };
  tf.dispose([x, w, b, y, r, dx, dw, db]);
  return out;
}

for (const backend of ["workbook", "cpu"] as WorkbookBackendName[]) {
  test(`FusedConv2D's registered gradient equals the unfused conv + add + relu gradient on "${backend}" (relative error < 1e-5)`, { skip: backend === "workbook" ? skip : false }, async () => {
    await useBackend(backend);
    registerFusedConvGradient();
    for (const [activation, strides, pad] of [
      ["relu", 1, "same"],
      ["relu", 2, "valid"],
      ["linear", 1, "valid"],
    ] as const) {
      const plain = convGrads(false, activation, strides, pad);
      const fused = convGrads(true, activation, strides, pad);
      for (const k of ["y", "dx", "dw", "db"] as const) {
        const e = relError(fused[k], plain[k]);
        assert.ok(e < 1e-5, `${k} (${activation}, stride ${strides}, ${pad}) on ${backend}: relative error ${e} >= 1e-5`);
      }
    }
    await useBackend("workbook").catch(() => undefined);
  });
}

/** Losses of a few batches of the reference CNN from seed 0, then its test loss and accuracy on 1000 digits. */
async function trainReference(tuning: { pool: boolean; fusedConv: boolean }, mnist: ReturnType<typeof loadMnist>): Promise<{ losses: number[]; testLoss: number; accuracy: number }> {
  Object.assign(workbookTuning, tuning);
  const model = buildModel(referenceSpec(), { seed: 0 });
  const optimizer = new FusedAdamOptimizer(1e-3);
  const history = await train(model, { train: take(mnist.train, 64 * 12) }, { epochs: 1, batchSize: 64, seed: 3, display: false, optimizer });
  const result = evaluate(model, take(mnist.test, 1000));
  optimizer.dispose();
  model.dispose();
  return { losses: history.batchLoss, testLoss: result.loss, accuracy: result.accuracy };
}

test("the reference CNN trains to the same losses and accuracy with the pool and fused convolutions as without (relative error < 1e-5)", { skip }, async () => {
  await useBackend("workbook");
  const mnist = loadMnist({ seed: 0 });
  try {
    const plain = await trainReference({ pool: false, fusedConv: false }, mnist);
    const fast = await trainReference({ pool: true, fusedConv: true }, mnist);
    assert.equal(fast.losses.length, 12);
    const e = relError(fast.losses, plain.losses);
    assert.ok(e < 1e-5, `batch losses: relative error ${e} >= 1e-5 (plain ${plain.losses.slice(-3)}, fast ${fast.losses.slice(-3)})`);
    assert.ok(relError([fast.testLoss], [plain.testLoss]) < 1e-5, `test loss ${fast.testLoss} vs ${plain.testLoss}`);
    assert.equal(fast.accuracy, plain.accuracy, "test accuracy on 1000 digits");
    assert.ok(plain.losses[11] < plain.losses[0], "the run trains (loss falls), so the comparison is not between two untrained models");
  } finally {
    Object.assign(workbookTuning, { pool: true, fusedConv: true });
  }
});

test("with fusedConv on, a training step of a conv layer runs FusedConv2D and no separate bias add or relu", { skip }, async () => {
  await useBackend("workbook");
  const model = buildModel(referenceSpec(), { seed: 0 });
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 5);
  const kernels = async (fused: boolean): Promise<string[]> => {
    workbookTuning.fusedConv = fused;
    const profile = await tf.profile(() => tf.variableGrads(() => (model.apply(x, { training: true }) as tf.Tensor).sum<tf.Scalar>()).value);
    return profile.kernels.map((k) => k.name);
  };
  try {
    const fused = await kernels(true);
    const plain = await kernels(false);
    assert.ok(fused.includes(tf.FusedConv2D) && !fused.includes(tf.Conv2D), `fused path kernels: ${fused.join(", ")}`);
    assert.ok(plain.includes(tf.Conv2D) && !plain.includes(tf.FusedConv2D), `plain path kernels: ${plain.join(", ")}`);
    assert.ok(fused.filter((k) => k === tf.Relu).length < plain.filter((k) => k === tf.Relu).length, "fewer separate Relu kernels when fused");
  } finally {
    workbookTuning.fusedConv = true;
    tf.dispose(x);
    model.dispose();
  }
});
