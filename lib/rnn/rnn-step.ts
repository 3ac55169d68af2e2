/** One time step of a vanilla RNN: `h_t = tanh(W_hh h_{t-1} + W_xh x_t + b)`. */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";
import { checkRecurrentShapes } from "./check-recurrent-shapes";

/** What {@link rnnStepForward} keeps for the backward pass. */
export interface RnnStepCache {
  x: NDArray;
  prevH: NDArray;
  Wx: NDArray;
  Wh: NDArray;
  nextH: NDArray;
}

/**
 * Vanilla RNN step forward: `nextH = tanh(x Wx + prevH Wh + b)` (the lecture's
 * `h_t = tanh(W_hh h_{t-1} + W_xh x_t)`, with row vectors and a bias).
 *
 * Shapes: `x [N, D]`, `prevH [N, H]`, `Wx [D, H]`, `Wh [H, H]`, `b [H]` -> `nextH [N, H]`.
 *
 * @example
 * ```ts
 * const { nextH, cache } = rnnStepForward(x, prevH, Wx, Wh, b);
 * ```
 */
export function rnnStepForward(x: ArrayLike, prevH: ArrayLike, Wx: ArrayLike, Wh: ArrayLike, b: ArrayLike): { nextH: NDArray; cache: RnnStepCache } {
  const fn = "rnnStepForward";
  const X = asNDArray(x, fn, "x");
  const Hp = asNDArray(prevH, fn, "prevH");
  const WX = asNDArray(Wx, fn, "Wx");
  const WH = asNDArray(Wh, fn, "Wh");
  const B = asNDArray(b, fn, "b");
  checkRecurrentShapes(fn, X, Hp, WX, WH, B, 1);
  // h_t = tanh(x_t Wx + h_{t-1} Wh + b)
  const nextH = X.matmul(WX).add(Hp.matmul(WH)).add(B).tanh();
  return { nextH, cache: { x: X, prevH: Hp, Wx: WX, Wh: WH, nextH } };
}

/**
 * Vanilla RNN step backward. With `a = x Wx + prevH Wh + b` and `nextH = tanh(a)`:
 * `da = dnextH * (1 - nextH^2)`, `dx = da Wx^T`, `dprevH = da Wh^T`, `dWx = x^T da`,
 * `dWh = prevH^T da`, `db = sum_n da`.
 *
 * Shapes: `dnextH [N, H]` -> `dx [N, D]`, `dprevH [N, H]`, `dWx [D, H]`, `dWh [H, H]`, `db [H]`.
 *
 * @example
 * ```ts
 * const { dx, dprevH, dWx, dWh, db } = rnnStepBackward(dnextH, cache);
 * ```
 */
export function rnnStepBackward(dnextH: ArrayLike, cache: RnnStepCache): { dx: NDArray; dprevH: NDArray; dWx: NDArray; dWh: NDArray; db: NDArray } {
  const dNext = asNDArray(dnextH, "rnnStepBackward", "dnextH");
  const { x, prevH, Wx, Wh, nextH } = cache;
  if (dNext.size !== nextH.size) {
    throw new Error(`Error in rnnStepBackward: dnextH has shape [${dNext.shape}] but nextH has shape [${nextH.shape}]; they must match`);
  }
  // d tanh(a) / da = 1 - tanh(a)^2
  const da = nextH
    .square()
    .neg()
    .add(1)
    .mul(dNext.reshape(...nextH.shape));
  return {
    dx: da.matmul(Wx.T),
    dprevH: da.matmul(Wh.T),
    dWx: x.T.matmul(da),
    dWh: prevH.T.matmul(da),
    db: da.sum(0),
  };
}
