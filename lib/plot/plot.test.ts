import { test } from "node:test";
import assert from "node:assert/strict";
import { figure, linePlot, contourPlot, barChart, heatmap, imageGrid, animationControls, PLOTLY_MIME, FigureSpec, Figure, Layout, Title } from "./index";
import { JUPYTER_DISPLAY } from "../display";
import { arange } from "../ndarray";

test("a figure displays as Plotly JSON with a short text summary", () => {
  const fig = figure({ data: [{ type: "scatter", x: [0, 1], y: [1, 0] }], layout: { title: { text: "loss" } } });
  const bundle = fig[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), [PLOTLY_MIME, "text/plain"].sort());
  const json = bundle[PLOTLY_MIME] as FigureSpec;
  assert.deepEqual(json.data[0].y, [1, 0]);
  assert.equal(json.frames, undefined);
  assert.equal(bundle["text/plain"], 'Figure "loss" with 1 trace (scatter)');
  const animated = figure({ data: [{ type: "scatter", y: [0] }], frames: [{ name: "0", data: [{ y: [1] }] }], layout: animationControls(["0"]) });
  assert.equal((animated[JUPYTER_DISPLAY]()[PLOTLY_MIME] as FigureSpec).frames?.length, 1);
  assert.equal(animated.layout.sliders?.[0].steps.length, 1);
});

test("helpers build line, contour, bar, heatmap and image-grid figures", () => {
  const line = linePlot(
    [
      { name: "a", y: [3, 2, 1] },
      { name: "b", x: [0, 2, 4], y: [1, 1, 1] },
    ],
    { logY: true },
  );
  assert.equal(line.data.length, 2);
  assert.deepEqual(line.data[0].x, [0, 1, 2]);
  assert.equal(line.layout.yaxis?.type, "log");
  assert.throws(() => linePlot({ x: [1, 2], y: [1] }), /Error in linePlot: series 0 has 2 x values but 1 y values/);

  const contour = contourPlot((x, y) => x * x - y * y, [-1, 1], [-2, 2], { resolution: 5, paths: [{ name: "p", x: [0, 1], y: [0, 0] }] });
  assert.equal(contour.data[0].type, "contour");
  const z = contour.data[0].z;
  assert.equal(z[0][4], 1 - 4); // row 0 is y = -2, column 4 is x = 1
  assert.equal(contour.data[1].name, "p");

  const bars = barChart(["mnist", "fashion"], [{ name: "sgd", y: [0.9, 0.8], error: [0.01, 0.02] }]);
  assert.deepEqual(bars.data[0].error_y, { type: "data", array: [0.01, 0.02], visible: true });
  assert.throws(() => barChart(["a"], { y: [1, 2] }), /2 values but there are 1 categories/);

  const hm = heatmap(
    [
      [1, 2],
      [3, 4],
    ],
    { xLabels: ["a", "b"], showValues: 1 },
  );
  assert.deepEqual(hm.data[0].text, [
    ["1.0", "2.0"],
    ["3.0", "4.0"],
  ]);

  const grid = imageGrid(arange(2 * 3 * 3).reshape(2, 3, 3), { titles: ["zero", "one"] });
  assert.equal(grid.data.length, 2);
  assert.equal(grid.data[1].xaxis, "x2");
  assert.deepEqual(grid.data[1].z, [
    [9, 10, 11],
    [12, 13, 14],
    [15, 16, 17],
  ]);
  assert.throws(() => imageGrid([[1, 2]]), /Error in imageGrid: images must be 3-D/);
});

/** Every title a figure carries: the layout's, each axis's (xaxis, yaxis2, ...) and each colour bar's. */
function titlesOf(fig: Figure): { where: string; title: unknown }[] {
  const found: { where: string; title: unknown }[] = [];
  if (fig.layout.title !== undefined) found.push({ where: "layout.title", title: fig.layout.title });
  for (const [key, value] of Object.entries(fig.layout)) {
    if (/^[xy]axis\d*$/.test(key) && value && typeof value === "object" && "title" in value) found.push({ where: `layout.${key}.title`, title: value.title });
  }
  fig.data.forEach((trace, i) => {
    const bar = trace.colorbar as { title?: unknown } | undefined;
    if (bar?.title !== undefined) found.push({ where: `data[${i}].colorbar.title`, title: bar.title });
  });
  return found;
}

test("every helper writes its titles as { text } objects (plotly.js-dist 4 draws no string title)", () => {
  const figures: [string, Figure][] = [
    ["linePlot", linePlot([{ name: "a", y: [1, 2] }], { title: "loss", xTitle: "step", yTitle: "f" })],
    ["contourPlot", contourPlot((x, y) => x * y, [-1, 1], [-1, 1], { title: "saddle", resolution: 4 })],
    ["barChart", barChart(["a"], [{ y: [1] }], { title: "accuracy", xTitle: "data set", yTitle: "acc" })],
    ["heatmap", heatmap([[1]], { title: "attention" })],
    [
      "imageGrid",
      imageGrid(
        [
          [
            [0, 1],
            [1, 0],
          ],
        ],
        { title: "digits" },
      ),
    ],
  ];
  for (const [name, fig] of figures) {
    const titles = titlesOf(fig);
    assert.ok(titles.length > 0 && titles[0].where === "layout.title", `${name}: has a layout title`);
    for (const { where, title } of titles) {
      assert.equal(typeof title, "object", `${name}: ${where} is an object`);
      assert.equal(typeof (title as Title).text, "string", `${name}: ${where}.text is a string`);
    }
  }
  assert.equal(linePlot([{ y: [1] }], { title: "loss", xTitle: "step" }).layout.xaxis?.title?.text, "step");
  assert.equal(linePlot([{ y: [1] }], { title: "loss" }).title, "loss");
  // The string form must not compile, on the layout, an axis, a numbered axis or a colour bar.
  // @ts-expect-error a bare string title
  const bare: Layout = { title: "loss" };
  // @ts-expect-error a bare string axis title
  const axis: Layout = { xaxis: { title: "step" } };
  // @ts-expect-error a bare string title on a subplot's axis
  const axis2: Layout = { yaxis2: { title: "f" } };
  // @ts-expect-error a bare string colour-bar title
  const bar = figure({ data: [{ type: "contour", z: [[1]], colorbar: { title: "f" } }] });
  assert.ok(bare && axis && axis2 && bar);
});
