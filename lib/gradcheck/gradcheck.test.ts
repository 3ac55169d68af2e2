import { test } from "node:test";
import assert from "node:assert/strict";
import { relError, evalNumericalGradient, evalNumericalGradientArray, gradCheck } from "./index";
import { asNDArray, NDArray, rng } from "../ndarray";
import { JUPYTER_DISPLAY } from "../display";

test("relError is CS231n's max(|x-y| / max(1e-8, |x|+|y|))", () => {
  assert.equal(relError([1, 2], [1, 2]), 0);
  assert.ok(Math.abs(relError([1, 2], [1, 3]) - 1 / 5) < 1e-15);
  assert.equal(relError([0], [1e-9]), 1e-9 / 1e-8);
  assert.throws(() => relError([1, 2], [1, 2, 3]), /Error in relError: x and y must have the same shape, got \[2\] and \[3\]/);
});

test("numerical gradients match analytic ones (threshold 1e-7)", () => {
  const x = rng(1).randn(3, 4);
  // f(x) = sum(x^3) has gradient 3x^2
  const g = evalNumericalGradient((v) => v.pow(3).sum(), x);
  assert.ok(relError(g, x.square().mul(3)) < 1e-7, `rel error ${relError(g, x.square().mul(3))}`);
  // f(x) = tanh(x), upstream df: gradient (1 - tanh^2) * df
  const df = rng(2).randn(3, 4);
  const ga = evalNumericalGradientArray((v) => v.tanh(), x, df);
  const expected = x.tanh().square().neg().add(1).mul(df);
  assert.ok(relError(ga, expected) < 1e-7, `rel error ${relError(ga, expected)}`);
});

test("gradCheck reports each input, catches a wrong backward pass, and displays as a table", () => {
  const W = rng(3).randn(4, 2);
  const x = rng(4).randn(3, 4);
  const dout = rng(5).randn(3, 2);
  const f = (p: Record<string, NDArray>): NDArray => p.x.matmul(p.W);
  const good = gradCheck({ name: "matmul", f, inputs: { x, W }, analytic: { x: dout.matmul(W.T), W: x.T.matmul(dout) }, dout, threshold: 1e-9 });
  assert.equal(good.passed, true, String(good));
  assert.deepEqual(
    good.rows.map((r) => r.name),
    ["x", "W"],
  );
  good.assertPassed();
  const bad = gradCheck({ name: "matmul", f, inputs: { x, W }, analytic: { x: dout.matmul(W.T), W: x.T.matmul(dout).mul(2) }, dout, threshold: 1e-9 });
  assert.equal(bad.passed, false);
  assert.equal(bad.worst?.name, "W");
  assert.throws(() => bad.assertPassed(), /Gradient check matmul failed: W \[4,2\]: relative error/);
  assert.match(String(bad[JUPYTER_DISPLAY]()["text/html"]), /<table>.*FAILED|FAILED.*<table>/s);
  const scalar = gradCheck({ f: (p) => p.x.square().sum(), inputs: { x: asNDArray([1, -2]) }, analytic: { x: [2, -4] } });
  assert.equal(scalar.passed, true, String(scalar));
});
