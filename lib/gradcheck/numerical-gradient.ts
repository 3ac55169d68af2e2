/** Numerical gradients by centered differences, the reference every backward pass is checked against. */
import { NDArray, ArrayLike, shapeString } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";

/**
 * The numerical gradient of a scalar function at `x` by centered differences:
 * `df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2h)`.
 *
 * `f` is called with `x` itself, changed in place one element at a time and restored after.
 * Shape: the gradient has the shape of `x`.
 *
 * @example
 * ```ts
 * const x = asNDArray([1, 2]);
 * evalNumericalGradient((v) => v.square().sum(), x); // ~[2, 4]
 * ```
 */
export function evalNumericalGradient(f: (x: NDArray) => number, x: ArrayLike, h = 1e-5): NDArray {
  const X = asNDArray(x, "evalNumericalGradient", "x");
  const grad = new NDArray(X.shape);
  for (let i = 0; i < X.size; i++) {
    const old = X.data[i];
    X.data[i] = old + h;
    const fxph = f(X);
    X.data[i] = old - h;
    const fxmh = f(X);
    X.data[i] = old;
    if (typeof fxph !== "number" || typeof fxmh !== "number") {
      throw new Error("Error in evalNumericalGradient: f must return a number (a scalar loss); for an array output use evalNumericalGradientArray(f, x, df)");
    }
    // (f(x + h) - f(x - h)) / 2h
    grad.data[i] = (fxph - fxmh) / (2 * h);
  }
  return grad;
}

/**
 * The numerical gradient of `sum(f(x) * df)` at `x`: the gradient that flows back to `x` when the
 * upstream gradient on the array output `f(x)` is `df`.
 * `dx_i ~ sum((f(x + h e_i) - f(x - h e_i)) * df) / (2h)`.
 *
 * Shapes: `df` has the shape of `f(x)`; the result has the shape of `x`.
 *
 * @example
 * ```ts
 * const dxNum = evalNumericalGradientArray((xx) => rnnStepForward(xx, prevH, Wx, Wh, b).nextH, x, dnextH);
 * ```
 */
export function evalNumericalGradientArray(f: (x: NDArray) => NDArray, x: ArrayLike, df: ArrayLike, h = 1e-5): NDArray {
  const X = asNDArray(x, "evalNumericalGradientArray", "x");
  const dF = asNDArray(df, "evalNumericalGradientArray", "df");
  const grad = new NDArray(X.shape);
  for (let i = 0; i < X.size; i++) {
    const old = X.data[i];
    X.data[i] = old + h;
    const pos = asNDArray(f(X), "evalNumericalGradientArray", "f(x)").copy();
    X.data[i] = old - h;
    const neg = asNDArray(f(X), "evalNumericalGradientArray", "f(x)");
    X.data[i] = old;
    if (pos.size !== dF.size) {
      throw new Error(`Error in evalNumericalGradientArray: df has shape ${shapeString(dF.shape)} but f(x) has shape ${shapeString(pos.shape)}; they must match`);
    }
    // sum((f(x + h) - f(x - h)) * df) / 2h
    let s = 0;
    for (let j = 0; j < pos.size; j++) s += (pos.data[j] - neg.data[j]) * dF.data[j];
    grad.data[i] = s / (2 * h);
  }
  return grad;
}
