/**
 * An LSTM layer written with tfjs ops (so autodiff gives BPTT), the four gate products fused
 * into ONE product of width 4H, gates in CS231n's order i, f, o, g:
 *
 *   a = x_t W_x + h_{t-1} W_h + b                 [N, 4H]
 *   i = sigma(a_i), f = sigma(a_f), o = sigma(a_o), g = tanh(a_g)
 *   c_t = f * c_{t-1} + i * g,   h_t = o * tanh(c_t)
 *
 * Used by the character language model, the seq2seq encoder/decoder and the tfjs captioning
 * model. Weights are drawn from a seeded generator, so a seed gives the same model everywhere.
 */
import * as tf from "@tensorflow/tfjs";
import "../backend";
import { SeededRandom } from "../random/seeded-random";

/** The hidden and cell state of an LSTM, each [N, H]. */
export interface LstmState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

/**
 * A float32 matrix variable of shape [rows, cols] drawn N(0, scale^2) from `random`.
 * @example const W = seededVariable(new SeededRandom(0), 4, 8, 0.1, "W");
 */
export function seededVariable(random: SeededRandom, rows: number, cols: number, scale: number, name?: string): tf.Variable<tf.Rank.R2> {
  return tf.variable(tf.tensor2d(Float32Array.from(random.normals(rows * cols, scale)), [rows, cols]), true, name ? `${name}_${nextId()}` : undefined);
}

let variableId = 0;
function nextId(): number {
  return ++variableId;
}

/** A zero-initialised float32 variable. */
export function zeroVariable(shape: number[], name?: string): tf.Variable {
  return tf.variable(tf.zeros(shape), true, name ? `${name}_${nextId()}` : undefined);
}

/**
 * LSTM over sequences with tfjs ops; Wx [D, 4H], Wh [H, 4H], b [4H] with the forget-gate bias
 * set to 1 (a common start that lets memory flow early in training).
 * @example
 * const lstm = new TfLstm(8, 16, new SeededRandom(0));
 * const { hs, state } = lstm.run(tf.randomNormal([2, 5, 8]) as tf.Tensor3D); // hs [2, 5, 16]
 */
export class TfLstm {
  readonly Wx: tf.Variable<tf.Rank.R2>;
  readonly Wh: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable;

  constructor(
    readonly inputDim: number,
    readonly hiddenSize: number,
    random: SeededRandom,
    name = "lstm",
  ) {
    const H = hiddenSize;
    // Wx ~ N(0, 1/D), Wh ~ N(0, 1/H)
    this.Wx = seededVariable(random, inputDim, 4 * H, 1 / Math.sqrt(inputDim), `${name}_Wx`);
    this.Wh = seededVariable(random, H, 4 * H, 1 / Math.sqrt(H), `${name}_Wh`);
    const bias = new Float32Array(4 * H);
    bias.fill(1, H, 2 * H); // forget gate
    this.b = tf.variable(tf.tensor1d(bias), true, `${name}_b_${nextId()}`);
  }

  /** The trainable variables. */
  get variables(): tf.Variable[] {
    return [this.Wx, this.Wh, this.b];
  }

  /** A zero state for a batch of N. */
  zeroState(N: number): LstmState {
    return { h: tf.zeros([N, this.hiddenSize]), c: tf.zeros([N, this.hiddenSize]) };
  }

  /**
   * One step from the input projection xW = x_t W_x (+ b added here) [N, 4H].
   */
  stepProjected(xW: tf.Tensor2D, state: LstmState): LstmState {
    const H = this.hiddenSize;
    // a = x W_x + h W_h + b, split into i, f, o, g
    const a = tf.add<tf.Tensor2D>(tf.add(xW, tf.matMul(state.h, this.Wh)), this.b);
    const [ai, af, ao, ag] = tf.split(a, [H, H, H, H], 1);
    const i = tf.sigmoid(ai),
      f = tf.sigmoid(af),
      o = tf.sigmoid(ao),
      g = tf.tanh(ag);
    // c_t = f * c_{t-1} + i * g ; h_t = o * tanh(c_t)
    const c = tf.add<tf.Tensor2D>(tf.mul(f, state.c), tf.mul(i, g));
    const h = tf.mul<tf.Tensor2D>(o, tf.tanh(c));
    return { h, c };
  }

  /** One step from an input x_t [N, D]. */
  step(x: tf.Tensor2D, state: LstmState): LstmState {
    return this.stepProjected(tf.matMul(x, this.Wx), state);
  }

  /**
   * Runs over x [N, T, D] from `initial` (zeros by default).
   * @returns hs [N, T, H] and the final state
   */
  run(x: tf.Tensor3D, initial?: LstmState): { hs: tf.Tensor3D; state: LstmState } {
    const [N, T, D] = x.shape;
    if (D !== this.inputDim) {
      throw new Error(`Error in TfLstm.run: input x of shape ${N},${T},${D} has feature size ${D} but the LSTM was built for inputDim ${this.inputDim}.`);
    }
    // all input projections in one product: [N*T, D] x [D, 4H]
    const xW = tf.reshape(tf.matMul(tf.reshape(x, [N * T, D]), this.Wx), [N, T, 4 * this.hiddenSize]);
    const steps = tf.unstack(xW, 1) as tf.Tensor2D[];
    let state = initial ?? this.zeroState(N);
    const hs: tf.Tensor2D[] = [];
    for (const s of steps) {
      state = this.stepProjected(s, state);
      hs.push(state.h);
    }
    return { hs: tf.stack(hs, 1) as tf.Tensor3D, state };
  }
}

/**
 * Clips gradients so their global norm is at most `maxNorm`:
 *   g <- g * min(1, maxNorm / sqrt(sum ||g||^2))
 */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  return tf.tidy(() => {
    const names = Object.keys(grads);
    const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))));
    const scale = tf.minimum(tf.scalar(1), tf.div(tf.scalar(maxNorm), tf.add(norm, 1e-6)));
    const out: tf.NamedTensorMap = {};
    for (const n of names) out[n] = tf.mul(grads[n], scale);
    return out;
  });
}
