/** AdamW: Adam with decoupled weight decay (Loshchilov & Hutter). */
import { NDArray } from "../../ndarray/ndarray";
import { UpdateRule, readWeights } from "./update-rule";
import { AdamConfig, readAdamConfig, adamStep } from "./adam";

/** Hyperparameters and state of {@link adamw}: Adam's plus the decay. */
export interface AdamwConfig extends AdamConfig {
  /** Decoupled weight decay lambda (default 1e-2). */
  weightDecay: number;
}

/**
 * AdamW: the Adam step plus weight decay applied to the weights directly, not through the
 * gradient: `w <- w - learningRate * (mHat / (sqrt(vHat) + epsilon) + weightDecay * w)`.
 * With `weightDecay = 0` it is {@link adam}.
 *
 * Shapes: `w`, `dw`, `config.m`, `config.v` all the same shape.
 *
 * @example
 * ```ts
 * const { nextW, config } = adamw(w, dw, { learningRate: 1e-3, weightDecay: 1e-2 });
 * ```
 */
export const adamw: UpdateRule<AdamwConfig> = (w, dw, config = {}) => {
  const { W, dW } = readWeights("adamw", w, dw);
  const cfg = readAdamConfig("adamw", config, W);
  const weightDecay = config.weightDecay ?? 1e-2;
  const { direction, m, v, t } = adamStep(cfg, dW);
  // w = w - lr * (mHat / (sqrt(vHat) + eps) + lambda * w)
  const nextW: NDArray = W.sub(direction.add(W.mul(weightDecay)).mul(cfg.learningRate));
  return { nextW, config: { ...cfg, m, v, t, weightDecay } };
};
