/** Vanilla stochastic gradient descent. */
import { UpdateRule, readWeights } from "./update-rule";

/** Hyperparameters of {@link sgd}. */
export interface SgdConfig {
  /** Step size (default 1e-2). */
  learningRate: number;
}

/**
 * Vanilla SGD: `w <- w - learningRate * dw`.
 *
 * Shapes: `w`, `dw` any shape (the same) -> `nextW` of that shape.
 *
 * @example
 * ```ts
 * const { nextW } = sgd([1, 2], [0.5, -0.5], { learningRate: 0.1 }); // [0.95, 2.05]
 * ```
 */
export const sgd: UpdateRule<SgdConfig> = (w, dw, config = {}) => {
  const { W, dW } = readWeights("sgd", w, dw);
  const cfg: SgdConfig = { learningRate: config.learningRate ?? 1e-2 };
  // w = w - lr * dw
  const nextW = W.sub(dW.mul(cfg.learningRate));
  return { nextW, config: cfg };
};
