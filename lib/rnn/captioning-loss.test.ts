import { test } from "node:test";
import assert from "node:assert/strict";
import { wordEmbeddingForward, rnnForward, lstmForward, temporalAffineForward, temporalSoftmaxLoss, affineForward } from "./index";
import { loadCs231nFixtures } from "../gradcheck";
import { linspace, arange, NDArray } from "../ndarray";

// The CS231n CaptioningRNN loss, composed from this folder's layers exactly as the fixture's setup
// describes: an end-to-end check of embedding, recurrence, temporal affine and the masked,
// batch-averaged temporal softmax loss.
test("layers composed as CS231n's CaptioningRNN reproduce the fixture losses (rnn and lstm, rel error <= 1e-7)", () => {
  const fx = loadCs231nFixtures().captioning_rnn_loss;
  const [N, D, W, H, V, T] = [10, 20, 30, 40, 3, 13];
  for (const cell of ["rnn", "lstm"] as const) {
    const G = cell === "lstm" ? 4 : 1;
    // every parameter = linspace(-1.4, 1.3, size), reshaped
    const p = (...shape: number[]): NDArray =>
      linspace(
        -1.4,
        1.3,
        shape.reduce((a, b) => a * b, 1),
        shape,
      );
    const W_embed = p(V, W);
    const W_proj = p(D, H);
    const b_proj = p(H);
    const Wx = p(W, G * H);
    const Wh = p(H, G * H);
    const b = p(G * H);
    const W_vocab = p(H, V);
    const b_vocab = p(V);
    const features = cell === "rnn" ? linspace(-1.5, 0.3, N * D, [N, D]) : linspace(-0.5, 1.7, N * D, [N, D]);
    const captions = arange(N * T)
      .map((v) => v % V)
      .reshape(N, T);
    const captionsIn = captions.slice(1, 0, T - 1);
    const captionsOut = captions.slice(1, 1, T);
    const mask = captionsOut.map((w) => (w !== 0 ? 1 : 0));
    const h0 = affineForward(features, W_proj, b_proj).out;
    const x = wordEmbeddingForward(captionsIn, W_embed).out;
    const h = cell === "rnn" ? rnnForward(x, h0, Wx, Wh, b).h : lstmForward(x, h0, Wx, Wh, b).h;
    const scores = temporalAffineForward(h, W_vocab, b_vocab).out;
    const { loss } = temporalSoftmaxLoss(scores, captionsOut, mask);
    const expected = cell === "rnn" ? fx.expected_loss_rnn : fx.expected_loss_lstm;
    const e = Math.abs(loss - expected) / Math.max(1e-8, Math.abs(loss) + Math.abs(expected));
    assert.ok(e <= 1e-7, `${cell}: loss ${loss}, expected ${expected}, rel error ${e}`);
  }
});
