/** SGD with momentum: a velocity that accumulates past gradients. */
import { NDArray } from "../../ndarray/ndarray";
import { UpdateRule, readWeights, readState } from "./update-rule";

/** Hyperparameters and state of {@link sgdMomentum}. */
export interface SgdMomentumConfig {
  /** Step size (default 1e-2). */
  learningRate: number;
  /** Momentum mu in [0, 1) (default 0.9). */
  momentum: number;
  /** The running velocity, same shape as w (zeros at first). */
  velocity: NDArray;
}

/**
 * SGD with momentum: `v <- momentum * v - learningRate * dw`, `w <- w + v`.
 *
 * Shapes: `w`, `dw`, `config.velocity` all the same shape.
 *
 * @example
 * ```ts
 * let config = {};
 * ({ nextW: w, config } = sgdMomentum(w, dw, config));
 * ```
 */
export const sgdMomentum: UpdateRule<SgdMomentumConfig> = (w, dw, config = {}) => {
  const { W, dW } = readWeights("sgdMomentum", w, dw);
  const learningRate = config.learningRate ?? 1e-2;
  const momentum = config.momentum ?? 0.9;
  const velocity0 = readState("sgdMomentum", "velocity", config.velocity, W);
  // v = mu * v - lr * dw
  const velocity = velocity0.mul(momentum).sub(dW.mul(learningRate));
  // w = w + v
  const nextW = W.add(velocity);
  return { nextW, config: { learningRate, momentum, velocity } };
};
