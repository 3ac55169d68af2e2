import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { lstmForward, rnnForward, bidirectionalForward, lstmGatesToTfjs, lstmGatesFromTfjs, MergeMode } from "./index";
import { relError } from "../gradcheck";
import { rng, NDArray, zeros } from "../ndarray";

const [N, T, D, H] = [2, 5, 3, 4];

function toTensor(x: NDArray): tf.Tensor {
  return tf.tensor(Array.from(x.data), x.shape, "float32");
}

function fromTensor(t: tf.Tensor): NDArray {
  return new NDArray(t.shape, Float64Array.from(t.dataSync()));
}

/** Largest absolute difference (float32 outputs near zero make relative error meaningless). */
function maxAbsDiff(a: NDArray, b: NDArray): number {
  return a.sub(b).abs().max();
}

test("lstmGatesToTfjs reorders column blocks i, f, o, g to i, f, c, o and back", () => {
  const b = new NDArray([8], Float64Array.of(1, 1, 2, 2, 3, 3, 4, 4));
  assert.deepEqual(lstmGatesToTfjs(b).toArray(), [1, 1, 2, 2, 4, 4, 3, 3]);
  assert.deepEqual(lstmGatesFromTfjs(lstmGatesToTfjs(b)).toArray(), b.toArray());
});

test("the from-scratch LSTM equals tf.layers.lstm with copied weights (gates reordered, sigmoid recurrent activation; max abs diff <= 1e-5)", () => {
  const r = rng(91);
  const x = r.randn(N, T, D);
  const Wx = r.randn(D, 4 * H).mul(0.5);
  const Wh = r.randn(H, 4 * H).mul(0.5);
  const b = r.randn(4 * H).mul(0.5);
  const ours = lstmForward(x, zeros(N, H), Wx, Wh, b).h;
  const layer = tf.layers.lstm({ units: H, returnSequences: true, recurrentActivation: "sigmoid", activation: "tanh" });
  const input = toTensor(x);
  layer.apply(input); // builds the weights
  layer.setWeights([Wx, Wh, b].map((w) => toTensor(lstmGatesToTfjs(w))));
  const theirs = fromTensor(layer.apply(input) as tf.Tensor);
  const diff = maxAbsDiff(ours, theirs);
  assert.ok(diff <= 1e-5, `max abs diff ${diff}, rel error ${relError(ours, theirs)}`);
  assert.ok(ours.abs().max() > 0.1, "outputs are not trivially small");
  layer.dispose();
  input.dispose();
});

test("the from-scratch vanilla RNN equals tf.layers.simpleRNN with copied weights (max abs diff <= 1e-5)", () => {
  const r = rng(92);
  const x = r.randn(N, T, D);
  const Wx = r.randn(D, H).mul(0.5);
  const Wh = r.randn(H, H).mul(0.5);
  const b = r.randn(H).mul(0.5);
  const ours = rnnForward(x, zeros(N, H), Wx, Wh, b).h;
  const layer = tf.layers.simpleRNN({ units: H, returnSequences: true, activation: "tanh" });
  const input = toTensor(x);
  layer.apply(input);
  layer.setWeights([Wx, Wh, b].map(toTensor));
  const theirs = fromTensor(layer.apply(input) as tf.Tensor);
  const diff = maxAbsDiff(ours, theirs);
  assert.ok(diff <= 1e-5, `max abs diff ${diff}`);
  layer.dispose();
  input.dispose();
});

test("the from-scratch bidirectional LSTM and RNN equal tf.layers.bidirectional (concat, sum, ave; max abs diff <= 1e-5)", () => {
  const modes: [MergeMode, "concat" | "sum" | "ave"][] = [
    ["concat", "concat"],
    ["sum", "sum"],
    ["average", "ave"],
  ];
  for (const cell of ["lstm", "rnn"] as const) {
    for (const [merge, tfMerge] of modes) {
      const r = rng(93);
      const G = cell === "lstm" ? 4 : 1;
      const x = r.randn(N, T, D);
      const dir = () => ({ h0: zeros(N, H), Wx: r.randn(D, G * H).mul(0.5), Wh: r.randn(H, G * H).mul(0.5), b: r.randn(G * H).mul(0.5) });
      const fw = dir();
      const bw = dir();
      const ours = bidirectionalForward(cell, x, { forward: fw, backward: bw }, merge).h;
      const inner = cell === "lstm" ? tf.layers.lstm({ units: H, returnSequences: true, recurrentActivation: "sigmoid" }) : tf.layers.simpleRNN({ units: H, returnSequences: true });
      const layer = tf.layers.bidirectional({ layer: inner, mergeMode: tfMerge });
      const input = toTensor(x);
      layer.apply(input);
      const weights = (p: typeof fw) => (cell === "lstm" ? [p.Wx, p.Wh, p.b].map(lstmGatesToTfjs) : [p.Wx, p.Wh, p.b]);
      layer.setWeights([...weights(fw), ...weights(bw)].map(toTensor));
      const theirs = fromTensor(layer.apply(input) as tf.Tensor);
      assert.deepEqual(theirs.shape, ours.shape);
      const diff = maxAbsDiff(ours, theirs);
      assert.ok(diff <= 1e-5, `${cell} ${merge}: max abs diff ${diff}`);
      layer.dispose();
      input.dispose();
    }
  }
});
