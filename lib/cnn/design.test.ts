import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import { analyzeDesign, designTotals, designTable, checkDesign, referenceSpec, outputSize, CnnSpec, DesignConstraints } from "./index";
import { JUPYTER_DISPLAY } from "../display";

test("analyzeDesign: the reference model's shapes, parameters, MACs and receptive fields", () => {
  const rows = analyzeDesign(referenceSpec());
  assert.deepEqual(
    rows.map((r) => r.outputShape),
    [[28, 28, 16], [14, 14, 16], [14, 14, 32], [7, 7, 32], [1568], [128], [10]],
  );
  // conv: kh*kw*Cin*F + F ; dense: in*units + units
  assert.deepEqual(
    rows.map((r) => r.params),
    [416, 0, 12832, 0, 0, 200832, 1290],
  );
  // conv: Hout*Wout*F*kh*kw*Cin ; dense: in*units
  assert.deepEqual(
    rows.map((r) => r.macs),
    [313600, 0, 2508800, 0, 0, 200704, 1280],
  );
  // r_out = r_in + (k-1) * j_in: 5, 6, 6+4*2 = 14, 14+1*4... pool after jump 2: 14 + 1*2 = 16
  assert.deepEqual(
    rows.map((r) => r.receptiveField[0]),
    [5, 6, 14, 16, 16, 28, 28],
  );
  assert.deepEqual(
    rows.map((r) => r.jump[0]),
    [1, 2, 2, 4, 4, 4, 4],
  );
  assert.equal(rows[0].activationBytes, 4 * 28 * 28 * 16);
  const totals = designTotals(rows);
  assert.equal(totals.params, 215370);
  assert.equal(totals.flops, 2 * (313600 + 2508800 + 200704 + 1280));
});

test("analyzeDesign: strides, dilation, numeric padding and batch norm", () => {
  assert.equal(outputSize(28, 3, 2, "valid", 2), 12); // k_eff = 5: floor((28-5)/2)+1
  assert.equal(outputSize(28, 5, 2, "same"), 14);
  assert.equal(outputSize(28, 5, 1, 2), 28);
  const spec: CnnSpec = {
    input: [28, 28, 1],
    layers: [{ type: "conv", filters: 8, kernel: 3, stride: 2, dilation: 2, useBias: false }, { type: "batchnorm" }, { type: "conv", filters: 4, kernel: [3, 1], padding: 1 }],
  };
  const rows = analyzeDesign(spec);
  assert.deepEqual(rows[0].outputShape, [12, 12, 8]);
  assert.equal(rows[0].params, 72);
  assert.deepEqual(rows[0].receptiveField, [5, 5]);
  assert.equal(rows[1].params, 16);
  assert.equal(rows[1].nonTrainableParams, 16);
  assert.deepEqual(rows[2].outputShape, [12, 14, 4]); // height: 12+2-3+1, width: 12+2-1+1
  assert.deepEqual(rows[2].receptiveField, [5 + 2 * 2, 5]);
  const table = designTable(spec);
  assert.match(table.toString(), /conv 3x3x8 s2 d2 valid/);
  assert.match(table[JUPYTER_DISPLAY]()["text/html"] as string, /<table>/);
});

test("checkDesign: a design within every constraint has no violations", () => {
  const spec = { ...referenceSpec(), l2: 1e-4 };
  assert.deepEqual(
    checkDesign(spec, {
      input: [28, 28, 1],
      classes: 10,
      outputActivation: "softmax",
      maxLayers: { conv: 2, dense: 2 },
      maxParams: 250000,
      maxFlops: 10e6,
      minReceptiveField: 16,
      trainingExamples: 50000,
      maxParamsPerExample: 5,
      loss: "categoricalCrossentropy",
      requireRegularization: true,
    }),
    [],
  );
});

test("checkDesign: returns every violation with a message naming the numbers", () => {
  const v = checkDesign(referenceSpec(), {
    input: [32, 32, 3],
    classes: 2,
    maxLayers: { conv: 1 },
    maxParams: 100000,
    maxFlops: 1e6,
    minReceptiveField: 20,
    trainingExamples: 50000,
    maxParamsPerExample: 1,
    loss: "meanSquaredError",
    requireRegularization: true,
  });
  const rules = v.map((x) => x.rule);
  assert.deepEqual(rules, ["input", "classes", "maxLayers", "maxParams", "maxFlops", "minReceptiveField", "maxParamsPerExample", "loss", "requireRegularization"]);
  assert.match(v[3].message, /215\.4K parameters, over the budget of 100\.0K: layer 5 \(dense 128 relu\)/);
  assert.match(v[5].message, /sees 16x16 input pixels, less than the 20x20/);
  assert.match(v[6].message, /4\.31 per example, over 1/);
  const bad: CnnSpec = {
    input: [28, 28, 1],
    layers: [
      { type: "conv", filters: 4, kernel: 5 },
      { type: "dense", units: 10 },
    ],
  };
  const shape = checkDesign(bad, {});
  assert.equal(shape[0].rule, "shapes");
  assert.equal(shape[0].layer, 1);
  assert.match(shape[0].message, /layer 1 \(dense 10\) needs a flat input but gets \[24, 24, 4\]; add \{ type: "flatten" \}/);
  const tooBig = checkDesign({ input: [4, 4, 1], layers: [{ type: "conv", filters: 1, kernel: 5 }] }, {});
  assert.match(tooBig[0].message, /5x5 \(effective\) kernel does not fit its 4x4 input/);
});

/** A JavaScript object literal in a notebook cell, between `start` and `end` (TypeScript annotations stay outside it). */
function literalIn(notebook: string, cellId: string, start: string, end: string): unknown {
  const nb = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", notebook), "utf8")) as { cells: { id: string; source: string[] }[] };
  const source = nb.cells.find((c) => c.id === cellId)!.source.join("");
  const from = source.indexOf(start);
  assert.ok(from >= 0, `${notebook} cell ${cellId} holds ${start}`);
  const text = source.slice(from + start.length, source.indexOf(end, from));
  // evaluated in an empty context: the literal reaches nothing of this process, so it can only be data
  return vm.runInNewContext(`(${text})`, {}, { filename: `${notebook} ${cellId}` }) as unknown;
}

test("assignment 3 cannot be answered by copying lecture notebook 3's design, and its own solution passes", () => {
  const lectureDesign = literalIn("notebooks/03-cnn-design.ipynb", "cell-05", "const design: CnnSpec = ", ";\nconst violations") as CnnSpec;
  const lectureConstraints = literalIn("notebooks/03-cnn-design.ipynb", "cell-01", "const constraints: DesignConstraints = ", ";\n") as DesignConstraints;
  const constraints = literalIn("assignments/03-cnn-design/03-cnn-design.source.ipynb", "cell-01", "const constraints: DesignConstraints = ", ";\n") as DesignConstraints;
  const solution = literalIn("assignments/03-cnn-design/03-cnn-design.source.ipynb", "cell-09", "  return ", ";\n  // END SOLUTION") as CnnSpec;
  assert.deepEqual(checkDesign(lectureDesign, lectureConstraints), []);
  assert.deepEqual(checkDesign(solution, constraints), []);
  // copied as it is, the lecture's design has the wrong input; with the input changed, too small a receptive field
  assert.deepEqual(
    checkDesign(lectureDesign, constraints).map((v) => v.rule),
    ["input", "minReceptiveField"],
  );
  assert.deepEqual(
    checkDesign({ ...lectureDesign, input: [32, 32, 3] }, constraints).map((v) => v.rule),
    ["minReceptiveField"],
  );
  // the solution's numbers, as its justification states them: 47,466 parameters, receptive field 30
  const rows = analyzeDesign(solution);
  assert.equal(designTotals(rows).params, 47466);
  assert.deepEqual(
    rows.filter((r) => r.layer.type === "conv" || r.layer.type === "pool").map((r) => r.receptiveField[0]),
    [3, 4, 8, 10, 26, 30],
  );
  assert.deepEqual(
    rows.map((r) => r.params).filter((p) => p > 0),
    [448, 4640, 25632, 16416, 330],
  );
});
