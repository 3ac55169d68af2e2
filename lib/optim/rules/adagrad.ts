/** AdaGrad: per-weight step sizes from the sum of all past squared gradients. */
import { NDArray } from "../../ndarray/ndarray";
import { UpdateRule, readWeights, readState } from "./update-rule";

/** Hyperparameters and state of {@link adagrad}. */
export interface AdagradConfig {
  /** Step size (default 1e-2). */
  learningRate: number;
  /** Added to the root to avoid dividing by zero (default 1e-8). */
  epsilon: number;
  /** Sum of squared gradients, same shape as w (zeros at first). */
  cache: NDArray;
}

/**
 * AdaGrad: `cache <- cache + dw^2`, `w <- w - learningRate * dw / (sqrt(cache) + epsilon)`.
 *
 * Shapes: `w`, `dw`, `config.cache` all the same shape.
 *
 * @example
 * ```ts
 * const { nextW, config } = adagrad(w, dw, { learningRate: 0.5 });
 * ```
 */
export const adagrad: UpdateRule<AdagradConfig> = (w, dw, config = {}) => {
  const { W, dW } = readWeights("adagrad", w, dw);
  const learningRate = config.learningRate ?? 1e-2;
  const epsilon = config.epsilon ?? 1e-8;
  // cache = cache + dw^2
  const cache = readState("adagrad", "cache", config.cache, W).add(dW.square());
  // w = w - lr * dw / (sqrt(cache) + eps)
  const nextW = W.sub(dW.mul(learningRate).div(cache.sqrt().add(epsilon)));
  return { nextW, config: { learningRate, epsilon, cache } };
};
