import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { tf, backendReady } from "../backend";
import { loadMnist, take, seededRandom } from "../data";
import { setDisplayHost, DisplayHost, Comm, isDisplayable, JUPYTER_DISPLAY } from "../display";
import { buildModel, train, evaluate, saveWeights, loadWeights, loadModel, shiftImages, CnnSpec } from "./index";

// A small CNN so these tests stay fast (a few seconds): conv 3x3x8 same, pool 2, dense 10.
const small: CnnSpec = {
  input: [28, 28, 1],
  layers: [
    { type: "conv", filters: 8, kernel: 3, padding: "same", activation: "relu" },
    { type: "pool", size: 2 },
    { type: "flatten" },
    { type: "dropout", rate: 0.1 },
    { type: "dense", units: 10, activation: "softmax" },
  ],
  l2: 1e-4,
};
const mnist = loadMnist({ seed: 0 });
const data = { train: take(mnist.train, 1024), validation: take(mnist.validation, 500) };

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => Float32Array.from(w.dataSync()));
}

test("a tiny training run learns: loss falls and validation accuracy beats chance by far", async () => {
  await backendReady;
  const model = buildModel(small, { seed: 1 });
  const history = await train(model, data, { epochs: 2, batchSize: 32, learningRate: 3e-3, display: false, augment: { shift: 1 } });
  assert.equal(history.stoppedBy, "completed");
  assert.equal(history.batches, 64);
  const first = history.batchLoss.slice(0, 5).reduce((a, b) => a + b) / 5;
  const last = history.batchLoss.slice(-5).reduce((a, b) => a + b) / 5;
  assert.ok(last < 0.6 * first, `loss should fall: first batches ${first}, last ${last}`);
  const acc = history.epochs[1].valAccuracy ?? 0;
  assert.ok(acc > 0.75, `validation accuracy ${acc} after 2 epochs on 1024 digits should exceed 0.75`);
  assert.ok(Math.abs(evaluate(model, data.validation).accuracy - acc) < 1e-9);
});

test("an interrupt stops training before the next batch and keeps the weights learned so far", async () => {
  const model = buildModel(small, { seed: 2 });
  const before = weightsOf(model);
  let checks = 0;
  const shown: string[] = [];
  let lastBundle: Record<string, unknown> = {};
  const host: DisplayHost = {
    display: (value, options) => {
      shown.push(options?.displayId ?? "");
      lastBundle = isDisplayable(value) ? value[JUPYTER_DISPLAY]() : {};
    },
    clearOutput: () => undefined,
    // the user presses interrupt while the third batch runs
    interruptRequested: () => ++checks > 3,
    openComm: (): Comm => {
      throw new Error("no comms in this test");
    },
    registerCommTarget: () => undefined,
  };
  setDisplayHost(host);
  try {
    const history = await train(model, data, { epochs: 3, batchSize: 32 });
    assert.equal(history.stoppedBy, "interrupted");
    assert.equal(history.batches, 3);
    assert.equal(checks, 4);
  } finally {
    setDisplayHost(undefined);
  }
  assert.ok(shown.length >= 1 && shown.every((id) => id === shown[0] && id !== ""), "one updating display");
  // the display is a live Plotly loss plot whose title is the progress line
  assert.ok("application/vnd.plotly.v1+json" in lastBundle);
  assert.match(String(lastBundle["text/plain"]), /epoch 1\/3 .* 3\/32 .*\(interrupted: weights kept\)/);
  const after = weightsOf(model);
  assert.ok(
    after.some((w, i) => w.some((v, j) => v !== before[i][j])),
    "the three batches' updates are kept",
  );
});

test("early stopping restores the weights of the best validation epoch", async () => {
  const model = buildModel(small, { seed: 3 });
  let endOfEpoch1: Float32Array[] = [];
  const perEpoch = 1024 / 64;
  // minDelta 100: no epoch can improve enough, so it stops after epoch 1 + patience 1
  const history = await train(model, data, {
    epochs: 5,
    batchSize: 64,
    display: false,
    earlyStopping: { patience: 1, minDelta: 100 },
    onBatch: ({ epoch, batch }) => {
      if (epoch === 1 && batch === perEpoch) endOfEpoch1 = weightsOf(model);
    },
  });
  assert.equal(history.stoppedBy, "earlyStopping");
  assert.equal(history.epochs.length, 2);
  assert.equal(history.bestEpoch, 1);
  assert.deepEqual(weightsOf(model), endOfEpoch1);
});

test("saveWeights / loadWeights / loadModel round trip, and a mismatched model is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "dl-workbook-weights-"));
  try {
    const model = buildModel(small, { seed: 4 });
    await saveWeights(model, dir);
    const other = buildModel(small, { seed: 5 });
    await loadWeights(other, dir);
    assert.deepEqual(weightsOf(other), weightsOf(model));
    const x = tf.tensor4d(data.validation.images.subarray(0, 4 * 784), [4, 28, 28, 1]);
    const loaded = await loadModel(dir);
    assert.deepEqual(Array.from((loaded.predict(x) as tf.Tensor).dataSync()), Array.from((model.predict(x) as tf.Tensor).dataSync()));
    const wider = buildModel({ ...small, layers: [{ type: "conv", filters: 6, kernel: 3, padding: "same", activation: "relu" }, ...small.layers.slice(1)] });
    await assert.rejects(loadWeights(wider, dir), /weight 0 .* has shape \[3, 3, 1, 6\] in the model but \[3, 3, 1, 8\]/);
    await assert.rejects(loadWeights(model, join(dir, "missing")), /cannot read a saved model in ".*missing"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("shiftImages moves each digit by at most maxShift pixels and fills with zeros", () => {
  const image = new Float32Array(5 * 5);
  image[2 * 5 + 2] = 1; // a dot in the middle
  const batch = new Float32Array(50 * 25);
  for (let i = 0; i < 50; i++) batch.set(image, i * 25);
  shiftImages(batch, 5, 5, 1, seededRandom(1));
  const offsets = new Set<number>();
  for (let i = 0; i < 50; i++) {
    const img = batch.subarray(i * 25, (i + 1) * 25);
    const at = img.indexOf(1);
    assert.equal(
      img.reduce((a, b) => a + b),
      1,
    );
    const [y, x] = [Math.floor(at / 5), at % 5];
    assert.ok(Math.abs(y - 2) <= 1 && Math.abs(x - 2) <= 1);
    offsets.add(at);
  }
  assert.ok(offsets.size > 5, "several different shifts occur");
});
