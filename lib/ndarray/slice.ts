/** Reading and writing along one axis: numpy's `x[:, t, :]`, `x[:, a:b]`, `h[:, t, :] = v`. */
import { NDArray, ArrayLike, shapeString } from "./ndarray";
import { asNDArray } from "./as-ndarray";

function checkAxis(x: NDArray, axis: number, fnName: string): number {
  const a = axis < 0 ? axis + x.ndim : axis;
  if (!Number.isInteger(a) || a < 0 || a >= x.ndim) {
    throw new Error(`Error in ${fnName}: axis ${axis} does not exist in an array of shape ${shapeString(x.shape)}`);
  }
  return a;
}

/** Sizes before, along and after `axis`: the array viewed as `[outer, n, inner]`. */
function split(x: NDArray, axis: number): [number, number, number] {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= x.shape[i];
  let inner = 1;
  for (let i = axis + 1; i < x.ndim; i++) inner *= x.shape[i];
  return [outer, x.shape[axis], inner];
}

/**
 * Elements `start <= i < end` along `axis` (negative values count from the end).
 * Shape: `axis` shrinks to `end - start`.
 *
 * @example
 * ```ts
 * sliceAlong(x, 1, 0, 5); // numpy x[:, 0:5]
 * ```
 */
export function sliceAlong(x: ArrayLike, axis: number, start: number, end?: number): NDArray {
  const X = asNDArray(x, "slice", "x");
  const ax = checkAxis(X, axis, "slice");
  const [outer, n, inner] = split(X, ax);
  const s = Math.max(0, Math.min(n, start < 0 ? start + n : start));
  const e = Math.max(s, Math.min(n, end === undefined ? n : end < 0 ? end + n : end));
  const len = e - s;
  const out = new Float64Array(outer * len * inner);
  for (let o = 0; o < outer; o++) {
    out.set(X.data.subarray((o * n + s) * inner, (o * n + e) * inner), o * len * inner);
  }
  const shape = [...X.shape];
  shape[ax] = len;
  return new NDArray(shape, out);
}

/**
 * The sub-array at `index` along `axis`, with that axis removed.
 * Shape: `[N, T, D].take(1, t) -> [N, D]`.
 *
 * @example
 * ```ts
 * takeAlong(x, 1, t); // numpy x[:, t, :]
 * ```
 */
export function takeAlong(x: ArrayLike, axis: number, index: number): NDArray {
  const X = asNDArray(x, "take", "x");
  const ax = checkAxis(X, axis, "take");
  const n = X.shape[ax];
  const i = index < 0 ? index + n : index;
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new Error(`Error in take: index ${index} is out of range for axis ${axis} of size ${n} (shape ${shapeString(X.shape)})`);
  }
  const sliced = sliceAlong(X, ax, i, i + 1);
  return sliced.reshape(...X.shape.filter((_, a) => a !== ax));
}

/**
 * Writes `values` at `index` along `axis` of `target`, in place.
 * Shape: `values` has `target`'s shape without `axis`.
 *
 * @example
 * ```ts
 * assignAlong(h, 1, t, nextH); // numpy h[:, t, :] = next_h
 * ```
 */
export function assignAlong(target: NDArray, axis: number, index: number, values: ArrayLike): void {
  const ax = checkAxis(target, axis, "assignAt");
  const V = asNDArray(values, "assignAt", "values");
  const [outer, n, inner] = split(target, ax);
  const expected = target.shape.filter((_, a) => a !== ax);
  if (V.size !== outer * inner || (V.ndim !== expected.length && V.size !== 1) || V.shape.some((d, a) => d !== expected[a])) {
    throw new Error(`Error in assignAt: values of shape ${shapeString(V.shape)} do not fit axis ${axis} of an array of shape ${shapeString(target.shape)}; expected ${shapeString(expected)}`);
  }
  const i = index < 0 ? index + n : index;
  if (!Number.isInteger(i) || i < 0 || i >= n) {
    throw new Error(`Error in assignAt: index ${index} is out of range for axis ${axis} of size ${n} (shape ${shapeString(target.shape)})`);
  }
  for (let o = 0; o < outer; o++) {
    target.data.set(V.data.subarray(o * inner, (o + 1) * inner), (o * n + i) * inner);
  }
}

/**
 * Joins arrays along an existing `axis`; all other axes must match.
 *
 * @example
 * ```ts
 * concat([hForward, hBackward], 2); // [N, T, H] and [N, T, H] -> [N, T, 2H]
 * ```
 */
export function concat(arrays: ArrayLike[], axis: number): NDArray {
  if (arrays.length === 0) throw new Error("Error in concat: needs at least one array");
  const Xs = arrays.map((a, i) => asNDArray(a, "concat", `arrays[${i}]`));
  const first = Xs[0];
  const ax = checkAxis(first, axis, "concat");
  for (let k = 1; k < Xs.length; k++) {
    const X = Xs[k];
    if (X.ndim !== first.ndim || X.shape.some((d, a) => a !== ax && d !== first.shape[a])) {
      throw new Error(`Error in concat: arrays[${k}] has shape ${shapeString(X.shape)} but arrays[0] has shape ${shapeString(first.shape)}; all axes except ${axis} must match`);
    }
  }
  const shape = [...first.shape];
  shape[ax] = Xs.reduce((total, X) => total + X.shape[ax], 0);
  const [outer, , inner] = split(first, ax);
  const out = new Float64Array(shape.reduce((p, q) => p * q, 1));
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const X of Xs) {
      const chunk = X.shape[ax] * inner;
      out.set(X.data.subarray(o * chunk, (o + 1) * chunk), at);
      at += chunk;
    }
  }
  return new NDArray(shape, out);
}

/**
 * Stacks same-shaped arrays along a new `axis`.
 *
 * @example
 * ```ts
 * stack(hs, 1); // T arrays of [N, H] -> [N, T, H]
 * ```
 */
export function stack(arrays: ArrayLike[], axis = 0): NDArray {
  if (arrays.length === 0) throw new Error("Error in stack: needs at least one array");
  const Xs = arrays.map((a, i) => asNDArray(a, "stack", `arrays[${i}]`));
  const shape = [...Xs[0].shape];
  const ax = axis < 0 ? axis + shape.length + 1 : axis;
  if (ax < 0 || ax > shape.length) throw new Error(`Error in stack: axis ${axis} is out of range for arrays of shape ${shapeString(shape)}`);
  Xs.forEach((X, k) => {
    if (X.ndim !== shape.length || X.shape.some((d, a) => d !== shape[a])) {
      throw new Error(`Error in stack: arrays[${k}] has shape ${shapeString(X.shape)} but arrays[0] has shape ${shapeString(shape)}; all must match`);
    }
  });
  const expanded = [...shape];
  expanded.splice(ax, 0, 1);
  return concat(
    Xs.map((X) => X.reshape(...expanded)),
    ax,
  );
}
