/**
 * Reference points for a character language model, in nats per character: the uniform loss
 * ln V, the unigram entropy, and the bigram conditional entropy H(x_t | x_{t-1}).
 * A model worth training must get below the bigram figure on held-out text.
 */
import { CharVocabulary, charVocabulary, encodeChars } from "../text/char-vocabulary";

/** The three reference losses of a text, nats per character. */
export interface CharReferencePoints {
  /** ln V: the loss of a model that predicts every character as equally likely. */
  uniform: number;
  /** H(x) = -sum_c p(c) ln p(c). */
  unigramEntropy: number;
  /** H(x_t | x_{t-1}) = -sum_{a,b} p(a,b) ln p(b|a). */
  bigramEntropy: number;
}

/**
 * Computes the uniform loss, unigram entropy and bigram conditional entropy of `text`.
 * For Tiny Shakespeare: 4.174, 3.313, 2.453.
 * @example
 * const { uniform, unigramEntropy, bigramEntropy } = charReferencePoints(loadTinyShakespeare());
 */
export function charReferencePoints(text: string, vocab: CharVocabulary = charVocabulary(text)): CharReferencePoints {
  const V = vocab.size;
  const ix = encodeChars(text, vocab);
  const unigram = new Float64Array(V);
  for (const i of ix) unigram[i]++;
  const n = ix.length;
  // H(x) = -sum p ln p
  let unigramEntropy = 0;
  for (const c of unigram) if (c > 0) unigramEntropy -= (c / n) * Math.log(c / n);
  const pair = new Float64Array(V * V);
  const prev = new Float64Array(V);
  for (let t = 1; t < n; t++) {
    pair[ix[t - 1] * V + ix[t]]++;
    prev[ix[t - 1]]++;
  }
  // H(b|a) = -sum p(a,b) ln (count(a,b) / count(a))
  let bigramEntropy = 0;
  for (let a = 0; a < V; a++) {
    for (let b = 0; b < V; b++) {
      const c = pair[a * V + b];
      if (c > 0) bigramEntropy -= (c / (n - 1)) * Math.log(c / prev[a]);
    }
  }
  return { uniform: Math.log(V), unigramEntropy, bigramEntropy };
}

/**
 * Held-out loss of an add-k smoothed bigram model fitted on `train`, evaluated on `heldOut`
 * (nats per character): the bigram figure a trained model must beat on text it has not seen.
 */
export function bigramHeldOutLoss(train: string, heldOut: string, vocab: CharVocabulary, k = 0.1): number {
  const V = vocab.size;
  const tr = encodeChars(train, vocab);
  const te = encodeChars(heldOut, vocab);
  const pair = new Float64Array(V * V);
  const prev = new Float64Array(V);
  for (let t = 1; t < tr.length; t++) {
    pair[tr[t - 1] * V + tr[t]]++;
    prev[tr[t - 1]]++;
  }
  // p(b|a) = (count(a,b) + k) / (count(a) + kV)
  let loss = 0;
  for (let t = 1; t < te.length; t++) {
    const a = te[t - 1];
    loss -= Math.log((pair[a * V + te[t]] + k) / (prev[a] + k * V));
  }
  return loss / (te.length - 1);
}
