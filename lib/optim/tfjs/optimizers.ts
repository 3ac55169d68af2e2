/**
 * The update rules of `dl-workbook/optim` as tfjs optimizers, with the same formulas and camelCase
 * hyperparameters as the NDArray rules, registered for tfjs serialization.
 *
 * @example
 * ```ts
 * model.compile({ optimizer: new AdamOptimizer({ learningRate: 1e-3 }), loss: "categoricalCrossentropy" });
 * new NesterovOptimizer({ learningRate: 0.05 }).minimize(() => loss());
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { WorkbookOptimizer } from "./workbook-optimizer";

/** Vanilla SGD: `w <- w - learningRate * dw` (see `sgd`). */
export class SgdOptimizer extends WorkbookOptimizer {
  static className = "WorkbookSgd";
  readonly learningRate: number;
  constructor(config: { learningRate?: number } = {}) {
    super();
    this.learningRate = config.learningRate ?? 1e-2;
  }
  protected update(_name: string, w: tf.Variable, dw: tf.Tensor): void {
    // w = w - lr * dw
    w.assign(tf.sub(w, tf.mul(dw, this.learningRate)));
  }
  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate };
  }
}

/** SGD with momentum: `v <- momentum v - learningRate dw`, `w <- w + v` (see `sgdMomentum`). */
export class SgdMomentumOptimizer extends WorkbookOptimizer {
  static className = "WorkbookSgdMomentum";
  readonly learningRate: number;
  readonly momentum: number;
  constructor(config: { learningRate?: number; momentum?: number } = {}) {
    super();
    this.learningRate = config.learningRate ?? 1e-2;
    this.momentum = config.momentum ?? 0.9;
  }
  protected update(name: string, w: tf.Variable, dw: tf.Tensor): void {
    const velocity = this.slot(name, "velocity", w);
    // v = mu * v - lr * dw
    const v = tf.sub(tf.mul(velocity, this.momentum), tf.mul(dw, this.learningRate));
    velocity.assign(v);
    // w = w + v
    w.assign(tf.add(w, v));
  }
  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, momentum: this.momentum };
  }
}

/** Nesterov momentum: `v <- momentum v - learningRate dw`, `w <- w - momentum v_prev + (1 + momentum) v` (see `nesterov`). */
export class NesterovOptimizer extends SgdMomentumOptimizer {
  static override className = "WorkbookNesterov";
  protected override update(name: string, w: tf.Variable, dw: tf.Tensor): void {
    const velocity = this.slot(name, "velocity", w);
    const vPrev = velocity.clone();
    // v = mu * v - lr * dw
    const v = tf.sub(tf.mul(vPrev, this.momentum), tf.mul(dw, this.learningRate));
    velocity.assign(v);
    // w = w - mu * v_prev + (1 + mu) * v
    w.assign(tf.add(tf.sub(w, tf.mul(vPrev, this.momentum)), tf.mul(v, 1 + this.momentum)));
  }
}

/** AdaGrad: `cache <- cache + dw^2`, `w <- w - learningRate dw / (sqrt(cache) + epsilon)` (see `adagrad`). */
export class AdagradOptimizer extends WorkbookOptimizer {
  static className = "WorkbookAdagrad";
  readonly learningRate: number;
  readonly epsilon: number;
  /** Starting value of the cache (0 as in CS231n; tf.train.adagrad starts at 0.1). */
  readonly initialCache: number;
  constructor(config: { learningRate?: number; epsilon?: number; initialCache?: number } = {}) {
    super();
    this.learningRate = config.learningRate ?? 1e-2;
    this.epsilon = config.epsilon ?? 1e-8;
    this.initialCache = config.initialCache ?? 0;
  }
  protected update(name: string, w: tf.Variable, dw: tf.Tensor): void {
    const cache = this.slot(name, "cache", w, this.initialCache);
    // cache = cache + dw^2
    const c = tf.add(cache, tf.square(dw));
    cache.assign(c);
    // w = w - lr * dw / (sqrt(cache) + eps)
    w.assign(tf.sub(w, tf.div(tf.mul(dw, this.learningRate), tf.add(tf.sqrt(c), this.epsilon))));
  }
  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, epsilon: this.epsilon, initialCache: this.initialCache };
  }
}

/** RMSProp: `cache <- decayRate cache + (1 - decayRate) dw^2`, `w <- w - learningRate dw / (sqrt(cache) + epsilon)` (see `rmsprop`). */
export class RmspropOptimizer extends WorkbookOptimizer {
  static className = "WorkbookRmsprop";
  readonly learningRate: number;
  readonly decayRate: number;
  readonly epsilon: number;
  constructor(config: { learningRate?: number; decayRate?: number; epsilon?: number } = {}) {
    super();
    this.learningRate = config.learningRate ?? 1e-2;
    this.decayRate = config.decayRate ?? 0.99;
    this.epsilon = config.epsilon ?? 1e-8;
  }
  protected update(name: string, w: tf.Variable, dw: tf.Tensor): void {
    const cache = this.slot(name, "cache", w);
    // cache = rho * cache + (1 - rho) * dw^2
    const c = tf.add(tf.mul(cache, this.decayRate), tf.mul(tf.square(dw), 1 - this.decayRate));
    cache.assign(c);
    // w = w - lr * dw / (sqrt(cache) + eps)
    w.assign(tf.sub(w, tf.div(tf.mul(dw, this.learningRate), tf.add(tf.sqrt(c), this.epsilon))));
  }
  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, decayRate: this.decayRate, epsilon: this.epsilon };
  }
}

/** Adam's hyperparameters (and AdamW's decay). */
export interface AdamHyperparameters {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba, bias-corrected, epsilon outside the root, t counted from 1), with optional
 * decoupled weight decay (AdamW when `weightDecay > 0`). See `adam` and `adamw`.
 */
export class AdamOptimizer extends WorkbookOptimizer {
  static className = "WorkbookAdam";
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly weightDecay: number;
  constructor(config: AdamHyperparameters = {}) {
    super();
    this.learningRate = config.learningRate ?? 1e-3;
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.epsilon = config.epsilon ?? 1e-8;
    this.weightDecay = config.weightDecay ?? 0;
  }
  protected update(name: string, w: tf.Variable, dw: tf.Tensor, t: number): void {
    const mSlot = this.slot(name, "m", w);
    const vSlot = this.slot(name, "v", w);
    // m = beta1 * m + (1 - beta1) * dw;  v = beta2 * v + (1 - beta2) * dw^2
    const m = tf.add(tf.mul(mSlot, this.beta1), tf.mul(dw, 1 - this.beta1));
    const v = tf.add(tf.mul(vSlot, this.beta2), tf.mul(tf.square(dw), 1 - this.beta2));
    mSlot.assign(m);
    vSlot.assign(v);
    // mHat = m / (1 - beta1^t);  vHat = v / (1 - beta2^t)
    const mHat = tf.div(m, 1 - Math.pow(this.beta1, t));
    const vHat = tf.div(v, 1 - Math.pow(this.beta2, t));
    let direction = tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon));
    // AdamW: + lambda * w, decoupled from the gradient
    if (this.weightDecay !== 0) direction = tf.add(direction, tf.mul(w, this.weightDecay));
    w.assign(tf.sub(w, tf.mul(direction, this.learningRate)));
  }
  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay };
  }
}

/** AdamW: {@link AdamOptimizer} with decoupled weight decay, default `weightDecay = 1e-2` (see `adamw`). */
export class AdamwOptimizer extends AdamOptimizer {
  static override className = "WorkbookAdamw";
  constructor(config: AdamHyperparameters = {}) {
    super({ ...config, weightDecay: config.weightDecay ?? 1e-2 });
  }
}

/** The slide's Adam: `w <- w - learningRate m / sqrt(v + epsilon)`, no bias correction (see `adamLecture`). */
export class AdamLectureOptimizer extends AdamOptimizer {
  static override className = "WorkbookAdamLecture";
  protected override update(name: string, w: tf.Variable, dw: tf.Tensor): void {
    const mSlot = this.slot(name, "m", w);
    const vSlot = this.slot(name, "v", w);
    // nu = beta1 * nu + (1 - beta1) * g;  s = beta2 * s + (1 - beta2) * g^2
    const m = tf.add(tf.mul(mSlot, this.beta1), tf.mul(dw, 1 - this.beta1));
    const v = tf.add(tf.mul(vSlot, this.beta2), tf.mul(tf.square(dw), 1 - this.beta2));
    mSlot.assign(m);
    vSlot.assign(v);
    // w = w - eta * nu / sqrt(s + eps)
    w.assign(tf.sub(w, tf.div(tf.mul(m, this.learningRate), tf.sqrt(tf.add(v, this.epsilon)))));
  }
}

for (const cls of [SgdOptimizer, SgdMomentumOptimizer, NesterovOptimizer, AdagradOptimizer, RmspropOptimizer, AdamOptimizer, AdamwOptimizer, AdamLectureOptimizer]) {
  tf.serialization.registerClass(cls);
}
