/** Softmax cross-entropy at every time step, masked, summed over time and averaged over the batch. */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asMask, asNDArray, expectRank, MaskLike } from "../ndarray/as-ndarray";

/**
 * Temporal softmax loss: with `p = softmax(x[n, t, :])`,
 * `loss = -(1/N) sum_{n,t} mask[n,t] log p[y[n,t]]` and
 * `dx[n, t, :] = mask[n,t] (p - onehot(y[n,t])) / N`.
 * The mask drops padding (`<NULL>`) positions from both.
 *
 * Shapes: `x [N, T, V]` scores, `y [N, T]` integers in `[0, V)`, `mask [N, T]` of 0/1 or of booleans
 * (`true` keeps a position; default all 1) -> `loss` a number, `dx [N, T, V]`.
 *
 * @example
 * ```ts
 * const { loss, dx } = temporalSoftmaxLoss(scores, captionsOut, captionsOut.map((w) => w !== NULL));
 * ```
 */
export function temporalSoftmaxLoss(x: ArrayLike, y: ArrayLike, mask?: MaskLike): { loss: number; dx: NDArray } {
  const fn = "temporalSoftmaxLoss";
  const X = asNDArray(x, fn, "x");
  const Y = asNDArray(y, fn, "y");
  expectRank(X, 3, fn, "x", "[N, T, V]");
  expectRank(Y, 2, fn, "y", "[N, T]");
  const [N, T, V] = X.shape;
  if (Y.shape[0] !== N || Y.shape[1] !== T) {
    throw new Error(`Error in ${fn}: y must be [N, T] = [${N},${T}] to match x [${X.shape}], got [${Y.shape}]`);
  }
  const M = mask === undefined ? undefined : asMask(mask, fn, "mask");
  if (M && (M.ndim !== 2 || M.shape[0] !== N || M.shape[1] !== T)) {
    throw new Error(`Error in ${fn}: mask must be [N, T] = [${N},${T}] to match x [${X.shape}], got [${M.shape}]`);
  }
  const dx = new NDArray([N, T, V]);
  let loss = 0;
  for (let i = 0; i < N * T; i++) {
    const label = Y.data[i];
    if (!Number.isInteger(label) || label < 0 || label >= V) {
      throw new Error(`Error in ${fn}: y[${Math.floor(i / T)}, ${i % T}] = ${label} is not a class index in [0, ${V})`);
    }
    const weight = M ? M.data[i] : 1;
    const row = i * V;
    // p = exp(x - max x) / sum exp(x - max x)
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, X.data[row + v]);
    let z = 0;
    for (let v = 0; v < V; v++) z += Math.exp(X.data[row + v] - max);
    const logZ = Math.log(z);
    // -log p[y] = log sum exp(x - max) - (x[y] - max)
    loss -= weight * (X.data[row + label] - max - logZ);
    for (let v = 0; v < V; v++) {
      const p = Math.exp(X.data[row + v] - max - logZ);
      dx.data[row + v] = (weight * (p - (v === label ? 1 : 0))) / N;
    }
  }
  return { loss: loss / N, dx };
}
