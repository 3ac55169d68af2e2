import { test } from "node:test";
import assert from "node:assert/strict";
import { CaptioningRNN } from "./captioning-rnn";
import { trainCaptioningRNN } from "./captioning-solver";
import { randomProjectionFeatures } from "./image-features";
import { digitStrips } from "./digit-strips";
import { Vocabulary } from "../text/vocabulary";
import { NDArray } from "../ndarray";
import { loadMnist } from "../data";

// CS231n's overfitting check: 50 captions, 100 Adam iterations (50 epochs of 2 batches of 25,
// lr decayed by 0.95 per epoch). Sizes are smaller than CS231n's (D 512, W 256, H 512) to keep
// the float64 test fast, with Adam's learning rate 1e-2 instead of 5e-3 to make up for it.
// Thresholds as CS231n: final loss below 0.1 (RNN) and below 0.5 (LSTM).
const strips = digitStrips(loadMnist({ seed: 0, validationSize: 1000 }).train, { count: 50, seed: 0 });
const vocab = Vocabulary.fromCaptions(strips.captions);
const rows = vocab.encode(strips.captions);
const captions = new NDArray([50, rows[0].length], Float64Array.from(rows.flat()));
const features = randomProjectionFeatures(strips, 128, 0);

for (const [cellType, threshold] of [
  ["rnn", 0.1],
  ["lstm", 0.5],
] as const) {
  test(`overfitting 50 digit-strip captions in 100 iterations: ${cellType} loss < ${threshold}`, () => {
    const model = new CaptioningRNN({ wordToIdx: vocab.wordToIdx, inputDim: 128, wordvecDim: 64, hiddenDim: 128, cellType, seed: 0 });
    const { lossHistory, iterations } = trainCaptioningRNN(model, features, captions, { numEpochs: 50, batchSize: 25, learningRate: 1e-2, lrDecay: 0.95, printEvery: 0 });
    assert.equal(iterations, 100);
    const final = lossHistory[lossHistory.length - 1];
    assert.ok(lossHistory[0] > 5, `initial loss ${lossHistory[0]}`);
    assert.ok(final < threshold, `final loss ${final} (initial ${lossHistory[0]})`);
    // the memorised captions come back from greedy sampling
    const sampled = vocab.decode(model.sample(features, 6).toArray() as number[][]);
    const correct = sampled.filter((s, i) => s === strips.captions[i]).length;
    assert.ok(correct >= 45, `${correct} / 50 captions reproduced`);
  });
}
