import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { parseIdx, loadMnist, take, batches, batchCount, toTensors, toFloat64, digitGrid, permutation, IDX_LABELS_MAGIC, IDX_IMAGES_MAGIC } from "./index";
import { JUPYTER_DISPLAY } from "../display";

function idxBytes(magic: number, dims: number[], data: number[]): Uint8Array {
  const out = Buffer.alloc(4 + 4 * dims.length + data.length);
  out.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => out.writeUInt32BE(d, 4 + 4 * i));
  Buffer.from(data).copy(out, 4 + 4 * dims.length);
  return out;
}

test("parseIdx reads a well-formed file: shape from big-endian dims, data after the header", () => {
  const parsed = parseIdx(idxBytes(IDX_IMAGES_MAGIC, [2, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), "tiny", IDX_IMAGES_MAGIC);
  assert.deepEqual(parsed.shape, [2, 2, 3]);
  assert.deepEqual(Array.from(parsed.data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test("parseIdx names the file and the byte offset of truncated and corrupt files", () => {
  const good = idxBytes(IDX_LABELS_MAGIC, [5], [1, 2, 3, 4, 5]);
  assert.throws(() => parseIdx(good.subarray(0, 11), "labels.idx"), /"labels\.idx" is truncated at byte offset 11.*ending at offset 13/);
  assert.throws(() => parseIdx(good.subarray(0, 6), "labels.idx"), /"labels\.idx" is truncated at byte offset 6/);
  assert.throws(() => parseIdx(good.subarray(0, 2), "labels.idx"), /truncated at byte offset 2/);
  const gz = Uint8Array.from(good);
  gz[0] = 0x1f;
  assert.throws(() => parseIdx(gz, "x.gz"), /"x\.gz" is corrupt at byte offset 0/);
  const badType = Uint8Array.from(good);
  badType[2] = 0x0d;
  assert.throws(() => parseIdx(badType, "f"), /corrupt at byte offset 2: data type 0x0d/);
  assert.throws(() => parseIdx(good, "labels.idx", IDX_IMAGES_MAGIC), /magic number 2049 at byte offset 0, expected 2051/);
  assert.throws(() => parseIdx(Buffer.concat([good, Buffer.from([9])]), "long"), /corrupt at byte offset 13: 1 unexpected bytes/);
});

test("loadMnist: 50K/10K seeded split of the training file, 10K test, unit normalisation", () => {
  const a = loadMnist({ seed: 7 });
  assert.equal(a.train.count, 50000);
  assert.equal(a.validation.count, 10000);
  assert.equal(a.test.count, 10000);
  assert.equal(a.train.images.length, 50000 * 784);
  // train and validation are disjoint and together cover 0..59999
  const seen = new Uint8Array(60000);
  for (const i of a.train.sourceIndex) seen[i]++;
  for (const i of a.validation.sourceIndex) seen[i]++;
  assert.ok(seen.every((v) => v === 1));
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < 784 * 100; i++) { lo = Math.min(lo, a.train.images[i]); hi = Math.max(hi, a.train.images[i]); }
  assert.equal(lo, 0);
  assert.equal(hi, 1);
  // the well-known first test label of MNIST is 7, then 2, 1, 0
  assert.deepEqual(Array.from(a.test.labels.subarray(0, 4)), [7, 2, 1, 0]);
  // same seed, same split; another seed, another split
  const b = loadMnist({ seed: 7 });
  assert.deepEqual(Array.from(b.validation.sourceIndex.subarray(0, 50)), Array.from(a.validation.sourceIndex.subarray(0, 50)));
  const c = loadMnist({ seed: 8, validationSize: 5000, normalization: "standardize" });
  assert.equal(c.train.count, 55000);
  assert.notDeepEqual(Array.from(c.validation.sourceIndex.subarray(0, 50)), Array.from(a.validation.sourceIndex.subarray(0, 50)));
  // standardized training pixels have mean ~0 and std ~1 (tolerance 1e-3)
  let s = 0, s2 = 0;
  for (const v of c.train.images) { s += v; s2 += v * v; }
  const n = c.train.images.length;
  assert.ok(Math.abs(s / n) < 1e-3 && Math.abs(Math.sqrt(s2 / n - (s / n) ** 2) - 1) < 1e-3);
  assert.throws(() => loadMnist({ validationSize: 60000 }), /validationSize 60000 must be an integer in \[0, 59999\]/);
});

test("batches: seeded order, every example once per epoch, sizes and permutation determinism", () => {
  const set = take(loadMnist().validation, 130);
  const seen = new Uint8Array(130);
  const sizes: number[] = [];
  for (const batch of batches(set, 32, { seed: 3 })) {
    sizes.push(batch.size);
    batch.exampleIndex.forEach((i, k) => {
      seen[i]++;
      assert.equal(batch.labels[k], set.labels[i]);
      assert.equal(batch.images[k * 784 + 400], set.images[i * 784 + 400]);
    });
  }
  assert.deepEqual(sizes, [32, 32, 32, 32, 2]);
  assert.ok(seen.every((v) => v === 1));
  assert.equal(batchCount(130, 32, true), 4);
  assert.deepEqual([...batches(set, 32, { dropLast: true })].map((b) => b.size), [32, 32, 32, 32]);
  assert.deepEqual(Array.from(permutation(10, 5)), Array.from(permutation(10, 5)));
  assert.notDeepEqual(Array.from(permutation(10, 5)), Array.from(permutation(10, 6)));
});

test("toTensors and toFloat64 carry the same numbers; digitGrid displays PNG and ASCII", () => {
  const set = take(loadMnist().test, 8);
  const { xs, ys, labels } = toTensors(set);
  assert.deepEqual(xs.shape, [8, 28, 28, 1]);
  assert.deepEqual(ys.shape, [8, 10]);
  assert.deepEqual(Array.from(labels.dataSync()), Array.from(set.labels));
  assert.equal(ys.argMax(1).dataSync()[0], 7);
  const f = toFloat64(set);
  assert.deepEqual(f.shape, [8, 784]);
  assert.equal(f.X[300], xs.dataSync()[300]);
  tf.dispose([xs, ys, labels]);
  const grid = digitGrid(set, { count: 4, columns: 2, predictions: [7, 2, 1, 9] });
  const bundle = grid[JUPYTER_DISPLAY]();
  const png = Buffer.from(bundle["image/png"] as string, "base64");
  assert.deepEqual(Array.from(png.subarray(1, 4)), [80, 78, 71]); // "PNG"
  assert.match(bundle["text/html"] as string, /9\(0\)/); // wrong prediction marked pred(label)
  assert.match(bundle["text/plain"] as string, /@/);
  assert.throws(() => digitGrid(set, { indices: [9] }), /index 9 is outside the "test" split \(0\.\.7\)/);
});
