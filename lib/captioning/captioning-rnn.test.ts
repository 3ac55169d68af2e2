import { test } from "node:test";
import assert from "node:assert/strict";
import { CAPTIONING_PARAM_NAMES, CaptioningRNN, CellType } from "./captioning-rnn";
import { NDArray, arange, linspace, rng } from "../ndarray";
import { gradCheck, loadCs231nFixtures } from "../gradcheck";

const fx = loadCs231nFixtures().captioning_rnn_loss;

// The fixture's setup: N,D,W,H=10,20,30,40; V=3; T=13; every parameter linspace(-1.4, 1.3, size).
function fixtureModel(cellType: CellType): CaptioningRNN {
  const model = new CaptioningRNN({ wordToIdx: { "<NULL>": 0, cat: 2, dog: 3 }, inputDim: 20, wordvecDim: 30, hiddenDim: 40, cellType, seed: 0 });
  for (const name of CAPTIONING_PARAM_NAMES) {
    const p = model.params[name];
    model.params[name] = linspace(-1.4, 1.3, p.size, p.shape);
  }
  return model;
}

for (const cellType of ["rnn", "lstm"] as const) {
  test(`CaptioningRNN (${cellType}) loss matches CS231n's fixture within 1e-9`, () => {
    const model = fixtureModel(cellType);
    const N = 10,
      T = 13;
    const features = cellType === "rnn" ? linspace(-1.5, 0.3, N * 20, [N, 20]) : linspace(-0.5, 1.7, N * 20, [N, 20]);
    const captions = arange(N * T)
      .map((v) => v % 3)
      .reshape(N, T);
    const expected = cellType === "rnn" ? fx.expected_loss_rnn : fx.expected_loss_lstm;
    const { loss } = model.loss(features, captions);
    assert.ok(Math.abs(loss - expected) < 1e-9, `loss ${loss} vs expected ${expected}`);
  });

  test(`CaptioningRNN (${cellType}) gradients pass a gradient check (rel error < 1e-6)`, () => {
    // CS231n's check: small sizes, random weights, random captions containing <NULL>
    const wordToIdx = { "<NULL>": 0, "<START>": 1, "<END>": 2, cat: 3, dog: 4 };
    const model = new CaptioningRNN({ wordToIdx, inputDim: 6, wordvecDim: 5, hiddenDim: 4, cellType, seed: 1 });
    for (const name of CAPTIONING_PARAM_NAMES)
      model.params[name] = rng(7 + name.length)
        .randn(...model.params[name].shape)
        .mul(0.5);
    const features = rng(3).randn(2, 6);
    const captions = new NDArray([2, 5], Float64Array.from([1, 3, 4, 2, 0, 1, 4, 4, 3, 2]));
    const { grads } = model.loss(features, captions);
    const saved = model.params;
    const report = gradCheck({
      name: `CaptioningRNN ${cellType}`,
      f: (p) => {
        model.params = { ...saved, ...p };
        return model.loss(features, captions).loss;
      },
      inputs: { ...saved },
      analytic: { ...grads },
      threshold: 1e-6,
    });
    model.params = saved;
    assert.ok(report.passed, report.toString());
    assert.equal(report.rows.length, 8);
  });
}

test("sampling: greedy and beam give [N, maxLength] index arrays, <NULL> after <END>", () => {
  const wordToIdx = { "<NULL>": 0, "<START>": 1, "<END>": 2, "<UNK>": 3, red: 4, circle: 5 };
  for (const cellType of ["rnn", "lstm"] as const) {
    const model = new CaptioningRNN({ wordToIdx, inputDim: 8, wordvecDim: 6, hiddenDim: 10, cellType, seed: 2 });
    const features = rng(0).randn(3, 8);
    const greedy = model.sample(features, 7);
    assert.deepEqual(greedy.shape, [3, 7]);
    const beam1 = model.beamSample(features, 7, 1);
    assert.deepEqual(beam1.toArray(), greedy.toArray(), "beam width 1 is greedy decoding");
    const beam3 = model.beamSample(features, 7, 3);
    assert.deepEqual(beam3.shape, [3, 7]);
    for (const rows of [greedy, beam3]) {
      for (const row of rows.toArray() as number[][]) {
        const end = row.indexOf(2);
        if (end >= 0)
          assert.ok(
            row.slice(end + 1).every((w) => w === 0),
            `after <END>: ${row}`,
          );
      }
    }
    assert.equal(model.decode(greedy).length, 3);
  }
  assert.throws(() => new CaptioningRNN({ wordToIdx: { a: 0 } }), /no "<NULL>" entry/);
  const m = new CaptioningRNN({ wordToIdx, inputDim: 8, wordvecDim: 6, hiddenDim: 10 });
  assert.throws(
    () =>
      m.loss(rng(0).randn(2, 5), [
        [1, 2],
        [1, 2],
      ]),
    /features must be \[N, D\] with D = inputDim = 8, got shape 2,5/,
  );
});
