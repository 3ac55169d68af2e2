/** MIME bundles: own bundles, tensors (table, PNG), models, Plotly figures with the offline fallback. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { toBundle } from "./bundle";
import { isPlotlyFigure } from "./plotly";
import { encodePng } from "../../lib/display/png";

test("an object's own Symbol.for('Jupyter.display') bundle wins, with a text/plain added", () => {
  const value = { [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b>own</b>" }) };
  const bundle = toBundle(value);
  assert.equal(bundle["text/html"], "<b>own</b>");
  assert.equal(typeof bundle["text/plain"], "string");
  assert.throws(() => toBundle({ [Symbol.for("Jupyter.display")]: () => 3 }), /must return a MIME bundle/);
});

test("a 2-D tensor is an HTML table summarised at the edges; an image-shaped tensor is a PNG", () => {
  const small = toBundle(
    tf.tensor2d([
      [1, 2],
      [3, 4],
    ]),
  );
  assert.match(String(small["text/plain"]), /^Tensor float32 \[2, 2\]/);
  assert.match(String(small["text/html"]), /<td>4\.0<\/td>/);
  const big = toBundle(tf.range(0, 400).reshape([20, 20]));
  assert.match(String(big["text/html"]), /&hellip;/);
  assert.equal((String(big["text/html"]).match(/<tr>/g) ?? []).length, 1 + 11);
  const image = toBundle(tf.zeros([28, 28, 1]));
  const png = Buffer.from(String(image["image/png"]), "base64");
  assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from("PNG")]);
  assert.equal(png.readUInt32BE(16), 28);
});

test("a tfjs model shows its summary with output shapes and parameter counts", () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] }), tf.layers.dense({ units: 2 })] });
  const bundle = toBundle(model);
  assert.match(String(bundle["text/html"]), /\[null,3\][\s\S]*15[\s\S]*\[null,2\][\s\S]*8/);
  assert.match(String(bundle["text/plain"]), /Total params: 23/);
});

test("Plotly figures get JSON plus offline HTML; plotly.js is inlined only once", () => {
  const figure = { data: [{ x: [1, 2], y: [3, 4], type: "scatter" }], layout: { title: { text: "t" } } };
  assert.ok(isPlotlyFigure(figure));
  assert.equal(isPlotlyFigure({ data: [1, 2] }), false);
  assert.equal(isPlotlyFigure({ data: [{ x: [1] }], other: 1 }), false);
  const first = toBundle(figure);
  const second = toBundle({ [Symbol.for("Jupyter.display")]: () => ({ "application/vnd.plotly.v1+json": figure }) });
  assert.deepEqual((first["application/vnd.plotly.v1+json"] as { data: unknown }).data, figure.data);
  const withLibrary = [first, second].filter((b) => String(b["text/html"]).length > 1_000_000);
  assert.ok(withLibrary.length <= 1);
  assert.match(String(second["text/html"]), /Plotly\.newPlot/);
});

test("encodePng checks its input size", () => {
  assert.throws(() => encodePng(new Uint8Array(3), 2, 2, 1), /4 bytes|2x2/);
});
