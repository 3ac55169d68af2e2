/** An LSTM over a whole sequence, and its backpropagation through time. */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";
import { zeros } from "../ndarray/create";
import { lstmStepForward, lstmStepBackward, LstmStepCache } from "./lstm-step";
import { checkSequence } from "./check-recurrent-shapes";

/** What {@link lstmForward} keeps: one step cache per time step. */
export interface LstmCache {
  steps: LstmStepCache[];
  /** Shape of the input sequence `[N, T, D]`. */
  xShape: number[];
  /** The cell state after the last step `[N, H]` (carried between chunks in truncated BPTT). */
  cT: NDArray;
}

/**
 * LSTM forward over a sequence: {@link lstmStepForward} at t = 1..T from `h0` and the cell state
 * `c0` (zeros unless given, as in CS231n).
 *
 * Shapes: `x [N, T, D]`, `h0 [N, H]`, `Wx [D, 4H]`, `Wh [H, 4H]`, `b [4H]`, `c0 [N, H]` -> `h [N, T, H]`.
 *
 * @example
 * ```ts
 * const { h, cache } = lstmForward(x, h0, Wx, Wh, b);
 * ```
 */
export function lstmForward(x: ArrayLike, h0: ArrayLike, Wx: ArrayLike, Wh: ArrayLike, b: ArrayLike, c0?: ArrayLike): { h: NDArray; cache: LstmCache } {
  const X = asNDArray(x, "lstmForward", "x");
  const H0 = asNDArray(h0, "lstmForward", "h0");
  const { N, T } = checkSequence("lstmForward", X, H0);
  const H = H0.shape[1];
  const h = zeros(N, T, H);
  const steps: LstmStepCache[] = [];
  let prevH = H0;
  let prevC = c0 === undefined ? zeros(N, H) : asNDArray(c0, "lstmForward", "c0");
  for (let t = 0; t < T; t++) {
    const { nextH, nextC, cache } = lstmStepForward(X.take(1, t), prevH, prevC, Wx, Wh, b);
    h.assignAt(1, t, nextH);
    steps.push(cache);
    prevH = nextH;
    prevC = nextC;
  }
  return { h, cache: { steps, xShape: X.shape, cT: prevC } };
}

/**
 * LSTM backward through time: at each step the hidden-state gradient is `dh[:, t, :] + dprevH`
 * from step t+1, and the cell gradient `dprevC` from step t+1 (zero after the last step).
 *
 * Shapes: `dh [N, T, H]` -> `dx [N, T, D]`, `dh0 [N, H]`, `dWx [D, 4H]`, `dWh [H, 4H]`, `db [4H]`,
 * and `dc0 [N, H]` (the gradient on the initial cell state).
 *
 * @example
 * ```ts
 * const { dx, dh0, dWx, dWh, db } = lstmBackward(dh, cache);
 * ```
 */
export function lstmBackward(dh: ArrayLike, cache: LstmCache): { dx: NDArray; dh0: NDArray; dWx: NDArray; dWh: NDArray; db: NDArray; dc0: NDArray } {
  const dH = asNDArray(dh, "lstmBackward", "dh");
  const [N, T, D] = cache.xShape;
  const H = cache.cT.shape[1];
  if (dH.ndim !== 3 || dH.shape[0] !== N || dH.shape[1] !== T || dH.shape[2] !== H) {
    throw new Error(`Error in lstmBackward: dh must have the shape of h [${N},${T},${H}], got [${dH.shape}]`);
  }
  const dx = zeros(N, T, D);
  let dWx = zeros(D, 4 * H);
  let dWh = zeros(H, 4 * H);
  let db = zeros(4 * H);
  let dprevH = zeros(N, H);
  let dprevC = zeros(N, H);
  for (let t = T - 1; t >= 0; t--) {
    const step = lstmStepBackward(dH.take(1, t).add(dprevH), dprevC, cache.steps[t]);
    dx.assignAt(1, t, step.dx);
    dWx = dWx.add(step.dWx);
    dWh = dWh.add(step.dWh);
    db = db.add(step.db);
    dprevH = step.dprevH;
    dprevC = step.dprevC;
  }
  return { dx, dh0: dprevH, dWx, dWh, db, dc0: dprevC };
}
