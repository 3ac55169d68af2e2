import { test } from "node:test";
import assert from "node:assert/strict";
import { NDArray, argmaxRows, asNDArray, asMask, linspace, rng, concat, stack, zeros, ones, arange } from "./index";
import { JUPYTER_DISPLAY } from "../display";

test("asNDArray converts nested arrays and names the function and argument when ragged", () => {
  const x = asNDArray([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(x.shape, [2, 3]);
  assert.deepEqual(x.toArray(), [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.throws(() => asNDArray([[1, 2], [3]], "rnnStepForward", "prevH"), /Error in rnnStepForward: argument prevH is ragged/);
  assert.deepEqual(asNDArray(Float32Array.of(0.5, 2)).toArray(), [0.5, 2]);
});

test("matmul, transpose, broadcasting and reductions follow numpy", () => {
  const a = asNDArray([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  assert.deepEqual(
    a
      .matmul([
        [1, 0],
        [0, 1],
      ])
      .toArray(),
    a.toArray(),
  );
  assert.deepEqual(a.matmul(a.T).toArray(), [
    [5, 11, 17],
    [11, 25, 39],
    [17, 39, 61],
  ]);
  assert.deepEqual(a.add([10, 20]).toArray(), [
    [11, 22],
    [13, 24],
    [15, 26],
  ]);
  assert.deepEqual(a.mul([[1], [0], [2]]).toArray(), [
    [1, 2],
    [0, 0],
    [10, 12],
  ]);
  assert.deepEqual(a.sum(0).toArray(), [9, 12]);
  assert.deepEqual(a.sum(1, true).shape, [3, 1]);
  assert.equal(a.sum(), 21);
  assert.throws(() => a.matmul([[1, 2, 3]]), /Error in matmul: inner shapes \(2\) and \(1\) of arrays with shapes \[3,2\] and \[1,3\] must match/);
  assert.throws(() => a.add([1, 2, 3]), /Error in add: shapes \[3,2\] and \[3\] cannot be broadcast/);
  const t = arange(24).reshape(2, 3, 4);
  const p = t.transpose([1, 0, 2]);
  assert.deepEqual(p.shape, [3, 2, 4]);
  assert.equal(p.get(2, 1, 3), t.get(1, 2, 3));
});

test("take, slice, assignAt, concat and stack work along any axis", () => {
  const x = arange(24).reshape(2, 3, 4);
  assert.deepEqual(x.take(1, 2).toArray(), [
    [8, 9, 10, 11],
    [20, 21, 22, 23],
  ]);
  assert.deepEqual(x.slice(2, 1, 3).shape, [2, 3, 2]);
  assert.equal(x.slice(2, 1, 3).get(1, 2, 1), 22);
  const h = zeros(2, 3, 4);
  h.assignAt(1, 1, [
    [1, 1, 1, 1],
    [2, 2, 2, 2],
  ]);
  assert.equal(h.get(1, 1, 3), 2);
  assert.equal(h.sum(), 12);
  assert.throws(() => h.assignAt(1, 0, [[1, 2]]), /Error in assignAt: values of shape \[1,2\]/);
  const c = concat([x, x.mul(-1)], 2);
  assert.deepEqual(c.shape, [2, 3, 8]);
  assert.equal(c.get(1, 2, 7), -23);
  const s = stack([x.take(1, 0), x.take(1, 1)], 1);
  assert.deepEqual(s.toArray(), x.slice(1, 0, 2).toArray());
});

test("linspace matches numpy, including the reshape CS231n fixtures use", () => {
  assert.deepEqual(linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1]);
  const w = linspace(-0.4, 0.1, 12, [3, 4]);
  assert.deepEqual(w.shape, [3, 4]);
  assert.equal(w.get(2, 3), 0.1);
  assert.ok(Math.abs(w.get(0, 1) - (-0.4 + 0.5 / 11)) < 1e-15);
});

test("rng is deterministic per seed, and its samples have the right distributions", () => {
  assert.deepEqual(rng(7).randn(3, 2).toArray(), rng(7).randn(3, 2).toArray());
  assert.notDeepEqual(rng(7).randn(3).toArray(), rng(8).randn(3).toArray());
  const z = rng(1).randn(20000);
  assert.ok(Math.abs(z.mean()) < 0.03, `mean ${z.mean()}`);
  assert.ok(Math.abs(z.square().mean() - 1) < 0.05, `variance ${z.square().mean()}`);
  const u = rng(2).rand(10000);
  assert.ok(u.min() >= 0 && u.max() < 1 && Math.abs(u.mean() - 0.5) < 0.02);
  const k = rng(3).randint(2, 5, [1000]);
  assert.ok(k.min() === 2 && k.max() === 4 && k.data.every(Number.isInteger));
  const items = [1, 2, 3, 4, 5, 6];
  assert.deepEqual([...rng(4).shuffle([...items])].sort(), items);
  assert.deepEqual(rng(4).shuffle([...items]), rng(4).shuffle([...items]));
});

test("an NDArray displays as an HTML table, summarised when big", () => {
  const small = asNDArray([
    [1.5, 2],
    [3, 4],
  ]);
  const bundle = small[JUPYTER_DISPLAY]();
  assert.match(String(bundle["text/html"]), /<table/);
  assert.match(String(bundle["text/html"]), /<td>1.5<\/td>/);
  assert.match(String(bundle["text/plain"]), /NDArray \[2,2\]/);
  const big = new NDArray([100, 100]);
  const html = String(big[JUPYTER_DISPLAY]()["text/html"]);
  assert.ok(html.includes("…"));
  assert.ok((html.match(/<tr>/g) ?? []).length <= 8);
  assert.match(String(big), /\.\.\./);
});

test("reshape, zeros and ones take the shape as sizes or as one array, as numpy does", () => {
  // issue 12: x.reshape([2, 3]) failed with "cannot reshape 6 elements into [2,3]"
  const x = arange(6);
  const y = arange(6).reshape(3, 2);
  assert.deepEqual(x.reshape([2, 3]).toArray(), [
    [0, 1, 2],
    [3, 4, 5],
  ]);
  assert.deepEqual(x.reshape(2, 3).toArray(), x.reshape([2, 3]).toArray());
  assert.deepEqual(x.reshape(y.shape).shape, [3, 2]);
  assert.deepEqual(x.reshape([-1, 2]).shape, [3, 2]);
  assert.deepEqual(x.reshape([6]).shape, [6]);
  assert.deepEqual(asNDArray(5).reshape([]).shape, []);
  assert.throws(() => x.reshape([4, 2]), /Error in reshape: cannot reshape an array of shape \[6\] \(6 elements\) into \[4,2\]/);
  assert.throws(
    () => x.reshape([2, 3] as unknown as number, 1),
    /Error in reshape: give the shape as separate sizes reshape\(2, 3\) or as one array reshape\(\[2, 3\]\), got an array \[2,3\] among 2 arguments/,
  );
  assert.deepEqual(zeros([2, 3]).shape, [2, 3]);
  assert.deepEqual(zeros(y.shape).shape, [3, 2]);
  assert.deepEqual(ones([2, 2]).toArray(), [
    [1, 1],
    [1, 1],
  ]);
  assert.deepEqual(ones(3).toArray(), [1, 1, 1]);
});

test("asNDArray names what a wrong element is; asMask reads booleans as 1/0", () => {
  assert.throws(() => asNDArray([[true, false]] as unknown as number[][], "f", "mask"), /Error in f: argument mask must hold numbers, but element \[0,0\] is a boolean \(true\)/);
  assert.throws(() => asNDArray([[1, [2]]], "f", "x"), /Error in f: argument x is ragged: element \[0,1\] is an array but elements of shape \[1,2\] are numbers/);
  assert.throws(() => asNDArray([[1, 2], 3], "f", "x"), /Error in f: argument x is ragged: element \[1\] is a number where an array of length 2 was expected/);
  assert.throws(() => asNDArray([[1, null]] as unknown as number[][], "f", "x"), /element \[0,1\] is null/);
  assert.deepEqual(
    asMask([
      [true, false],
      [false, true],
    ]).toArray(),
    [
      [1, 0],
      [0, 1],
    ],
  );
  assert.deepEqual(asMask([[1, 0]]).toArray(), [[1, 0]]);
  assert.deepEqual(asMask(Uint8Array.of(1, 0, 1)).toArray(), [1, 0, 1]);
  const m = asNDArray([[1, 0]]);
  assert.equal(asMask(m), m, "an NDArray is taken as it is");
  assert.deepEqual(
    arange(4)
      .map((v) => v % 2 === 0)
      .toArray(),
    [1, 0, 1, 0],
  );
});

test("argmaxRows picks each row's largest value, the first one on ties, and wants 2-D", () => {
  assert.deepEqual(argmaxRows(new NDArray([3, 3], Float64Array.from([0.1, 0.7, 0.2, 0.5, 0.5, 0, -3, -2, -1]))), [1, 0, 2]);
  assert.deepEqual(argmaxRows(new NDArray([0, 4])), []);
  assert.throws(() => argmaxRows(new NDArray([4])), /Error in argmaxRows: x must be 2-D \[N, K\], got shape \[4\]/);
});
