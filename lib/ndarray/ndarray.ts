/**
 * The float64 n-dimensional array the from-scratch layers are written with. tfjs has no float64,
 * and gradient checks need it, so the layers students implement (RNN, LSTM, optimizers) use this
 * small row-major array instead.
 */
import { inspect } from "util";
import { JUPYTER_DISPLAY, MimeBundle } from "../display";
import { ndarrayBundle, formatNDArray } from "./display";
import { matmul } from "./matmul";
import { transpose } from "./transpose";
import { binaryOp, BinaryFn } from "./broadcast";
import { takeAlong, sliceAlong, assignAlong } from "./slice";
import { sumAlong, reduceAll } from "./reduce";

/** A nested array of numbers, as written in a notebook: `[[1, 2], [3, 4]]`. */
export type NestedNumbers = number | NestedNumbers[];

/**
 * What every library function accepts as an array argument: an `NDArray`, nested numbers, or a
 * flat typed array (read as 1-D, e.g. a tfjs tensor's `dataSync()`).
 */
export type ArrayLike = NDArray | NestedNumbers | Float64Array | Float32Array;

/** Number of elements of an array of `shape` (1 for a scalar `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Row-major strides of `shape`: `[3, 4] -> [4, 1]`. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

/** Writes a shape the way error messages show it: `[2,3]`. */
export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/**
 * A shape given either way numpy takes one: separate sizes `(2, 3)` or one array `([2, 3])`, e.g.
 * another array's `shape`. `fnName` goes into the error for a mix of both or a non-number.
 *
 * @example
 * ```ts
 * shapeArgument([[2, 3]], "reshape"); // [2, 3]
 * shapeArgument([2, 3], "reshape");   // [2, 3]
 * ```
 */
export function shapeArgument(args: readonly (number | readonly number[])[], fnName: string): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return [...(args[0] as readonly number[])];
  const sizes: number[] = [];
  for (const arg of args) {
    if (typeof arg !== "number") {
      const got = Array.isArray(arg) ? `an array [${arg.join(",")}] among ${args.length} arguments` : typeof arg;
      throw new Error(`Error in ${fnName}: give the shape as separate sizes ${fnName}(2, 3) or as one array ${fnName}([2, 3]), got ${got}`);
    }
    sizes.push(arg);
  }
  return sizes;
}

/**
 * A row-major float64 n-d array.
 *
 * `shape` lists the size of each axis; `data` holds the elements with the last axis fastest.
 * Methods return new arrays (except those named `assign...`/`set`), so layer code reads like the
 * numpy of the CS231n assignments: `x.matmul(Wx).add(prevH.matmul(Wh)).add(b).tanh()`.
 *
 * @example
 * ```ts
 * const a = new NDArray([2, 2], Float64Array.from([1, 2, 3, 4]));
 * a.matmul(a.T).toArray(); // [[5, 11], [11, 25]]
 * ```
 */
export class NDArray {
  /** Size of each axis: `[N, T, D]`. */
  readonly shape: number[];
  /** The elements in row-major order (length = product of `shape`). */
  readonly data: Float64Array;

  constructor(shape: readonly number[], data?: Float64Array) {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) {
        throw new Error(`Error in NDArray: shape ${shapeString(shape)} must hold non-negative integers`);
      }
    }
    this.shape = [...shape];
    const size = sizeOf(shape);
    if (data === undefined) {
      this.data = new Float64Array(size);
    } else {
      if (data.length !== size) {
        throw new Error(`Error in NDArray: shape ${shapeString(shape)} needs ${size} elements but data has ${data.length}`);
      }
      this.data = data;
    }
  }

  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** The transpose (axes reversed); for a matrix `[M, N] -> [N, M]`. */
  get T(): NDArray {
    return transpose(this);
  }

  /** Nested plain arrays (a 0-d array gives its number). */
  toArray(): NestedNumbers {
    if (this.shape.length === 0) return this.data[0];
    const build = (axis: number, offset: number, strides: number[]): NestedNumbers[] => {
      const out: NestedNumbers[] = [];
      for (let i = 0; i < this.shape[axis]; i++) {
        const at = offset + i * strides[axis];
        out.push(axis === this.shape.length - 1 ? this.data[at] : build(axis + 1, at, strides));
      }
      return out;
    };
    return build(0, 0, stridesOf(this.shape));
  }

  /** The flat offset of an index, with bounds checks naming `fnName`. */
  private offset(index: readonly number[], fnName: string): number {
    if (index.length !== this.shape.length) {
      throw new Error(`Error in ${fnName}: index [${index.join(",")}] has ${index.length} entries but the array has shape ${shapeString(this.shape)}`);
    }
    let at = 0;
    const strides = stridesOf(this.shape);
    for (let axis = 0; axis < index.length; axis++) {
      const i = index[axis] < 0 ? index[axis] + this.shape[axis] : index[axis];
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[axis]) {
        throw new Error(`Error in ${fnName}: index ${index[axis]} is out of range for axis ${axis} of size ${this.shape[axis]} (shape ${shapeString(this.shape)})`);
      }
      at += i * strides[axis];
    }
    return at;
  }

  /** The element at `index` (negative indices count from the end). `a.get(0, 1)` */
  get(...index: number[]): number {
    return this.data[this.offset(index, "NDArray.get")];
  }

  /** Writes `value` at `index`, in place. `a.set(5, 0, 1)` sets `a[0, 1] = 5`. */
  set(value: number, ...index: number[]): void {
    this.data[this.offset(index, "NDArray.set")] = value;
  }

  /** A copy with its own data. */
  copy(): NDArray {
    return new NDArray(this.shape, Float64Array.from(this.data));
  }

  /**
   * The same elements with a new shape, given as sizes or as one array (numpy takes both); one
   * entry may be -1 (inferred). `x.reshape(N, -1)`, `x.reshape([2, 3])`, `x.reshape(y.shape)`
   */
  reshape(shape: readonly number[]): NDArray;
  reshape(...shape: number[]): NDArray;
  reshape(...args: (number | readonly number[])[]): NDArray {
    const shape = shapeArgument(args, "reshape");
    const known = shape.filter((d) => d !== -1);
    const inferred = shape.length - known.length;
    if (inferred > 1) throw new Error(`Error in reshape: at most one axis may be -1, got ${shapeString(shape)}`);
    const knownSize = sizeOf(known);
    const full = shape.map((d) => (d === -1 ? (knownSize === 0 ? 0 : this.size / knownSize) : d));
    if (sizeOf(full) !== this.size || full.some((d) => !Number.isInteger(d))) {
      throw new Error(`Error in reshape: cannot reshape an array of shape ${shapeString(this.shape)} (${this.size} elements) into ${shapeString(shape)}`);
    }
    return new NDArray(full, this.data);
  }

  /** Matrix product `[M, K] x [K, N] -> [M, N]` (see {@link matmul}). */
  matmul(other: ArrayLike): NDArray {
    return matmul(this, other);
  }

  /** Axes permuted (reversed by default): `transpose([0, 2, 1])` swaps the last two of three. */
  transpose(axes?: number[]): NDArray {
    return transpose(this, axes);
  }

  /** Elementwise `this + other` with numpy broadcasting (e.g. `[N, H] + [H]`). */
  add(other: ArrayLike): NDArray {
    return binaryOp(this, other, add, "add");
  }

  /** Elementwise `this - other` with numpy broadcasting. */
  sub(other: ArrayLike): NDArray {
    return binaryOp(this, other, sub, "sub");
  }

  /** Elementwise `this * other` with numpy broadcasting. */
  mul(other: ArrayLike): NDArray {
    return binaryOp(this, other, mul, "mul");
  }

  /** Elementwise `this / other` with numpy broadcasting. */
  div(other: ArrayLike): NDArray {
    return binaryOp(this, other, div, "div");
  }

  /** Elementwise maximum with numpy broadcasting (`x.maximum(0)` is ReLU). */
  maximum(other: ArrayLike): NDArray {
    return binaryOp(this, other, Math.max, "maximum");
  }

  /**
   * Elementwise `f(x)`. `x.map(v => v * v)`; a boolean result is stored as 1/0, so
   * `y.map(w => w !== NULL)` is a mask (numpy's `y != NULL`).
   */
  map(f: (value: number, flatIndex: number) => number | boolean): NDArray {
    const out = new Float64Array(this.size);
    for (let i = 0; i < out.length; i++) out[i] = Number(f(this.data[i], i));
    return new NDArray(this.shape, out);
  }

  /** `-x` */
  neg(): NDArray {
    return this.map((v) => -v);
  }

  /** `tanh(x)` elementwise. */
  tanh(): NDArray {
    return this.map(Math.tanh);
  }

  /** `sigmoid(x) = 1 / (1 + exp(-x))` elementwise, computed stably for large |x|. */
  sigmoid(): NDArray {
    return this.map(sigmoid);
  }

  /** `exp(x)` elementwise. */
  exp(): NDArray {
    return this.map(Math.exp);
  }

  /** Natural `log(x)` elementwise. */
  log(): NDArray {
    return this.map(Math.log);
  }

  /** `sqrt(x)` elementwise. */
  sqrt(): NDArray {
    return this.map(Math.sqrt);
  }

  /** `|x|` elementwise. */
  abs(): NDArray {
    return this.map(Math.abs);
  }

  /** `x^2` elementwise. */
  square(): NDArray {
    return this.map((v) => v * v);
  }

  /** `x^p` elementwise. */
  pow(p: number): NDArray {
    return this.map((v) => Math.pow(v, p));
  }

  /** Each element limited to `[low, high]`. */
  clip(low: number, high: number): NDArray {
    return this.map((v) => Math.min(high, Math.max(low, v)));
  }

  /** Sum of all elements. */
  sum(): number;
  /** Sum along `axis`, which is removed (kept with size 1 when `keepDims`). `[N, T, H].sum(1) -> [N, H]` */
  sum(axis: number, keepDims?: boolean): NDArray;
  sum(axis?: number, keepDims = false): number | NDArray {
    if (axis === undefined) return reduceAll(this.data, (acc, v) => acc + v, 0);
    return sumAlong(this, axis, keepDims);
  }

  /** Mean of all elements. */
  mean(): number {
    return this.sum() / this.size;
  }

  /** Largest element. */
  max(): number {
    return reduceAll(this.data, (acc, v) => (v > acc ? v : acc), -Infinity);
  }

  /** Smallest element. */
  min(): number {
    return reduceAll(this.data, (acc, v) => (v < acc ? v : acc), Infinity);
  }

  /** Euclidean (Frobenius) norm `sqrt(sum(x^2))`. */
  norm(): number {
    return Math.sqrt(reduceAll(this.data, (acc, v) => acc + v * v, 0));
  }

  /** The sub-array at `index` along `axis` (that axis removed): `x.take(1, t)` is numpy's `x[:, t, :]`. */
  take(axis: number, index: number): NDArray {
    return takeAlong(this, axis, index);
  }

  /** Elements `start <= i < end` along `axis`: `x.slice(1, 0, 5)` is `x[:, 0:5]`. */
  slice(axis: number, start: number, end?: number): NDArray {
    return sliceAlong(this, axis, start, end);
  }

  /** Writes `values` at `index` along `axis`, in place: `h.assignAt(1, t, nextH)` is `h[:, t, :] = next_h`. */
  assignAt(axis: number, index: number, values: ArrayLike): void {
    assignAlong(this, axis, index, values);
  }

  /** The MIME bundle a notebook shows: 2-D arrays as an HTML table (summarised when big). */
  [JUPYTER_DISPLAY](): MimeBundle {
    return ndarrayBundle(this);
  }

  /** numpy-style text, summarised when big. */
  toString(): string {
    return formatNDArray(this);
  }

  [inspect.custom](): string {
    return formatNDArray(this);
  }
}

/** `1 / (1 + exp(-x))`, written so that neither branch overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const add: BinaryFn = (a, b) => a + b;
const sub: BinaryFn = (a, b) => a - b;
const mul: BinaryFn = (a, b) => a * b;
const div: BinaryFn = (a, b) => a / b;
