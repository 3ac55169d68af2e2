/** CS231n's relative error between two arrays. */
import { ArrayLike, shapeString } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";

/**
 * Relative error, as in CS231n: `max_i |x_i - y_i| / max(1e-8, |x_i| + |y_i|)`.
 *
 * Shapes: `x` and `y` must have the same shape (a number compares with a number).
 * In float64, CS231n expects about 1e-7 or less for a correct layer, 1e-2 or more for a bug.
 *
 * @example
 * ```ts
 * relError([1, 2], [1, 2.000001]); // 2.5e-7
 * ```
 */
export function relError(x: ArrayLike, y: ArrayLike): number {
  const X = asNDArray(x, "relError", "x");
  const Y = asNDArray(y, "relError", "y");
  if (X.size !== Y.size || (X.ndim !== Y.ndim && X.size !== 1) || X.shape.some((d, i) => d !== Y.shape[i])) {
    throw new Error(`Error in relError: x and y must have the same shape, got ${shapeString(X.shape)} and ${shapeString(Y.shape)}`);
  }
  let worst = 0;
  for (let i = 0; i < X.size; i++) {
    const a = X.data[i];
    const b = Y.data[i];
    // |x - y| / max(1e-8, |x| + |y|)
    const e = Math.abs(a - b) / Math.max(1e-8, Math.abs(a) + Math.abs(b));
    if (!(e <= worst)) worst = e; // NaN propagates as the worst error
  }
  return worst;
}
