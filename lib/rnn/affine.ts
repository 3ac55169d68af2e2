/** The affine (fully connected) layer `out = x w + b`. */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray, expectRank, expectSameDim } from "../ndarray/as-ndarray";

/** What {@link affineForward} keeps for the backward pass. */
export interface AffineCache {
  x: NDArray;
  w: NDArray;
  b: NDArray;
}

/**
 * Affine layer forward: `out = x w + b`, each example flattened to a row first.
 *
 * Shapes: `x [N, d_1, ..., d_k]` (flattened to `[N, D]`), `w [D, M]`, `b [M]` -> `out [N, M]`.
 *
 * @example
 * ```ts
 * const { out, cache } = affineForward([[1, 2]], [[1, 0, 1], [0, 1, 1]], [0, 0, 1]); // out [[1, 2, 4]]
 * ```
 */
export function affineForward(x: ArrayLike, w: ArrayLike, b: ArrayLike): { out: NDArray; cache: AffineCache } {
  const X = asNDArray(x, "affineForward", "x");
  const W = asNDArray(w, "affineForward", "w");
  const B = asNDArray(b, "affineForward", "b");
  expectRank(W, 2, "affineForward", "w", "[D, M]");
  expectRank(B, 1, "affineForward", "b", "[M]");
  const rows = X.reshape(X.shape[0] ?? 1, -1);
  expectSameDim(rows, 1, "x (flattened)", W, 0, "w", "affineForward");
  expectSameDim(W, 1, "w", B, 0, "b", "affineForward");
  // out = x w + b
  const out = rows.matmul(W).add(B);
  return { out, cache: { x: X, w: W, b: B } };
}

/**
 * Affine layer backward: `dx = dout w^T` (reshaped like x), `dw = x^T dout`, `db = sum_n dout`.
 *
 * Shapes: `dout [N, M]` -> `dx` like x, `dw [D, M]`, `db [M]`.
 *
 * @example
 * ```ts
 * const { dx, dw, db } = affineBackward(dout, cache);
 * ```
 */
export function affineBackward(dout: ArrayLike, cache: AffineCache): { dx: NDArray; dw: NDArray; db: NDArray } {
  const dOut = asNDArray(dout, "affineBackward", "dout");
  const { x, w } = cache;
  const rows = x.reshape(x.shape[0] ?? 1, -1);
  expectRank(dOut, 2, "affineBackward", "dout", "[N, M]");
  expectSameDim(dOut, 1, "dout", w, 1, "w", "affineBackward");
  const dx = dOut.matmul(w.T).reshape(...x.shape);
  const dw = rows.T.matmul(dOut);
  const db = dOut.sum(0);
  return { dx, dw, db };
}
