/** Permuting axes. */
import { NDArray, ArrayLike, stridesOf, shapeString } from "./ndarray";
import { asNDArray } from "./as-ndarray";

/**
 * Permutes the axes: `out.shape[i] = x.shape[axes[i]]`; by default the axes are reversed
 * (a matrix `[M, N]` becomes `[N, M]`).
 *
 * @example
 * ```ts
 * transpose(x, [1, 0, 2]); // [N, T, D] -> [T, N, D]
 * ```
 */
export function transpose(x: ArrayLike, axes?: number[]): NDArray {
  const X = asNDArray(x, "transpose", "x");
  const ndim = X.ndim;
  const perm = axes ?? X.shape.map((_, i) => ndim - 1 - i);
  const sorted = [...perm].sort((p, q) => p - q);
  if (perm.length !== ndim || sorted.some((p, i) => p !== i)) {
    throw new Error(`Error in transpose: axes [${perm.join(",")}] must be a permutation of 0..${ndim - 1} for an array of shape ${shapeString(X.shape)}`);
  }
  const outShape = perm.map((p) => X.shape[p]);
  const inStrides = stridesOf(X.shape);
  const stepIn = perm.map((p) => inStrides[p]);
  const out = new Float64Array(X.size);
  const index = new Array<number>(ndim).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = X.data[src];
    // advance the output index like an odometer and move the source offset with it
    for (let axis = ndim - 1; axis >= 0; axis--) {
      index[axis]++;
      src += stepIn[axis];
      if (index[axis] < outShape[axis]) break;
      src -= stepIn[axis] * outShape[axis];
      index[axis] = 0;
    }
  }
  return new NDArray(outShape, out);
}
