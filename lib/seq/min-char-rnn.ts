/**
 * A port of Karpathy's min-char-rnn: a vanilla RNN character model trained with Adagrad,
 * truncated BPTT over `seqLength` characters, gradients clipped to [-5, 5].
 *
 *   h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h)      x_t one-hot over V characters
 *   y_t = W_hy h_t + b_y,  p_t = softmax(y_t)      loss = -sum_t ln p_t[target_t]
 *
 * Plain Float64Array loops, short enough to read in one sitting.
 */
import { CharVocabulary, decodeChars, encodeChars } from "../text/char-vocabulary";
import { SeededRandom } from "../random/seeded-random";
import { interruptRequested } from "../display";

/** Hyperparameters of {@link MinCharRnn}; defaults are min-char-rnn's. */
export interface MinCharRnnOptions {
  /** Vocabulary size V (required). */
  vocabSize: number;
  /** Hidden size H (default 100). */
  hiddenSize?: number;
  /** Characters per truncated-BPTT chunk (default 25). */
  seqLength?: number;
  /** Adagrad learning rate (default 0.1). */
  learningRate?: number;
  /** Seed of the weight initialisation and of sampling (default 0). */
  seed?: number;
}

/** The parameters: Wxh [H, V], Whh [H, H], Why [V, H], bh [H], by [V], row-major. */
export interface MinCharRnnParams {
  Wxh: Float64Array;
  Whh: Float64Array;
  Why: Float64Array;
  bh: Float64Array;
  by: Float64Array;
}

/** The result of one forward/backward pass over a chunk. */
export interface MinCharRnnLoss {
  /** Summed cross-entropy over the chunk, nats. */
  loss: number;
  /** Gradients, clipped to [-5, 5]. */
  grads: MinCharRnnParams;
  /** The last hidden state, carried into the next chunk. */
  h: Float64Array;
}

const PARAM_NAMES = ["Wxh", "Whh", "Why", "bh", "by"] as const;

/**
 * Vanilla-RNN character language model, min-char-rnn's algorithm.
 * @example
 * const text = "hello world, hello rnn";
 * const vocab = charVocabulary(text);
 * const model = new MinCharRnn({ vocabSize: vocab.size, hiddenSize: 32, seqLength: 10 });
 * model.train(text, vocab, 200);
 * console.log(model.sampleText("h", 20, vocab, 0.8));
 */
export class MinCharRnn {
  readonly vocabSize: number;
  readonly hiddenSize: number;
  readonly seqLength: number;
  readonly learningRate: number;
  readonly params: MinCharRnnParams;
  /** Adagrad memory: running sum of squared gradients, one per parameter. */
  readonly memory: MinCharRnnParams;
  /** Exponentially smoothed loss; starts at -ln(1/V) * seqLength. */
  smoothLoss: number;
  /** Iterations done so far. */
  iteration = 0;
  private hprev: Float64Array;
  private pointer = 0;
  private readonly random: SeededRandom;

  constructor(options: MinCharRnnOptions) {
    const { vocabSize: V, hiddenSize: H = 100, seqLength = 25, learningRate = 0.1, seed = 0 } = options;
    if (!Number.isInteger(V) || V < 2) throw new Error(`Error in MinCharRnn: vocabSize must be an integer >= 2, got ${V}.`);
    this.vocabSize = V;
    this.hiddenSize = H;
    this.seqLength = seqLength;
    this.learningRate = learningRate;
    this.random = new SeededRandom(seed);
    // weights ~ N(0, 0.01^2), biases 0
    this.params = {
      Wxh: this.random.normals(H * V, 0.01),
      Whh: this.random.normals(H * H, 0.01),
      Why: this.random.normals(V * H, 0.01),
      bh: new Float64Array(H),
      by: new Float64Array(V),
    };
    this.memory = zerosLike(this.params);
    // loss at iteration 0: -ln(1/V) per character
    this.smoothLoss = -Math.log(1 / V) * seqLength;
    this.hprev = new Float64Array(H);
  }

  /**
   * Forward and backward pass over one chunk (min-char-rnn's `lossFun`).
   * @param inputs character indices x_1..x_T
   * @param targets the next characters, same length
   * @param hprev hidden state before x_1, length H
   */
  lossFun(inputs: ArrayLike<number>, targets: ArrayLike<number>, hprev: Float64Array): MinCharRnnLoss {
    const V = this.vocabSize,
      H = this.hiddenSize,
      T = inputs.length;
    if (targets.length !== T) throw new Error(`Error in MinCharRnn.lossFun: inputs has length ${T} but targets has length ${targets.length}; they must match.`);
    if (hprev.length !== H) throw new Error(`Error in MinCharRnn.lossFun: hprev has length ${hprev.length} but hiddenSize is ${H}.`);
    const { Whh, Why } = this.params;
    const hs: Float64Array[] = [hprev];
    const ps: Float64Array[] = [];
    let loss = 0;
    for (let t = 0; t < T; t++) {
      // h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), p_t = softmax(W_hy h_t + b_y)
      const h = this.stepHidden(hs[t], inputs[t]);
      const p = this.probabilities(h, 1);
      hs.push(h);
      ps.push(p);
      loss -= Math.log(p[targets[t]]);
    }
    const grads = zerosLike(this.params);
    let dhnext = new Float64Array(H);
    for (let t = T - 1; t >= 0; t--) {
      // dy = p - onehot(target)
      const dy = Float64Array.from(ps[t]);
      dy[targets[t]] -= 1;
      const h = hs[t + 1],
        prev = hs[t];
      const dh = Float64Array.from(dhnext);
      for (let k = 0; k < V; k++) {
        grads.by[k] += dy[k];
        for (let j = 0; j < H; j++) {
          grads.Why[k * H + j] += dy[k] * h[j];
          dh[j] += Why[k * H + j] * dy[k];
        }
      }
      // backprop through tanh: dhraw = (1 - h^2) * dh
      const dhraw = new Float64Array(H);
      for (let i = 0; i < H; i++) dhraw[i] = (1 - h[i] * h[i]) * dh[i];
      dhnext = new Float64Array(H);
      for (let i = 0; i < H; i++) {
        grads.bh[i] += dhraw[i];
        grads.Wxh[i * V + inputs[t]] += dhraw[i];
        for (let j = 0; j < H; j++) {
          grads.Whh[i * H + j] += dhraw[i] * prev[j];
          dhnext[j] += Whh[i * H + j] * dhraw[i];
        }
      }
    }
    // clip to [-5, 5] against exploding gradients
    for (const name of PARAM_NAMES) {
      const g = grads[name];
      for (let i = 0; i < g.length; i++) g[i] = Math.min(5, Math.max(-5, g[i]));
    }
    return { loss, grads, h: hs[T] };
  }

  /**
   * One training iteration on the next chunk of `data` (truncated BPTT: the hidden state is
   * carried from chunk to chunk and reset at the start of the data), then an Adagrad update
   *   memory += dparam^2;  param -= learningRate * dparam / sqrt(memory + 1e-8).
   * @returns the chunk's summed loss
   */
  step(data: Int32Array): number {
    const T = this.seqLength;
    if (data.length < T + 1) throw new Error(`Error in MinCharRnn.step: the data has ${data.length} characters, fewer than seqLength + 1 = ${T + 1}.`);
    if (this.pointer + T + 1 > data.length || this.iteration === 0) {
      this.hprev = new Float64Array(this.hiddenSize);
      this.pointer = 0;
    }
    const inputs = data.subarray(this.pointer, this.pointer + T);
    const targets = data.subarray(this.pointer + 1, this.pointer + T + 1);
    const { loss, grads, h } = this.lossFun(inputs, targets, this.hprev);
    this.hprev = h;
    this.smoothLoss = this.smoothLoss * 0.999 + loss * 0.001;
    for (const name of PARAM_NAMES) {
      const p = this.params[name],
        g = grads[name],
        m = this.memory[name];
      for (let i = 0; i < p.length; i++) {
        m[i] += g[i] * g[i];
        p[i] -= (this.learningRate * g[i]) / Math.sqrt(m[i] + 1e-8);
      }
    }
    this.pointer += T;
    this.iteration++;
    return loss;
  }

  /**
   * Trains for `iterations` chunks of `text`; stops early if the user interrupts the cell.
   * @param onProgress called every `every` iterations with the smooth loss (per chunk)
   * @returns the smooth loss at the end
   */
  train(text: string, vocab: CharVocabulary, iterations: number, onProgress?: (iteration: number, smoothLoss: number) => void, every = 100): number {
    const data = encodeChars(text, vocab);
    for (let n = 0; n < iterations; n++) {
      if (interruptRequested()) break;
      this.step(data);
      if (onProgress && this.iteration % every === 0) onProgress(this.iteration, this.smoothLoss);
    }
    return this.smoothLoss;
  }

  /**
   * Mean loss per character on `text` (nats), running the hidden state through it from zero.
   */
  evaluate(text: string, vocab: CharVocabulary): number {
    const data = encodeChars(text, vocab);
    let h: Float64Array = new Float64Array(this.hiddenSize);
    let total = 0;
    const T = this.seqLength;
    let count = 0;
    for (let p = 0; p + 1 < data.length; p += T) {
      const end = Math.min(p + T, data.length - 1);
      const r = this.lossFun(data.subarray(p, end), data.subarray(p + 1, end + 1), h);
      total += r.loss;
      count += end - p;
      h = r.h;
    }
    return total / count;
  }

  /**
   * Samples `n` character indices, starting from hidden state `h` and character `seedIx`.
   *   p = softmax(y / temperature): temperature < 1 sharpens, > 1 flattens.
   */
  sample(h: Float64Array, seedIx: number, n: number, temperature = 1): number[] {
    if (!(temperature > 0)) throw new Error(`Error in MinCharRnn.sample: temperature must be > 0, got ${temperature}.`);
    let x = seedIx;
    let hh: Float64Array = Float64Array.from(h);
    const out: number[] = [];
    for (let t = 0; t < n; t++) {
      hh = this.stepHidden(hh, x);
      out.push((x = this.random.categorical(this.probabilities(hh, temperature))));
    }
    return out;
  }

  /**
   * Warms the hidden state up on `seed` (a string of vocabulary characters) and continues it
   * with `n` sampled characters.
   * @returns the seed followed by the sample
   */
  sampleText(seed: string, n: number, vocab: CharVocabulary, temperature = 1): string {
    if (seed.length === 0) throw new Error(`Error in MinCharRnn.sampleText: the seed string is empty; give at least one character, e.g. "\\n".`);
    const ix = encodeChars(seed, vocab);
    let h: Float64Array = new Float64Array(this.hiddenSize);
    for (let t = 0; t < ix.length - 1; t++) h = this.stepHidden(h, ix[t]);
    return seed + decodeChars(this.sample(h, ix[ix.length - 1], n, temperature), vocab);
  }

  private stepHidden(prev: Float64Array, x: number): Float64Array {
    const V = this.vocabSize,
      H = this.hiddenSize;
    const { Wxh, Whh, bh } = this.params;
    const h = new Float64Array(H);
    for (let i = 0; i < H; i++) {
      let a = bh[i] + Wxh[i * V + x];
      for (let j = 0; j < H; j++) a += Whh[i * H + j] * prev[j];
      h[i] = Math.tanh(a);
    }
    return h;
  }

  private probabilities(h: Float64Array, temperature: number): Float64Array {
    const V = this.vocabSize,
      H = this.hiddenSize;
    const { Why, by } = this.params;
    const p = new Float64Array(V);
    let max = -Infinity;
    for (let k = 0; k < V; k++) {
      let y = by[k];
      for (let j = 0; j < H; j++) y += Why[k * H + j] * h[j];
      p[k] = y / temperature;
      if (p[k] > max) max = p[k];
    }
    let sum = 0;
    for (let k = 0; k < V; k++) sum += p[k] = Math.exp(p[k] - max);
    for (let k = 0; k < V; k++) p[k] /= sum;
    return p;
  }
}

function zerosLike(p: MinCharRnnParams): MinCharRnnParams {
  return {
    Wxh: new Float64Array(p.Wxh.length),
    Whh: new Float64Array(p.Whh.length),
    Why: new Float64Array(p.Why.length),
    bh: new Float64Array(p.bh.length),
    by: new Float64Array(p.by.length),
  };
}
