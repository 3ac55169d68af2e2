import { test } from "node:test";
import assert from "node:assert/strict";
import { truncatedBptt, rnnForward, rnnBackward, lstmForward, lstmBackward, clipGradientsByValue, clipGradientsByNorm } from "./index";
import { relError } from "../gradcheck";
import { rng, NDArray, zeros } from "../ndarray";

/** loss = sum(h * target) over a chunk's steps; dh = target's slice. */
function linearLoss(target: NDArray) {
  return (h: NDArray, start: number) => {
    const t = target.slice(1, start, start + h.shape[1]);
    return { loss: h.mul(t).sum(), dh: t };
  };
}

test("truncated BPTT: one chunk of length T is full BPTT; shorter chunks drop the gradient across chunk boundaries", () => {
  for (const cell of ["rnn", "lstm"] as const) {
    const r = rng(cell === "rnn" ? 81 : 82);
    const [N, T, D, H] = [2, 6, 3, 4];
    const G = cell === "lstm" ? 4 : 1;
    const x = r.randn(N, T, D);
    const h0 = r.randn(N, H);
    const Wx = r.randn(D, G * H).mul(0.5);
    const Wh = r.randn(H, G * H).mul(0.5);
    const b = r.randn(G * H).mul(0.5);
    const target = r.randn(N, T, H);
    const full = cell === "rnn" ? rnnForward(x, h0, Wx, Wh, b) : lstmForward(x, h0, Wx, Wh, b);
    const fullGrads = cell === "rnn" ? rnnBackward(target, (full as ReturnType<typeof rnnForward>).cache) : lstmBackward(target, (full as ReturnType<typeof lstmForward>).cache);
    const whole = truncatedBptt({ cell, x, h0, Wx, Wh, b, chunkLength: T, lossOnChunk: linearLoss(target) });
    assert.equal(whole.chunks, 1);
    assert.ok(relError(whole.dWh, fullGrads.dWh) < 1e-14);
    assert.ok(relError(whole.dx, fullGrads.dx) < 1e-14);
    // chunks of 4 and 2: the same forward states, different (truncated) gradients
    const chunked = truncatedBptt({ cell, x, h0, Wx, Wh, b, chunkLength: 4, lossOnChunk: linearLoss(target) });
    assert.equal(chunked.chunks, 2);
    assert.ok(relError(chunked.h, full.h) < 1e-14, "the state is carried across chunks");
    assert.ok(Math.abs(chunked.loss - full.h.mul(target).sum()) < 1e-12);
    assert.ok(relError(chunked.dWh, fullGrads.dWh) > 1e-3, "truncation changes the gradient");
    // the second chunk's gradient equals full BPTT on that chunk alone, started from the carried state
    const h4 = full.h.take(1, 3);
    const second = cell === "rnn" ? rnnForward(x.slice(1, 4), h4, Wx, Wh, b) : lstmForward(x.slice(1, 4), h4, Wx, Wh, b, lstmForward(x.slice(1, 0, 4), h0, Wx, Wh, b).cache.cT);
    const secondGrads = cell === "rnn" ? rnnBackward(target.slice(1, 4), (second as ReturnType<typeof rnnForward>).cache) : lstmBackward(target.slice(1, 4), (second as ReturnType<typeof lstmForward>).cache);
    assert.ok(relError(chunked.dx.slice(1, 4), secondGrads.dx) < 1e-14);
  }
});

test("gradient clipping by value and by global norm", () => {
  const grads = { dWx: new NDArray([2], Float64Array.of(3, -4)), db: new NDArray([1], Float64Array.of(12)) };
  const byValue = clipGradientsByValue(grads, 5);
  assert.deepEqual(byValue.dWx.toArray(), [3, -4]);
  assert.deepEqual(byValue.db.toArray(), [5]);
  // global norm sqrt(9 + 16 + 144) = 13
  const byNorm = clipGradientsByNorm(grads, 6.5);
  assert.equal(byNorm.norm, 13);
  assert.equal(byNorm.clipped, true);
  assert.deepEqual(byNorm.grads.dWx.toArray(), [1.5, -2]);
  assert.deepEqual(byNorm.grads.db.toArray(), [6]);
  const untouched = clipGradientsByNorm(grads, 20);
  assert.equal(untouched.clipped, false);
  assert.deepEqual(untouched.grads.db.toArray(), [12]);
  assert.throws(() => clipGradientsByNorm(grads, 0), /Error in clipGradientsByNorm: maxNorm must be positive/);
  assert.equal(zeros(2).norm(), 0);
});
