/** Adam (Kingma & Ba): momentum on the gradient, RMSProp on its square, both bias-corrected. */
import { NDArray } from "../../ndarray/ndarray";
import { UpdateRule, readWeights, readState } from "./update-rule";

/** Hyperparameters and state of {@link adam}. */
export interface AdamConfig {
  /** Step size (default 1e-3). */
  learningRate: number;
  /** Decay of the gradient average nu / m (default 0.9). */
  beta1: number;
  /** Decay of the squared-gradient average s / v (default 0.999). */
  beta2: number;
  /** Added outside the root (default 1e-8). */
  epsilon: number;
  /** Moving average of gradients (the lecture's nu), same shape as w (zeros at first). */
  m: NDArray;
  /** Moving average of squared gradients (the lecture's s), same shape as w (zeros at first). */
  v: NDArray;
  /** Number of steps taken so far (0 at first; incremented before use). */
  t: number;
}

/** Reads Adam's hyperparameters and state with CS231n's defaults. */
export function readAdamConfig(fnName: string, config: Partial<AdamConfig>, W: NDArray): AdamConfig {
  return {
    learningRate: config.learningRate ?? 1e-3,
    beta1: config.beta1 ?? 0.9,
    beta2: config.beta2 ?? 0.999,
    epsilon: config.epsilon ?? 1e-8,
    m: readState(fnName, "m", config.m, W),
    v: readState(fnName, "v", config.v, W),
    t: config.t ?? 0,
  };
}

/**
 * One Adam step, as in Kingma & Ba (bias-corrected, epsilon outside the root, t incremented first).
 * Returns the update direction `mHat / (sqrt(vHat) + epsilon)` and the new state.
 */
export function adamStep(cfg: AdamConfig, dW: NDArray): { direction: NDArray; m: NDArray; v: NDArray; t: number } {
  const { beta1, beta2, epsilon } = cfg;
  const t = cfg.t + 1;
  // m = beta1 * m + (1 - beta1) * dw
  const m = cfg.m.mul(beta1).add(dW.mul(1 - beta1));
  // v = beta2 * v + (1 - beta2) * dw^2
  const v = cfg.v.mul(beta2).add(dW.square().mul(1 - beta2));
  // mHat = m / (1 - beta1^t), vHat = v / (1 - beta2^t)
  const mHat = m.div(1 - Math.pow(beta1, t));
  const vHat = v.div(1 - Math.pow(beta2, t));
  const direction = mHat.div(vHat.sqrt().add(epsilon));
  return { direction, m, v, t };
}

/**
 * Adam (Kingma & Ba):
 * `t <- t + 1`; `m <- beta1 m + (1 - beta1) dw`; `v <- beta2 v + (1 - beta2) dw^2`;
 * `mHat = m / (1 - beta1^t)`; `vHat = v / (1 - beta2^t)`;
 * `w <- w - learningRate * mHat / (sqrt(vHat) + epsilon)`.
 * (The slide's form without bias correction is {@link adamLecture}.)
 *
 * Shapes: `w`, `dw`, `config.m`, `config.v` all the same shape.
 *
 * @example
 * ```ts
 * let config: Partial<AdamConfig> = { learningRate: 1e-2 };
 * for (let step = 0; step < 100; step++) ({ nextW: w, config } = adam(w, grad(w), config));
 * ```
 */
export const adam: UpdateRule<AdamConfig> = (w, dw, config = {}) => {
  const { W, dW } = readWeights("adam", w, dw);
  const cfg = readAdamConfig("adam", config, W);
  const { direction, m, v, t } = adamStep(cfg, dW);
  // w = w - lr * mHat / (sqrt(vHat) + eps)
  const nextW = W.sub(direction.mul(cfg.learningRate));
  return { nextW, config: { ...cfg, m, v, t } };
};
