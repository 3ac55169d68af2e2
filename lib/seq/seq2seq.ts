/**
 * Sequence to sequence (Sutskever et al., 2014) with LSTMs in tfjs: the encoder reads the source
 * characters, its final (h, c) starts the decoder, which is trained with teacher forcing
 * (the true previous character as input) and decodes greedily or by beam search.
 *
 *   (h_S, c_S) = LSTM_enc(x_1..x_S)
 *   s_0 = (h_S, c_S),  s_t = LSTM_dec(E_y[y_{t-1}], s_{t-1}),  p(y_t | y_<t, x) = softmax(s_t.h W + b)
 *   loss = mean over real (non-<NULL>) target positions of -ln p(y_t)
 */
import * as tf from "@tensorflow/tfjs";
import "../backend";
import { interruptRequested } from "../display";
import { Vocabulary } from "../text/vocabulary";
import { BleuReport, corpusBleu } from "../text/bleu";
import { SeededRandom } from "../random/seeded-random";
import { LstmState, TfLstm, clipByGlobalNorm, seededVariable, zeroVariable } from "./tf-lstm";
import { beamDecode, greedyDecode, TfDecodeStep } from "./tf-decode";
import { TranslationPair } from "./date-translation";

/** Sizes and training settings of {@link Seq2Seq}. */
export interface Seq2SeqOptions {
  /** Character vocabulary of the sources (index 0 is <NULL>, used for padding). */
  sourceVocab: Vocabulary;
  /** Character vocabulary of the targets (with <START>, <END>). */
  targetVocab: Vocabulary;
  /** Source characters read (longer sources are cut; shorter are left-padded) (default 32). */
  maxSourceLength?: number;
  /** Target characters generated at most, <END> excluded (default 16). */
  maxTargetLength?: number;
  /** Embedding size (default 32). */
  embeddingDim?: number;
  /** LSTM hidden size (default 128). */
  hiddenSize?: number;
  /** Adam learning rate (default 0.01). */
  learningRate?: number;
  /** Global-norm gradient clip (default 5). */
  clipNorm?: number;
  /** Seed of weights and batch order (default 0). */
  seed?: number;
}

/** Exact match and BLEU of translations against references. */
export interface TranslationReport {
  /** Fraction of outputs equal to their reference. */
  exactMatch: number;
  /** Corpus BLEU over characters (each output a sequence of characters). */
  bleu: BleuReport;
  /** The outputs, in the order of the pairs. */
  outputs: string[];
}

/**
 * Character-level encoder-decoder with LSTMs.
 * @example
 * const { train, test } = dateTranslationSplits({ train: 2000, validation: 0, test: 200 });
 * const model = Seq2Seq.forPairs(train, { hiddenSize: 64 });
 * model.train(train, { epochs: 5 });
 * model.evaluate(test, { beamWidth: 3 }).exactMatch;
 */
export class Seq2Seq {
  readonly sourceVocab: Vocabulary;
  readonly targetVocab: Vocabulary;
  readonly maxSourceLength: number;
  readonly maxTargetLength: number;
  readonly hiddenSize: number;
  readonly sourceEmbedding: tf.Variable<tf.Rank.R2>;
  readonly targetEmbedding: tf.Variable<tf.Rank.R2>;
  readonly encoder: TfLstm;
  readonly decoder: TfLstm;
  readonly Wout: tf.Variable<tf.Rank.R2>;
  readonly bout: tf.Variable;
  readonly optimizer: tf.Optimizer;
  readonly clipNorm: number;
  private readonly random: SeededRandom;

  constructor(options: Seq2SeqOptions) {
    const { sourceVocab, targetVocab, maxSourceLength = 32, maxTargetLength = 16, embeddingDim: E = 32, hiddenSize: H = 128, learningRate = 0.01, clipNorm = 5, seed = 0 } = options;
    this.sourceVocab = sourceVocab;
    this.targetVocab = targetVocab;
    this.maxSourceLength = maxSourceLength;
    this.maxTargetLength = maxTargetLength;
    this.hiddenSize = H;
    this.clipNorm = clipNorm;
    this.random = new SeededRandom(seed);
    this.sourceEmbedding = seededVariable(this.random, sourceVocab.size, E, 1, "s2s_src_embedding");
    this.targetEmbedding = seededVariable(this.random, targetVocab.size, E, 1, "s2s_tgt_embedding");
    this.encoder = new TfLstm(E, H, this.random, "s2s_encoder");
    this.decoder = new TfLstm(E, H, this.random, "s2s_decoder");
    this.Wout = seededVariable(this.random, H, targetVocab.size, 1 / Math.sqrt(H), "s2s_Wout");
    this.bout = zeroVariable([targetVocab.size], "s2s_bout");
    this.optimizer = tf.train.adam(learningRate);
  }

  /**
   * A model whose character vocabularies and lengths fit `pairs`.
   */
  static forPairs(pairs: readonly TranslationPair[], options: Omit<Seq2SeqOptions, "sourceVocab" | "targetVocab"> = {}): Seq2Seq {
    const chars = (strings: string[]) => [...new Set(strings.join(""))].sort();
    return new Seq2Seq({
      sourceVocab: new Vocabulary(chars(pairs.map((p) => p.source))),
      targetVocab: new Vocabulary(chars(pairs.map((p) => p.target))),
      maxSourceLength: Math.max(...pairs.map((p) => p.source.length)),
      maxTargetLength: Math.max(...pairs.map((p) => p.target.length)),
      ...options,
    });
  }

  /** All trainable variables. */
  get variables(): tf.Variable[] {
    return [this.sourceEmbedding, this.targetEmbedding, ...this.encoder.variables, ...this.decoder.variables, this.Wout, this.bout];
  }

  /** Sources as [N, S] int32, left-padded with <NULL> so the last character is read last. */
  encodeSources(sources: readonly string[]): tf.Tensor2D {
    const S = this.maxSourceLength;
    const out = new Int32Array(sources.length * S);
    sources.forEach((s, n) => {
      const chars = [...s].slice(0, S);
      chars.forEach((ch, i) => (out[n * S + S - chars.length + i] = this.sourceVocab.index(ch)));
    });
    return tf.tensor2d(out, [sources.length, S], "int32");
  }

  /** Targets as [N, T + 2] int32: <START> y_1 .. y_k <END> <NULL>... */
  encodeTargets(targets: readonly string[]): tf.Tensor2D {
    const rows = this.targetVocab.encodeTokens(
      targets.map((t) => [...t]),
      this.maxTargetLength + 2,
    );
    return tf.tensor2d(rows.flat(), [targets.length, this.maxTargetLength + 2], "int32");
  }

  /** The encoder's final state for sources [N, S]. */
  encode(sources: tf.Tensor2D): LstmState {
    const [N, S] = sources.shape;
    const e = tf.reshape<tf.Rank.R3>(tf.gather(this.sourceEmbedding, tf.reshape(sources, [N * S])), [N, S, -1]);
    return this.encoder.run(e).state;
  }

  /** Masked mean cross-entropy with teacher forcing: decoder in targets[:, :-1], out targets[:, 1:]. */
  loss(sources: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
    const [N, T1] = targets.shape;
    const T = T1 - 1;
    const state = this.encode(sources);
    const input = tf.slice(targets, [0, 0], [N, T]);
    const output = tf.reshape(tf.slice(targets, [0, 1], [N, T]), [N * T]);
    const e = tf.reshape<tf.Rank.R3>(tf.gather(this.targetEmbedding, tf.reshape(input, [N * T])), [N, T, -1]);
    const { hs } = this.decoder.run(e, state);
    const logits = tf.add(tf.matMul(tf.reshape(hs, [N * T, this.hiddenSize]), this.Wout), this.bout);
    // -ln p(y) per position, masked where the target is <NULL>
    const nll = tf.neg(tf.sum(tf.mul(tf.oneHot(output, this.targetVocab.size), tf.logSoftmax(logits)), 1));
    const mask = tf.cast(tf.notEqual(output, this.targetVocab.nullIdx), "float32");
    return tf.div<tf.Scalar>(tf.sum(tf.mul(nll, mask)), tf.sum(mask));
  }

  /** One Adam step on a batch; returns its loss before the step. */
  trainBatch(pairs: readonly TranslationPair[]): number {
    const value = tf.tidy(() => {
      const sources = this.encodeSources(pairs.map((p) => p.source));
      const targets = this.encodeTargets(pairs.map((p) => p.target));
      const { value, grads } = tf.variableGrads(() => this.loss(sources, targets), this.variables);
      this.optimizer.applyGradients(clipByGlobalNorm(grads, this.clipNorm));
      return value;
    });
    const loss = value.dataSync()[0];
    value.dispose();
    return loss;
  }

  /**
   * Trains for `epochs` passes over `pairs` in seeded shuffled batches (stops early on interrupt).
   * @returns the mean loss of the last epoch
   */
  train(pairs: readonly TranslationPair[], options: { epochs: number; batchSize?: number; onEpoch?: (epoch: number, loss: number) => void }): number {
    const { epochs, batchSize = 64 } = options;
    let last = NaN;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const order = this.random.shuffle(pairs.map((_, i) => i));
      let total = 0,
        batches = 0;
      for (let b = 0; b < order.length; b += batchSize) {
        if (interruptRequested()) return last;
        total += this.trainBatch(order.slice(b, b + batchSize).map((i) => pairs[i]));
        batches++;
      }
      last = total / batches;
      options.onEpoch?.(epoch, last);
    }
    return last;
  }

  /** One decoder step for a batch: next-token log-probabilities [N, V] and the new state. */
  private decodeStep(tokens: tf.Tensor1D, state: LstmState): { logProbs: tf.Tensor2D; state: LstmState } {
    const next = this.decoder.step(tf.gather(this.targetEmbedding, tokens), state);
    const logits = tf.add(tf.matMul(next.h, this.Wout), this.bout);
    return { logProbs: tf.logSoftmax(logits) as tf.Tensor2D, state: next };
  }

  /**
   * Translates sources: greedy (beamWidth 1, batched) or by beam search.
   * @example model.translate(["3 march 1998"]) // ["1998-03-03"]
   */
  translate(sources: readonly string[], options: { beamWidth?: number } = {}): string[] {
    const beamWidth = options.beamWidth ?? 1;
    const V = this.targetVocab;
    const step: TfDecodeStep = (tokens, state) => this.decodeStep(tokens, state);
    if (beamWidth === 1) {
      const rows = greedyDecode(() => this.encode(this.encodeSources(sources)), V.startIdx, sources.length, this.maxTargetLength + 1, step);
      return rows.map((r) => V.decodeOne(r).join(""));
    }
    const beamOptions = { beamWidth, maxLength: this.maxTargetLength + 1, endToken: V.endIdx };
    return sources.map((source) => {
      const best = beamDecode(() => this.encode(this.encodeSources([source])), V.startIdx, step, beamOptions);
      return best.tokens.map((t) => V.idxToWord[t]).join("");
    });
  }

  /** Exact-match accuracy and character BLEU of translations of `pairs`. */
  evaluate(pairs: readonly TranslationPair[], options: { beamWidth?: number; batchSize?: number } = {}): TranslationReport {
    const batchSize = options.batchSize ?? 256;
    const outputs: string[] = [];
    for (let b = 0; b < pairs.length; b += batchSize)
      outputs.push(
        ...this.translate(
          pairs.slice(b, b + batchSize).map((p) => p.source),
          options,
        ),
      );
    const exactMatch = outputs.filter((o, i) => o === pairs[i].target).length / Math.max(1, pairs.length);
    const bleu = corpusBleu(
      pairs.map((p) => [[...p.target]]),
      outputs.map((o) => [...o]),
    );
    return { exactMatch, bleu, outputs };
  }

  /** Frees the model's tensors. */
  dispose(): void {
    tf.dispose(this.variables);
    this.optimizer.dispose();
  }
}
