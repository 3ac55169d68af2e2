import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { TfLstm } from "./tf-lstm";
import { SeededRandom } from "../random/seeded-random";
import { LstmLanguageModel } from "./lstm-language-model";
import { charVocabulary, decodeChars, encodeChars } from "../text/char-vocabulary";
import { Seq2Seq } from "./seq2seq";
import { dateTranslationSplits } from "./date-translation";
import { buildLayersLanguageModel } from "./layers-language-model";
import { NDArray, rng } from "../ndarray";
import { lstmBackward, lstmForward } from "../rnn";
import { relError } from "../gradcheck";

const f64 = (t: tf.Tensor) => new NDArray(t.shape, Float64Array.from(t.dataSync()));

test("TfLstm matches the float64 lstmForward / lstmBackward of dl-workbook/rnn (float32: rel error < 1e-4)", () => {
  const lstm = new TfLstm(3, 5, new SeededRandom(1));
  const x = rng(0).randn(2, 4, 3);
  const dh = rng(1).randn(2, 4, 5);
  const h0 = rng(2).randn(2, 5).mul(0.5);
  const ref = lstmForward(x, h0, f64(lstm.Wx), f64(lstm.Wh), f64(lstm.b));
  const refGrads = lstmBackward(dh, ref.cache);
  const xT = tf.tensor3d(Float32Array.from(x.data), [2, 4, 3]);
  const h0T = tf.tensor2d(Float32Array.from(h0.data), [2, 5]);
  const dhT = tf.tensor3d(Float32Array.from(dh.data), [2, 4, 5]);
  const { hs } = lstm.run(xT, { h: h0T, c: tf.zeros([2, 5]) });
  assert.ok(relError(f64(hs), ref.h) < 1e-4, `h: ${relError(f64(hs), ref.h)}`);
  const { grads } = tf.variableGrads(() => tf.sum<tf.Scalar>(tf.mul(lstm.run(xT, { h: h0T, c: tf.zeros([2, 5]) }).hs, dhT)), lstm.variables);
  assert.ok(relError(f64(grads[lstm.Wx.name]), refGrads.dWx) < 1e-4, "dWx");
  assert.ok(relError(f64(grads[lstm.Wh.name]), refGrads.dWh) < 1e-4, "dWh");
  assert.ok(relError(f64(grads[lstm.b.name]), refGrads.db) < 1e-4, "db");
  assert.throws(() => lstm.run(tf.zeros<tf.Rank.R3>([1, 2, 4])), /feature size 4 but the LSTM was built for inputDim 3/);
  tf.dispose([xT, h0T, dhT, hs, ...Object.values(grads)]);
});

test("LSTM language model learns a repeating text, samples from a seed, and leaks no tensors", () => {
  const text = "the cat sat on the mat. ".repeat(30);
  const vocab = charVocabulary(text);
  const tokens = encodeChars(text, vocab);
  const lm = new LstmLanguageModel({ vocabSize: vocab.size, embeddingDim: 8, hiddenSize: 32, learningRate: 0.03, seed: 1 });
  const before = lm.evaluate(tokens, { parallel: 4, seqLength: 24 });
  assert.ok(Math.abs(before - Math.log(vocab.size)) < 0.5, `untrained loss ${before} vs ln V ${Math.log(vocab.size)}`);
  lm.train(tokens, { steps: 3, batchSize: 8, seqLength: 16 });
  const count = tf.memory().numTensors;
  lm.train(tokens, { steps: 57, batchSize: 8, seqLength: 16 });
  assert.equal(tf.memory().numTensors, count, "tensors leaked while training");
  const after = lm.evaluate(tokens, { parallel: 4, seqLength: 24 });
  assert.ok(after < 0.5 * before, `loss ${before} -> ${after}`);
  const sample = lm.sample(encodeChars("the c", vocab), 20, 0.5);
  assert.equal(sample.length, 20);
  assert.ok(sample.every((t) => t >= 0 && t < vocab.size));
  assert.equal(decodeChars(lm.sample(encodeChars("the c", vocab), 3, 0.05), vocab), "at ");
  assert.equal(lm.sampleText("the m", 3, vocab, 0.05), "the mat.");
  assert.throws(() => lm.sample([], 3), /the seed is empty/);
  lm.dispose();
});

test("seq2seq on dates: teacher-forced loss falls, greedy equals beam width 1, outputs use the target characters", () => {
  const { train, test: held } = dateTranslationSplits({ train: 256, validation: 0, test: 8, seed: 3 });
  const model = Seq2Seq.forPairs(train, { embeddingDim: 8, hiddenSize: 32, learningRate: 0.02, seed: 0 });
  const losses: number[] = [];
  model.train(train, { epochs: 4, batchSize: 64, onEpoch: (_, l) => losses.push(l) });
  assert.equal(losses.length, 4);
  assert.ok(losses[3] < 0.75 * losses[0], `epoch losses ${losses}`);
  const greedy = model.translate(held.map((p) => p.source));
  assert.deepEqual(
    model.translate(
      held.slice(0, 3).map((p) => p.source),
      { beamWidth: 1 },
    ),
    greedy.slice(0, 3),
  );
  const beam = model.translate(
    held.slice(0, 2).map((p) => p.source),
    { beamWidth: 3 },
  );
  for (const out of [...greedy, ...beam])
    assert.ok(
      [...out].every((ch) => "0123456789-".includes(ch)),
      out,
    );
  const report = model.evaluate(held);
  assert.equal(report.outputs.length, 8);
  assert.ok(report.exactMatch >= 0 && report.bleu.bleu.length === 4);
  model.dispose();
});

test("the tf.layers.lstm baseline trains on the same batches", async () => {
  const model = buildLayersLanguageModel({ vocabSize: 7, embeddingDim: 4, hiddenSize: 8, seqLength: 5 });
  const x = tf.tensor2d(
    [
      [1, 2, 3, 4, 5],
      [2, 3, 4, 5, 6],
    ],
    [2, 5],
    "int32",
  );
  const y = tf.oneHot(
    tf.tensor2d(
      [
        [2, 3, 4, 5, 6],
        [3, 4, 5, 6, 0],
      ],
      [2, 5],
      "int32",
    ),
    7,
  );
  const first = (await model.trainOnBatch(x, y)) as number;
  let last = first;
  for (let i = 0; i < 30; i++) last = (await model.trainOnBatch(x, y)) as number;
  assert.ok(Math.abs(first - Math.log(7)) < 0.3, `first loss ${first}`);
  assert.ok(last < first * 0.7, `${first} -> ${last}`);
  tf.dispose([x, y]);
  model.dispose();
});
