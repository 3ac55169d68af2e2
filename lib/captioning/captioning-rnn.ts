/**
 * CS231n's CaptioningRNN in float64 on the from-scratch layers of `dl-workbook/rnn`:
 *
 *   h0     = features W_proj + b_proj                         [N, H]   (affine)
 *   x      = W_embed[captions_in]                             [N, T, W] (word embedding)
 *   h      = RNN or LSTM(x, h0; Wx, Wh, b)                    [N, T, H]
 *   scores = h W_vocab + b_vocab                              [N, T, V] (temporal affine)
 *   loss   = temporal softmax loss(scores, captions_out, captions_out != <NULL>)
 *
 * with captions_in = captions[:, :-1] and captions_out = captions[:, 1:].
 */
import { NDArray, ArrayLike, argmaxRows, asNDArray, rng, zeros } from "../ndarray";
import {
  affineBackward,
  affineForward,
  lstmBackward,
  lstmForward,
  lstmStepForward,
  rnnBackward,
  rnnForward,
  rnnStepForward,
  temporalAffineBackward,
  temporalAffineForward,
  temporalSoftmaxLoss,
  wordEmbeddingBackward,
  wordEmbeddingForward,
} from "../rnn";
import { beamSearch } from "../seq/beam-search";

/** The recurrent cell of the decoder. */
export type CellType = "rnn" | "lstm";

/** Names of the parameters, in CS231n's order. */
export const CAPTIONING_PARAM_NAMES = ["W_embed", "W_proj", "b_proj", "Wx", "Wh", "b", "W_vocab", "b_vocab"] as const;
/** One of {@link CAPTIONING_PARAM_NAMES}. */
export type CaptioningParamName = (typeof CAPTIONING_PARAM_NAMES)[number];
/** The parameters: W_embed [V, W], W_proj [D, H], b_proj [H], Wx [W, gH], Wh [H, gH], b [gH], W_vocab [H, V], b_vocab [V] (g = 1 for rnn, 4 for lstm). */
export type CaptioningParams = Record<CaptioningParamName, NDArray>;

/** Constructor options of {@link CaptioningRNN} (CS231n's arguments in camelCase). */
export interface CaptioningRNNOptions {
  /** Word -> index; must map <NULL>; V = number of entries. */
  wordToIdx: Record<string, number>;
  /** Feature size D (default 512). */
  inputDim?: number;
  /** Word vector size W (default 128). */
  wordvecDim?: number;
  /** Hidden size H (default 128). */
  hiddenDim?: number;
  /** "rnn" or "lstm" (default "rnn"). */
  cellType?: CellType;
  /** Seed of the weight initialisation (default 0). */
  seed?: number;
}

/**
 * Image captioning decoder: features [N, D] -> captions [N, T] of word indices.
 * @example
 * const model = new CaptioningRNN({ wordToIdx: vocab.wordToIdx, inputDim: 20, wordvecDim: 16, hiddenDim: 32, cellType: "lstm", seed: 0 });
 * const { loss, grads } = model.loss(features, captions); // captions [N, T] with <START> first
 * const sampled = model.sample(features, 10);            // [N, 10] word indices
 */
export class CaptioningRNN {
  readonly cellType: CellType;
  readonly wordToIdx: Record<string, number>;
  readonly idxToWord: string[];
  readonly inputDim: number;
  readonly wordvecDim: number;
  readonly hiddenDim: number;
  readonly vocabSize: number;
  readonly nullIdx: number;
  readonly startIdx: number | undefined;
  readonly endIdx: number | undefined;
  /** The parameters; settable (replace an entry or the whole record). */
  params: CaptioningParams;

  constructor(options: CaptioningRNNOptions) {
    const { wordToIdx, inputDim = 512, wordvecDim = 128, hiddenDim = 128, cellType = "rnn", seed = 0 } = options;
    if (cellType !== "rnn" && cellType !== "lstm") throw new Error(`Error in CaptioningRNN: cellType must be "rnn" or "lstm", got "${cellType as string}".`);
    if (wordToIdx["<NULL>"] === undefined) throw new Error(`Error in CaptioningRNN: wordToIdx has no "<NULL>" entry; the padding token must be in the vocabulary.`);
    this.cellType = cellType;
    this.wordToIdx = wordToIdx;
    this.idxToWord = [];
    for (const [w, i] of Object.entries(wordToIdx)) this.idxToWord[i] = w;
    this.inputDim = inputDim;
    this.wordvecDim = wordvecDim;
    this.hiddenDim = hiddenDim;
    const V = (this.vocabSize = Object.keys(wordToIdx).length);
    this.nullIdx = wordToIdx["<NULL>"];
    this.startIdx = wordToIdx["<START>"];
    this.endIdx = wordToIdx["<END>"];
    const g = cellType === "lstm" ? 4 : 1;
    const r = rng(seed);
    const D = inputDim,
      W = wordvecDim,
      H = hiddenDim;
    // CS231n's initialisation: W_embed / 100, others / sqrt(fan in), biases 0
    this.params = {
      W_embed: r.randn(V, W).mul(1 / 100),
      W_proj: r.randn(D, H).mul(1 / Math.sqrt(D)),
      b_proj: zeros(H),
      Wx: r.randn(W, g * H).mul(1 / Math.sqrt(W)),
      Wh: r.randn(H, g * H).mul(1 / Math.sqrt(H)),
      b: zeros(g * H),
      W_vocab: r.randn(H, V).mul(1 / Math.sqrt(H)),
      b_vocab: zeros(V),
    };
  }

  /**
   * Training loss and gradients for features [N, D] and captions [N, T] (word indices,
   * <START> first). Loss summed over time, averaged over N; <NULL> positions masked.
   */
  loss(features: ArrayLike, captions: ArrayLike): { loss: number; grads: CaptioningParams } {
    const F = asNDArray(features, "CaptioningRNN.loss", "features");
    const C = asNDArray(captions, "CaptioningRNN.loss", "captions");
    if (F.ndim !== 2 || F.shape[1] !== this.inputDim) {
      throw new Error(`Error in CaptioningRNN.loss: features must be [N, D] with D = inputDim = ${this.inputDim}, got shape ${F.shape.join(",")}.`);
    }
    if (C.ndim !== 2 || C.shape[0] !== F.shape[0] || C.shape[1] < 2) {
      throw new Error(`Error in CaptioningRNN.loss: captions must be [N, T] with N = ${F.shape[0]} (as features) and T >= 2, got shape ${C.shape.join(",")}.`);
    }
    const T = C.shape[1];
    const p = this.params;
    const captionsIn = C.slice(1, 0, T - 1);
    const captionsOut = C.slice(1, 1, T);
    const mask = captionsOut.map((w) => (w !== this.nullIdx ? 1 : 0));

    // forward
    const proj = affineForward(F, p.W_proj, p.b_proj);
    const embed = wordEmbeddingForward(captionsIn, p.W_embed);
    const rec = this.cellType === "rnn" ? rnnForward(embed.out, proj.out, p.Wx, p.Wh, p.b) : lstmForward(embed.out, proj.out, p.Wx, p.Wh, p.b);
    const scores = temporalAffineForward(rec.h, p.W_vocab, p.b_vocab);
    const { loss, dx: dscores } = temporalSoftmaxLoss(scores.out, captionsOut, mask);

    // backward
    const dVocab = temporalAffineBackward(dscores, scores.cache);
    const dRec = this.cellType === "rnn" ? rnnBackward(dVocab.dx, rec.cache as Parameters<typeof rnnBackward>[1]) : lstmBackward(dVocab.dx, rec.cache as Parameters<typeof lstmBackward>[1]);
    const dW_embed = wordEmbeddingBackward(dRec.dx, embed.cache);
    const dProj = affineBackward(dRec.dh0, proj.cache);
    return {
      loss,
      grads: {
        W_embed: dW_embed,
        W_proj: dProj.dw,
        b_proj: dProj.db,
        Wx: dRec.dWx,
        Wh: dRec.dWh,
        b: dRec.db,
        W_vocab: dVocab.dw,
        b_vocab: dVocab.db,
      },
    };
  }

  /** One decoder step from words [N] and state: scores [N, V] and the next state. */
  private step(words: readonly number[], h: NDArray, c: NDArray): { scores: NDArray; h: NDArray; c: NDArray } {
    const p = this.params;
    const x = new NDArray([words.length, this.wordvecDim]);
    words.forEach((w, n) => x.data.set(p.W_embed.data.subarray(w * this.wordvecDim, (w + 1) * this.wordvecDim), n * this.wordvecDim));
    let nextH: NDArray,
      nextC = c;
    if (this.cellType === "rnn") nextH = rnnStepForward(x, h, p.Wx, p.Wh, p.b).nextH;
    else ({ nextH, nextC } = lstmStepForward(x, h, c, p.Wx, p.Wh, p.b));
    const scores = nextH.matmul(p.W_vocab).add(p.b_vocab);
    return { scores, h: nextH, c: nextC };
  }

  private initialState(features: ArrayLike, fn: string): { h: NDArray; c: NDArray; N: number } {
    const F = asNDArray(features, fn, "features");
    if (F.ndim !== 2 || F.shape[1] !== this.inputDim) throw new Error(`Error in ${fn}: features must be [N, D] with D = inputDim = ${this.inputDim}, got shape ${F.shape.join(",")}.`);
    if (this.startIdx === undefined) throw new Error(`Error in ${fn}: wordToIdx has no "<START>" entry, so there is no first word to feed; add "<START>" (and "<END>") to the vocabulary.`);
    const N = F.shape[0];
    return { h: affineForward(F, this.params.W_proj, this.params.b_proj).out, c: zeros(N, this.hiddenDim), N };
  }

  /**
   * Greedy sampling: start from <START>, feed back the most likely word each step.
   * After a caption emits <END>, its remaining positions are <NULL>.
   * @returns captions [N, maxLength] of word indices (without <START>)
   */
  sample(features: ArrayLike, maxLength = 30): NDArray {
    const initial = this.initialState(features, "CaptioningRNN.sample");
    const N = initial.N;
    let { h, c } = initial;
    const captions = new NDArray([N, maxLength]).map(() => this.nullIdx);
    let words = new Array<number>(N).fill(this.startIdx as number);
    const done = new Array<boolean>(N).fill(false);
    for (let t = 0; t < maxLength; t++) {
      const s = this.step(words, h, c);
      ({ h, c } = s);
      // w_t = argmax_v scores[n, v]
      words = argmaxRows(s.scores);
      words.forEach((w, n) => {
        if (done[n]) return;
        captions.data[n * maxLength + t] = w;
        if (w === this.endIdx) done[n] = true;
      });
      if (done.every(Boolean)) break;
    }
    return captions;
  }

  /**
   * Beam search sampling, one image at a time: keeps the `beamWidth` captions of highest
   * summed log-probability.
   * @returns captions [N, maxLength] (best beam per image, <END> then <NULL> padding)
   */
  beamSample(features: ArrayLike, maxLength = 30, beamWidth = 3): NDArray {
    const { h, c, N } = this.initialState(features, "CaptioningRNN.beamSample");
    const captions = new NDArray([N, maxLength]).map(() => this.nullIdx);
    const endToken = this.endIdx ?? -1;
    for (let n = 0; n < N; n++) {
      const initial = { h: h.slice(0, n, n + 1), c: c.slice(0, n, n + 1) };
      const [best] = beamSearch(
        this.startIdx as number,
        initial,
        (word, state) => {
          const s = this.step([word], state.h, state.c);
          // log-softmax of the scores
          const max = s.scores.max();
          const logZ = max + Math.log(s.scores.data.reduce((acc, v) => acc + Math.exp(v - max), 0));
          return { logProbs: s.scores.data.map((v) => v - logZ), state: { h: s.h, c: s.c } };
        },
        { beamWidth, maxLength, endToken },
      );
      const row = best.finished ? [...best.tokens, endToken] : best.tokens;
      row.slice(0, maxLength).forEach((w, t) => (captions.data[n * maxLength + t] = w));
    }
    return captions;
  }

  /** Decodes index rows to caption strings (stops at <END>, skips <NULL> and <START>). */
  decode(captions: ArrayLike): string[] {
    const C = asNDArray(captions, "CaptioningRNN.decode", "captions");
    const [N, T] = C.shape;
    const out: string[] = [];
    for (let n = 0; n < N; n++) {
      const words: string[] = [];
      for (let t = 0; t < T; t++) {
        const w = C.data[n * T + t];
        if (w === this.endIdx) break;
        if (w === this.nullIdx || w === this.startIdx) continue;
        words.push(this.idxToWord[w] ?? "<UNK>");
      }
      out.push(words.join(" "));
    }
    return out;
  }
}
