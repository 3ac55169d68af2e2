import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareOptimizers, quadraticBowl, illConditionedBowl, beale, rosenbrock, saddle, customSurface, surfaceFromTf, withConfig, sgd, Surface } from "./index";
import { JUPYTER_DISPLAY } from "../display";
import { PLOTLY_MIME, FigureSpec } from "../plot";
import { relError } from "../gradcheck";

test("each test surface's analytic gradient matches centered differences (rel error <= 1e-6)", () => {
  const surfaces: Surface[] = [quadraticBowl(), illConditionedBowl(), beale(), rosenbrock(), saddle()];
  for (const s of surfaces) {
    for (const [x, y] of [[0.3, -0.7], [1.1, 0.4], [-1.5, 1.2]]) {
      const h = 1e-6;
      const numeric = [(s.f(x + h, y) - s.f(x - h, y)) / (2 * h), (s.f(x, y + h) - s.f(x, y - h)) / (2 * h)];
      const e = relError(s.grad(x, y), numeric);
      assert.ok(e <= 1e-6, `${s.name} at (${x}, ${y}): rel error ${e}`);
    }
    if (s.minimum) assert.equal(s.f(...s.minimum.at), s.minimum.value);
  }
  const tfSurface = surfaceFromTf((x, y) => tf.add(tf.square(x), tf.mul(3, tf.square(y))) as tf.Scalar, { name: "tf bowl", xRange: [-2, 2], yRange: [-2, 2], start: [1, 1] });
  assert.ok(relError(tfSurface.grad(0.5, -1), [1, -6]) < 1e-6);
  const fd = customSurface((x, y) => Math.sin(x) + y * y, { name: "wave", xRange: [-3, 3], yRange: [-2, 2], start: [2, 1] });
  assert.ok(relError(fd.grad(0.2, 0.3), [Math.cos(0.2), 0.6]) < 1e-8);
});

test("compareOptimizers: on the ill-conditioned bowl momentum and Adam beat plain SGD at the same small step; SGD zig-zags in y", () => {
  const cmp = compareOptimizers({
    surface: illConditionedBowl(),
    steps: 100,
    optimizers: ["sgd", { rule: "sgdMomentum", config: { learningRate: 0.02 } }, "nesterov", "adagrad", "rmsprop", "adam", "adamw", "adamLecture", withConfig("slow sgd", sgd, { learningRate: 0.02 })],
  });
  assert.equal(cmp.runs.length, 9);
  for (const run of cmp.runs) {
    assert.equal(run.x.length, 101, run.name);
    assert.equal(run.loss[0], illConditionedBowl().f(-6, 2));
    assert.ok(!run.diverged, run.name);
  }
  assert.ok(cmp.run("sgdMomentum").finalLoss < cmp.run("slow sgd").finalLoss / 10, "momentum at lr 0.02 beats sgd at lr 0.02");
  assert.ok(cmp.run("adam").finalLoss < cmp.run("slow sgd").finalLoss);
  const ySigns = cmp.run("sgd").y.slice(0, 6).map(Math.sign);
  assert.deepEqual(ySigns, [1, -1, 1, -1, 1, -1], "SGD at lr 0.4 overshoots y every step");
  assert.throws(() => compareOptimizers({ surface: rosenbrock(), optimizers: [] }), /Error in compareOptimizers: optimizers must list at least one/);
});

test("compareOptimizers displays as one animated Plotly figure (contours + paths, log loss, frames) and offers each figure", () => {
  const cmp = compareOptimizers({ surface: rosenbrock(), steps: 60, optimizers: ["sgd", "adam"], frames: 10 });
  const bundle = cmp[JUPYTER_DISPLAY]();
  const fig = bundle[PLOTLY_MIME] as FigureSpec;
  assert.equal(fig.data[0].type, "contour");
  assert.deepEqual(fig.data.slice(1).map((t) => t.name), ["sgd", "adam", "sgd", "adam"]);
  assert.equal(fig.layout?.yaxis2 && (fig.layout.yaxis2 as { type?: string }).type, "log");
  assert.equal(fig.frames?.length, 10);
  assert.deepEqual(fig.frames?.[0].traces, [1, 2]);
  assert.equal((fig.frames?.[9].data[0].x as number[]).length, 61);
  assert.match(String(bundle["text/plain"]), /Optimizers on Rosenbrock/);
  const [contour, loss, animated] = cmp.figures();
  assert.equal(contour.data.length, 3);
  assert.equal(loss.layout.yaxis?.type, "log");
  assert.ok(animated.frames);
  // a diverging run is stopped and flagged
  const wild = compareOptimizers({ surface: saddle(), steps: 400, optimizers: [{ rule: "sgd", config: { learningRate: 0.5 } }] });
  assert.equal(wild.runs[0].diverged, true);
});
