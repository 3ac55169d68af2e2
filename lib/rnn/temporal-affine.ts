/** An affine layer applied at every time step (hidden states to vocabulary scores). */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray, expectRank, expectSameDim } from "../ndarray/as-ndarray";

/** What {@link temporalAffineForward} keeps for the backward pass. */
export interface TemporalAffineCache {
  x: NDArray;
  w: NDArray;
}

/**
 * Temporal affine forward: `out[n, t, :] = x[n, t, :] w + b` for every step.
 *
 * Shapes: `x [N, T, D]`, `w [D, M]`, `b [M]` -> `out [N, T, M]`.
 *
 * @example
 * ```ts
 * const { out: scores, cache } = temporalAffineForward(h, Wvocab, bVocab); // [N, T, V]
 * ```
 */
export function temporalAffineForward(x: ArrayLike, w: ArrayLike, b: ArrayLike): { out: NDArray; cache: TemporalAffineCache } {
  const fn = "temporalAffineForward";
  const X = asNDArray(x, fn, "x");
  const W = asNDArray(w, fn, "w");
  const B = asNDArray(b, fn, "b");
  expectRank(X, 3, fn, "x", "[N, T, D]");
  expectRank(W, 2, fn, "w", "[D, M]");
  expectRank(B, 1, fn, "b", "[M]");
  expectSameDim(X, 2, "x", W, 0, "w", fn);
  expectSameDim(W, 1, "w", B, 0, "b", fn);
  const [N, T, D] = X.shape;
  // out = x w + b, all N*T rows at once
  const out = X.reshape(N * T, D)
    .matmul(W)
    .add(B)
    .reshape(N, T, W.shape[1]);
  return { out, cache: { x: X, w: W } };
}

/**
 * Temporal affine backward: `dx = dout w^T`, `dw = sum_{n,t} x[n,t]^T dout[n,t]`, `db = sum_{n,t} dout[n,t]`.
 *
 * Shapes: `dout [N, T, M]` -> `dx [N, T, D]`, `dw [D, M]`, `db [M]`.
 *
 * @example
 * ```ts
 * const { dx, dw, db } = temporalAffineBackward(dscores, cache);
 * ```
 */
export function temporalAffineBackward(dout: ArrayLike, cache: TemporalAffineCache): { dx: NDArray; dw: NDArray; db: NDArray } {
  const dOut = asNDArray(dout, "temporalAffineBackward", "dout");
  const { x, w } = cache;
  const [N, T, D] = x.shape;
  const M = w.shape[1];
  if (dOut.ndim !== 3 || dOut.shape[0] !== N || dOut.shape[1] !== T || dOut.shape[2] !== M) {
    throw new Error(`Error in temporalAffineBackward: dout must be [${N},${T},${M}] (the shape of out), got [${dOut.shape}]`);
  }
  const rows = dOut.reshape(N * T, M);
  return {
    dx: rows.matmul(w.T).reshape(N, T, D),
    dw: x.reshape(N * T, D).T.matmul(rows),
    db: rows.sum(0),
  };
}
