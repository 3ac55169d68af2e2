/** Making arrays: zeros, ones, filled, ranges. */
import { NDArray, shapeArgument } from "./ndarray";

/**
 * An array of zeros. `zeros(N, H)` (or `zeros([N, H])`, `zeros(x.shape)`) has shape `[N, H]`.
 *
 * @example
 * ```ts
 * const h0 = zeros(2, 5);
 * ```
 */
export function zeros(shape: readonly number[]): NDArray;
export function zeros(...shape: number[]): NDArray;
export function zeros(...args: (number | readonly number[])[]): NDArray {
  return new NDArray(shapeArgument(args, "zeros"));
}

/** An array of ones. `ones(3)` is `[1, 1, 1]`; `ones([2, 2])` and `ones(2, 2)` are the same. */
export function ones(shape: readonly number[]): NDArray;
export function ones(...shape: number[]): NDArray;
export function ones(...args: (number | readonly number[])[]): NDArray {
  return full(shapeArgument(args, "ones"), 1);
}

/** An array of `shape` with every element `value`. `full([2, 2], 0.5)` */
export function full(shape: number[], value: number): NDArray {
  const out = new NDArray(shape);
  out.data.fill(value);
  return out;
}

/** Zeros with the shape of `x`. */
export function zerosLike(x: NDArray): NDArray {
  return new NDArray(x.shape);
}

/**
 * `num` evenly spaced numbers from `start` to `stop` inclusive (numpy's linspace):
 * `x_i = start + i * (stop - start) / (num - 1)`, with the last one exactly `stop`.
 * With `shape`, the numbers are laid out in that shape (row-major), as CS231n's fixtures do with
 * `np.linspace(-0.1, 0.9, num=N*D).reshape(N, D)`.
 *
 * @example
 * ```ts
 * linspace(0, 1, 5).toArray();            // [0, 0.25, 0.5, 0.75, 1]
 * linspace(-0.4, 0.3, 12, [3, 4]).shape;  // [3, 4]
 * ```
 */
export function linspace(start: number, stop: number, num: number, shape?: number[]): NDArray {
  if (!Number.isInteger(num) || num < 0) throw new Error(`Error in linspace: num must be a non-negative integer, got ${num}`);
  const out = new Float64Array(num);
  const step = num > 1 ? (stop - start) / (num - 1) : 0;
  for (let i = 0; i < num; i++) out[i] = start + i * step;
  if (num > 1) out[num - 1] = stop;
  const x = new NDArray([num], out);
  return shape ? x.reshape(...shape) : x;
}

/**
 * The integers (as float64) `start, start + step, ...` below `stop` (numpy's arange).
 *
 * @example
 * ```ts
 * arange(0, 6).reshape(2, 3);
 * ```
 */
export function arange(start: number, stop?: number, step = 1): NDArray {
  const [from, to] = stop === undefined ? [0, start] : [start, stop];
  if (step === 0) throw new Error("Error in arange: step must not be 0");
  const n = Math.max(0, Math.ceil((to - from) / step));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = from + i * step;
  return new NDArray([n], out);
}
