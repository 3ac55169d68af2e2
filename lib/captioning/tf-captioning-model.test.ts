import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { TfCaptioningModel } from "./tf-captioning-model";
import { defaultCaptionEncoder, encoderFromClassifier, tiledEncoder } from "./caption-encoders";
import { generateShapeScenes } from "./shape-scenes";
import { Vocabulary } from "../text/vocabulary";

const scenes = generateShapeScenes({ count: 64, imageSize: 24, seed: 9 });
const vocab = Vocabulary.fromCaptions(scenes.captions);
const encoderWeights = (m: TfCaptioningModel) => m.encoder.getWeights().map((w) => Array.from(w.dataSync()));

for (const freezeEncoder of [true, false]) {
  test(`tfjs captioning model trains with the CNN encoder ${freezeEncoder ? "frozen" : "trainable"}`, () => {
    const model = new TfCaptioningModel({
      vocab,
      imageShape: scenes.imageShape,
      encoder: defaultCaptionEncoder(scenes.imageShape, 16, 1),
      freezeEncoder,
      wordvecDim: 8,
      hiddenDim: 24,
      maxLength: 8,
      learningRate: 0.02,
      seed: 0,
    });
    const before = encoderWeights(model);
    const history = model.train(scenes, { epochs: 6, batchSize: 16, showProgress: false });
    assert.equal(history.length, 6);
    assert.ok(history[5] < 0.7 * history[0], `epoch losses ${history}`);
    const after = encoderWeights(model);
    const changed = before.some((w, i) => w.some((v, j) => v !== after[i][j]));
    assert.equal(changed, !freezeEncoder, freezeEncoder ? "frozen encoder weights changed" : "trainable encoder weights did not change");
    const greedy = model.caption(scenes, { batchSize: 40 });
    assert.equal(greedy.length, 64);
    for (const c of greedy)
      assert.ok(
        c.split(" ").every((w) => w in vocab.wordToIdx),
        c,
      );
    const { bleu, exactMatch } = model.evaluate({ ...scenes, count: 4, images: scenes.images.subarray(0, 4 * 24 * 24 * 3), captions: scenes.captions.slice(0, 4) }, { beamWidth: 2 });
    assert.equal(bleu.bleu.length, 4);
    assert.ok(exactMatch >= 0 && exactMatch <= 1);
    model.dispose();
  });
}

test("an encoder built for other images is refused with both shapes named", () => {
  const encoder = defaultCaptionEncoder([28, 112, 1], 8);
  assert.throws(() => new TfCaptioningModel({ vocab, imageShape: scenes.imageShape, encoder }), /takes images of shape \[28, 112, 1\] but the data's images are \[24, 24, 3\]/);
  encoder.dispose();
  const conv = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [24, 24, 3], filters: 2, kernelSize: 3 })] });
  assert.throws(() => new TfCaptioningModel({ vocab, imageShape: scenes.imageShape, encoder: conv }), /must output features \[N, F\]/);
  conv.dispose();
});

test("an MNIST classifier becomes a strip encoder: class layer cut off, run on every digit slot", () => {
  const cnn = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 5, strides: 3, activation: "relu" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 6, activation: "relu" }),
      tf.layers.dense({ units: 10, activation: "softmax" }),
    ],
  });
  const features = encoderFromClassifier(cnn);
  const strips = tiledEncoder(features, 4);
  assert.deepEqual(strips.outputs[0].shape, [null, 24]);
  const images = tf.randomUniform<tf.Rank.R4>([2, 28, 112, 1], 0, 1, "float32", 3);
  const all = strips.predict(images) as tf.Tensor2D;
  const third = features.predict(tf.slice(images, [0, 0, 56, 0], [2, 28, 28, 1])) as tf.Tensor2D;
  const diff = tf.max(tf.abs(tf.sub(tf.slice(all, [0, 12], [2, 6]), third))).dataSync()[0];
  assert.ok(diff < 1e-6, `tile 3 features differ by ${diff}`);
  const model = new TfCaptioningModel({ vocab, imageShape: [28, 112, 1], encoder: strips, freezeEncoder: true, hiddenDim: 8, wordvecDim: 4 });
  assert.equal(model.featureDim, 24);
  assert.throws(() => encoderFromClassifier(cnn, 3), /outputs shape \[.*\], not features \[N, F\]/);
  tf.dispose([images, all, third]);
  model.dispose();
});

test("captioning an image alone gives the same caption as in a batch (encoder in inference mode)", () => {
  const model = new TfCaptioningModel({
    vocab,
    imageShape: scenes.imageShape,
    encoder: defaultCaptionEncoder(scenes.imageShape, 16, 1),
    wordvecDim: 8,
    hiddenDim: 24,
    maxLength: 8,
    learningRate: 0.02,
    seed: 0,
  });
  model.train(scenes, { epochs: 2, batchSize: 16, showProgress: false });
  const batch = model.caption(scenes, { batchSize: 64 });
  const alone = model.caption(scenes, { batchSize: 1 }).slice(0, 64);
  assert.deepEqual(alone, batch);
  model.dispose();
});
