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

/**
 * Index of the largest value in each row of a 2-D array (the first one on ties):
 * `out[n] = argmax_k x[n, k]`. Greedy decoding picks the next word this way; accuracy compares it
 * with the label.
 *
 * @example
 * ```ts
 * argmaxRows(new NDArray([2, 3], Float64Array.from([0.1, 0.7, 0.2, 0.5, 0.5, 0]))); // [1, 0]
 * ```
 */
export function argmaxRows(x: NDArray): number[] {
  if (x.ndim !== 2) throw new Error(`Error in argmaxRows: x must be 2-D [N, K], got shape ${shapeString(x.shape)}`);
  const [N, K] = x.shape;
  const out = new Array<number>(N);
  for (let n = 0; n < N; n++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (x.data[n * K + k] > x.data[n * K + best]) best = k;
    out[n] = best;
  }
  return out;
}
