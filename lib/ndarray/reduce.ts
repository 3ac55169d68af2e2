/** Reductions: sums over all elements or along one axis. */
import { NDArray, shapeString } from "./ndarray";

/** Folds every element of `data` into one number. */
export function reduceAll(data: Float64Array, f: (acc: number, value: number) => number, initial: number): number {
  let acc = initial;
  for (let i = 0; i < data.length; i++) acc = f(acc, data[i]);
  return acc;
}

/**
 * Sum along `axis`: `out[..., j, ...] = sum_i x[..., i, j, ...]`.
 * Shape: `axis` is removed, or kept with size 1 when `keepDims`. `[N, H].sum(0) -> [H]` (the bias gradient).
 *
 * @example
 * ```ts
 * sumAlong(dnextH, 0); // db = dnext_h.sum(axis=0)
 * ```
 */
export function sumAlong(x: NDArray, axis: number, keepDims = false): NDArray {
  const ax = axis < 0 ? axis + x.ndim : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= x.ndim) {
    throw new Error(`Error in sum: axis ${axis} does not exist in an array of shape ${shapeString(x.shape)}`);
  }
  let outer = 1;
  for (let i = 0; i < ax; i++) outer *= x.shape[i];
  let inner = 1;
  for (let i = ax + 1; i < x.ndim; i++) inner *= x.shape[i];
  const n = x.shape[ax];
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const src = (o * n + i) * inner;
      const dst = o * inner;
      for (let j = 0; j < inner; j++) out[dst + j] += x.data[src + j];
    }
  }
  const shape = keepDims ? x.shape.map((d, a) => (a === ax ? 1 : d)) : x.shape.filter((_, a) => a !== ax);
  return new NDArray(shape, out);
}
