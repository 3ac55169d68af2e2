/** Turning what a notebook passes (nested numbers or an NDArray) into an NDArray, with clear errors. */
import { NDArray, ArrayLike, NestedNumbers, shapeString } from "./ndarray";

/** Nested booleans, as a comparison gives them: `[[true, false]]`. */
export type NestedBooleans = boolean | NestedBooleans[];

/**
 * What a mask argument accepts: anything {@link ArrayLike} of 0/1 weights, nested booleans
 * (`true` is 1, `false` 0), or the Uint8Array of a boolean tfjs tensor's `dataSync()`.
 */
export type MaskLike = ArrayLike | NestedBooleans | (NestedNumbers | NestedBooleans)[] | Uint8Array;

/** What a value is, for error messages: "a boolean (true)", "a string ("3")", "an array", "null". */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "boolean":
      return `a boolean (${value})`;
    case "string":
      return `a string (${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}...` : value)})`;
    case "undefined":
      return "undefined";
    case "object":
      return `an object (${value.constructor?.name ?? "Object"})`;
    default:
      return `a ${typeof value}`;
  }
}

/**
 * `x` as an {@link NDArray}: an NDArray is returned as is (not copied), nested number arrays are
 * copied into a new one, a number becomes a 0-d array, a Float64Array/Float32Array a 1-D copy.
 *
 * `fnName` and `argName` go into the error message when `x` is ragged or not numeric:
 * "Error in rnnStepForward: argument prevH is ragged: row 1 has length 3 but row 0 has length 4".
 *
 * @example
 * ```ts
 * asNDArray([[1, 2], [3, 4]], "myLayer", "x").shape; // [2, 2]
 * ```
 */
export function asNDArray(x: ArrayLike, fnName = "asNDArray", argName = "x"): NDArray {
  if (x instanceof NDArray) return x;
  if (typeof x === "number") return new NDArray([], Float64Array.of(x));
  if (x instanceof Float64Array || x instanceof Float32Array) return new NDArray([x.length], Float64Array.from(x));
  if (!Array.isArray(x)) {
    const kind = x === null ? "null" : typeof x === "object" ? ((x as object).constructor?.name ?? "object") : typeof x;
    throw new Error(`Error in ${fnName}: argument ${argName} must be an NDArray or nested arrays of numbers, got ${kind}`);
  }
  const shape: number[] = [];
  let probe: NestedNumbers = x;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const data = new Float64Array(shape.reduce((a, b) => a * b, 1));
  let at = 0;
  const fill = (value: NestedNumbers, axis: number, path: number[]): void => {
    if (axis === shape.length) {
      if (Array.isArray(value)) {
        throw new Error(`Error in ${fnName}: argument ${argName} is ragged: element [${path.join(",")}] is an array but elements of shape ${shapeString(shape)} are numbers`);
      }
      if (typeof value !== "number") {
        throw new Error(`Error in ${fnName}: argument ${argName} must hold numbers, but element [${path.join(",")}] is ${describe(value)}`);
      }
      data[at++] = value;
      return;
    }
    if (!Array.isArray(value)) {
      throw new Error(`Error in ${fnName}: argument ${argName} is ragged: element [${path.join(",")}] is ${describe(value)} where an array of length ${shape[axis]} was expected (shape ${shapeString(shape)})`);
    }
    if (value.length !== shape[axis]) {
      throw new Error(`Error in ${fnName}: argument ${argName} is ragged: element [${path.join(",")}] has length ${value.length} but the first one along axis ${axis} has length ${shape[axis]}`);
    }
    for (let i = 0; i < value.length; i++) fill(value[i], axis + 1, [...path, i]);
  };
  fill(x, 0, []);
  return new NDArray(shape, data);
}

/**
 * A mask as an {@link NDArray} of weights: booleans become 1 (`true`) and 0 (`false`), a Uint8Array
 * (a boolean tfjs tensor's `dataSync()`) a 1-D array of 0/1; numbers and NDArrays are taken as they
 * are ({@link asNDArray}, with its errors naming `fnName` and `argName`).
 *
 * @example
 * ```ts
 * asMask([[true, false]], "temporalSoftmaxLoss", "mask").toArray(); // [[1, 0]]
 * ```
 */
export function asMask(mask: MaskLike, fnName = "asMask", argName = "mask"): NDArray {
  if (mask instanceof Uint8Array) return new NDArray([mask.length], Float64Array.from(mask));
  // true -> 1, false -> 0, at any depth
  const toNumbers = (value: unknown): unknown => (typeof value === "boolean" ? Number(value) : Array.isArray(value) ? value.map(toNumbers) : value);
  return asNDArray(toNumbers(mask) as ArrayLike, fnName, argName);
}

/**
 * Checks that `x` has `ndim` axes, naming the function, argument and the expected layout in the error.
 *
 * @example
 * ```ts
 * expectRank(x, 2, "rnnStepForward", "x", "[N, D]");
 * // Error in rnnStepForward: argument x must be 2-D [N, D] but has shape [2,3,4]
 * ```
 */
export function expectRank(x: NDArray, ndim: number, fnName: string, argName: string, layout: string): void {
  if (x.ndim !== ndim) {
    throw new Error(`Error in ${fnName}: argument ${argName} must be ${ndim}-D ${layout} but has shape ${shapeString(x.shape)}`);
  }
}

/**
 * Checks that axis `axisA` of `a` equals axis `axisB` of `b` (the tfjs-style shape message).
 *
 * @example
 * ```ts
 * expectSameDim(x, 1, "x", Wx, 0, "Wx", "rnnStepForward");
 * // Error in rnnStepForward: x's axis 1 (10) and Wx's axis 0 (8) must match; shapes are x [3,10] and Wx [8,4]
 * ```
 */
export function expectSameDim(a: NDArray, axisA: number, nameA: string, b: NDArray, axisB: number, nameB: string, fnName: string): void {
  if (a.shape[axisA] !== b.shape[axisB]) {
    throw new Error(
      `Error in ${fnName}: ${nameA}'s axis ${axisA} (${a.shape[axisA]}) and ${nameB}'s axis ${axisB} (${b.shape[axisB]}) must match; ` +
        `shapes are ${nameA} ${shapeString(a.shape)} and ${nameB} ${shapeString(b.shape)}`,
    );
  }
}
