/** Word embeddings: each integer word index picks its row of W. */
import { NDArray, ArrayLike } from "../ndarray/ndarray";
import { asNDArray, expectRank } from "../ndarray/as-ndarray";

/** What {@link wordEmbeddingForward} keeps for the backward pass. */
export interface WordEmbeddingCache {
  x: NDArray;
  /** Shape of W `[V, D]`. */
  wShape: number[];
}

/**
 * Word embedding forward: `out[n, t, :] = W[x[n, t], :]`.
 *
 * Shapes: `x [N, T]` integers in `[0, V)`, `W [V, D]` -> `out [N, T, D]`.
 *
 * @example
 * ```ts
 * const { out, cache } = wordEmbeddingForward([[0, 3, 1]], W); // out [1, 3, D]
 * ```
 */
export function wordEmbeddingForward(x: ArrayLike, W: ArrayLike): { out: NDArray; cache: WordEmbeddingCache } {
  const X = asNDArray(x, "wordEmbeddingForward", "x");
  const Wm = asNDArray(W, "wordEmbeddingForward", "W");
  expectRank(X, 2, "wordEmbeddingForward", "x", "[N, T] of word indices");
  expectRank(Wm, 2, "wordEmbeddingForward", "W", "[V, D]");
  const [N, T] = X.shape;
  const [V, D] = Wm.shape;
  const out = new NDArray([N, T, D]);
  for (let i = 0; i < N * T; i++) {
    const word = X.data[i];
    if (!Number.isInteger(word) || word < 0 || word >= V) {
      throw new Error(`Error in wordEmbeddingForward: x[${Math.floor(i / T)}, ${i % T}] = ${word} is not a word index in [0, ${V}) (W has V = ${V} rows)`);
    }
    // out[n, t, :] = W[x[n, t], :]
    out.data.set(Wm.data.subarray(word * D, (word + 1) * D), i * D);
  }
  return { out, cache: { x: X, wShape: Wm.shape } };
}

/**
 * Word embedding backward: each upstream row is added to the row of its word,
 * `dW[v, :] = sum over (n, t) with x[n, t] = v of dout[n, t, :]` (numpy's `np.add.at`).
 *
 * Shapes: `dout [N, T, D]` -> `dW [V, D]`.
 *
 * @example
 * ```ts
 * const dW = wordEmbeddingBackward(dout, cache);
 * ```
 */
export function wordEmbeddingBackward(dout: ArrayLike, cache: WordEmbeddingCache): NDArray {
  const dOut = asNDArray(dout, "wordEmbeddingBackward", "dout");
  const [V, D] = cache.wShape;
  const NT = cache.x.size;
  if (dOut.size !== NT * D) {
    throw new Error(`Error in wordEmbeddingBackward: dout must be [${cache.x.shape},${D}] (the shape of out), got [${dOut.shape}]`);
  }
  const dW = new NDArray([V, D]);
  for (let i = 0; i < NT; i++) {
    const row = cache.x.data[i] * D;
    for (let d = 0; d < D; d++) dW.data[row + d] += dOut.data[i * D + d];
  }
  return dW;
}
