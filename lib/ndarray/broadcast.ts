/** Elementwise binary operations with numpy broadcasting. */
import { NDArray, ArrayLike, stridesOf, shapeString } from "./ndarray";
import { asNDArray } from "./as-ndarray";

/** An elementwise function of two numbers. */
export type BinaryFn = (a: number, b: number) => number;

/**
 * The broadcast shape of two shapes (numpy's rule: align on the right; each pair of sizes must
 * be equal or one of them 1). `[N, H]` and `[H]` give `[N, H]`.
 */
export function broadcastShapes(a: readonly number[], b: readonly number[], fnName: string): number[] {
  const ndim = Math.max(a.length, b.length);
  const out = new Array<number>(ndim);
  for (let i = 0; i < ndim; i++) {
    const da = a[a.length - ndim + i] ?? 1;
    const db = b[b.length - ndim + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`Error in ${fnName}: shapes ${shapeString(a)} and ${shapeString(b)} cannot be broadcast together (axis ${i} from the left of the result: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * `out = f(a, b)` elementwise with broadcasting, e.g. `[N, H] + [H]` adds the bias to every row.
 *
 * @example
 * ```ts
 * binaryOp([[1, 2], [3, 4]], [10, 20], (p, q) => p + q, "add").toArray(); // [[11, 22], [13, 24]]
 * ```
 */
export function binaryOp(a: ArrayLike, b: ArrayLike, f: BinaryFn, fnName: string): NDArray {
  const A = asNDArray(a, fnName, "a");
  const B = asNDArray(b, fnName, "b");
  // Fast paths: same shape, or a scalar on either side.
  if (A.size === B.size && A.ndim === B.ndim && A.shape.every((d, i) => d === B.shape[i])) {
    const out = new Float64Array(A.size);
    for (let i = 0; i < out.length; i++) out[i] = f(A.data[i], B.data[i]);
    return new NDArray(A.shape, out);
  }
  if (B.size === 1 && B.ndim <= A.ndim) {
    const s = B.data[0];
    const out = new Float64Array(A.size);
    for (let i = 0; i < out.length; i++) out[i] = f(A.data[i], s);
    return new NDArray(A.shape, out);
  }
  if (A.size === 1 && A.ndim <= B.ndim) {
    const s = A.data[0];
    const out = new Float64Array(B.size);
    for (let i = 0; i < out.length; i++) out[i] = f(s, B.data[i]);
    return new NDArray(B.shape, out);
  }
  const shape = broadcastShapes(A.shape, B.shape, fnName);
  const ndim = shape.length;
  // Strides of A and B in the result's axes; 0 where an axis is broadcast.
  const stridesFor = (X: NDArray): number[] => {
    const own = stridesOf(X.shape);
    return shape.map((_, i) => {
      const axis = X.ndim - ndim + i;
      return axis < 0 || X.shape[axis] === 1 ? 0 : own[axis];
    });
  };
  const sa = stridesFor(A);
  const sb = stridesFor(B);
  const out = new Float64Array(shape.reduce((p, q) => p * q, 1));
  const index = new Array<number>(ndim).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = f(A.data[ia], B.data[ib]);
    for (let axis = ndim - 1; axis >= 0; axis--) {
      index[axis]++;
      ia += sa[axis];
      ib += sb[axis];
      if (index[axis] < shape[axis]) break;
      ia -= sa[axis] * shape[axis];
      ib -= sb[axis] * shape[axis];
      index[axis] = 0;
    }
  }
  return new NDArray(shape, out);
}
