/** A bidirectional RNN or LSTM: one layer reads left to right, one right to left; their states are merged per step. */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";
import { concat } from "../ndarray/slice";
import { CellType, RecurrentParams, RecurrentGrads, RecurrentCache, recurrentForward, recurrentBackward, reverseTime } from "./recurrent";

/** How the two directions' states are combined at each step: `[h_fwd, h_bwd]`, `h_fwd + h_bwd`, or their mean. */
export type MergeMode = "concat" | "sum" | "average";

/** One direction's initial state and weights. */
export interface DirectionParams extends RecurrentParams {
  h0: ArrayLike;
}

/** What {@link bidirectionalForward} keeps. */
export interface BidirectionalCache {
  merge: MergeMode;
  forward: RecurrentCache;
  backward: RecurrentCache;
  /** Hidden size H of each direction. */
  H: number;
}

/**
 * Bidirectional recurrent forward: `hf = layer_f(x)` left to right, `hb = reverse(layer_b(reverse(x)))`
 * right to left, so `hb[:, t]` has read `x[:, t..T-1]`; merged per step:
 * concat `[hf, hb]`, sum `hf + hb`, or average `(hf + hb) / 2`.
 *
 * Shapes: `x [N, T, D]`, each direction `h0 [N, H]`, `Wx [D, G H]`, `Wh [H, G H]`, `b [G H]` ->
 * `h [N, T, 2H]` (concat) or `[N, T, H]` (sum, average).
 *
 * @example
 * ```ts
 * const { h, cache } = bidirectionalForward("lstm", x, { forward: { h0, Wx, Wh, b }, backward: { h0: h0b, Wx: Wxb, Wh: Whb, b: bb } }, "concat");
 * ```
 */
export function bidirectionalForward(cell: CellType, x: ArrayLike, params: { forward: DirectionParams; backward: DirectionParams }, merge: MergeMode = "concat"): { h: NDArray; cache: BidirectionalCache } {
  if (merge !== "concat" && merge !== "sum" && merge !== "average") {
    throw new Error(`Error in bidirectionalForward: merge must be "concat", "sum" or "average", got "${String(merge)}"`);
  }
  const X = asNDArray(x, "bidirectionalForward", "x");
  const f = recurrentForward(cell, X, params.forward.h0, params.forward);
  const b = recurrentForward(cell, reverseTime(X), params.backward.h0, params.backward);
  const hb = reverseTime(b.h);
  const H = f.h.shape[2];
  if (hb.shape[2] !== H) throw new Error(`Error in bidirectionalForward: both directions need the same hidden size, got forward ${H} and backward ${hb.shape[2]}`);
  // concat: [hf, hb]; sum: hf + hb; average: (hf + hb) / 2
  const h = merge === "concat" ? concat([f.h, hb], 2) : merge === "sum" ? f.h.add(hb) : f.h.add(hb).mul(0.5);
  return { h, cache: { merge, forward: f.cache, backward: b.cache, H } };
}

/**
 * Bidirectional recurrent backward: the merged gradient is split between the directions (halves
 * for concat, copied for sum, halved for average), the backward direction's in reverse time.
 *
 * Shapes: `dh` like `h` -> `dx [N, T, D]`, `forward`/`backward`: `dh0 [N, H]` and weight gradients.
 *
 * @example
 * ```ts
 * const { dx, forward, backward } = bidirectionalBackward(dh, cache);
 * ```
 */
export function bidirectionalBackward(dh: ArrayLike, cache: BidirectionalCache): { dx: NDArray; forward: RecurrentGrads & { dh0: NDArray }; backward: RecurrentGrads & { dh0: NDArray } } {
  const dH = asNDArray(dh, "bidirectionalBackward", "dh");
  const { merge, H } = cache;
  const width = merge === "concat" ? 2 * H : H;
  if (dH.ndim !== 3 || dH.shape[2] !== width) {
    throw new Error(`Error in bidirectionalBackward: dh must be [N, T, ${width}] (the shape of h with merge "${merge}"), got [${dH.shape}]`);
  }
  const dhf = merge === "concat" ? dH.slice(2, 0, H) : merge === "sum" ? dH : dH.mul(0.5);
  const dhb = merge === "concat" ? dH.slice(2, H, 2 * H) : dhf;
  const f = recurrentBackward(dhf, cache.forward);
  const b = recurrentBackward(reverseTime(dhb), cache.backward);
  return {
    dx: f.dx.add(reverseTime(b.dx)),
    forward: { dh0: f.dh0, dWx: f.dWx, dWh: f.dWh, db: f.db },
    backward: { dh0: b.dh0, dWx: b.dWx, dWh: b.dWh, db: b.db },
  };
}
