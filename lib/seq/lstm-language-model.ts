/**
 * A character (or word) language model in tfjs: embedding -> LSTM -> affine -> softmax,
 * trained with Adam on random windows, gradients clipped by global norm.
 *
 *   e_t = E[x_t],  h_t = LSTM(e_t, h_{t-1}),  p(x_{t+1} | x_{<=t}) = softmax(h_t W_y + b_y)
 *   loss = mean over batch and time of -ln p(target)        (nats per token)
 */
import * as tf from "@tensorflow/tfjs";
import "../backend";
import { interruptRequested } from "../display";
import { SeededRandom } from "../random/seeded-random";
import { CharVocabulary, decodeChars, encodeChars } from "../text/char-vocabulary";
import { LstmState, TfLstm, clipByGlobalNorm, seededVariable, zeroVariable } from "./tf-lstm";

/** Sizes and training settings of {@link LstmLanguageModel}. */
export interface LstmLanguageModelOptions {
  /** Vocabulary size V (required). */
  vocabSize: number;
  /** Embedding size E (default 32). */
  embeddingDim?: number;
  /** LSTM hidden size H (default 128). */
  hiddenSize?: number;
  /** Adam learning rate (default 0.01). */
  learningRate?: number;
  /** Global-norm clip of the gradients (default 5). */
  clipNorm?: number;
  /** Seed of the weights, the training windows and sampling (default 0). */
  seed?: number;
}

/** Options of {@link LstmLanguageModel.train}. */
export interface LanguageModelTrainOptions {
  /** Number of Adam steps (required). */
  steps: number;
  /** Windows per batch N (default 32). */
  batchSize?: number;
  /** Tokens per window T (default 64). */
  seqLength?: number;
  /** Called every `every` steps with the step and the batch loss (nats per token). */
  onProgress?: (step: number, loss: number) => void;
  every?: number;
}

/**
 * LSTM language model over integer tokens 0..V-1 (characters via {@link charVocabulary}).
 * @example
 * const vocab = charVocabulary(text);
 * const lm = new LstmLanguageModel({ vocabSize: vocab.size, hiddenSize: 64 });
 * await lm.train(encodeChars(text, vocab), { steps: 200 });
 * decodeChars(lm.sample(encodeChars("ROMEO:", vocab), 100, 0.8), vocab);
 */
export class LstmLanguageModel {
  readonly vocabSize: number;
  readonly embeddingDim: number;
  readonly hiddenSize: number;
  readonly embedding: tf.Variable<tf.Rank.R2>;
  readonly lstm: TfLstm;
  readonly Wy: tf.Variable<tf.Rank.R2>;
  readonly by: tf.Variable;
  readonly optimizer: tf.Optimizer;
  readonly clipNorm: number;
  /** Training steps done. */
  step = 0;
  private readonly random: SeededRandom;

  constructor(options: LstmLanguageModelOptions) {
    const { vocabSize: V, embeddingDim: E = 32, hiddenSize: H = 128, learningRate = 0.01, clipNorm = 5, seed = 0 } = options;
    if (!Number.isInteger(V) || V < 2) throw new Error(`Error in LstmLanguageModel: vocabSize must be an integer >= 2, got ${V}.`);
    this.vocabSize = V;
    this.embeddingDim = E;
    this.hiddenSize = H;
    this.clipNorm = clipNorm;
    this.random = new SeededRandom(seed);
    this.embedding = seededVariable(this.random, V, E, 1, "lm_embedding");
    this.lstm = new TfLstm(E, H, this.random, "lm_lstm");
    this.Wy = seededVariable(this.random, H, V, 1 / Math.sqrt(H), "lm_Wy");
    this.by = zeroVariable([V], "lm_by");
    this.optimizer = tf.train.adam(learningRate);
  }

  /** All trainable variables. */
  get variables(): tf.Variable[] {
    return [this.embedding, ...this.lstm.variables, this.Wy, this.by];
  }

  /**
   * Logits for every position of x [N, T] (int32 tokens).
   * @returns logits [N, T, V] and the final LSTM state
   */
  forward(x: tf.Tensor2D, initial?: LstmState): { logits: tf.Tensor3D; state: LstmState } {
    const [N, T] = x.shape;
    const e = tf.reshape<tf.Rank.R3>(tf.gather(this.embedding, tf.reshape(x, [N * T])), [N, T, this.embeddingDim]); // [N, T, E]
    const { hs, state } = this.lstm.run(e, initial);
    const logits = tf.add(tf.matMul(tf.reshape(hs, [N * T, this.hiddenSize]), this.Wy), this.by);
    return { logits: tf.reshape<tf.Rank.R3>(logits, [N, T, this.vocabSize]), state };
  }

  /** Mean cross-entropy (nats per token) of predicting y [N, T] from x [N, T]. */
  loss(x: tf.Tensor2D, y: tf.Tensor2D, initial?: LstmState): tf.Scalar {
    const { logits } = this.forward(x, initial);
    const [N, T] = y.shape;
    const flat = tf.reshape<tf.Rank.R2>(logits, [N * T, this.vocabSize]);
    // -ln softmax(logits)[y] = logsumexp(logits) - logits[y]
    return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(tf.oneHot(tf.reshape(y, [N * T]), this.vocabSize), flat);
  }

  /**
   * One Adam step on a batch of windows x, y [N, T].
   * @returns the batch loss before the step, nats per token
   */
  trainBatch(x: tf.Tensor2D, y: tf.Tensor2D): number {
    const value = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.loss(x, y), this.variables);
      this.optimizer.applyGradients(clipByGlobalNorm(grads, this.clipNorm));
      return value;
    });
    const loss = value.dataSync()[0];
    value.dispose();
    this.step++;
    return loss;
  }

  /**
   * Trains on random windows of `tokens` (stops early if the user interrupts the cell).
   * @returns the last batch loss
   */
  train(tokens: Int32Array, options: LanguageModelTrainOptions): number {
    const { steps, batchSize = 32, seqLength = 64, onProgress, every = 50 } = options;
    if (tokens.length < seqLength + 2) throw new Error(`Error in LstmLanguageModel.train: ${tokens.length} tokens are fewer than seqLength + 2 = ${seqLength + 2}; use a shorter seqLength.`);
    let last = NaN;
    for (let s = 0; s < steps; s++) {
      if (interruptRequested()) break;
      const xs = new Int32Array(batchSize * seqLength),
        ys = new Int32Array(batchSize * seqLength);
      for (let n = 0; n < batchSize; n++) {
        const start = this.random.int(tokens.length - seqLength - 1);
        xs.set(tokens.subarray(start, start + seqLength), n * seqLength);
        ys.set(tokens.subarray(start + 1, start + seqLength + 1), n * seqLength);
      }
      const x = tf.tensor2d(xs, [batchSize, seqLength], "int32"),
        y = tf.tensor2d(ys, [batchSize, seqLength], "int32");
      last = this.trainBatch(x, y);
      x.dispose();
      y.dispose();
      if (onProgress && this.step % every === 0) onProgress(this.step, last);
    }
    return last;
  }

  /**
   * Mean loss per token (nats) on `tokens`, read in `parallel` contiguous streams whose state is
   * carried from chunk to chunk (so every prediction sees its whole past in its stream).
   */
  evaluate(tokens: Int32Array, options: { seqLength?: number; parallel?: number } = {}): number {
    const { seqLength = 100, parallel = 16 } = options;
    const streamLength = Math.floor((tokens.length - 1) / parallel);
    if (streamLength < 1) throw new Error(`Error in LstmLanguageModel.evaluate: ${tokens.length} tokens are too few for ${parallel} streams.`);
    let state = this.lstm.zeroState(parallel);
    let total = 0,
      count = 0;
    for (let p = 0; p < streamLength; p += seqLength) {
      const T = Math.min(seqLength, streamLength - p);
      const xs = new Int32Array(parallel * T),
        ys = new Int32Array(parallel * T);
      for (let n = 0; n < parallel; n++) {
        const start = n * streamLength + p;
        xs.set(tokens.subarray(start, start + T), n * T);
        ys.set(tokens.subarray(start + 1, start + T + 1), n * T);
      }
      const next = tf.tidy(() => {
        const x = tf.tensor2d(xs, [parallel, T], "int32"),
          y = tf.tensor2d(ys, [parallel, T], "int32");
        const { logits, state: s } = this.forward(x, state);
        const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(tf.reshape(y, [parallel * T]), this.vocabSize), tf.reshape(logits, [parallel * T, this.vocabSize]));
        return { loss, h: s.h, c: s.c };
      });
      total += next.loss.dataSync()[0] * parallel * T;
      count += parallel * T;
      next.loss.dispose();
      tf.dispose([state.h, state.c]);
      state = { h: next.h, c: next.c };
    }
    tf.dispose([state.h, state.c]);
    return total / count;
  }

  /**
   * Next-token probabilities after reading `context` (from a zero state), softmax(logits / temperature).
   */
  nextTokenProbabilities(context: ArrayLike<number>, temperature = 1): Float32Array {
    if (context.length === 0) throw new Error(`Error in LstmLanguageModel.nextTokenProbabilities: the context is empty; give at least one token.`);
    return tf.tidy(() => {
      const x = tf.tensor2d(Int32Array.from(context), [1, context.length], "int32");
      const { logits } = this.forward(x);
      const last = tf.slice(logits, [0, context.length - 1, 0], [1, 1, this.vocabSize]);
      return tf.softmax(tf.div(tf.reshape(last, [this.vocabSize]), temperature)).dataSync() as Float32Array;
    });
  }

  /**
   * Samples `n` tokens after warming up on `seed` tokens, p = softmax(logits / temperature).
   * @returns the sampled tokens (without the seed)
   */
  sample(seed: ArrayLike<number>, n: number, temperature = 1): number[] {
    if (!(temperature > 0)) throw new Error(`Error in LstmLanguageModel.sample: temperature must be > 0, got ${temperature}.`);
    if (seed.length === 0) throw new Error(`Error in LstmLanguageModel.sample: the seed is empty; give at least one token.`);
    const out: number[] = [];
    let state: LstmState = this.lstm.zeroState(1);
    // warm up on all seed tokens but the last
    if (seed.length > 1) {
      const [h, c] = tf.tidy(() => {
        const warm = this.forward(tf.tensor2d(Int32Array.from(seed).subarray(0, seed.length - 1), [1, seed.length - 1], "int32"), state).state;
        return [warm.h, warm.c];
      });
      tf.dispose([state.h, state.c]);
      state = { h, c };
    }
    let token = seed[seed.length - 1];
    for (let t = 0; t < n; t++) {
      const next = tf.tidy(() => {
        const { logits, state: s } = this.forward(tf.tensor2d([token], [1, 1], "int32"), state);
        return { p: tf.softmax(tf.div(tf.reshape(logits, [this.vocabSize]), temperature)), h: s.h, c: s.c };
      });
      token = this.random.categorical(next.p.dataSync());
      out.push(token);
      tf.dispose([next.p, state.h, state.c]);
      state = { h: next.h, c: next.c };
    }
    tf.dispose([state.h, state.c]);
    return out;
  }

  /**
   * Characters sampled after a seed string: the seed followed by `n` sampled characters.
   * @example lm.sampleText("ROMEO:\n", 200, vocab, 0.8)
   */
  sampleText(seed: string, n: number, vocab: CharVocabulary, temperature = 1): string {
    return seed + decodeChars(this.sample(encodeChars(seed, vocab), n, temperature), vocab);
  }

  /** Frees the model's tensors. */
  dispose(): void {
    tf.dispose(this.variables);
    this.optimizer.dispose();
  }
}
