/** Truncated backpropagation through time: backprop within chunks of k steps, carrying the hidden state forward. */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray } from "../ndarray/as-ndarray";
import { zeros } from "../ndarray/create";
import { concat } from "../ndarray/slice";
import { CellType } from "./recurrent";
import { rnnForward, rnnBackward } from "./rnn";
import { lstmForward, lstmBackward } from "./lstm";
import { checkSequence } from "./check-recurrent-shapes";

/** What {@link truncatedBptt} takes. */
export interface TruncatedBpttSpec {
  cell: CellType;
  /** The whole sequence `[N, T, D]`. */
  x: ArrayLike;
  /** Initial hidden state `[N, H]`. */
  h0: ArrayLike;
  Wx: ArrayLike;
  Wh: ArrayLike;
  b: ArrayLike;
  /** Steps per chunk k; gradients do not flow across chunk boundaries. */
  chunkLength: number;
  /**
   * Loss of one chunk and its gradient on the chunk's hidden states: called with `h [N, k, H]` and
   * the chunk's first time index; returns `{ loss, dh [N, k, H] }`.
   */
  lossOnChunk: (h: NDArray, start: number) => { loss: number; dh: NDArray };
}

/** What {@link truncatedBptt} returns: the summed loss and weight gradients over all chunks. */
export interface TruncatedBpttResult {
  loss: number;
  dWx: NDArray;
  dWh: NDArray;
  db: NDArray;
  /** Gradient on the inputs `[N, T, D]` (each step's within its own chunk only). */
  dx: NDArray;
  /** All hidden states `[N, T, H]`. */
  h: NDArray;
  /** The hidden state after the last step, to carry into the next sequence. */
  hT: NDArray;
  chunks: number;
}

/**
 * Truncated BPTT: the sequence is cut into chunks of `chunkLength` steps. Each chunk runs forward
 * from the hidden (and, for an LSTM, cell) state the previous chunk ended in, its loss is
 * backpropagated within the chunk only (the gradient on the carried state is dropped), and the
 * weight gradients of all chunks are summed. With `chunkLength >= T` it is full BPTT.
 *
 * @example
 * ```ts
 * const r = truncatedBptt({ cell: "rnn", x, h0, Wx, Wh, b, chunkLength: 10, lossOnChunk: (h, t0) => temporalSoftmaxLossOf(h, t0) });
 * ({ nextW: Wx } = adam(Wx, r.dWx, cfgWx));
 * ```
 */
export function truncatedBptt(spec: TruncatedBpttSpec): TruncatedBpttResult {
  const fn = "truncatedBptt";
  const X = asNDArray(spec.x, fn, "x");
  let h = asNDArray(spec.h0, fn, "h0");
  const { N, T, D } = checkSequence(fn, X, h);
  const k = spec.chunkLength;
  if (!Number.isInteger(k) || k < 1) throw new Error(`Error in ${fn}: chunkLength must be a positive integer, got ${k}`);
  if (spec.cell !== "rnn" && spec.cell !== "lstm") throw new Error(`Error in ${fn}: cell must be "rnn" or "lstm", got "${String(spec.cell)}"`);
  const H = h.shape[1];
  const G = spec.cell === "lstm" ? 4 : 1;
  let dWx = zeros(D, G * H);
  let dWh = zeros(H, G * H);
  let db = zeros(G * H);
  let c = zeros(N, H);
  let loss = 0;
  const dxs: NDArray[] = [];
  const hs: NDArray[] = [];
  let chunks = 0;
  for (let start = 0; start < T; start += k) {
    const xChunk = X.slice(1, start, Math.min(T, start + k));
    let hChunk: NDArray;
    let grads: { dx: NDArray; dWx: NDArray; dWh: NDArray; db: NDArray };
    let out: { loss: number; dh: NDArray };
    if (spec.cell === "rnn") {
      const f = rnnForward(xChunk, h, spec.Wx, spec.Wh, spec.b);
      hChunk = f.h;
      out = spec.lossOnChunk(hChunk, start);
      grads = rnnBackward(out.dh, f.cache);
    } else {
      const f = lstmForward(xChunk, h, spec.Wx, spec.Wh, spec.b, c);
      hChunk = f.h;
      out = spec.lossOnChunk(hChunk, start);
      grads = lstmBackward(out.dh, f.cache);
      c = f.cache.cT;
    }
    // the state is carried into the next chunk as a constant: its gradient (dh0) is dropped
    h = hChunk.take(1, hChunk.shape[1] - 1);
    loss += out.loss;
    dWx = dWx.add(grads.dWx);
    dWh = dWh.add(grads.dWh);
    db = db.add(grads.db);
    dxs.push(grads.dx);
    hs.push(hChunk);
    chunks++;
  }
  return { loss, dWx, dWh, db, dx: concat(dxs, 1), h: concat(hs, 1), hT: h, chunks };
}
