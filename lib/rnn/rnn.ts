/** A vanilla RNN over a whole sequence (unrolled), and full backpropagation through time. */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";
import { zeros } from "../ndarray/create";
import { rnnStepForward, rnnStepBackward, RnnStepCache } from "./rnn-step";
import { checkSequence } from "./check-recurrent-shapes";

/** What {@link rnnForward} keeps: one step cache per time step. */
export interface RnnCache {
  steps: RnnStepCache[];
  /** Shape of the input sequence `[N, T, D]`. */
  xShape: number[];
}

/**
 * Vanilla RNN forward over a sequence: `h_t = tanh(x_t Wx + h_{t-1} Wh + b)` for t = 1..T,
 * starting from `h0`.
 *
 * Shapes: `x [N, T, D]`, `h0 [N, H]`, `Wx [D, H]`, `Wh [H, H]`, `b [H]` -> `h [N, T, H]`.
 *
 * @example
 * ```ts
 * const { h, cache } = rnnForward(x, h0, Wx, Wh, b);
 * ```
 */
export function rnnForward(x: ArrayLike, h0: ArrayLike, Wx: ArrayLike, Wh: ArrayLike, b: ArrayLike): { h: NDArray; cache: RnnCache } {
  const X = asNDArray(x, "rnnForward", "x");
  const H0 = asNDArray(h0, "rnnForward", "h0");
  const { N, T } = checkSequence("rnnForward", X, H0);
  const H = H0.shape[1];
  const h = zeros(N, T, H);
  const steps: RnnStepCache[] = [];
  let prevH = H0;
  for (let t = 0; t < T; t++) {
    const { nextH, cache } = rnnStepForward(X.take(1, t), prevH, Wx, Wh, b);
    h.assignAt(1, t, nextH);
    steps.push(cache);
    prevH = nextH;
  }
  return { h, cache: { steps, xShape: X.shape } };
}

/**
 * Full backpropagation through time. The gradient reaching `h_t` is the upstream `dh[:, t, :]`
 * plus what flows back from step t+1: `dnextH_t = dh_t + dprevH_{t+1}`; weight gradients are
 * summed over all steps.
 *
 * Shapes: `dh [N, T, H]` -> `dx [N, T, D]`, `dh0 [N, H]`, `dWx [D, H]`, `dWh [H, H]`, `db [H]`.
 *
 * @example
 * ```ts
 * const { dx, dh0, dWx, dWh, db } = rnnBackward(dh, cache);
 * ```
 */
export function rnnBackward(dh: ArrayLike, cache: RnnCache): { dx: NDArray; dh0: NDArray; dWx: NDArray; dWh: NDArray; db: NDArray } {
  const dH = asNDArray(dh, "rnnBackward", "dh");
  const [N, T, D] = cache.xShape;
  const H = cache.steps[0]?.prevH.shape[1] ?? dH.shape[2];
  if (dH.ndim !== 3 || dH.shape[0] !== N || dH.shape[1] !== T || dH.shape[2] !== H) {
    throw new Error(`Error in rnnBackward: dh must have the shape of h [${N},${T},${H}], got [${dH.shape}]`);
  }
  const dx = zeros(N, T, D);
  let dWx = zeros(D, H);
  let dWh = zeros(H, H);
  let db = zeros(H);
  let dprevH = zeros(N, H);
  for (let t = T - 1; t >= 0; t--) {
    // dL/dh_t = upstream at t + what flows back from step t+1
    const step = rnnStepBackward(dH.take(1, t).add(dprevH), cache.steps[t]);
    dx.assignAt(1, t, step.dx);
    dWx = dWx.add(step.dWx);
    dWh = dWh.add(step.dWh);
    db = db.add(step.db);
    dprevH = step.dprevH;
  }
  return { dx, dh0: dprevH, dWx, dWh, db };
}
