/** A small sequence classifier: word embedding -> RNN or LSTM -> affine on the last hidden state -> softmax. */
import { NDArray, ArrayLike } from "../../ndarray/ndarray";
import { asNDArray } from "../../ndarray/as-ndarray";
import { zeros } from "../../ndarray/create";
import { Rng } from "../../ndarray/random";
import { CellType, recurrentForward, recurrentBackward } from "../recurrent";
import { wordEmbeddingForward, wordEmbeddingBackward } from "../word-embedding";
import { affineForward, affineBackward } from "../affine";
import { temporalSoftmaxLoss } from "../temporal-softmax-loss";

/** The classifier's weights. */
export interface SequenceClassifierParams {
  /** Embedding `[V, E]`. */
  W_embed: NDArray;
  /** Recurrent weights `[E, G H]`, `[H, G H]`, `[G H]`. */
  Wx: NDArray;
  Wh: NDArray;
  b: NDArray;
  /** Output layer `[H, K]`, `[K]`. */
  W_out: NDArray;
  b_out: NDArray;
}

/**
 * Small random weights for a classifier of `cell` type: vocabulary V, embedding E, hidden H, K classes.
 * Weights are normal with standard deviation `1 / sqrt(fan_in)`; an LSTM's forget-gate bias starts at `forgetBias`
 * (1 is the usual choice; larger values make the cell remember longer from the start).
 */
export function initSequenceClassifier(r: Rng, cell: CellType, V: number, E: number, H: number, K: number, forgetBias = 1): SequenceClassifierParams {
  const G = cell === "lstm" ? 4 : 1;
  const b = zeros(G * H);
  if (cell === "lstm") for (let j = H; j < 2 * H; j++) b.data[j] = forgetBias;
  return {
    W_embed: r.randn(V, E).mul(0.5),
    Wx: r.randn(E, G * H).mul(1 / Math.sqrt(E)),
    Wh: r.randn(H, G * H).mul(1 / Math.sqrt(H)),
    b,
    W_out: r.randn(H, K).mul(1 / Math.sqrt(H)),
    b_out: zeros(K),
  };
}

/**
 * Scores `[N, K]` of the classes for word sequences `x [N, T]`: `h = rnn(embed(x))`,
 * `scores = h_T W_out + b_out`; with labels `y [N]`, also the softmax loss and the gradients.
 *
 * @example
 * ```ts
 * const { loss, grads } = sequenceClassifierLoss("lstm", params, data.x, data.y);
 * ```
 */
export function sequenceClassifierLoss(
  cell: CellType,
  params: SequenceClassifierParams,
  x: ArrayLike,
  y?: ArrayLike,
): { scores: NDArray; loss: number; grads: { [K in keyof SequenceClassifierParams]: NDArray } | undefined } {
  const X = asNDArray(x, "sequenceClassifierLoss", "x");
  const [N, T] = X.shape;
  const H = params.Wh.shape[0];
  const embed = wordEmbeddingForward(X, params.W_embed);
  const rec = recurrentForward(cell, embed.out, zeros(N, H), params);
  const last = rec.h.take(1, T - 1);
  const out = affineForward(last, params.W_out, params.b_out);
  if (y === undefined) return { scores: out.out, loss: NaN, grads: undefined };
  const K = params.W_out.shape[1];
  // the softmax loss of one "time step" per sentence
  const { loss, dx: dscores } = temporalSoftmaxLoss(out.out.reshape(N, 1, K), asNDArray(y, "sequenceClassifierLoss", "y").reshape(N, 1));
  const dOut = affineBackward(dscores.reshape(N, K), out.cache);
  // only the last step receives a gradient from the loss
  const dh = zeros(N, T, H);
  dh.assignAt(1, T - 1, dOut.dx);
  const dRec = recurrentBackward(dh, rec.cache);
  const dEmbed = wordEmbeddingBackward(dRec.dx, embed.cache);
  return { scores: out.out, loss, grads: { W_embed: dEmbed, Wx: dRec.dWx, Wh: dRec.dWh, b: dRec.db, W_out: dOut.dw, b_out: dOut.db } };
}
