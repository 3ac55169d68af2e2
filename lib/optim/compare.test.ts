import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { compareOptimizers, quadraticBowl, illConditionedBowl, beale, rosenbrock, saddle, customSurface, surfaceFromTf, withConfig, sgd, Surface, OPTIMIZER_COLORS } from "./index";
import { JUPYTER_DISPLAY } from "../display";
import { PLOTLY_MIME, FigureSpec, Figure, Trace } from "../plot";
import { relError } from "../gradcheck";

test("each test surface's analytic gradient matches centered differences (rel error <= 1e-6)", () => {
  const surfaces: Surface[] = [quadraticBowl(), illConditionedBowl(), beale(), rosenbrock(), saddle()];
  for (const s of surfaces) {
    for (const [x, y] of [
      [0.3, -0.7],
      [1.1, 0.4],
      [-1.5, 1.2],
    ]) {
      const h = 1e-6;
      const numeric = [(s.f(x + h, y) - s.f(x - h, y)) / (2 * h), (s.f(x, y + h) - s.f(x, y - h)) / (2 * h)];
      const e = relError(s.grad(x, y), numeric);
      assert.ok(e <= 1e-6, `${s.name} at (${x}, ${y}): rel error ${e}`);
    }
    if (s.minimum) assert.equal(s.f(...s.minimum.at), s.minimum.value);
  }
  const tfSurface = surfaceFromTf((x, y) => tf.add<tf.Scalar>(tf.square(x), tf.mul(3, tf.square(y))), { name: "tf bowl", xRange: [-2, 2], yRange: [-2, 2], start: [1, 1] });
  assert.ok(relError(tfSurface.grad(0.5, -1), [1, -6]) < 1e-6);
  const fd = customSurface((x, y) => Math.sin(x) + y * y, { name: "wave", xRange: [-3, 3], yRange: [-2, 2], start: [2, 1] });
  assert.ok(relError(fd.grad(0.2, 0.3), [Math.cos(0.2), 0.6]) < 1e-8);
});

test("compareOptimizers: on the long valley x^2 + 100 y^2 SGD zig-zags across and crawls along it; momentum and Adam get far closer", () => {
  const cmp = compareOptimizers({
    surface: illConditionedBowl(),
    steps: 100,
    optimizers: ["sgd", "sgdMomentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "adamLecture", withConfig("slow sgd", sgd, { learningRate: 0.005 })],
  });
  assert.equal(cmp.runs.length, 9);
  for (const run of cmp.runs) {
    assert.equal(run.x.length, 101, run.name);
    assert.equal(run.loss[0], illConditionedBowl().f(-2, 1));
    assert.ok(!run.diverged, run.name);
  }
  const ySigns = cmp.run("sgd").y.slice(0, 6).map(Math.sign);
  assert.deepEqual(ySigns, [1, -1, 1, -1, 1, -1], "SGD at lr 0.008 overshoots y every step (factor -0.6)");
  // x shrinks by exactly 1 - 2 * 0.008 per step: relative error (CS231n's) below 1e-12
  assert.ok(relError([cmp.run("sgd").x[100]], [-2 * Math.pow(0.984, 100)]) < 1e-12);
  const distance = (name: string): number => cmp.run(name).distanceToMinimum ?? NaN;
  for (const name of ["sgdMomentum", "nesterov", "adam"]) assert.ok(distance(name) < distance("sgd") / 10, `${name} ends 10 times closer than SGD`);
  assert.ok(cmp.run("sgdMomentum").finalLoss < cmp.run("slow sgd").finalLoss / 10, "momentum at lr 0.005 beats sgd at lr 0.005");
  // above eta = 2 / 200 SGD diverges along y
  assert.equal(compareOptimizers({ surface: illConditionedBowl(), steps: 200, optimizers: [{ rule: "sgd", config: { learningRate: 0.011 } }] }).runs[0].diverged, true, "y factor 1 - 200 * 0.011 = -1.2");
  assert.throws(() => compareOptimizers({ surface: rosenbrock(), optimizers: [] }), /Error in compareOptimizers: optimizers must list at least one/);
});

test("compareOptimizers displays as one animated Plotly figure (contours + paths, log loss, frames) and offers each figure", () => {
  const cmp = compareOptimizers({ surface: rosenbrock(), steps: 60, optimizers: ["sgd", "adam"], frames: 10 });
  const bundle = cmp[JUPYTER_DISPLAY]();
  const fig = bundle[PLOTLY_MIME] as FigureSpec;
  assert.equal(fig.data[0].type, "contour");
  assert.deepEqual(
    fig.data.slice(1).map((t) => t.name),
    ["sgd", "adam", "sgd", "adam"],
  );
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

/** The colour a trace is drawn in: its line's, and its markers' when it has both (they must agree). */
function traceColor(trace: Partial<Trace>, where: string): string {
  const line = (trace.line as { color?: string } | undefined)?.color;
  const marker = (trace.marker as { color?: unknown } | undefined)?.color;
  assert.equal(typeof line, "string", `${where}: has a line colour of its own`);
  if (marker !== undefined) assert.equal(marker, line, `${where}: markers and line share one colour`);
  return line as string;
}

test("each optimizer keeps one colour in every panel and every animation frame, and no two share one", () => {
  const optimizers = ["sgd", "sgdMomentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"] as const;
  const cmp = compareOptimizers({ surface: illConditionedBowl(), steps: 40, optimizers: [...optimizers], frames: 6 });
  const displayed = cmp[JUPYTER_DISPLAY]()[PLOTLY_MIME] as FigureSpec;
  const [contour, loss, animated] = cmp.figures();
  const seen = new Map<string, string>();
  const check = (name: string, color: string, where: string): void => {
    if (!seen.has(name)) seen.set(name, color);
    assert.equal(color, seen.get(name), `${where}: "${name}" is drawn in ${color} but elsewhere in ${seen.get(name)}`);
  };
  const figures: [string, FigureSpec][] = [
    ["displayed", displayed],
    ...(
      [
        ["contourFigure", contour],
        ["lossFigure", loss],
        ["animatedFigure", animated],
      ] as [string, Figure][]
    ).map(([n, f]): [string, FigureSpec] => [n, f.toJSON()]),
  ];
  for (const [figName, fig] of figures) {
    const scatter = fig.data.filter((t) => t.type === "scatter");
    assert.equal(scatter.length, figName === "contourFigure" || figName === "lossFigure" ? 7 : 14, `${figName}: one path and/or one loss curve per optimizer`);
    for (const trace of scatter) check(String(trace.name), traceColor(trace, `${figName} trace "${trace.name}"`), figName);
    for (const frame of fig.frames ?? []) {
      frame.data.forEach((d, k) => {
        const trace = fig.data[frame.traces?.[k] ?? k];
        check(String(trace.name), traceColor(d, `${figName} frame ${frame.name}, trace "${trace.name}"`), `${figName} frame ${frame.name}`);
      });
    }
  }
  assert.deepEqual([...seen.keys()], [...optimizers]);
  assert.equal(new Set(seen.values()).size, optimizers.length, "seven optimizers, seven colours");
  assert.deepEqual([...seen.values()], OPTIMIZER_COLORS.slice(0, 7));
  assert.equal(cmp.color("adam"), seen.get("adam"));
  assert.throws(() => cmp.color("lion"), /OptimizerComparison.color: no optimizer named "lion"/);
  // the animation's frames carry the colours too (a frame that restyled a trace without one would let Plotly pick)
  assert.ok(animated.frames && animated.frames.length === 6);
});

test("compareOptimizers' figures title the plot and each axis with { text } objects", () => {
  const cmp = compareOptimizers({ surface: saddle(), steps: 10, optimizers: ["sgd"] });
  const [contour, loss, animated] = cmp.figures();
  assert.equal(contour.layout.title?.text, "saddle: x^2 - y^2");
  assert.equal(contour.layout.xaxis?.title?.text, "x");
  assert.equal(loss.layout.yaxis?.title?.text, "f");
  assert.equal(animated.layout.title?.text, "saddle: x^2 - y^2, 10 steps");
  assert.equal(animated.layout.xaxis2?.title?.text, "step");
  assert.equal(animated.layout.yaxis2?.title?.text, "f");
  assert.equal(compareOptimizers({ surface: rosenbrock(), steps: 5, optimizers: ["sgd"] }).animatedFigure().layout.yaxis2?.title?.text, "f - f* (log)");
});
