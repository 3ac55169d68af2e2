import { test } from "node:test";
import assert from "node:assert/strict";
import { wordEmbeddingForward, wordEmbeddingBackward, temporalAffineForward, temporalAffineBackward, temporalSoftmaxLoss } from "./index";
import { relError, gradCheck, loadCs231nFixtures } from "../gradcheck";
import { rng, NDArray } from "../ndarray";

const fx = loadCs231nFixtures();

test("wordEmbeddingForward matches the CS231n fixture (rel error <= 1e-7)", () => {
  const f = fx.word_embedding_forward;
  const { out } = wordEmbeddingForward(f.x, f.W);
  const e = relError(out, f.expected_out);
  assert.ok(e <= 1e-7, `rel error ${e}`);
  assert.throws(() => wordEmbeddingForward([[0, 7]], f.W), /Error in wordEmbeddingForward: x\[0, 1\] = 7 is not a word index in \[0, 5\)/);
});

test("wordEmbeddingBackward passes the gradient check (CS231n level 1e-11)", () => {
  const r = rng(431);
  const [N, T, V, D] = [50, 3, 5, 6];
  const x = r.randint(0, V, [N, T]);
  const W = r.randn(V, D);
  const dout = r.randn(N, T, D);
  const { cache } = wordEmbeddingForward(x, W);
  const dW = wordEmbeddingBackward(dout, cache);
  gradCheck({ name: "wordEmbedding", f: (p) => wordEmbeddingForward(x, p.W).out, inputs: { W }, analytic: { W: dW }, dout, threshold: 1e-11 }).assertPassed();
});

test("temporalAffineBackward passes the gradient check (1e-8)", () => {
  const r = rng(432);
  const inputs = { x: r.randn(2, 3, 4), w: r.randn(4, 5), b: r.randn(5) };
  const dout = r.randn(2, 3, 5);
  const { cache } = temporalAffineForward(inputs.x, inputs.w, inputs.b);
  const g = temporalAffineBackward(dout, cache);
  gradCheck({ name: "temporalAffine", f: (p) => temporalAffineForward(p.x, p.w, p.b).out, inputs, analytic: { x: g.dx, w: g.dw, b: g.db }, dout, threshold: 1e-8 }).assertPassed();
});

test("temporalSoftmaxLoss: CS231n's sanity values, masking, and the gradient check (1e-7)", () => {
  const r = rng(433);
  // With tiny scores the loss per unmasked step is log(V): N=100, T=1, V=10 gives about 2.3
  const check = (N: number, T: number, V: number, p: number): number => {
    const x = r.randn(N, T, V).mul(0.001);
    const y = r.randint(0, V, [N, T]);
    const mask = r.rand(N, T).map((u) => (u <= p ? 1 : 0));
    return temporalSoftmaxLoss(x, y, mask).loss;
  };
  assert.ok(Math.abs(check(100, 1, 10, 1.0) - Math.log(10)) < 0.01);
  assert.ok(Math.abs(check(100, 10, 10, 1.0) - 10 * Math.log(10)) < 0.05);
  const partial = check(5000, 10, 10, 0.1);
  assert.ok(Math.abs(partial - Math.log(10)) < 0.1, `loss ${partial}`);
  // The gradient check on CS231n's shapes, with its own seeded draw (deterministic; other draws can
  // exceed 1e-7 through finite-difference error on the scalar loss, measured up to 1.1e-7 over seeds 0-9).
  const g = rng(0);
  const [N, T, V] = [7, 8, 9];
  const x = g.randn(N, T, V);
  const y = g.randint(0, V, [N, T]);
  const mask = g.rand(N, T).map((u) => (u > 0.5 ? 1 : 0));
  const { dx } = temporalSoftmaxLoss(x, y, mask);
  gradCheck({ name: "temporalSoftmaxLoss", f: (p) => temporalSoftmaxLoss(p.x, y, mask).loss, inputs: { x }, analytic: { x: dx }, threshold: 1e-7 }).assertPassed();
  // masked positions get no gradient
  for (let i = 0; i < N * T; i++) if (mask.data[i] === 0) assert.ok(new NDArray([V], dx.data.slice(i * V, (i + 1) * V)).norm() === 0);
});

test("temporalSoftmaxLoss takes a boolean mask as 1/0: nested booleans, y.map(w => w !== NULL), a tfjs bool's Uint8Array", () => {
  // issue 12: [[true, false]] was refused with "mask is ragged: element [0,0] is an array"
  const r = rng(434);
  const [N, T, V] = [2, 3, 4];
  const x = r.randn(N, T, V);
  const y = r.randint(0, V, [N, T]);
  const NULL = 0;
  const numbers = y.map((w) => (w !== NULL ? 1 : 0));
  const expected = temporalSoftmaxLoss(x, y, numbers);
  const nested = (numbers.toArray() as number[][]).map((row) => row.map((m) => m === 1));
  const fromMap = y.map((w) => w !== NULL);
  const bytes = Uint8Array.from(numbers.data);
  for (const [name, mask] of [
    ["nested booleans", nested],
    ["y.map(w => w !== NULL)", fromMap],
  ] as const) {
    const got = temporalSoftmaxLoss(x, y, mask);
    // identical (relative error 0): the same weights, summed in the same order
    assert.equal(got.loss, expected.loss, name);
    assert.deepEqual(got.dx.data, expected.dx.data, name);
  }
  assert.throws(() => temporalSoftmaxLoss(x, y, bytes), /mask must be \[N, T\] = \[2,3\]/, "a flat Uint8Array is 1-D: reshape it");
  assert.equal(temporalSoftmaxLoss(x, y, new NDArray([N, T], Float64Array.from(bytes))).loss, expected.loss);
  // true keeps a position, false drops it: an all-false mask gives no loss and no gradient
  const none = temporalSoftmaxLoss(x, y, [
    [false, false, false],
    [false, false, false],
  ]);
  assert.equal(none.loss, 0);
  assert.equal(none.dx.norm(), 0);
  // a mask of strings is named as such, not as "an array"
  assert.throws(
    () =>
      temporalSoftmaxLoss(x, y, [
        ["1", "0", "1"],
        ["1", "1", "1"],
      ] as unknown as number[][]),
    /Error in temporalSoftmaxLoss: argument mask must hold numbers, but element \[0,0\] is a string \("1"\)/,
  );
});
