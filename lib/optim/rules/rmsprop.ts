/** RMSProp: per-weight step sizes from a moving average of squared gradients. */
import { NDArray } from "../../ndarray/ndarray";
import { UpdateRule, readWeights, readState } from "./update-rule";

/** Hyperparameters and state of {@link rmsprop}. */
export interface RmspropConfig {
  /** Step size (default 1e-2). */
  learningRate: number;
  /** Decay of the squared-gradient average, in [0, 1) (default 0.99). */
  decayRate: number;
  /** Added to the root to avoid dividing by zero (default 1e-8). */
  epsilon: number;
  /** Moving average of squared gradients, same shape as w (zeros at first). */
  cache: NDArray;
}

/**
 * RMSProp: `cache <- decayRate * cache + (1 - decayRate) * dw^2`,
 * `w <- w - learningRate * dw / (sqrt(cache) + epsilon)`.
 *
 * Shapes: `w`, `dw`, `config.cache` all the same shape.
 *
 * @example
 * ```ts
 * const { nextW, config } = rmsprop(w, dw, { learningRate: 1e-2, decayRate: 0.99 });
 * ```
 */
export const rmsprop: UpdateRule<RmspropConfig> = (w, dw, config = {}) => {
  const { W, dW } = readWeights("rmsprop", w, dw);
  const learningRate = config.learningRate ?? 1e-2;
  const decayRate = config.decayRate ?? 0.99;
  const epsilon = config.epsilon ?? 1e-8;
  // cache = rho * cache + (1 - rho) * dw^2
  const cache = readState("rmsprop", "cache", config.cache, W)
    .mul(decayRate)
    .add(dW.square().mul(1 - decayRate));
  // w = w - lr * dw / (sqrt(cache) + eps)
  const nextW = W.sub(dW.mul(learningRate).div(cache.sqrt().add(epsilon)));
  return { nextW, config: { learningRate, decayRate, epsilon, cache } };
};
