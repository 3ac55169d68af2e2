/** One recurrent layer over a sequence, vanilla RNN or LSTM, behind one interface (used by the deep, bidirectional and pyramid layers). */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";
import { rnnForward, rnnBackward, RnnCache } from "./rnn";
import { lstmForward, lstmBackward, LstmCache } from "./lstm";

/** The recurrent cell: a vanilla RNN (`tanh`) or an LSTM (gates i, f, o, g). */
export type CellType = "rnn" | "lstm";

/** Weights of one recurrent layer: `Wx [D, G*H]`, `Wh [H, G*H]`, `b [G*H]` with G = 1 (rnn) or 4 (lstm). */
export interface RecurrentParams {
  Wx: ArrayLike;
  Wh: ArrayLike;
  b: ArrayLike;
}

/** Gradients of one recurrent layer's weights. */
export interface RecurrentGrads {
  dWx: NDArray;
  dWh: NDArray;
  db: NDArray;
}

/** What {@link recurrentForward} keeps. */
export type RecurrentCache = { cell: "rnn"; inner: RnnCache } | { cell: "lstm"; inner: LstmCache };

/**
 * A recurrent layer over a sequence: {@link rnnForward} or {@link lstmForward}.
 *
 * Shapes: `x [N, T, D]`, `h0 [N, H]` -> `h [N, T, H]`.
 *
 * @example
 * ```ts
 * const { h, cache } = recurrentForward("lstm", x, h0, { Wx, Wh, b });
 * ```
 */
export function recurrentForward(cell: CellType, x: ArrayLike, h0: ArrayLike, params: RecurrentParams): { h: NDArray; cache: RecurrentCache } {
  if (cell === "rnn") {
    const { h, cache } = rnnForward(x, h0, params.Wx, params.Wh, params.b);
    return { h, cache: { cell, inner: cache } };
  }
  if (cell === "lstm") {
    const { h, cache } = lstmForward(x, h0, params.Wx, params.Wh, params.b);
    return { h, cache: { cell, inner: cache } };
  }
  throw new Error(`Error in recurrentForward: cell must be "rnn" or "lstm", got "${String(cell)}"`);
}

/**
 * Backward through a layer made by {@link recurrentForward}.
 *
 * Shapes: `dh [N, T, H]` -> `dx [N, T, D]`, `dh0 [N, H]`, and the weight gradients.
 */
export function recurrentBackward(dh: ArrayLike, cache: RecurrentCache): RecurrentGrads & { dx: NDArray; dh0: NDArray } {
  const dH = asNDArray(dh, "recurrentBackward", "dh");
  return cache.cell === "rnn" ? rnnBackward(dH, cache.inner) : lstmBackward(dH, cache.inner);
}

/**
 * The sequence in reverse time order: `out[:, t, :] = x[:, T-1-t, :]`.
 *
 * @example
 * ```ts
 * reverseTime(x); // [N, T, D], last step first
 * ```
 */
export function reverseTime(x: ArrayLike): NDArray {
  const X = asNDArray(x, "reverseTime", "x");
  if (X.ndim !== 3) throw new Error(`Error in reverseTime: x must be 3-D [N, T, D] but has shape [${X.shape}]`);
  const [N, T, D] = X.shape;
  const out = new NDArray(X.shape);
  for (let n = 0; n < N; n++) {
    for (let t = 0; t < T; t++) out.data.set(X.data.subarray((n * T + t) * D, (n * T + t + 1) * D), (n * T + (T - 1 - t)) * D);
  }
  return out;
}
