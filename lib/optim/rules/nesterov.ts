/** Nesterov momentum: the gradient is taken at the look-ahead point. */
import { UpdateRule, readWeights, readState } from "./update-rule";
import { SgdMomentumConfig } from "./sgd-momentum";

/** Hyperparameters and state of {@link nesterov} (the same as momentum's). */
export type NesterovConfig = SgdMomentumConfig;

/**
 * Nesterov momentum in the form of the CS231n notes (the look-ahead folded into the update):
 * `v_prev = v`, `v <- momentum * v - learningRate * dw`, `w <- w - momentum * v_prev + (1 + momentum) * v`.
 *
 * Shapes: `w`, `dw`, `config.velocity` all the same shape.
 *
 * @example
 * ```ts
 * const { nextW, config } = nesterov(w, dw, { learningRate: 0.05, momentum: 0.9 });
 * ```
 */
export const nesterov: UpdateRule<NesterovConfig> = (w, dw, config = {}) => {
  const { W, dW } = readWeights("nesterov", w, dw);
  const learningRate = config.learningRate ?? 1e-2;
  const momentum = config.momentum ?? 0.9;
  const velocityPrev = readState("nesterov", "velocity", config.velocity, W);
  // v = mu * v - lr * dw
  const velocity = velocityPrev.mul(momentum).sub(dW.mul(learningRate));
  // w = w - mu * v_prev + (1 + mu) * v
  const nextW = W.sub(velocityPrev.mul(momentum)).add(velocity.mul(1 + momentum));
  return { nextW, config: { learningRate, momentum, velocity } };
};
